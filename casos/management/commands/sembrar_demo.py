import os

from django.core.management.base import BaseCommand

from casos.demo import sembrar


class Command(BaseCommand):
    help = "Crea el personal de demostración (uno por rol) y unas 200 solicitudes realistas."

    def add_arguments(self, parser):
        parser.add_argument("--casos", type=int, default=200)

    def handle(self, *args, casos, **options):
        password = os.getenv("DEMO_PASSWORD", "demo")
        resultado = sembrar(password=password, cantidad=casos)
        self.stdout.write(
            f"Usuarios de demostración: {', '.join(resultado['usuarios'])} "
            f"(contraseña: {password}). Casos nuevos: {resultado['casos_nuevos']}; "
            f"en total: {resultado['casos_total']}."
        )

import os

from django.core.management.base import BaseCommand

from flujos.demo import sembrar


class Command(BaseCommand):
    help = (
        "Crea el personal de demostración (uno por rol) y unas 200 solicitudes con historia: "
        "cada una avanza por su flujo hasta una etapa, así hay casos en todos los estados."
    )

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

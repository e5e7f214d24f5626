from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.services import emitir_token


class Command(BaseCommand):
    help = "Emite un token de API que actúa con los permisos del usuario indicado."

    def add_arguments(self, parser):
        parser.add_argument("usuario")
        parser.add_argument("--nombre", default="conmutador")

    def handle(self, *args, usuario, nombre, **options):
        try:
            user = get_user_model().objects.get(username=usuario)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No existe el usuario «{usuario}».") from None
        token = emitir_token(nombre=nombre, usuario=user)
        self.stdout.write(token)
        self.stderr.write("Guárdelo ahora: no se puede volver a mostrar.")

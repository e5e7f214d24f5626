from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import AlcanceToken
from api.services import emitir_token


class Command(BaseCommand):
    help = "Emite un token de API que actúa con los permisos del usuario indicado."

    def add_arguments(self, parser):
        parser.add_argument("usuario")
        parser.add_argument("--nombre", default="conmutador")
        parser.add_argument(
            "--alcance",
            choices=AlcanceToken.values,
            default=AlcanceToken.PERSONAL,
            help="personal: Bearer de la API del personal; open311: api_key de Open311.",
        )

    def handle(self, *args, usuario, nombre, alcance, **options):
        try:
            user = get_user_model().objects.get(username=usuario)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No existe el usuario «{usuario}».") from None
        token = emitir_token(nombre=nombre, usuario=user, alcance=alcance)
        self.stdout.write(token)
        self.stderr.write("Guárdelo ahora: no se puede volver a mostrar.")

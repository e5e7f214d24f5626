from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cuentas import selectors, services
from cuentas.bloqueos import ip_valida
from cuentas.models import OrigenEventoCuenta


class Command(BaseCommand):
    help = (
        "Para la administración del sistema: desbloquea una cuenta o una conexión y, con "
        "--dos-pasos, reinicia la verificación en dos pasos de la persona (al entrar dará de "
        "alta su app otra vez). Sin argumentos, lista lo que está bloqueado. Queda en la "
        "bitácora de cuentas."
    )

    def add_arguments(self, parser):
        parser.add_argument("usuario", nargs="?", help="nombre de usuario a desbloquear")
        parser.add_argument("--ip", help="desbloquear esta conexión (IP)")
        parser.add_argument(
            "--dos-pasos",
            action="store_true",
            help="además, quitar su app de autenticación y sus códigos de recuperación",
        )

    def handle(self, *args, usuario, ip, dos_pasos, **options):
        if not usuario and not ip:
            return self._listar()
        comando = OrigenEventoCuenta.COMANDO
        if ip:
            normal = ip_valida(ip)
            if normal is None:
                raise CommandError(f"«{ip}» no es una dirección IP.")
            services.desbloquear_conexion(actor=None, ip=normal, origen=comando)
            self.stdout.write(f"Conexión {normal} desbloqueada.")
        if usuario:
            cuenta = get_user_model().objects.filter(username=usuario).first()
            if dos_pasos and cuenta is None:
                raise CommandError(f"No existe la cuenta «{usuario}».")
            services.desbloquear_cuenta(actor=None, usuario=usuario, origen=comando)
            self.stdout.write(f"Cuenta «{usuario}» desbloqueada.")
            if dos_pasos:
                services.reiniciar_segundo_factor(actor=None, cuenta=cuenta, origen=comando)
                self.stdout.write(
                    f"Verificación en dos pasos de «{usuario}» reiniciada: al entrar dará de "
                    "alta su app otra vez."
                )
        elif dos_pasos:
            raise CommandError("--dos-pasos necesita el nombre de usuario.")

    def _listar(self):
        bloqueos = selectors.bloqueos_vigentes()
        if not bloqueos["cuentas"] and not bloqueos["conexiones"]:
            self.stdout.write("No hay cuentas ni conexiones bloqueadas.")
        for tipo, titulo in (("cuentas", "Cuenta"), ("conexiones", "Conexión")):
            for b in bloqueos[tipo]:
                hasta = timezone.localtime(b.hasta).strftime("%Y-%m-%d %H:%M")
                self.stdout.write(f"{titulo} {b.clave}: {b.fallos} fallos, hasta {hasta}")

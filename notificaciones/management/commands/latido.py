import socket

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from notificaciones import selectors


class Command(BaseCommand):
    help = (
        "Salud de los workers de Celery. Sin opciones, muestra cada cola (si tiene un worker "
        "vivo) y el último latido de cada worker. Con --revisar (el healthcheck del "
        "contenedor del worker), termina con código 1 si el worker de esta máquina no latió "
        "con procesos vivos dentro de TRABAJADOR_SIN_LATIDO_SEGUNDOS."
    )

    # Es el healthcheck del contenedor: cada 30 s, sin las revisiones del sistema.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--revisar",
            action="store_true",
            help="código 0 si el worker de esta máquina está vivo; 1 si no",
        )
        parser.add_argument(
            "--nombre",
            help="nombre del worker a revisar (p. ej. pdf@maquina); por omisión, los de "
            "«@<esta máquina>», el nombre que Celery da por omisión",
        )

    def handle(self, *args, revisar, nombre, **options):
        try:
            if revisar:
                return self._revisar(nombre)
            return self._mostrar()
        except DatabaseError as error:
            raise CommandError(f"No se pudo leer la base: {error}", returncode=1) from error

    def _revisar(self, nombre: str | None) -> None:
        if nombre:
            latido = selectors.latido_por_nombre(nombre=nombre)
            latidos = [latido] if latido else []
            buscado = f"«{nombre}»"
        else:
            maquina = socket.gethostname()
            latidos = selectors.latidos_de_la_maquina(maquina=maquina)
            buscado = f"de la máquina «{maquina}»"
        if not latidos:
            raise CommandError(f"Ningún worker {buscado} ha latido todavía.", returncode=1)
        ahora = timezone.now()
        umbral = selectors.umbral_sin_latido()
        muertos = [
            latido
            for latido in latidos
            if not selectors.esta_vivo(latido, ahora=ahora, umbral=umbral)
        ]
        if muertos:
            detalle = "; ".join(self._describir(latido) for latido in muertos)
            segundos = int(umbral.total_seconds())
            raise CommandError(
                f"Sin latido con procesos vivos en {segundos} s: {detalle}", returncode=1
            )
        self.stdout.write("Vivo: " + "; ".join(self._describir(latido) for latido in latidos))

    def _describir(self, latido) -> str:
        vivo = latido.ultimo_latido_vivo
        return (
            f"{latido.nombre} (PID {latido.pid}, colas {latido.colas}, "
            f"{latido.procesos_vivos} procesos vivos, último latido "
            f"{timezone.localtime(latido.ultimo_latido):%d/%m/%Y %H:%M:%S}, con procesos "
            + (f"{timezone.localtime(vivo):%H:%M:%S}" if vivo else "nunca")
            + (
                f", se detuvo {timezone.localtime(latido.detenido_en):%H:%M:%S}"
                if latido.detenido_en
                else ""
            )
            + ")"
        )

    def _mostrar(self) -> None:
        for cola, estado in selectors.estado_de_trabajadores().items():
            if estado.vivos:
                self.stdout.write(f"Cola «{cola}»: viva ({', '.join(estado.vivos)}).")
            elif estado.ultimo_vivo:
                desde = selectors.hora_dicha(estado.ultimo_vivo, con_fecha=True)
                self.stdout.write(f"Cola «{cola}»: DETENIDA desde {desde}.")
            else:
                self.stdout.write(f"Cola «{cola}»: ningún worker ha latido todavía.")
        for latido in selectors.todos_los_latidos():
            self.stdout.write("  " + self._describir(latido))

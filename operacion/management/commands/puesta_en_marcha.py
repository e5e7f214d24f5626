"""`manage.py puesta_en_marcha`: de una base vacía a una oficina que se puede usar.

Aplica las migraciones (que siembran roles, catálogos, plazos y el aviso de privacidad),
deja los datos del centro, la primera cuenta de coordinación y los días inhábiles usuales del
año. Se puede correr otra vez: lo que ya está igual no cambia y lo distinto se actualiza.
Sin `--no-interactivo` pregunta lo que falte; la contraseña nunca va en la línea de comandos.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone

from casos.models import Centro
from operacion import pendientes, services
from operacion.errores import Error

PREGUNTAS = {
    "nombre": "Nombre del centro",
    "municipio": "Municipio",
    "entidad": "Entidad federativa",
    "domicilio": "Domicilio",
    "telefono": "Teléfono de atención",
    "horario": "Horario de atención",
    "coordinador": "Usuario de la coordinación",
    "nombre_coordinador": "Nombre completo de quien coordina",
    "correo": "Correo de la coordinación",
}


class Command(BaseCommand):
    help = "Prepara una instalación nueva: migraciones, centro, coordinación e inhábiles."

    def add_arguments(self, parser):
        parser.add_argument("--centro", dest="nombre", default="")
        parser.add_argument("--municipio", default="")
        parser.add_argument("--entidad", default="")
        parser.add_argument("--domicilio", default="")
        parser.add_argument("--telefono", default="")
        parser.add_argument("--horario", default="")
        parser.add_argument("--coordinador", default="")
        parser.add_argument("--nombre-coordinador", dest="nombre_coordinador", default="")
        parser.add_argument("--correo", default="")
        parser.add_argument("--anio", type=int, default=None)
        parser.add_argument(
            "--no-interactivo", action="store_true", help="No pregunta: todo sale de las opciones."
        )
        parser.add_argument(
            "--no-migrar", action="store_true", help="No aplica las migraciones pendientes."
        )

    def _preguntar(self, opciones, actuales):
        for clave, pregunta in PREGUNTAS.items():
            if opciones[clave]:
                continue
            sugerida = actuales.get(clave, "")
            texto = f"{pregunta}" + (f" [{sugerida}]" if sugerida else "") + ": "
            opciones[clave] = input(texto).strip() or sugerida

    def handle(self, *args, **opciones):
        if not opciones["no_migrar"]:
            call_command("migrate", interactive=False, verbosity=0)
        centro = Centro.objects.filter(pk=1).first()
        actuales = {c: getattr(centro, c) for c in services.CAMPOS_DEL_CENTRO} if centro else {}
        if not opciones["no_interactivo"]:
            self._preguntar(opciones, actuales)
        try:
            centro, cambiados = services.preparar_centro(
                **{c: opciones[c] for c in services.CAMPOS_DEL_CENTRO}
            )
            coordinador = services.preparar_coordinador(
                usuario=opciones["coordinador"],
                nombre=opciones["nombre_coordinador"],
                correo=opciones["correo"],
                url_publica=settings.URL_PUBLICA,
            )
            anio = opciones["anio"] or timezone.localdate().year
            inhabiles = services.preparar_inhabiles(anio=anio)
        except ValidationError as error:
            raise Error(" ".join(error.messages)) from error
        self._informar(centro, cambiados, coordinador, anio, inhabiles)

    def _informar(self, centro, cambiados, coordinador, anio, inhabiles):
        escribir = self.stdout.write
        escribir(
            f"Centro: {centro.nombre} ({centro.municipio}, {centro.entidad})"
            + (f"; se actualizó: {', '.join(cambiados)}." if cambiados else "; sin cambios.")
        )
        cuenta = coordinador.usuario
        escribir(
            f"Coordinación: {cuenta.username} <{cuenta.email}> "
            + ("(cuenta nueva)." if coordinador.creado else "(ya existía).")
        )
        if coordinador.enlace:
            escribir(
                "Enlace de un solo uso para fijar su contraseña (vale "
                f"{settings.PASSWORD_RESET_TIMEOUT // 3600} h): {coordinador.enlace}"
            )
            escribir("Al entrar, el sistema le pedirá inscribir su segundo factor.")
        aviso = services.aviso_vigente()
        escribir(
            f"Aviso de privacidad vigente: {aviso}."
            if aviso
            else "Falta un aviso de privacidad vigente: désalo de alta en /oficina/."
        )
        escribir(f"Días inhábiles de {anio}: {len(inhabiles)} nuevos.")
        faltan = pendientes.faltan(pendientes.revisar())
        lista = f"{settings.URL_PUBLICA}{reverse('oficina:puesta_en_marcha')}"
        if not faltan:
            escribir(f"La oficina tiene todo lo necesario para atender ({lista}).")
            return
        escribir(f"Falta, para atender bien (la misma lista, con ligas, en {lista}):")
        for punto in faltan:
            marca = "[impide trabajar] " if punto.bloquea else ""
            escribir(f"  - {marca}{punto.titulo}")

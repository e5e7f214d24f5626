"""Revisión de la configuración al arrancar: un rol mal escrito en
DOS_PASOS_OBLIGATORIO_ROLES dejaría sin segundo paso a quien debía tenerlo."""

from django.conf import settings
from django.core.checks import Error, register

from casos.catalogos import ROLES

SUPERUSUARIO = "superusuario"


@register()
def roles_con_dos_pasos(app_configs, **kwargs):
    desconocidos = sorted(set(settings.DOS_PASOS_OBLIGATORIO_ROLES) - set(ROLES) - {SUPERUSUARIO})
    if not desconocidos:
        return []
    return [
        Error(
            "DOS_PASOS_OBLIGATORIO_ROLES tiene roles que no existen: " + ", ".join(desconocidos),
            hint="Use nombres de rol (" + ", ".join(ROLES) + f") o «{SUPERUSUARIO}».",
            id="cuentas.E001",
        )
    ]

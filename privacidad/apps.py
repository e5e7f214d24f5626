from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacidadConfig(AppConfig):
    """Derechos ARCO y conservación de los datos personales: el flujo de las solicitudes,
    sus páginas (pública y del personal), la exportación de los datos de una persona y el
    trabajo de conservación que bloquea y suprime."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "privacidad"
    verbose_name = _("Datos personales")

    def ready(self):
        from flujos import asuntos

        from . import receptores  # noqa: F401
        from .asuntos import AdaptadorSolicitudARCO

        asuntos.registrar_adaptador(AdaptadorSolicitudARCO())

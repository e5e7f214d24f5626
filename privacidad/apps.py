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

        self._documentos_arco()

    def _documentos_arco(self):
        """El contenido de la respuesta ARCO y del anexo de datos lo arma esta capa
        (`plantillas.arco`); la respuesta emitida los pide."""
        from casos.senales import arco_respondida
        from plantillas import arco
        from plantillas.models import TipoDocumento

        from . import documentos

        arco.registrar(TipoDocumento.RESPUESTA_ARCO, documentos.contenido_de_la_respuesta)
        arco.registrar(TipoDocumento.DATOS_ARCO, documentos.contenido_de_los_datos)
        arco_respondida.connect(documentos.al_responder, dispatch_uid="privacidad-documentos-arco")

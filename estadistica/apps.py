from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstadisticaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "estadistica"
    verbose_name = _("Estadística e informes")

    def ready(self):
        from plantillas import informes

        from .informe import contenido_del_informe

        informes.registrar(contenido_del_informe)

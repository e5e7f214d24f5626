from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComunidadConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comunidad"
    verbose_name = _("Avisos comunitarios")

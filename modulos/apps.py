from django.apps import AppConfig


class ModulosConfig(AppConfig):
    name = "modulos"
    verbose_name = "Módulos itinerantes sin conexión"
    default_auto_field = "django.db.models.BigAutoField"

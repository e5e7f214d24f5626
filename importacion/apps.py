from django.apps import AppConfig


class ImportacionConfig(AppConfig):
    name = "importacion"
    verbose_name = "Importación de registros anteriores"
    default_auto_field = "django.db.models.BigAutoField"

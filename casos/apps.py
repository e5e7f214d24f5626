from django.apps import AppConfig


class CasosConfig(AppConfig):
    name = "casos"
    verbose_name = "Expedientes"
    default_auto_field = "django.db.models.BigAutoField"

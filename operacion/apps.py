from django.apps import AppConfig


class OperacionConfig(AppConfig):
    """Lo que necesita quien opera la instalación de la oficina: respaldos y su restauración."""

    name = "operacion"
    verbose_name = "Operación de la instalación"
    default_auto_field = "django.db.models.BigAutoField"

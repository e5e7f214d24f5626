from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API del personal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import esquema  # noqa: F401  (registra la extensión del token en el esquema)

from django.apps import AppConfig


class CuentasConfig(AppConfig):
    name = "cuentas"
    verbose_name = "Cuentas del personal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 (registra las revisiones de configuración)
        from .sesion import al_entrar

        user_logged_in.connect(al_entrar, dispatch_uid="cuentas.al_entrar")

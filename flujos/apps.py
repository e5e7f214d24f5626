from django.apps import AppConfig


class FlujosConfig(AppConfig):
    name = "flujos"
    verbose_name = "Flujos de trabajo"

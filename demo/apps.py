from django.apps import AppConfig


class DemoConfig(AppConfig):
    """La demostración: personal de ejemplo y solicitudes con historia (`sembrar_demo`).
    Está arriba de todas las apps: mueve los casos con los mismos servicios que el personal."""

    name = "demo"
    verbose_name = "Demostración"

from django.apps import AppConfig


class OficinaConfig(AppConfig):
    """La administración de la oficina: la coordinación da de alta al personal, sus
    certificaciones, salas y catálogos sin ser superusuaria."""

    name = "oficina"
    verbose_name = "Administración de la oficina"

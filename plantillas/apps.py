from django.apps import AppConfig


class PlantillasConfig(AppConfig):
    name = "plantillas"
    verbose_name = "Documentos"

"""Archivos estáticos: se sirven los propios y los de Django (admin), no los del frontend
de viewflow, que este proyecto no usa (y cuya hoja de fuentes Roboto trae referencias rotas
que rompen `collectstatic` con el almacenamiento de producción)."""

from django.contrib.staticfiles.finders import AppDirectoriesFinder

EXCLUIDAS = ("viewflow", "viewflow.workflow")


class AppDirectoriesSinViewflow(AppDirectoriesFinder):
    def __init__(self, app_names=None, *args, **kwargs):
        from django.apps import apps

        if app_names is None:
            app_names = [a.name for a in apps.get_app_configs() if a.name not in EXCLUIDAS]
        super().__init__(app_names, *args, **kwargs)

"""`manage.py shell` sin los modelos de historia de django-simple-history en sus importaciones
automáticas: se generan al vuelo y no se pueden importar por su ruta, así que el shell de
Django avisaba en cada arranque que no pudo importarlos."""

from django.core.management.commands import shell


class Command(shell.Command):
    def get_auto_imports(self):
        return [
            ruta
            for ruta in super().get_auto_imports()
            if not ruta.rsplit(".", 1)[-1].startswith("Historical")
        ]

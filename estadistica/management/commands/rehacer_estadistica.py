from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from estadistica import resumen


class Command(BaseCommand):
    help = _(
        "Recalcula los hechos de todos los casos y rehace el resumen diario de la estadística "
        "(tras importar registros o cambiar una categoría de «se canaliza»)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--solo-nuevo",
            action="store_true",
            help=_("Solo lo que cambió desde el último refresco (lo que hace el beat)."),
        )

    def handle(self, *args, **opciones):
        hecho = resumen.refrescar() if opciones["solo_nuevo"] else resumen.rehacer()
        self.stdout.write(
            _("Estadística al día: %(c)d casos, %(r)d renglones del resumen en %(ms)d ms.")
            % {"c": hecho.casos, "r": hecho.renglones, "ms": hecho.milisegundos}
        )

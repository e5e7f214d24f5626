from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from privacidad import conservacion


def _fecha(texto: str) -> date:
    try:
        return date.fromisoformat(texto)
    except ValueError as error:
        raise CommandError(
            _("La fecha «%(f)s» no es válida: escríbala como AAAA-MM-DD.") % {"f": texto}
        ) from error


class Command(BaseCommand):
    help = _(
        "Bloquea y suprime (anonimiza) los datos personales de los expedientes cuyo plazo de "
        "conservación venció. Con --simulacro solo dice qué haría."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--simulacro",
            action="store_true",
            help=_("No cambia nada: lista lo que se bloquearía, suprimiría y borraría."),
        )
        parser.add_argument(
            "--al",
            type=_fecha,
            default=None,
            metavar="AAAA-MM-DD",
            help=_("Con los plazos cumplidos a esta fecha (por omisión, hoy)."),
        )

    def handle(self, *args, **opciones):
        al_dia = opciones["al"] or timezone.localdate()
        simulacro = opciones["simulacro"]
        corrida = conservacion.depurar(al_dia=al_dia, simulacro=simulacro)
        detalle = corrida.detalle
        if simulacro:
            self.stdout.write(
                _("Simulacro con los plazos al %(d)s: no se cambió nada.")
                % {"d": f"{al_dia:%d/%m/%Y}"}
            )
            verbos = (_("Se bloquearían"), _("Se suprimirían"), _("Se borrarían"))
        else:
            self.stdout.write(
                _("Conservación con los plazos al %(d)s.") % {"d": f"{al_dia:%d/%m/%Y}"}
            )
            verbos = (_("Se bloquearon"), _("Se suprimieron"), _("Se borraron"))
        casos = [
            (verbos[0], _("expedientes"), detalle["bloquear"]),
            (verbos[1], _("expedientes"), detalle["suprimir"]),
            (verbos[0], _("solicitudes ARCO"), detalle["arco_bloquear"]),
            (verbos[1], _("solicitudes ARCO"), detalle["arco_suprimir"]),
        ]
        for verbo, que, folios in casos:
            linea = f"{verbo} {len(folios)} {que}"
            if folios:
                muestra = ", ".join(folios[:10])
                resto = len(folios) - 10
                linea += f": {muestra}" + (_(" y %(n)d más") % {"n": resto} if resto > 0 else "")
            self.stdout.write(linea + ".")
        self.stdout.write(f"{verbos[2]} {len(detalle['archivos'])} " + _("archivos") + ".")
        self.stdout.write(
            _("Corrida núm. %(n)d en %(s)s segundos.") % {"n": corrida.pk, "s": detalle["segundos"]}
        )

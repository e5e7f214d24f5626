from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def renglones_de_agenda(renglones, con_mediador) -> str:
    """Los renglones de un día de la agenda (`agenda.selectors.Renglon`): hora, folio (con su
    enlace solo si la persona puede ver el caso), partes, sala, quien facilita, estado y
    asistencia. Una semana llena lleva cientos de sesiones: armarlas aquí cuesta una fracción
    de lo que cuesta resolver las mismas variables en la plantilla."""
    reservado = gettext("Reservado")
    filas = []
    for r in renglones:
        if r.visible:
            folio = format_html(
                '<a href="{}">{}</a>', reverse("casos:detalle", args=[r.folio]), r.folio
            )
            partes = format_html_join(" · ", "{}", ((n,) for n in r.nombres))
        else:
            folio = format_html("{}", r.folio)
            partes = format_html('<span class="suave">{}</span>', reservado)
        mediador = ""
        if con_mediador:
            persona = r.sesion.mediador
            nombre = (persona.get_full_name() or persona.username) if persona else ""
            mediador = format_html("<td>{}</td>", nombre)
        if r.asistencia:
            asistencia = format_html(
                '<ul class="asistencia">{}</ul>',
                format_html_join(
                    "",
                    '<li>{}<span class="confirmacion confirmacion-{}">{}</span></li>',
                    (
                        (format_html("{}: ", nombre) if nombre else "", a.clave, a.texto)
                        for nombre, a in r.asistencia
                    ),
                ),
            )
        else:
            asistencia = mark_safe('<span class="suave">—</span>')
        filas.append(
            format_html(
                '\n      <tr class="sesion-{}">\n'
                '        <td class="nowrap">{}–{}</td>\n'
                '        <td class="nowrap">{}</td>\n'
                "        <td>{}</td>\n"
                "        <td>{}</td>\n"
                "        {}\n"
                '        <td><span class="estado estado-{}">{}</span></td>\n'
                "        <td>{}</td>\n"
                "      </tr>\n    ",
                r.estado,
                r.inicio.strftime("%H:%M"),
                r.fin.strftime("%H:%M"),
                folio,
                partes,
                r.donde,
                mediador,
                r.estado,
                r.estado_texto,
                asistencia,
            )
        )
    return mark_safe("".join(filas))

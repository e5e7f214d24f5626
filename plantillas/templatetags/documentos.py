from html import escape

from django import template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from casos.selectors import puede_actuar_en
from casos.templatetags.formato import hora_local, opcion

from ..documentos import DOCUMENTOS, disponibles
from ..selectors import documentos_de_caso, ultimo_acuse

register = template.Library()


@register.inclusion_tag("plantillas/_documentos.html", takes_context=True)
def documentos_del_caso(context, caso):
    """Documentos del caso (la versión más reciente primero) y los que se pueden pedir ahora."""
    puede = puede_actuar_en(context["request"].user, caso)
    return {
        "caso": caso,
        "documentos": documentos_de_caso(caso=caso),
        "puede": puede,
        "disponibles": disponibles(caso) if puede else [],
        "con_formulario": {t for t, d in DOCUMENTOS.items() if d.formulario is not None},
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def acuse_de(caso):
    return ultimo_acuse(caso=caso)


@register.simple_tag(takes_context=True)
def filas_de_documentos(context, documentos, puede) -> str:
    """Un renglón por versión: el documento (abre el PDF), versión, estado, fecha, huella y el
    ejemplar firmado (verlo, o subirlo si la persona actúa en el caso y la versión está lista).
    Un caso puede llevar decenas de versiones: armarlas aquí, escapando cada dato con
    `html.escape` (lo mismo que hace la plantilla), cuesta una fracción de la plantilla."""
    csrf = escape(str(context.get("csrf_token") or ""))
    generando = escape(gettext("Generando…"))
    ver_firmado = escape(gettext("Ver firmado"))
    subir = escape(gettext("Subir escaneo"))
    guardar = escape(gettext("Guardar"))
    filas = []
    for d in documentos:
        nombre = escape(opcion(d, "tipo"))
        if d.etiqueta:
            nombre += f" ({escape(d.etiqueta)})"
        if d.estado in ("pendiente", "generando"):
            estado = (
                f'<span class="generando" role="status" data-estado='
                f'"{escape(reverse("plantillas:estado", args=[d.pk]))}">{generando}</span>'
            )
        else:
            estado = escape(opcion(d, "estado"))
        if d.firmado:
            desde = gettext("(bloqueada desde el %(f)s)") % {
                "f": hora_local(d.firmado_en, "%d/%m/%Y")
            }
            firmado = (
                f'<a href="{escape(reverse("plantillas:firmado", args=[d.pk]))}" '
                f'target="_blank" rel="noopener">{ver_firmado}</a> '
                f'<span class="pequeno">{escape(desde)}</span>\n    '
            )
        elif puede and d.estado == "listo":
            firmado = (
                f'<form method="post" enctype="multipart/form-data" action='
                f'"{escape(reverse("plantillas:subir_firmado", args=[d.pk]))}" '
                f'class="subir-firmado"><input type="hidden" name="csrfmiddlewaretoken" '
                f'value="{csrf}">\n      <label>{subir} <input type="file" name="archivo" '
                f'accept="application/pdf,image/jpeg,image/png" required></label>\n      '
                f'<button type="submit" class="secundario">{guardar}</button></form>\n    '
            )
        else:
            firmado = "—"
        filas.append(
            f'<tr>\n    <td><a href="{escape(reverse("plantillas:descargar", args=[d.pk]))}" '
            f'target="_blank" rel="noopener">{nombre}</a></td>\n    <td>{d.version}</td>\n'
            f"    <td>{estado}</td>\n    <td>{hora_local(d.solicitado_en, '%d/%m/%Y %H:%M')}</td>\n"
            f'    <td><code title="{escape(d.sha256)}">{escape(truncatechars(d.sha256, 13))}'
            f"</code></td>\n    <td>{firmado}</td>\n  </tr>"
        )
    return mark_safe("".join(filas))

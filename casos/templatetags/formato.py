from django import template
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

register = template.Library()


@register.filter
def fecha_larga(valor) -> str:
    """'23 de noviembre de 2026' (los meses en español van en minúscula)."""
    if not valor:
        return ""
    if hasattr(valor, "tzinfo") and valor.tzinfo is not None:
        valor = timezone.localtime(valor)
    return formats.date_format(valor, r"j \d\e F \d\e Y").lower()


@register.filter
def telefono(valor) -> str:
    """Teléfono guardado en E.164, como se lee en México (33 1234 5678)."""
    from casos.telefonos import mostrar_telefono

    return mostrar_telefono(valor or "")


def hora_local(valor, formato: str) -> str:
    """Fecha y hora en la zona del centro con `strftime` (vacío si no hay): para los renglones
    que se arman en Python, lo mismo que el filtro `date` de la plantilla."""
    return timezone.localtime(valor).strftime(formato) if valor else ""


_OPCIONES: dict[tuple[type, str, str | None], dict] = {}


@register.filter
def opcion(objeto, campo: str):
    """Lo mismo que `get_<campo>_display`, con las etiquetas del campo traducidas una vez por
    modelo e idioma (las opciones de un modelo son fijas en el código). En una tabla de cientos
    de renglones, `get_<campo>_display` vuelve a traducir todas las opciones del campo en cada
    renglón."""
    clave = (type(objeto), campo, get_language())
    tabla = _OPCIONES.get(clave)
    if tabla is None:
        campo_modelo = objeto._meta.get_field(campo)
        tabla = _OPCIONES[clave] = {valor: str(texto) for valor, texto in campo_modelo.flatchoices}
    valor = getattr(objeto, campo)
    return tabla.get(valor, valor)


@register.simple_tag
def linea_de_tiempo(eventos, partes_ocultas, relato_oculto) -> str:
    """Los renglones de la línea de tiempo del expediente: cuándo y quién, qué pasó, los
    cambios de datos (salvo los de una parte bloqueada o de un caso con el relato oculto) y la
    nota. Un caso puede llevar cientos de eventos: armarlos aquí cuesta una fracción de lo que
    cuesta resolver las mismas variables en la plantilla."""
    vacio = gettext("(vacío)")
    renglones = []
    for e in eventos:
        local = timezone.localtime(e.creado_en)
        datos = e.datos if isinstance(e.datos, dict) else {}
        cambios, extra = datos.get("cambios"), ""
        if cambios and datos.get("parte") not in partes_ocultas and not relato_oculto:
            extra = format_html(
                '<ul class="cambios">{}</ul>',
                format_html_join(
                    "",
                    "<li>{}: <del>{}</del> → <ins>{}</ins></li>",
                    (
                        (
                            capfirst(str(c.get("campo") or "")),
                            c.get("antes") or vacio,
                            c.get("ahora") or vacio,
                        )
                        for c in cambios
                        if isinstance(c, dict)
                    ),
                ),
            )
        if nota := datos.get("nota"):
            extra = format_html("{}<br><em>{}</em>", extra, nota)
        renglones.append(
            format_html(
                '<li><time datetime="{}">{} · {}</time>\n  {}{}</li>',
                local.isoformat(),
                local.strftime("%d/%m/%Y %H:%M"),
                e.quien,
                e.descripcion,
                extra,
            )
        )
    return mark_safe("".join(renglones))

"""Filtros para pintar las tablas de cifras: `{{ celda|cifra:columna.formato }}` y
`{% for celda, columna in renglon|con_columnas:tabla %}`."""

from itertools import zip_longest

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from estadistica.graficas import SUPRIMIDA, escape
from estadistica.graficas import cifra as _cifra
from estadistica.tablas import Celda, Columna

register = template.Library()

_SIN_COLUMNA = Columna("", "", "n")
SUPRIMIDA_TITULO = "Menos de 5 casos: no se publica"
_SUPRIMIDA_HTML = f'<abbr title="{SUPRIMIDA_TITULO}">{escape(SUPRIMIDA)}</abbr>'
_SIN_DATO_HTML = '<abbr title="Sin dato">—</abbr>'


@register.filter
def cifra(valor, formato="n") -> str:
    """Una Celda o un número como se lee en México: «1,234», «45.2 %», «12.5»; «< 5» si la
    celda está suprimida y «—» si no hay dato."""
    return _cifra(valor, formato or "n")


@register.filter
def con_columnas(renglon, tabla):
    """Pares (celda, columna) de un renglón: la primera columna de la tabla es la de las
    etiquetas, así que las celdas van con las demás."""
    if renglon is None:
        return []
    return [
        (celda if celda is not None else Celda(None), columna or _SIN_COLUMNA)
        for celda, columna in zip_longest(renglon.celdas, tabla.columnas[1:])
    ]


@register.filter
def enlace_seguro(enlace: str) -> str:
    """Solo rutas del sitio o direcciones http(s); cualquier otra cosa, sin enlace."""
    enlace = (enlace or "").strip()
    if enlace.startswith(("/", "?", "#", "https://", "http://")) and not enlace.startswith("//"):
        return enlace
    return ""


@register.simple_tag
def celda_td(celda, columna) -> str:
    """El `<td>` de una celda: «< 5» con su explicación si está suprimida, un enlace a la
    lista de casos si lo trae, «—» (sin dato) si está vacía."""
    formato = getattr(columna, "formato", "n") or "n"
    clase = ' class="num"' if formato != "t" else ""
    if celda.suprimida:
        contenido = _SUPRIMIDA_HTML
    elif celda.valor is None or celda.valor == "":
        contenido = _SIN_DATO_HTML
    elif enlace := enlace_seguro(celda.enlace):
        contenido = f'<a href="{escape(enlace)}">{escape(_cifra(celda, formato))}</a>'
    else:
        contenido = escape(_cifra(celda, formato))
    # Escape directo (no format_html): se llama por cada celda de cada tabla del tablero.
    return mark_safe(f"<td{clase}>{contenido}</td>")  # noqa: S308


@register.filter
def split_claves(texto: str) -> list[str]:
    """«a b c» → ["a", "b", "c"]: varias tablas en un solo ciclo de la plantilla."""
    return texto.split()


@register.filter
def get_tabla(tablas: dict, clave: str):
    return tablas.get(clave)


def _renglon_html(renglon, tabla) -> str:
    celdas = "".join(celda_td(c, col) for c, col in con_columnas(renglon, tabla))
    return format_html('<tr><th scope="row">{}</th>{}</tr>', renglon.etiqueta, mark_safe(celdas))


@register.simple_tag
def tabla_html(tabla) -> str:
    """La tabla entera como HTML accesible (caption, encabezados con alcance, total en tfoot,
    nota debajo). Se arma aquí y no con ciclos de plantilla: el tablero pinta miles de celdas
    y así cuesta una fracción."""
    encabezados = "".join(
        format_html(
            '<th scope="col"{}>{}</th>',
            mark_safe(' class="num"') if i and c.formato != "t" else "",
            c.titulo,
        )
        for i, c in enumerate(tabla.columnas)
    )
    cuerpo = "".join(_renglon_html(r, tabla) + "\n" for r in tabla.renglones)
    pie = (
        format_html("<tfoot>\n{}\n</tfoot>", mark_safe(_renglon_html(tabla.total, tabla)))
        if tabla.total
        else ""
    )
    nota = format_html('\n<p class="nota">{}</p>', tabla.nota) if tabla.nota else ""
    return format_html(
        '<div class="tabla-desplazable" tabindex="0" role="region" aria-label="{}">\n'
        '<table class="tabla-cifras">\n<caption>{}</caption>\n<thead>\n<tr>{}</tr>\n</thead>\n'
        "<tbody>\n{}</tbody>\n{}\n</table>\n</div>{}",
        tabla.titulo,
        tabla.titulo,
        mark_safe(encabezados),
        mark_safe(cuerpo),
        pie,
        nota,
    )

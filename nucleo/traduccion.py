"""Textos fijos ya traducidos, una vez por proceso e idioma.

Cada `gettext` de un texto que no está en los catálogos (los textos fuente ya son español)
recorre la cadena entera de catálogos de respaldo antes de devolverlo tal cual: unas siete
búsquedas. Las etiquetas de un estado o de un tipo de evento y los textos de una tabla fija
(lo que significa cada estado, cada paso) se piden decenas de veces por página y miles en
una lista de Open311: aquí se traducen una sola vez por idioma y se guardan.

Solo para tablas fijas del código (constantes de módulo y opciones de modelos): los
catálogos de traducción no cambian mientras el proceso corre.
"""

from collections.abc import Mapping

from django.db.models import Choices
from django.utils.translation import get_language

_etiquetas: dict[tuple[type, str | None], dict[str, str]] = {}
_tablas: dict[tuple[int, str | None], tuple[Mapping, dict]] = {}


def etiquetas(opciones: type[Choices]) -> dict[str, str]:
    """valor → etiqueta traducida al idioma activo, de unas opciones de modelo."""
    clave = (opciones, get_language())
    hechas = _etiquetas.get(clave)
    if hechas is None:
        hechas = _etiquetas[clave] = {m.value: str(m.label) for m in opciones}
    return hechas


def etiqueta(opciones: type[Choices], valor: str) -> str:
    """La etiqueta traducida de un valor; el valor tal cual si ya no es una de las opciones
    (un dato de antes de quitarla)."""
    return etiquetas(opciones).get(valor, valor)


def traducidos(tabla: Mapping) -> dict:
    """La misma tabla (constante de módulo) con sus textos traducidos al idioma activo."""
    clave = (id(tabla), get_language())
    guardada = _tablas.get(clave)
    # Se guarda también la tabla: así su id no puede pasar a otra mientras esté aquí.
    if guardada is None or guardada[0] is not tabla:
        guardada = _tablas[clave] = (tabla, {k: str(v) for k, v in tabla.items()})
    return guardada[1]

"""Lectura estricta de lo que llega de fuera: ids numéricos escritos solo con dígitos ASCII y
cuerpos JSON con tope de tamaño y de anidación, revisados antes de interpretarlos.

`str.isdigit()` e `int()` aceptan dígitos de otras escrituras («١٢٣», «１２３») y `isdigit()`
también superíndices («²») que luego `int()` rechaza; un id así nunca es legítimo. Y
`json.loads` es recursivo: miles de corchetes anidados agotan la pila antes de que el JSON
llegue a validarse.
"""

import json
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

# Cabe en un entero de 64 bits con signo (las llaves BigAutoField) sin desbordar la base.
MAX_DIGITOS = 18
# Lo que recibe la API más grande (un alta con relato de 4000 caracteres, cada uno escapado
# con seis, como «\u00e9») queda muy por debajo.
MAX_CUERPO = 1024 * 1024
# Las entradas legítimas anidan dos o tres niveles.
MAX_ANIDACION = 32

# Lo que Django lanza al leer el cuerpo o la cadena de consulta (`request.POST`, `GET`, `body`)
# y que, sin atraparlo, responde su página de error en vez del formato de cada API.
ERRORES_DE_LECTURA = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, MultiPartParserError)

_CADENA_JSON = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NO_ESTRUCTURA = re.compile(r"[^\[\]{}]+")


def entero_ascii(valor) -> int | None:
    """El entero no negativo de `valor` si es un `int` o un texto de 1 a 18 dígitos ASCII
    (`"42"`, `"007"`); None para todo lo demás: vacío, signo, espacios, dígitos de otras
    escrituras, superíndices, más de 18 cifras, booleanos u otros tipos."""
    if isinstance(valor, bool):
        return None
    if isinstance(valor, int):
        return valor if 0 <= valor < 10**MAX_DIGITOS else None
    if not isinstance(valor, str) or not 0 < len(valor) <= MAX_DIGITOS:
        return None
    if not (valor.isascii() and valor.isdigit()):
        return None
    return int(valor)


class CuerpoRechazado(Exception):
    """Un cuerpo que no se interpreta. `estado`: 400 (mal formado) o 413 (demasiado grande);
    `mensaje`: la explicación en español para quien lo envió."""

    def __init__(self, mensaje: str, *, estado: int = 400):
        super().__init__(mensaje)
        self.mensaje = mensaje
        self.estado = estado


def cuerpo_demasiado_grande(maximo: int = MAX_CUERPO) -> CuerpoRechazado:
    return CuerpoRechazado(
        _("El cuerpo de la petición es demasiado grande (máximo %(kb)d KB).")
        % {"kb": maximo // 1024},
        estado=413,
    )


def revisar_longitud(declarada, *, maximo: int = MAX_CUERPO) -> None:
    """413 si el encabezado Content-Length anuncia más de `maximo` bytes: se rechaza antes de
    leer el cuerpo. Un valor ilegible no se juzga aquí (el servidor lee cero bytes)."""
    longitud = entero_ascii(str(declarada or "").strip())
    if longitud is not None and longitud > maximo:
        raise cuerpo_demasiado_grande(maximo)


def revisar_anidacion(texto: str, *, maximo: int = MAX_ANIDACION) -> None:
    """400 si el JSON anida más de `maximo` objetos o listas. Se cuenta sin interpretarlo y sin
    recursión: se quitan las cadenas y se recorren los corchetes y las llaves que quedan."""
    nivel = 0
    for signo in _NO_ESTRUCTURA.sub("", _CADENA_JSON.sub("", texto)):
        if signo in "[{":
            nivel += 1
            if nivel > maximo:
                raise CuerpoRechazado(
                    _("El cuerpo JSON tiene demasiados niveles de anidación (máximo %(max)d).")
                    % {"max": maximo}
                )
        else:
            nivel -= 1


def cargar_json(
    cuerpo: bytes,
    *,
    codificacion: str | None = None,
    maximo: int = MAX_CUERPO,
    anidacion: int = MAX_ANIDACION,
    **opciones,
):
    """El JSON de `cuerpo` tras revisar tamaño y anidación; `CuerpoRechazado` si no sirve.

    Sin `codificacion`, se detecta como lo hace `json.loads` (UTF-8, 16 o 32). `opciones`
    pasan a `json.loads` (p. ej. `parse_constant`)."""
    if len(cuerpo) > maximo:
        raise cuerpo_demasiado_grande(maximo)
    invalido = CuerpoRechazado(_("El cuerpo no es un JSON válido."))
    try:
        if codificacion is None:
            texto = cuerpo.decode(json.detect_encoding(cuerpo), "surrogatepass")
        else:
            texto = cuerpo.decode(codificacion)
    except (LookupError, UnicodeDecodeError):
        raise invalido from None
    revisar_anidacion(texto, maximo=anidacion)
    try:
        return json.loads(texto, **opciones)
    except ValueError:
        raise invalido from None


def rechazo_de_lectura(error: Exception) -> CuerpoRechazado:
    """El rechazo, con su mensaje en español, de uno de los `ERRORES_DE_LECTURA` de Django."""
    if isinstance(error, RequestDataTooBig):
        return cuerpo_demasiado_grande(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if isinstance(error, TooManyFieldsSent):
        return CuerpoRechazado(
            _("La petición trae demasiados campos o parámetros (máximo %(max)d).")
            % {"max": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
        )
    if isinstance(error, TooManyFilesSent):
        return CuerpoRechazado(
            _("La petición trae demasiados archivos (máximo %(max)d).")
            % {"max": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
        )
    return CuerpoRechazado(_("El formulario multipart está mal formado."))

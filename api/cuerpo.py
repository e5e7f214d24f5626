"""El cuerpo de las peticiones a la API: JSON con tope de tamaño y de anidación revisados
antes de interpretarlo, y los errores de Django al leer la petición como errores de la API
(`{"detail": "..."}` en español, 400 o 413) en vez de su página de error."""

from rest_framework.exceptions import APIException
from rest_framework.parsers import BaseParser
from rest_framework.utils.json import strict_constant

from nucleo.entradas import (
    ERRORES_DE_LECTURA,
    MAX_CUERPO,
    CuerpoRechazado,
    cargar_json,
    rechazo_de_lectura,
)


class PeticionRechazada(APIException):
    """Un `CuerpoRechazado` con su código (400 o 413) y su mensaje."""

    def __init__(self, rechazo: CuerpoRechazado):
        super().__init__(detail=rechazo.mensaje)
        self.status_code = rechazo.estado


class JSONAcotadoParser(BaseParser):
    """`application/json` sin pasar de `MAX_CUERPO` bytes ni de `MAX_ANIDACION` niveles.

    No hereda de `JSONParser` a propósito: a ese DRF le entrega el cuerpo ya leído entero en
    memoria; a este, el flujo de la petición, del que se lee a lo más un byte de más."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        codificacion = (parser_context or {}).get("encoding") or "utf-8"
        cuerpo = stream.read(MAX_CUERPO + 1)
        try:
            return cargar_json(cuerpo, codificacion=codificacion, parse_constant=strict_constant)
        except CuerpoRechazado as rechazo:
            raise PeticionRechazada(rechazo) from None


def como_error_de_api(error: Exception) -> Exception:
    """El error que DRF responde en su formato: un `CuerpoRechazado` o un error de lectura de
    Django se vuelven `PeticionRechazada`; los demás quedan igual."""
    if isinstance(error, CuerpoRechazado):
        return PeticionRechazada(error)
    if isinstance(error, ERRORES_DE_LECTURA):
        return PeticionRechazada(rechazo_de_lectura(error))
    return error

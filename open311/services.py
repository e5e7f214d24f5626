"""Escrituras de Open311: recibir una solicitud por el servicio de recepción, con la clave de
idempotencia de `api.idempotencia` (el mismo mecanismo que la API del personal)."""

from collections.abc import Callable

from api import idempotencia
from api.idempotencia import ClaveReutilizada, Respuesta
from api.models import OrigenEnvio, TokenAPI
from casos.models import AvisoPrivacidad
from casos.services import recibir_solicitud

from . import identificadores

__all__ = ["ClaveReutilizada", "recibir_por_open311"]


def recibir_por_open311(
    *, token_api: TokenAPI, clave: str, huella: str, datos: Callable[[], dict]
) -> Respuesta:
    """Recibe la solicitud con `recibir_solicitud` (tipo, canal, categoría, partes… los da
    `datos()`), con el aviso vigente y el usuario del token como quien capturó.

    Con `clave`, un reintento con los mismos datos devuelve lo que se respondió la primera
    vez (`repetida`) sin volver a llamar a `datos()`: responde igual aunque el catálogo haya
    cambiado. Si dos reintentos llegan a la vez, la restricción única deja pasar a uno y el
    otro devuelve la respuesta del ganador. El cuerpo guardado es el renglón sin el aviso
    (que lleva el código de consulta y se arma al responder).
    """

    def atender() -> Respuesta:
        recibida = recibir_solicitud(
            **datos(), aviso=AvisoPrivacidad.vigente(), actor=token_api.usuario
        )
        renglon = {
            "service_request_id": identificadores.identificador_de(recibida.caso.folio),
            "account_id": None,
        }
        return Respuesta(estado=201, cuerpo=renglon, caso=recibida.caso, codigo=recibida.codigo)

    return idempotencia.atender_una_vez(
        origen=OrigenEnvio.OPEN311,
        token=token_api,
        clave=clave,
        huella=huella,
        atender=atender,
    )

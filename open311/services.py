"""Escrituras de Open311: recibir una solicitud por el servicio de recepción, con idempotencia."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from api.models import TokenAPI
from casos import codigos
from casos.models import AvisoPrivacidad, Caso
from casos.services import recibir_solicitud

from .models import EnvioOpen311


class ClaveReutilizada(Exception):
    """La clave de idempotencia ya se usó con otros datos."""


@dataclass(frozen=True)
class Recepcion:
    """`codigo` va vacío si ya no es el que se entregó en el envío original (se reexpidió)."""

    caso: Caso
    codigo: str
    nueva: bool


def reintento(*, token_api: TokenAPI, clave: str, huella: str) -> Recepcion | None:
    """El caso ya creado con esta clave (o None). La misma clave con otros datos: error."""
    if not clave:
        return None
    envio = EnvioOpen311.objects.select_related("caso").filter(token=token_api, clave=clave).first()
    if envio is None:
        return None
    if envio.huella != huella:
        raise ClaveReutilizada(
            _("La clave de idempotencia ya se usó con otros datos; use una clave nueva.")
        )
    caso = envio.caso
    # Si el código se reexpidió después del envío original, el vigente ya no es el que se
    # entregó: quien repite el POST (con la misma api_key) no debe obtener el nuevo.
    codigo = ""
    if caso.codigo_emitido_en <= envio.creado_en:
        codigo = codigos.derivar_codigo(caso.folio, caso.codigo_sal)
    return Recepcion(caso=caso, codigo=codigo, nueva=False)


def recibir_por_open311(*, token_api: TokenAPI, clave: str, huella: str, **datos) -> Recepcion:
    """Recibe la solicitud con `recibir_solicitud` (tipo, canal, categoría, partes… en
    `datos`), con el aviso vigente y el usuario del token como quien capturó.

    Con `clave`, un reintento con los mismos datos devuelve el caso ya creado. Si dos
    reintentos llegan a la vez, la restricción única deja pasar a uno; el otro se revierte
    completo (caso, folio y flujo) y devuelve el del ganador.
    """
    datos = {**datos, "aviso": AvisoPrivacidad.vigente(), "actor": token_api.usuario}
    if not clave:
        recibida = recibir_solicitud(**datos)
        return Recepcion(caso=recibida.caso, codigo=recibida.codigo, nueva=True)
    previo = reintento(token_api=token_api, clave=clave, huella=huella)
    if previo is not None:
        return previo
    try:
        with transaction.atomic():
            recibida = recibir_solicitud(**datos)
            EnvioOpen311.objects.create(
                token=token_api, clave=clave, huella=huella, caso=recibida.caso
            )
    except IntegrityError:
        previo = reintento(token_api=token_api, clave=clave, huella=huella)
        if previo is None:
            raise
        return previo
    return Recepcion(caso=recibida.caso, codigo=recibida.codigo, nueva=True)

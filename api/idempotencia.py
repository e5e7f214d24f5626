"""Claves de idempotencia de los POST que crean: la API del personal, Open311 y cualquier
entrada futura (p. ej. la sincronización de los módulos sin conexión). Un cliente que repite
la petición —típicamente tras agotarse su tiempo de espera— con la misma clave recibe la
misma respuesta y nada se crea dos veces.

`atender_una_vez` es todo el mecanismo:

1. Busca la clave del mismo dueño (el token o, con la sesión de la web, el usuario) dentro
   de la vigencia (`IDEMPOTENCIA_HORAS`). Con los mismos datos (misma huella SHA-256 del
   cuerpo) devuelve la respuesta guardada; con otros datos, `ClaveReutilizada` (409).
2. Si no existe, reserva la clave (un renglón con restricción única) y atiende la petición
   en la MISMA transacción: lo creado y la clave quedan juntos o no queda nada. Otra
   petición con la misma clave que llega a la vez choca con la restricción única (en
   PostgreSQL espera a que la primera termine) y devuelve la respuesta de la primera.

Qué se guarda: solo las respuestas que escribieron algo (`Respuesta.guardar`). Un error de
datos se lanza como excepción: se deshace también la reserva y el cliente puede corregir y
reintentar con la misma clave. El código de consulta nunca se guarda en claro: al repetir se
deriva otra vez del caso, salvo que se haya reexpedido después (entonces va vacío: quien
repite la petición no debe obtener el código nuevo).
"""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casos import codigos
from casos.models import Caso

from .models import EnvioIdempotente, TokenAPI

MAX_CLAVE = 100
# ASCII imprimible: del espacio (0x20) a la tilde (0x7E).
_IMPRIMIBLE = re.compile(r"[ -~]+")
PATRON_CLAVE = rf"^[ -~]{{1,{MAX_CLAVE}}}$"


class ClaveInvalida(ValueError):
    """La clave no es texto ASCII imprimible de 1 a `MAX_CLAVE` caracteres."""


class ClaveReutilizada(Exception):
    """La clave de idempotencia ya se usó con otros datos."""


@dataclass(frozen=True)
class Respuesta:
    """Lo que se responde a un POST con clave: código HTTP y cuerpo (JSON, sin el código de
    consulta, que va aparte en `codigo` y cada entrada lo presenta a su manera).

    `guardar=False`: la respuesta no escribió nada (p. ej. «faltan decidir los duplicados»);
    no se recuerda y la misma clave vuelve a atenderse. `repetida`: viene de la clave guardada.
    """

    estado: int
    cuerpo: Any = field(default_factory=dict)
    caso: Caso | None = None
    codigo: str = ""
    guardar: bool = True
    repetida: bool = False


def validar_clave(texto: str | None) -> str:
    """La clave tal cual, o "" si no vino (None). `ClaveInvalida` con el motivo en español."""
    if texto is None:
        return ""
    if not 1 <= len(texto) <= MAX_CLAVE:
        raise ClaveInvalida(
            _("la clave de idempotencia debe tener de 1 a %(max)d caracteres.") % {"max": MAX_CLAVE}
        )
    if not _IMPRIMIBLE.fullmatch(texto):
        raise ClaveInvalida(
            _(
                "la clave de idempotencia solo admite caracteres ASCII imprimibles (letras sin "
                "acentos, dígitos, espacios y signos como - _ . :), p. ej. un UUID."
            )
        )
    return texto


def huella(contenido) -> str:
    """SHA-256 del contenido (JSON canónico: llaves en orden). «surrogatepass»: un sustituto
    suelto en un JSON no tumba la petición; la validación de los datos lo rechaza después."""
    texto = json.dumps(contenido, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(texto.encode("utf-8", "surrogatepass")).hexdigest()


def vigencia() -> timedelta:
    return timedelta(hours=settings.IDEMPOTENCIA_HORAS)


def _dueno(origen: str, token: TokenAPI | None, usuario) -> dict:
    # Con token, la clave es del token (dos sistemas del mismo usuario no chocan).
    return {"origen": origen, "token": token, "usuario": None if token is not None else usuario}


def _del_dueno(dueno: dict, clave: str):
    return EnvioIdempotente.objects.filter(**dueno, clave=clave)


def _codigo_entregado(envio: EnvioIdempotente) -> str:
    """El código que llevaba la respuesta original, si sigue siendo el vigente."""
    caso = envio.caso
    if not envio.con_codigo or caso is None or caso.codigo_emitido_en > envio.creado_en:
        return ""
    return codigos.derivar_codigo(caso.folio, caso.codigo_sal)


def repeticion(*, dueno: dict, clave: str, huella: str) -> Respuesta | None:
    """La respuesta guardada para esta clave (o None). La misma clave con otros datos: error."""
    envio = (
        _del_dueno(dueno, clave)
        .filter(creado_en__gte=timezone.now() - vigencia())
        .select_related("caso")
        .first()
    )
    if envio is None:
        return None
    if envio.huella != huella:
        raise ClaveReutilizada(
            _(
                "La clave de idempotencia ya se usó con otros datos; para una solicitud "
                "distinta use una clave nueva."
            )
        )
    return Respuesta(
        estado=envio.estado,
        cuerpo=envio.respuesta,
        caso=envio.caso,
        codigo=_codigo_entregado(envio),
        repetida=True,
    )


def atender_una_vez(
    *,
    origen: str,
    token: TokenAPI | None = None,
    usuario=None,
    clave: str,
    huella: str,
    atender: Callable[[], Respuesta],
) -> Respuesta:
    """La respuesta de `atender()` o, si esta clave ya se respondió, la misma de entonces.

    Sin `clave`, solo `atender()` (como si no hubiera idempotencia). `atender` corre dentro
    de la transacción que guarda la clave; si lanza una excepción no queda nada (tampoco la
    clave). `huella`: la de `huella(lo enviado)`, sin credenciales ni la clave misma.
    """
    if not clave:
        return atender()
    dueno = _dueno(origen, token, usuario)
    previa = repeticion(dueno=dueno, clave=clave, huella=huella)
    if previa is not None:
        return previa
    with transaction.atomic():
        # Una clave vencida que el barrido aún no borra ya no cuenta.
        _del_dueno(dueno, clave).filter(creado_en__lt=timezone.now() - vigencia()).delete()
        try:
            with transaction.atomic():
                envio = EnvioIdempotente.objects.create(
                    **dueno, clave=clave, huella=huella, estado=0
                )
        except IntegrityError:
            # Otra petición con la misma clave llegó a la vez y ya terminó: su respuesta.
            previa = repeticion(dueno=dueno, clave=clave, huella=huella)
            if previa is None:
                raise
            return previa
        respuesta = atender()
        if not respuesta.guardar:
            envio.delete()
            return respuesta
        EnvioIdempotente.objects.filter(pk=envio.pk).update(
            estado=respuesta.estado,
            respuesta=respuesta.cuerpo,
            caso=respuesta.caso,
            con_codigo=bool(respuesta.codigo),
            # Después de crear el caso: un código reexpedido más tarde se reconoce por fecha.
            creado_en=timezone.now(),
        )
    return respuesta


def borrar_vencidas() -> int:
    """Borra las claves cuya vigencia pasó; devuelve cuántas."""
    limite = timezone.now() - vigencia()
    return EnvioIdempotente.objects.filter(creado_en__lt=limite).delete()[0]

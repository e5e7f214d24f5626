"""Derecho a ver el código de consulta de una solicitud ARCO recién registrada, guardado en
la sesión (como `casos.codigo_en_sesion` para los casos): la sesión no guarda el código, solo
el folio, una huella de la sal con la que se emitió y cuándo se mostró. Si el código se
reexpide (cambia la sal) o pasa el tiempo, la sesión ya no lo ve."""

import hashlib
from datetime import datetime, timedelta

from django.utils import timezone

from casos import codigos
from casos.codigo_en_sesion import MINUTOS
from casos.models import SolicitudARCO


def _huella(solicitud: SolicitudARCO) -> str:
    return hashlib.sha256(f"emision:{solicitud.codigo_sal}".encode()).hexdigest()[:16]


def recordar(request, llave: str, solicitud: SolicitudARCO, *, maximo: int = 1) -> None:
    entradas = [e for e in request.session.get(llave, []) if e["folio"] != solicitud.folio]
    entradas.append(
        {
            "folio": solicitud.folio,
            "emision": _huella(solicitud),
            "visto": timezone.now().isoformat(),
        }
    )
    request.session[llave] = entradas[-maximo:]


def folios(request, llave: str) -> list[str]:
    return [e["folio"] for e in request.session.get(llave, [])]


def codigo_visible(request, llave: str, solicitud: SolicitudARCO) -> str | None:
    """El código legible si esta sesión tiene derecho a verlo; None si no."""
    for entrada in request.session.get(llave, []):
        if entrada["folio"] != solicitud.folio:
            continue
        vigente = entrada["emision"] == _huella(solicitud)
        reciente = timezone.now() - datetime.fromisoformat(entrada["visto"]) < timedelta(
            minutes=MINUTOS
        )
        if vigente and reciente:
            return codigos.mostrar_codigo(
                codigos.derivar_codigo(solicitud.folio, solicitud.codigo_sal)
            )
    return None

"""Derecho a ver un código de consulta recién emitido, guardado en la sesión.

La sesión no guarda el código (se recalcula del caso), solo el folio, la emisión que se
mostró y cuándo. El código se muestra mientras esa emisión siga vigente y por poco tiempo:
si el personal reexpide el código, una sesión vieja (p. ej. en una computadora pública) ya
no puede ver el nuevo.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from . import codigos
from .models import Caso

MINUTOS = 30


def recordar(request, llave: str, caso: Caso, *, maximo: int = 1) -> None:
    entradas = [e for e in request.session.get(llave, []) if e["folio"] != caso.folio]
    entradas.append(
        {
            "folio": caso.folio,
            "emitido": caso.codigo_emitido_en.isoformat(),
            "visto": timezone.now().isoformat(),
        }
    )
    request.session[llave] = entradas[-maximo:]


def folios(request, llave: str) -> list[str]:
    return [e["folio"] for e in request.session.get(llave, [])]


def codigo_visible(request, llave: str, caso: Caso) -> str | None:
    """El código legible si esta sesión tiene derecho a verlo; None si no."""
    for entrada in request.session.get(llave, []):
        if entrada["folio"] != caso.folio:
            continue
        vigente = entrada["emitido"] == caso.codigo_emitido_en.isoformat()
        reciente = timezone.now() - datetime.fromisoformat(entrada["visto"]) < timedelta(
            minutes=MINUTOS
        )
        if vigente and reciente:
            return codigos.mostrar_codigo(codigos.derivar_codigo(caso.folio, caso.codigo_sal))
    return None

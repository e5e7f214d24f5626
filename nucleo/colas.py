"""Encolar trabajo sin que una caída del broker tumbe la petición, y qué errores de un
trabajo vale la pena reintentar.

Lo que se encola ya está escrito en la base (documento pendiente, aviso en la bandeja de
salida): si Redis no responde, el renglón queda pendiente y el barrido periódico lo vuelve a
encolar cuando el broker regresa. Por eso aquí se publica sin reintentos (no se hace esperar
al usuario) y un error solo se registra.

Con Redis caído cada intento de conexión tarda (el cliente reintenta): una recepción encola
tres trabajos y una petición de solo lectura puede quedar detrás. Tras una falla, este
proceso deja de intentar durante `COLAS_PAUSA_SEGUNDOS`: lo que se encole en ese lapso
queda pendiente en la base al instante, y el barrido lo recoge cuando el broker vuelve.
"""

import logging
import threading
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as ErrorDelBroker

logger = logging.getLogger(__name__)

# Lo único que vale la pena reintentar: la base o el broker que no respondieron, el
# almacenamiento de archivos (OSError) o un worker tan cargado que agotó su tiempo. Un error
# de plantilla, de datos o de programación saldría igual en el siguiente intento.
ERRORES_TRANSITORIOS = (
    OperationalError,
    InterfaceError,
    ErrorDelBroker,
    OSError,
    SoftTimeLimitExceeded,
)


_pausa = {"hasta": 0.0}
_candado = threading.Lock()


def en_pausa() -> bool:
    """Si este proceso dejó de intentar publicar porque el broker acaba de fallar."""
    return time.monotonic() < _pausa["hasta"]


def reanudar() -> None:
    """Vuelve a intentar publicar ya (p. ej. en pruebas que cambian de broker)."""
    with _candado:
        _pausa["hasta"] = 0.0


def encolar(tarea, *argumentos) -> bool:
    """Publica la tarea una sola vez; `False` si el broker no respondió o si falló hace
    menos de `COLAS_PAUSA_SEGUNDOS` (entonces ni se intenta: la petición no espera)."""
    if en_pausa():
        return False
    try:
        tarea.apply_async(args=argumentos, retry=False)
    except Exception:  # broker caído o inalcanzable: lo recoge el barrido
        with _candado:
            _pausa["hasta"] = time.monotonic() + settings.COLAS_PAUSA_SEGUNDOS
        logger.warning(
            "No se pudo encolar %s%s; queda pendiente y no se vuelve a intentar en %s s",
            tarea.name,
            argumentos,
            settings.COLAS_PAUSA_SEGUNDOS,
        )
        return False
    return True

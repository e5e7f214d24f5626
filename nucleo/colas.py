"""Encolar trabajo sin que una caída del broker tumbe la petición, y qué errores de un
trabajo vale la pena reintentar.

Lo que se encola ya está escrito en la base (documento pendiente, aviso en la bandeja de
salida): si Redis no responde, el renglón queda pendiente y el barrido periódico lo vuelve a
encolar cuando el broker regresa. Por eso aquí se publica sin reintentos (no se hace esperar
al usuario) y un error solo se registra.
"""

import logging

from celery.exceptions import SoftTimeLimitExceeded
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


def encolar(tarea, *argumentos) -> bool:
    """Publica la tarea una sola vez; `False` si el broker no respondió."""
    try:
        tarea.apply_async(args=argumentos, retry=False)
    except Exception:  # broker caído o inalcanzable: lo recoge el barrido
        logger.warning("No se pudo encolar %s%s; queda pendiente", tarea.name, argumentos)
        return False
    return True

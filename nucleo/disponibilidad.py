"""La base de datos o el broker que no responden por un momento: 503 con `Retry-After`.

Django convierte toda excepción, la de una vista y también la de un middleware (la carga de
la sesión, el usuario), en la respuesta de `handler500` en el nivel donde ocurrió; ese
manejador corre dentro del `except`, con la excepción a la mano. Ahí `config/urls.py`
reconoce la caída con `caida_en` y responde 503 en el formato de cada cliente: la página
de aquí, el JSON de la API o el error GeoReport de Open311. Todas pasan por `preparar`.

La página se arma sin la petición: no corre ningún procesador de contexto (el del centro lee
la base) y no toca la base ni el broker.

Encolar con el broker caído no llega aquí: `nucleo.colas.encolar` no lo deja fallar.
"""

import logging

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from kombu.exceptions import OperationalError as ErrorDelBroker
from redis.exceptions import ConnectionError as RedisSinConexion
from redis.exceptions import TimeoutError as RedisSinRespuesta

logger = logging.getLogger(__name__)

# Lo que se lanza cuando la base o el broker no responden. Django envuelve los errores de
# psycopg en los suyos (conexión rechazada, conexión cortada por un reinicio, tiempo de
# conexión agotado); los de psycopg y Redis se cuentan también por si alguno llega sin
# envolver. En PostgreSQL `OperationalError` es además lo pasajero del servidor: demasiadas
# conexiones, apagado en curso, consulta cancelada por tiempo: reintentar es la respuesta.
ERRORES_DE_DISPONIBILIDAD = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    ErrorDelBroker,
    RedisSinConexion,
    RedisSinRespuesta,
)

# Métodos que no escriben: tras ellos no hay datos que se hayan dejado de guardar.
LECTURA = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def caida_en(error: BaseException | None) -> BaseException | None:
    """El error de base o de broker que explica `error`: él mismo o su causa explícita
    (`raise ... from`); None si no es una caída."""
    vistos = set()
    while error is not None and id(error) not in vistos:
        if isinstance(error, ERRORES_DE_DISPONIBILIDAD):
            return error
        vistos.add(id(error))
        error = error.__cause__
    return None


def escribia(request) -> bool:
    """Si la petición que falló enviaba datos (un formulario, un alta por la API)."""
    return request.method not in LECTURA


def pagina(request) -> HttpResponse:
    """La página en español para el navegador. Con un GET se recarga sola al vencer la espera."""
    contexto = {
        "segundos": settings.REINTENTO_SEGUNDOS,
        "escribia": escribia(request),
        "recargar": request.method == "GET",
    }
    # Sin `request`: la plantilla no recibe el contexto de los procesadores (leen la base).
    html = loader.render_to_string("503.html", contexto)
    return HttpResponse(html, status=503)


def _clases(error: BaseException) -> str:
    """`django.db.utils.OperationalError ← psycopg.OperationalError [08006]`: las clases de
    la cadena de causas y el SQLSTATE, sin el mensaje (puede repetir datos de la consulta)."""
    partes = []
    actual: BaseException | None = error
    while actual is not None and len(partes) < 4:
        clase = type(actual)
        texto = f"{clase.__module__}.{clase.__qualname__}"
        estado = getattr(actual, "sqlstate", None)
        partes.append(f"{texto} [{estado}]" if estado else texto)
        actual = actual.__cause__
    return " ← ".join(partes)


def preparar(respuesta: HttpResponse, *, request, caida: BaseException) -> HttpResponse:
    """Deja en la bitácora una línea por petición y pone las cabeceras de toda respuesta 503:
    `Retry-After` y nada de caché (ni en el navegador ni en un proxy)."""
    logger.error(
        "Servicio no disponible (%s) en %s %s: se respondió 503 con Retry-After %d s",
        _clases(caida),
        request.method,
        request.path,
        settings.REINTENTO_SEGUNDOS,
    )
    respuesta.status_code = 503
    respuesta["Retry-After"] = str(settings.REINTENTO_SEGUNDOS)
    add_never_cache_headers(respuesta)
    # Ya quedó registrada: Django no repite la línea con su traza.
    respuesta._has_been_logged = True
    return respuesta

"""Enlaces públicos firmados que viajan en los avisos: la pregunta de satisfacción y la baja.

El de la encuesta es corto para que quepa en un SMS (el id en base 36 y 10 caracteres de
HMAC); el de la baja va solo por correo y lleva canal y destino firmados.
"""

import hashlib
import hmac

from django.conf import settings
from django.core import signing
from django.urls import reverse

SAL_BAJA = "notificaciones.baja"
# Los enlaces que se emiten son mucho más cortos; uno más largo no se intenta descifrar.
_MAX_TOKEN = 1000


def url_publica(ruta: str) -> str:
    """La ruta con el dominio público (los avisos salen del sistema: van completas)."""
    return settings.URL_PUBLICA + ruta


def _base36(numero: int) -> str:
    digitos = "0123456789abcdefghijklmnopqrstuvwxyz"
    texto = ""
    while True:
        numero, resto = divmod(numero, 36)
        texto = digitos[resto] + texto
        if not numero:
            return texto


def token_encuesta(caso_id: int) -> str:
    """Corto para que el enlace quepa en un SMS: el id en base 36 y 10 caracteres de HMAC."""
    firma = hmac.new(
        settings.SECRET_KEY.encode(), f"encuesta:{caso_id}".encode(), hashlib.sha256
    ).hexdigest()[:10]
    return f"{_base36(caso_id)}-{firma}"


def caso_de_token_encuesta(token: str) -> int | None:
    """El id del caso si la firma corresponde; None ante cualquier token mal formado (también
    con caracteres que no son ASCII: `compare_digest` no compara esos textos)."""
    token = token or ""
    if not token.isascii() or len(token) > _MAX_TOKEN:
        return None
    base, _, _firma = token.partition("-")
    if not base or len(base) > 8 or not base.isalnum():
        return None
    caso_id = int(base, 36)
    return caso_id if hmac.compare_digest(token_encuesta(caso_id), token) else None


def enlace_baja(canal: str, destino: str) -> str:
    """El enlace del pie de los correos para dejar de recibir avisos en ese destino."""
    token = signing.dumps({"c": canal, "d": destino}, salt=SAL_BAJA, compress=True)
    return url_publica(reverse("notificaciones:baja", args=[token]))


def destino_de_baja(token: str) -> tuple[str, str] | None:
    """(canal, destino) de un enlace de baja, o None si la firma o el contenido no sirven."""
    token = token or ""
    if not token.isascii() or len(token) > _MAX_TOKEN:
        return None
    try:
        datos = signing.loads(token, salt=SAL_BAJA)
        return datos["c"], datos["d"]
    except (signing.BadSignature, KeyError, TypeError):
        return None

"""Emisión y revocación de tokens de API."""

import hashlib
import secrets

from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from .models import AlcanceToken, TokenAPI


@sensitive_variables("token")
def hash_token(token: str) -> str:
    # «surrogatepass»: un sustituto suelto (p. ej. «\ud800» en un JSON) no debe tumbar la
    # petición; su hash simplemente no coincide con ningún token.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@sensitive_variables("token")
def token_vigente(token: str) -> TokenAPI | None:
    """El token activo de un usuario activo (con su usuario cargado), o None."""
    token_api = (
        TokenAPI.objects.select_related("usuario")
        .filter(hash=hash_token(token), activo=True)
        .first()
    )
    if token_api is None or not token_api.usuario.is_active:
        return None
    return token_api


@sensitive_variables("token")
def emitir_token(*, nombre: str, usuario, alcance: str = AlcanceToken.PERSONAL) -> str:
    """Crea un token y lo devuelve en claro: es la única vez que se puede ver.

    `alcance` dice dónde vale: la API del personal (Bearer) o la `api_key` de Open311.
    """
    if alcance not in AlcanceToken.values:
        raise ValueError(f"Alcance desconocido: {alcance!r}")
    token = secrets.token_urlsafe(32)
    TokenAPI.objects.create(
        nombre=nombre,
        usuario=usuario,
        alcance=alcance,
        prefijo=token[:8],
        hash=hash_token(token),
    )
    return token


def revocar_token(*, token_api: TokenAPI) -> None:
    TokenAPI.objects.filter(pk=token_api.pk).update(activo=False)


def marcar_uso(*, token_api: TokenAPI) -> None:
    """Actualiza el último uso como mucho una vez por minuto (evita una escritura por petición)."""
    ahora = timezone.now()
    if token_api.ultimo_uso is None or (ahora - token_api.ultimo_uso).total_seconds() > 60:
        TokenAPI.objects.filter(pk=token_api.pk).update(ultimo_uso=ahora)

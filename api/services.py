"""Emisión y revocación de tokens de API."""

import hashlib
import secrets

from django.utils import timezone

from .models import TokenAPI


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def emitir_token(*, nombre: str, usuario) -> str:
    """Crea un token y lo devuelve en claro: es la única vez que se puede ver."""
    token = secrets.token_urlsafe(32)
    TokenAPI.objects.create(
        nombre=nombre, usuario=usuario, prefijo=token[:8], hash=hash_token(token)
    )
    return token


def revocar_token(*, token_api: TokenAPI) -> None:
    TokenAPI.objects.filter(pk=token_api.pk).update(activo=False)


def marcar_uso(*, token_api: TokenAPI) -> None:
    """Actualiza el último uso como mucho una vez por minuto (evita una escritura por petición)."""
    ahora = timezone.now()
    if token_api.ultimo_uso is None or (ahora - token_api.ultimo_uso).total_seconds() > 60:
        TokenAPI.objects.filter(pk=token_api.pk).update(ultimo_uso=ahora)

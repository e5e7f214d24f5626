"""Límites de intentos por ventana fija, sobre la caché compartida (base de datos)."""

import time

from django.conf import settings
from django.core.cache import cache


def ip_cliente(request) -> str:
    if settings.CONFIAR_X_FORWARDED_FOR:
        reenviada = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if reenviada:
            return reenviada.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "desconocida"


def _llave(ambito: str, sujeto: str, ventana: int) -> str:
    return f"limite:{ambito}:{sujeto}:{int(time.time() // ventana)}"


def conteo(ambito: str, sujeto: str, ventana: int) -> int:
    return cache.get(_llave(ambito, sujeto, ventana), 0)


def sumar(ambito: str, sujeto: str, ventana: int) -> int:
    llave = _llave(ambito, sujeto, ventana)
    cache.add(llave, 0, ventana + 5)
    try:
        return cache.incr(llave)
    except ValueError:  # expiró entre add e incr
        cache.set(llave, 1, ventana + 5)
        return 1


def excedido(ambito: str, sujeto: str, limite: int, ventana: int) -> bool:
    return conteo(ambito, sujeto, ventana) >= limite

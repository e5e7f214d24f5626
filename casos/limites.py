"""Límites de intentos por ventana fija, con contador atómico en la base de datos.

Se cuenta ANTES de intentar (reservar) y se devuelve el intento si no debía contar: así
cien peticiones simultáneas no pasan todas la revisión antes de que alguna sume. El
contador es un solo `INSERT … ON CONFLICT DO UPDATE … RETURNING` (PostgreSQL y SQLite), sin
depender de Redis en la ruta del ciudadano.
"""

import random
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import LimiteIntento


def ip_cliente(request) -> str:
    """IP del cliente. Detrás de proxies de confianza se toma de X-Forwarded-For contando
    desde la derecha (lo que agregó nuestro proxy), nunca la entrada que escribió el
    cliente a la izquierda."""
    proxies = settings.PROXIES_DE_CONFIANZA
    if proxies:
        cadena = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        cadena = [ip for ip in cadena if ip]
        if len(cadena) >= proxies:
            return cadena[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "desconocida"


def _clave(ambito: str, sujeto: str, ventana: int) -> tuple[str, int]:
    ahora = int(timezone.now().timestamp())
    indice = ahora // ventana
    return f"{ambito}:{sujeto}:{indice}", (indice + 1) * ventana


def _sumar(clave: str, expira_ts: int, delta: int) -> int:
    tabla = connection.ops.quote_name(LimiteIntento._meta.db_table)
    expira = datetime.fromtimestamp(expira_ts, tz=UTC)
    sql = (
        f"INSERT INTO {tabla} (clave, conteo, expira) VALUES (%s, %s, %s) "
        f"ON CONFLICT (clave) DO UPDATE SET conteo = {tabla}.conteo + %s RETURNING conteo"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [clave, max(delta, 0), expira, delta])
        return cursor.fetchone()[0]


def reservar(ambito: str, sujeto: str, limite: int, ventana: int) -> bool:
    """Cuenta un intento; False si con él se rebasa el límite (el intento no procede)."""
    clave, expira = _clave(ambito, sujeto, ventana)
    if random.random() < 0.01:
        purgar()
    return _sumar(clave, expira, 1) <= limite


def devolver(ambito: str, sujeto: str, ventana: int) -> None:
    """Devuelve un intento reservado que no debía contar (p. ej. consulta correcta)."""
    clave, expira = _clave(ambito, sujeto, ventana)
    _sumar(clave, expira, -1)


def conteo(ambito: str, sujeto: str, ventana: int) -> int:
    clave, _ = _clave(ambito, sujeto, ventana)
    return LimiteIntento.objects.filter(clave=clave).values_list("conteo", flat=True).first() or 0


def purgar() -> int:
    """Borra contadores de ventanas ya vencidas."""
    vencidos = LimiteIntento.objects.filter(expira__lt=timezone.now() - timedelta(minutes=5))
    return vencidos.delete()[0]

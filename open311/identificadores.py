"""El `service_request_id` público de Open311: el folio cifrado con una clave del servidor.

Los folios son consecutivos por tipo y año (sin huecos, a propósito): publicarlos en la
lista dejaría ver, por cada número que falta, un caso que no se publica (los que se
canalizan, p. ej. violencia contra las mujeres) y entre qué fechas llegó. El identificador
público es una permutación con clave del folio (red de Feistel de 80 bits con HMAC-SHA256
en cada ronda): dos folios seguidos dan identificadores sin relación, sin la clave no se
calcula ni se invierte, y aquí se invierte sin guardar nada.

De los 80 bits, el folio ocupa 45 (tipo, año, número) y los otros 35 deben salir en cero al
descifrar: un identificador inventado casi nunca corresponde a un folio (1 en 2^35), y uno
de un caso oculto responde igual que uno que no existe.
"""

import functools
import hashlib
import hmac

from django.conf import settings

from casos import codigos

ALFABETO = codigos.ALFABETO  # Crockford base32: se dicta sin confusiones
SIMBOLOS = 16
_MITAD = 40
_MASCARA = (1 << _MITAD) - 1
_RONDAS = 10
_LIBRES = 35  # bits que el folio no ocupa: su valor fijo (cero) prueba la clave
_TIPOS = ("MED", "ASE")
_BITS_ANIO, _BITS_NUMERO = 14, 30


def _clave() -> bytes:
    return _derivada(settings.OPEN311_ID_CLAVE)


@functools.lru_cache(maxsize=4)
def _derivada(clave_del_servidor: str) -> bytes:
    # Derivada: la misma clave del servidor no sirve a la vez para otra cosa.
    return hmac.new(
        clave_del_servidor.encode(), b"open311:service_request_id", hashlib.sha256
    ).digest()


def _ronda(clave: bytes, numero: int, mitad: int) -> int:
    resumen = hmac.new(clave, bytes([numero]) + mitad.to_bytes(5, "big"), hashlib.sha256)
    return int.from_bytes(resumen.digest()[:5], "big")


def _cifrar(bloque: int) -> int:
    clave = _clave()
    izquierda, derecha = bloque >> _MITAD, bloque & _MASCARA
    for numero in range(_RONDAS):
        izquierda, derecha = derecha, izquierda ^ _ronda(clave, numero, derecha)
    return (izquierda << _MITAD) | derecha


def _descifrar(bloque: int) -> int:
    clave = _clave()
    izquierda, derecha = bloque >> _MITAD, bloque & _MASCARA
    for numero in reversed(range(_RONDAS)):
        izquierda, derecha = derecha ^ _ronda(clave, numero, izquierda), izquierda
    return (izquierda << _MITAD) | derecha


def identificador_de(folio: str) -> str:
    """El identificador público (16 símbolos) de un folio canónico, p. ej. MED-2026-00042."""
    return _identificador(folio, settings.OPEN311_ID_CLAVE)


# Diez rondas de HMAC por folio: en una lista de 1,000 solicitudes, la mitad del costo de
# cada renglón. Es una función pura del folio y de la clave (que va en la llave del caché).
@functools.lru_cache(maxsize=50_000)
def _identificador(folio: str, _clave_del_servidor: str) -> str:
    tipo, anio, numero = folio.split("-")
    valor = (((_TIPOS.index(tipo) << _BITS_ANIO) | int(anio)) << _BITS_NUMERO) | int(numero)
    bloque = _cifrar(valor << _LIBRES)
    simbolos = []
    for _ in range(SIMBOLOS):
        bloque, resto = divmod(bloque, 32)
        simbolos.append(ALFABETO[resto])
    return "".join(reversed(simbolos))


def folio_de(identificador: str) -> str:
    """El folio de un identificador público, o '' si no corresponde a ninguno.

    Acepta minúsculas, guiones o espacios y las confusiones de Crockford (O por 0, I o L
    por 1), como se teclea o se dicta."""
    limpio = codigos.normalizar_codigo((identificador or "")[:40])
    if len(limpio) != SIMBOLOS or any(c not in ALFABETO for c in limpio):
        return ""
    return _folio(limpio, settings.OPEN311_ID_CLAVE)


# Los sistemas que siguen una solicitud piden el mismo identificador una y otra vez; como
# `_identificador`, es una función pura del identificador y de la clave.
@functools.lru_cache(maxsize=50_000)
def _folio(limpio: str, _clave_del_servidor: str) -> str:
    bloque = 0
    for simbolo in limpio:
        bloque = bloque * 32 + ALFABETO.index(simbolo)
    valor = _descifrar(bloque)
    if valor & ((1 << _LIBRES) - 1):
        return ""
    valor >>= _LIBRES
    numero = valor & ((1 << _BITS_NUMERO) - 1)
    anio = (valor >> _BITS_NUMERO) & ((1 << _BITS_ANIO) - 1)
    tipo = valor >> (_BITS_NUMERO + _BITS_ANIO)
    if tipo >= len(_TIPOS) or not (numero and anio):
        return ""
    return codigos.normalizar_folio(codigos.formatear_folio(_TIPOS[tipo], anio, numero))

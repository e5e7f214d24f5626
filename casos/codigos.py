"""Folios y códigos de consulta.

El código de consulta se deriva con HMAC-SHA256 bajo una clave del servidor a partir del
folio y de una sal aleatoria guardada en el caso: una copia de la base de datos sola no lo
revela, el acuse y los mensajes pueden volver a calcularlo, y cambiar la sal (reexpedir)
invalida el anterior. Alfabeto Crockford base32 (sin I, L, O, U): se dicta por teléfono sin
confusiones. 10 símbolos = 50 bits.
"""

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from nucleo.entradas import entero_ascii

ALFABETO = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LONGITUD_CODIGO = 10
_EQUIVALENCIAS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def formatear_folio(tipo: str, anio: int, numero: int) -> str:
    return f"{tipo}-{anio:04d}-{numero:05d}"


PREFIJOS_DE_CASO = ("MED", "ASE")
PREFIJOS_ARCO = ("ARCO",)


def normalizar_folio(texto: str, prefijos: tuple[str, ...] = PREFIJOS_DE_CASO) -> str:
    """Acepta 'med 2026 42', 'MED-2026-00042'… y devuelve la forma canónica o ''. Con
    `prefijos=PREFIJOS_ARCO`, los de las solicitudes de derechos ARCO ('arco 2026 7').

    Solo letras y dígitos ASCII: «MED-٢٠٢٦-٤٢» o «MED-2026-4²» no son folios (y `upper()`
    no debe convertir «ſ» en «S» ni «ı» en «I»)."""
    limpio = re.sub(r"[\s_./]+", "-", (texto or "").strip())
    if not limpio.isascii():
        return ""
    partes = [p for p in limpio.upper().split("-") if p]
    if len(partes) != 3 or partes[0] not in prefijos:
        return ""
    anio, numero = entero_ascii(partes[1]), entero_ascii(partes[2])
    if anio is None or len(partes[1]) != 4 or numero is None or len(partes[2]) > 9:
        return ""
    return formatear_folio(partes[0], anio, numero)


def nueva_sal() -> str:
    return secrets.token_hex(16)


# La clave y lo que se deriva de ella no salen en el reporte de un error.
@sensitive_variables()
def derivar_codigo(folio: str, sal: str) -> str:
    clave = settings.CODIGO_CONSULTA_CLAVE.encode()
    resumen = hmac.new(clave, f"codigo-consulta:{folio}:{sal}".encode(), hashlib.sha256).digest()
    numero = int.from_bytes(resumen[:8], "big")
    simbolos = []
    for _ in range(LONGITUD_CODIGO):
        numero, resto = divmod(numero, 32)
        simbolos.append(ALFABETO[resto])
    return "".join(simbolos)


def mostrar_codigo(codigo: str) -> str:
    """Agrupa para leerlo en voz alta: 'K7QM4-X2P9R'."""
    return f"{codigo[:5]}-{codigo[5:]}"


def normalizar_codigo(texto: str) -> str:
    """Solo los símbolos ASCII, en mayúsculas y con las equivalencias de Crockford. Lo que no
    es ASCII se descarta antes de `upper()`, que convertiría «ı» en «I» y «ſ» en «S»."""
    return re.sub(r"[^0-9A-Za-z]", "", texto or "").upper().translate(_EQUIVALENCIAS)


@sensitive_variables()
def codigo_coincide(folio: str, sal: str, texto: str) -> bool:
    """Comparación en tiempo constante (no delata cuántos símbolos acertó)."""
    esperado = derivar_codigo(folio, sal)
    return hmac.compare_digest(esperado.encode(), normalizar_codigo(texto).encode())

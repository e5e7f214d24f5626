"""Imágenes de prueba que pesan poco y miden muchísimo (bombas de descompresión)."""

import io
import struct
import zlib

from PIL import Image


def _trozo(tipo: bytes, datos: bytes) -> bytes:
    return (
        struct.pack(">I", len(datos)) + tipo + datos + struct.pack(">I", zlib.crc32(tipo + datos))
    )


def png_enorme(ancho: int, alto: int) -> bytes:
    """PNG válido (CRC y datos completos) de 1 bit, todo en negro: 12000×12000 pesa ~20 KB."""
    compresor = zlib.compressobj(9)
    renglon = b"\x00" + b"\x00" * ((ancho + 7) // 8)
    datos = b"".join(compresor.compress(renglon) for _ in range(alto)) + compresor.flush()
    cabecera = struct.pack(">IIBBBBB", ancho, alto, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _trozo(b"IHDR", cabecera)
        + _trozo(b"IDAT", datos)
        + _trozo(b"IEND", b"")
    )


def jpeg_que_dice_medir(ancho: int, alto: int) -> bytes:
    """Un JPEG pequeño cuya cabecera (SOF0) declara otras medidas."""
    salida = io.BytesIO()
    Image.new("RGB", (16, 16), "navy").save(salida, "JPEG")
    datos = bytearray(salida.getvalue())
    sof = datos.index(b"\xff\xc0")
    datos[sof + 5 : sof + 9] = struct.pack(">HH", alto, ancho)
    return bytes(datos)


def png(ancho: int = 40, alto: int = 20) -> bytes:
    salida = io.BytesIO()
    Image.new("RGB", (ancho, alto), "navy").save(salida, "PNG")
    return salida.getvalue()

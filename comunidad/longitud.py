"""Cuánto mide un aviso comunitario por SMS: el texto tal como sale de la bandeja (firma,
texto y pie de baja, en GSM-7), en septetos y segmentos. Si lleva caracteres que GSM-7 no
tiene (emojis, otros alfabetos), el SMS tendría que ir en UCS-2: 70 caracteres por segmento
en lugar de 160, y la bandeja los cambiaría por «?»; el formulario no lo deja pasar.

La página hace el mismo cálculo en el navegador (static/comunidad/longitud.js) con las
piezas que le da `piezas_para_la_pagina`; esta es la cuenta que vale."""

import math
from dataclasses import dataclass, field

from notificaciones.mensajes import (
    _SUSTITUTOS,
    GSM7_BASICO,
    GSM7_EXTENSION,
    a_gsm7,
    septetos_gsm7,
)
from notificaciones.models import Canal, Mensaje

# Un SMS solo: 160 septetos (GSM-7) o 70 unidades UTF-16 (UCS-2). Partido en varios, cada
# parte lleva un encabezado de 6 bytes: 153 y 67.
GSM7_SOLO, GSM7_PARTE = 160, 153
UCS2_SOLO, UCS2_PARTE = 70, 67
# Más de tres segmentos ya no es un aviso corto (y cuesta tres veces).
SEGMENTOS_MAXIMOS = 3
_MARCA = "@@@"


def limpiar(texto: str) -> str:
    """El texto como se guarda y se envía: una sola línea, sin espacios de más."""
    return " ".join((texto or "").split())


def _redactar(texto: str, canal: str = Canal.SMS) -> str:
    from notificaciones.services import redactar

    mensaje = Mensaje(plantilla="comunitario", canal=canal, destino="", contexto={"texto": texto})
    return redactar(mensaje).texto


def sms_final(texto: str) -> str:
    """El SMS exactamente como lo redacta la bandeja de salida."""
    return _redactar(limpiar(texto))


def whatsapp_final(texto: str) -> str:
    return _redactar(limpiar(texto), Canal.WHATSAPP)


def fuera_de_gsm7(texto: str) -> list[str]:
    """Los caracteres (sin repetir, en orden) que GSM-7 no tiene ni sustituye."""
    vistos = []
    for caracter in texto:
        if caracter != "?" and a_gsm7(caracter) == "?" and caracter not in vistos:
            vistos.append(caracter)
    return vistos


@dataclass(frozen=True)
class Longitud:
    texto: str  # el SMS completo como sale
    codificacion: str  # "GSM-7" o "UCS-2"
    unidades: int  # septetos (GSM-7) o unidades UTF-16 (UCS-2)
    segmentos: int
    por_segmento: int
    fuera: list[str] = field(default_factory=list)

    @property
    def cabe(self) -> bool:
        return not self.fuera and self.segmentos <= SEGMENTOS_MAXIMOS


def segmentos(unidades: int, solo: int, parte: int) -> int:
    if unidades <= solo:
        return 1
    return math.ceil(unidades / parte)


def medir(texto: str) -> Longitud:
    """La longitud del SMS de este aviso (el mismo cálculo que la página)."""
    fuera = fuera_de_gsm7(limpiar(texto))
    if fuera:
        # Lo que costaría en UCS-2 con el texto tal cual (firma y pie incluidos).
        completo = _sin_convertir(limpiar(texto))
        unidades = len(completo.encode("utf-16-le")) // 2
        return Longitud(
            texto=completo,
            codificacion="UCS-2",
            unidades=unidades,
            segmentos=segmentos(unidades, UCS2_SOLO, UCS2_PARTE),
            por_segmento=UCS2_SOLO if unidades <= UCS2_SOLO else UCS2_PARTE,
            fuera=fuera,
        )
    final = sms_final(texto)
    unidades = septetos_gsm7(final)
    return Longitud(
        texto=final,
        codificacion="GSM-7",
        unidades=unidades,
        segmentos=segmentos(unidades, GSM7_SOLO, GSM7_PARTE),
        por_segmento=GSM7_SOLO if unidades <= GSM7_SOLO else GSM7_PARTE,
    )


def _sin_convertir(texto: str) -> str:
    antes, despues = piezas()
    return f"{antes}{texto}".rstrip(" .") + despues


def piezas() -> tuple[str, str]:
    """Lo que la bandeja pone antes y después del texto en un SMS (firma y pie de baja)."""
    redactado = _redactar(_MARCA)
    antes, _marca, despues = redactado.partition(_MARCA)
    return antes, despues


def piezas_para_la_pagina() -> dict:
    """Lo que necesita el contador de la página para hacer la misma cuenta."""
    antes, despues = piezas()
    return {
        "antes": antes,
        "despues": despues,
        "basico": "".join(sorted(GSM7_BASICO)),
        "extension": "".join(sorted(GSM7_EXTENSION)),
        "sustitutos": dict(_SUSTITUTOS),
        "gsm7_solo": GSM7_SOLO,
        "gsm7_parte": GSM7_PARTE,
        "ucs2_solo": UCS2_SOLO,
        "ucs2_parte": UCS2_PARTE,
        "maximo": SEGMENTOS_MAXIMOS,
    }

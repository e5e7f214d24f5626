"""Qué plazo de `casos.plazos` corresponde a cada tarea del flujo de una solicitud ARCO.

Cada tarea guarda su vencimiento en `Task.scheduled` al crearse (la bandeja ordena y filtra
por él) y lo vuelve a leer tras un hecho que lo mueve (la ampliación). Aquí no se calcula
nada: el cálculo, con su fundamento, está en `casos.plazos`."""

from collections.abc import Callable
from datetime import datetime

from casos import plazos
from casos.models import SolicitudARCO


def vence_verificacion(solicitud: SolicitudARCO) -> datetime | None:
    """Acreditar la identidad o pedir información: hasta el último día para pedirla; si se
    vuelve a verificar tras recibir lo pedido, hasta el plazo de respuesta (que corre de
    nuevo desde esa entrega)."""
    if solicitud.desahogada_en is not None:
        return plazos.vence_respuesta_arco(solicitud)
    return plazos.vence_verificacion_arco(solicitud)


TAREAS: dict[str, Callable[[SolicitudARCO], datetime | None]] = {
    "verificar": vence_verificacion,
    "esperar_informacion": plazos.vence_desahogo_arco,
    "resolver": plazos.vence_respuesta_arco,
}


def vence_tarea(nombre: str, solicitud: SolicitudARCO) -> datetime | None:
    """Vencimiento de la tarea `nombre` para esta solicitud (None: sin plazo, p. ej. la
    respuesta mientras se espera la información pedida)."""
    calculo = TAREAS.get(nombre)
    return calculo(solicitud) if calculo else None

"""Qué plazo de `casos.plazos` corresponde a cada nodo del flujo.

Cada tarea humana guarda su vencimiento en `Task.scheduled` al crearse (así la bandeja
ordena y filtra en la base). Los temporizadores de viewflow (`flow.Timer`, `.OnTimeout`)
leen de aquí sus fechas, y `tareas.recalcular_plazos` las vuelve a leer tras un hecho que
las mueve. Aquí no se calcula nada: el cálculo, con su artículo, está en `casos.plazos`.
"""

from collections.abc import Callable
from datetime import datetime

from casos import plazos
from casos.models import Caso

Vencimiento = Callable[[Caso], datetime | None]

# Tareas humanas de ambos flujos (las que no aparecen no tienen plazo).
TAREAS: dict[str, Vencimiento] = {
    "revisar": plazos.vence_primer_contacto,
    "clasificar": plazos.vence_primer_contacto,
    "asignar_asesor": plazos.vence_primer_contacto,
    "avisar_no_admision": plazos.vence_aviso_no_admision,
    "asignar": plazos.vence_invitacion,
    "invitar": plazos.vence_invitacion,
    "programar": plazos.vence_programacion,
    "registrar_sesion": plazos.vence_registro_de_sesion,
    "convenio": plazos.vence_procedimiento,
    "firma": plazos.vence_procedimiento,
    "enviar_registro": plazos.vence_envio_a_registro,
    "respuesta_registro": plazos.vence_respuesta_registro,
    "seguimiento": plazos.vence_seguimiento,
    "atender": plazos.vence_resolucion,
    "encuesta": plazos.vence_resolucion,
}

# Temporizadores: `flow.Timer` y los `.OnTimeout` (viewflow los nombra `<tarea>__timeout`).
TEMPORIZADORES: dict[str, Vencimiento] = {
    "esperar_sesion": plazos.inicio_de_sesion,
    "esperar_clausulas": plazos.esperar_clausulas_hasta,
    "invitar__timeout": plazos.vence_invitacion,
    "programar__timeout": plazos.vence_procedimiento,
    "registrar_sesion__timeout": plazos.vence_procedimiento,
    "enviar_registro__timeout": plazos.vence_envio_a_registro,
}


def vence_tarea(nombre: str, caso: Caso) -> datetime | None:
    """Vencimiento de la tarea `nombre` del flujo para este caso (None: sin plazo)."""
    calculo = TAREAS.get(nombre)
    return calculo(caso) if calculo else None


def vence_temporizador(nombre: str, caso: Caso) -> datetime | None:
    """Fecha de un temporizador del flujo (None si no depende del caso)."""
    calculo = TEMPORIZADORES.get(nombre)
    return calculo(caso) if calculo else None

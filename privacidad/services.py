"""Lo que mueve el flujo de una solicitud ARCO fuera de completar una tarea: los pasos
que se dan dentro de «Resolver y responder» (bajo el candado del proceso) y los plazos de
sus tareas cuando un hecho los mueve."""

from viewflow.workflow.models import Task

from casos.models import SolicitudARCO
from casos.services import privacidad as arco
from flujos import services as flujos

from . import plazos, selectors


def recalcular_plazos(solicitud: SolicitudARCO) -> int:
    """Vuelve a calcular `Task.scheduled` de las tareas abiertas de la solicitud."""
    cambiadas = 0
    for task in selectors.tareas_abiertas(solicitud):
        nuevo = plazos.vence_tarea(task.flow_task.name, solicitud)
        if nuevo != task.scheduled:
            Task.objects.filter(pk=task.pk).update(scheduled=nuevo)
            cambiadas += 1
    return cambiadas


def ampliar_plazo(*, task: Task, solicitud: SolicitudARCO, actor, motivo: str) -> SolicitudARCO:
    """Amplía (una vez, dentro del plazo) el plazo de respuesta; la tarea abierta vence
    ahora en la fecha nueva."""

    def accion():
        ampliada = arco.ampliar_plazo(solicitud=solicitud, actor=actor, motivo=motivo)
        recalcular_plazos(ampliada)
        return ampliada

    return flujos.trabajar_en_tarea(task=task, usuario=actor, accion=accion)


def en_la_tarea(*, task: Task, actor, servicio, **argumentos):
    """Un servicio de `casos.services.privacidad` (identificar, rectificar, bloquear,
    oponerse) dentro de la tarea, sin completarla."""
    return flujos.trabajar_en_tarea(
        task=task, usuario=actor, accion=lambda: servicio(actor=actor, **argumentos)
    )

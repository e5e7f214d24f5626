"""Trabajos de Celery de los flujos."""

from celery import shared_task
from viewflow.workflow.timers import fire_due_timers


@shared_task(ignore_result=True, acks_late=True)
def disparar_temporizadores() -> int:
    """Celery beat, cada minuto: dispara los `flow.Timer` y `.OnTimeout` vencidos (sesiones
    que llegan a su hora, plazos que vencen, cláusulas por revisar)."""
    return fire_due_timers()

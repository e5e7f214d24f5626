"""Trabajos de Celery de los avisos comunitarios."""

from celery import shared_task


@shared_task(ignore_result=True, acks_late=True, soft_time_limit=1800, time_limit=1860)
def repartir_aviso(aviso_id: int) -> int:
    """Escribe en la bandeja de salida el mensaje de cada destinatario del aviso (por lotes;
    correrla dos veces no duplica a nadie)."""
    from .services import repartir

    return repartir(aviso_id)


@shared_task(ignore_result=True)
def repartir_pendientes() -> int:
    """Celery beat: vuelve a encolar los repartos que no terminaron."""
    from .services import repartir_pendientes as barrer

    return barrer()

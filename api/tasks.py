"""Trabajos de Celery de la API."""

from celery import shared_task


@shared_task(ignore_result=True)
def borrar_claves_vencidas() -> int:
    """Celery beat: borra las claves de idempotencia que pasaron `IDEMPOTENCIA_HORAS`."""
    from .idempotencia import borrar_vencidas

    return borrar_vencidas()

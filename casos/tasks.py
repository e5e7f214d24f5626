"""Trabajos de Celery de los casos."""

from celery import shared_task


@shared_task(ignore_result=True)
def purgar_limites_vencidos() -> int:
    """Celery beat: borra los contadores de intentos de ventanas ya vencidas."""
    from .limites import purgar

    return purgar()

"""Trabajos de Celery de la importación del registro anterior."""

from celery import shared_task
from django.conf import settings


@shared_task(
    acks_late=True,
    soft_time_limit=settings.IMPORTACION_TIEMPO_LIMITE_SEGUNDOS - 30,
    time_limit=settings.IMPORTACION_TIEMPO_LIMITE_SEGUNDOS,
)
def importar(importacion_id: int) -> bool:
    """Importa el archivo si este worker gana el reclamo (todo o nada)."""
    from .services import ejecutar

    return ejecutar(importacion_id)


@shared_task(ignore_result=True)
def barrer_importaciones() -> int:
    """Celery beat: reencola lo que no se pudo publicar o lo que dejó un worker muerto."""
    from .services import barrer_pendientes

    return barrer_pendientes()

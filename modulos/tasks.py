"""Trabajos de Celery de los módulos (cola `pdf`)."""

from celery import shared_task

from nucleo.colas import ERRORES_TRANSITORIOS


@shared_task(acks_late=True, autoretry_for=ERRORES_TRANSITORIOS, max_retries=2, retry_backoff=10)
def generar_formato() -> str:
    """El formato en papel en blanco de la versión vigente; si ya existe, no hace nada."""
    from .formato import generar

    return str(generar())

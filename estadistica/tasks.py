from celery import shared_task

from . import resumen


@shared_task(name="estadistica.tasks.refrescar_resumen", ignore_result=True)
def refrescar_resumen() -> int:
    """Los hechos y el resumen de lo que cambió desde el último refresco."""
    return resumen.refrescar().casos

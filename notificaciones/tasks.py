"""Trabajos de Celery de la bandeja de salida."""

from celery import shared_task


@shared_task(ignore_result=True, acks_late=True, soft_time_limit=60, time_limit=90)
def enviar_aviso(mensaje_id: int) -> str:
    """Envía un aviso si este worker gana su reclamo (si no, no hace nada)."""
    from .services import enviar

    return enviar(mensaje_id)


@shared_task(ignore_result=True)
def barrer_avisos() -> int:
    """Celery beat: recupera reclamos de workers caídos y encola lo que ya es hora de enviar
    (recordatorios, reintentos, lo que no se encoló porque el broker no respondía)."""
    from .services import despachar, recuperar_reclamos

    return recuperar_reclamos() + despachar()


@shared_task(ignore_result=True)
def avisos_de_plazos() -> int:
    """Celery beat: plazos por vencer y resumen diario del personal."""
    from .reglas import avisos_de_plazos as barrer

    return barrer()


@shared_task(ignore_result=True)
def avisos_de_certificacion() -> int:
    """Celery beat (diario): certificaciones de personas facilitadoras por vencer."""
    from .reglas import avisos_de_certificacion as barrer

    return barrer()


@shared_task(ignore_result=True)
def sesiones_sin_confirmar() -> int:
    """Celery beat: señala al mediador cada parte que no ha confirmado su sesión a 24 h."""
    from .confirmaciones import senalar_sin_confirmar

    return senalar_sin_confirmar()

"""Trabajos de Celery de documentos (cola `pdf`)."""

from celery import shared_task
from django.conf import settings

from nucleo.colas import ERRORES_TRANSITORIOS


@shared_task(
    acks_late=True,
    autoretry_for=ERRORES_TRANSITORIOS,
    max_retries=2,
    retry_backoff=10,
    soft_time_limit=settings.DOCUMENTOS_TIEMPO_LIMITE_SEGUNDOS - 15,
    time_limit=settings.DOCUMENTOS_TIEMPO_LIMITE_SEGUNDOS,
)
def generar_documento(documento_id: int) -> bool:
    """Genera un PDF; si otro worker ya lo reclamó, no hace nada. Reintenta solo lo
    transitorio (base, broker, almacenamiento); un error de plantilla deja el documento
    fallido sin reintentar."""
    from .services import generar

    return generar(documento_id)


@shared_task(ignore_result=True)
def barrer_documentos() -> int:
    """Celery beat: reencola documentos pendientes o de un worker que murió."""
    from .services import barrer_pendientes

    return barrer_pendientes()


@shared_task(ignore_result=True)
def informe_mensual() -> int | None:
    """Celery beat, cada día: desde el primer día hábil del mes, el informe estadístico del
    mes anterior (se pide una sola vez aunque corra de nuevo). Devuelve el id del documento,
    o None antes de ese día."""
    from .services import informe_del_mes_anterior

    documento = informe_del_mes_anterior()
    return documento.pk if documento is not None else None

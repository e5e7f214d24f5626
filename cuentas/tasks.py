"""Trabajo en segundo plano de las cuentas."""

from smtplib import SMTPException

from celery import shared_task

from nucleo.colas import ERRORES_TRANSITORIOS

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(*ERRORES_TRANSITORIOS, SMTPException),
    retry_backoff=30,
    max_retries=3,
)
def enviar_enlace_de_recuperacion(usuario_id: int) -> bool:
    """Correo con el enlace para restablecer la contraseña de la cuenta `usuario_id`."""
    return services.enviar_enlace_de_recuperacion(usuario_id=usuario_id)

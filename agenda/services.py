"""Escrituras de la agenda: la suscripción al calendario y las bitácoras de lo consultado."""

import secrets

from django.db import transaction
from django.utils import timezone

from casos import acceso

from .models import ConsultaCalendario, SuscripcionCalendario
from .selectors import huella


def crear_suscripcion(*, usuario) -> str:
    """Crea (o vuelve a generar) el enlace secreto del calendario de la persona y devuelve el
    token, que no se guarda: el enlace anterior deja de servir en ese momento."""
    token = secrets.token_urlsafe(32)
    SuscripcionCalendario.objects.update_or_create(
        usuario=usuario,
        defaults={
            "token_hash": huella(token),
            "creada_en": timezone.now(),
            "ultima_consulta_en": None,
        },
    )
    return token


def revocar_suscripcion(*, usuario) -> bool:
    """Quita el enlace del calendario: desde ese momento responde 404."""
    borradas, _detalle = SuscripcionCalendario.objects.filter(usuario=usuario).delete()
    return bool(borradas)


def registrar_consulta(*, suscripcion: SuscripcionCalendario, sesiones: int, request) -> None:
    """Un renglón por lectura del calendario (quién, desde dónde, con qué programa, cuántas
    sesiones se entregaron) y la fecha de la última lectura en la suscripción."""
    ahora = timezone.now()
    with transaction.atomic():
        ConsultaCalendario.objects.create(
            usuario_id=suscripcion.usuario_id,
            creada_en=ahora,
            ip=acceso.ip_de(request),
            cliente=request.META.get("HTTP_USER_AGENT", "")[:200],
            sesiones=sesiones,
        )
        SuscripcionCalendario.objects.filter(pk=suscripcion.pk).update(ultima_consulta_en=ahora)


def registrar_vista_agenda(*, usuario, casos, request, objeto: str) -> int:
    """Los casos cuyos nombres mostró la agenda, en la bitácora de accesos: una sola
    inserción para toda la página."""
    return acceso.registrar_acceso(
        usuario=usuario, casos=casos, vista="agenda", request=request, objeto=objeto
    )

"""Invitación a la otra parte (LGMASC arts. 69 y 72): cada intento deja constancia y decide
qué sigue."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ... import selectors
from ...models import (
    Caso,
    CausaConclusion,
    Estado,
    Invitacion,
    RespuestaInvitacion,
    TipoCaso,
    TipoEvento,
)
from ...plazos import fecha_local, invitacion_vence_el, plazo
from ...texto import limpiar_texto
from ..comun import bloquear, concluir, exigir, exigir_estado, exigir_tipo, registrar
from .pasos import ResultadoPaso, Siguiente


def registrar_invitacion(
    *,
    caso: Caso,
    actor,
    medio: str,
    fecha: datetime,
    respuesta: str,
    recibio: str = "",
    observaciones: str = "",
) -> ResultadoPaso:
    """Deja constancia de un intento de invitación a la otra parte y decide qué sigue:
    acepta → programar sesión; rechaza → concluye; sin respuesta → nuevo intento, hasta el
    número configurado de intentos, y luego concluye."""
    exigir(
        fecha <= timezone.now() + timedelta(minutes=5),
        _("La fecha de la invitación no puede ser futura."),
        "fecha",
    )
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.MEDIACION)
        exigir_estado(caso, Estado.ADMITIDA, Estado.INVITACION)
        exigir(caso.responsable_id is not None, _("Primero asigne una persona facilitadora."))
        parte = selectors.parte_invitada(caso=caso)
        exigir(parte is not None, _("El caso no tiene registrada a la otra parte."))
        intento = caso.invitaciones.count() + 1
        maximo = plazo("INVITACION_INTENTOS", caso=caso)
        exigir(
            intento <= maximo, _("Ya se hicieron los %(n)d intentos de invitación.") % {"n": maximo}
        )
        invitacion = Invitacion.objects.create(
            caso=caso,
            parte=parte,
            intento=intento,
            fecha=fecha,
            medio=medio,
            recibio=limpiar_texto(recibio, una_linea=True),
            respuesta=respuesta,
            observaciones=limpiar_texto(observaciones),
            registrada_por=actor,
        )
        vence = invitacion_vence_el(caso)
        registrar(
            caso=caso,
            tipo=TipoEvento.INVITACION,
            actor=actor,
            estado=Estado.INVITACION,
            publico=True,
            descripcion=_("Invitación a la otra parte, intento %(n)d: %(resultado)s.")
            % {"n": intento, "resultado": invitacion.get_respuesta_display().lower()},
            datos={
                "invitacion": invitacion.pk,
                "fuera_de_plazo": intento == 1 and fecha_local(fecha) > vence,
            },
        )
        if respuesta == RespuestaInvitacion.ACEPTA:
            return ResultadoPaso(Siguiente.PROGRAMAR, invitacion)
        if respuesta == RespuestaInvitacion.RECHAZA:
            concluir(
                caso=caso,
                actor=actor,
                causa=CausaConclusion.RECHAZO_INVITADA,
                motivo=_("La otra parte no aceptó participar en la mediación."),
                estado=Estado.CONCLUIDA_SIN_ACUERDO,
                tipo_evento=TipoEvento.CONCLUIDA,
                descripcion=_("Concluida: la otra parte no aceptó participar."),
            )
            return ResultadoPaso(Siguiente.CONCLUIDO, invitacion)
        if intento >= maximo:
            concluir(
                caso=caso,
                actor=actor,
                causa=CausaConclusion.INVITACION_FALLIDA,
                motivo=_("La otra parte no compareció tras %(n)d intentos de invitación.")
                % {"n": maximo},
                estado=Estado.CONCLUIDA_SIN_ACUERDO,
                tipo_evento=TipoEvento.CONCLUIDA,
                descripcion=_("Concluida: la otra parte no acudió a la invitación."),
            )
            return ResultadoPaso(Siguiente.CONCLUIDO, invitacion)
        return ResultadoPaso(Siguiente.REINTENTAR, invitacion)

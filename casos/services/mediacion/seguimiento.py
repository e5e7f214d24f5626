"""Seguimiento del convenio: verificar cada cláusula y cerrar el caso (con orientación a las
partes si hubo incumplimiento)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ...models import (
    Caso,
    CausaConclusion,
    Clausula,
    Cumplimiento,
    Estado,
    ResultadoSeguimiento,
    TipoConvenio,
    TipoEvento,
)
from ...texto import limpiar_texto
from ..comun import bloquear, concluir, exigir, exigir_estado, exigir_texto, hoy, registrar


def verificar_clausula(*, clausula: Clausula, actor, cumplida: bool, nota: str = "") -> Clausula:
    """Seguimiento: registra si la parte obligada cumplió la cláusula."""
    with transaction.atomic():
        caso = bloquear(clausula.convenio.caso)
        exigir_estado(caso, Estado.SEGUIMIENTO)
        clausula = Clausula.objects.select_for_update().get(pk=clausula.pk)
        if not cumplida and clausula.fecha_limite and clausula.fecha_limite >= hoy():
            raise ValidationError(
                _("La cláusula %(n)d vence el %(fecha)s: todavía no puede darse por incumplida.")
                % {"n": clausula.numero, "fecha": date_format(clausula.fecha_limite, "d/m/Y")}
            )
        clausula.cumplimiento = Cumplimiento.CUMPLIDA if cumplida else Cumplimiento.INCUMPLIDA
        clausula.verificada_en = timezone.now()
        clausula.verificada_por = actor
        clausula.nota_verificacion = limpiar_texto(nota)
        clausula.save()
        registrar(
            caso=caso,
            tipo=TipoEvento.CLAUSULA_VERIFICADA,
            actor=actor,
            descripcion=_("Cláusula %(n)d: %(r)s.")
            % {"n": clausula.numero, "r": clausula.get_cumplimiento_display().lower()},
            datos={"clausula": clausula.pk, "cumplida": cumplida},
        )
    return clausula


def cerrar_seguimiento(*, caso: Caso, actor, orientacion: str = "") -> Caso:
    """Cierra el caso cuando todas las cláusulas se verificaron. Si alguna se incumplió, se
    deja constancia de la orientación dada a las partes."""
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_estado(caso, Estado.SEGUIMIENTO)
        clausulas = list(caso.convenio.clausulas.all())
        pendientes = [c.numero for c in clausulas if c.cumplimiento == Cumplimiento.PENDIENTE]
        exigir(
            not pendientes,
            _("Faltan por verificar las cláusulas: %(n)s.")
            % {"n": ", ".join(map(str, pendientes))},
        )
        incumplidas = any(c.cumplimiento == Cumplimiento.INCUMPLIDA for c in clausulas)
        if incumplidas:
            exigir_texto(
                orientacion,
                _("Hubo incumplimiento: anote la orientación que se dio a las partes."),
                "orientacion",
            )
        caso.resultado_seguimiento = (
            ResultadoSeguimiento.INCUMPLIDO if incumplidas else ResultadoSeguimiento.CUMPLIDO
        )
        causa = (
            CausaConclusion.CONVENIO_TOTAL
            if caso.convenio.tipo == TipoConvenio.TOTAL
            else CausaConclusion.CONVENIO_PARCIAL
        )
        concluir(
            caso=caso,
            actor=actor,
            causa=causa,
            motivo=limpiar_texto(orientacion),
            estado=Estado.CONCLUIDA_CONVENIO,
            tipo_evento=TipoEvento.CONCLUIDA,
            campos=("resultado_seguimiento",),
            descripcion=_("Seguimiento concluido: %(r)s.")
            % {"r": caso.get_resultado_seguimiento_display().lower()},
        )
    return caso

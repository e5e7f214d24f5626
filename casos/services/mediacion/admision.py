"""Revisión y admisión de la solicitud de mediación: revisar, admitir, no admitir (con su
aviso, art. 66) o canalizar a la instancia que corresponde (art. 79)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ...models import (
    Canalizacion,
    Caso,
    CausaConclusion,
    Estado,
    TipoCaso,
    TipoEvento,
)
from ...plazos import aviso_no_admision_vence_el
from ...texto import limpiar_texto
from ..comun import (
    abrir_canalizacion,
    bloquear,
    concluir,
    exigir,
    exigir_estado,
    exigir_texto,
    exigir_tipo,
    hoy,
    registrar,
)


def iniciar_revision(*, caso: Caso, actor) -> Caso:
    """La coordinación toma la solicitud para revisarla."""
    with transaction.atomic():
        caso = bloquear(caso)
        if caso.estado == Estado.RECIBIDA:
            registrar(
                caso=caso,
                tipo=TipoEvento.EN_REVISION,
                actor=actor,
                estado=Estado.EN_REVISION,
                descripcion=_("La coordinación revisa la solicitud."),
                publico=True,
            )
    return caso


def admitir(*, caso: Caso, actor, nota: str = "") -> Caso:
    """Admite la solicitud de mediación. Las materias que se canalizan no se admiten."""
    nota = limpiar_texto(nota)
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.MEDIACION)
        exigir_estado(caso, Estado.RECIBIDA, Estado.EN_REVISION)
        # LGMASC art. 79: violencia contra las mujeres, materia penal… no se median.
        exigir(
            not caso.categoria.canalizar,
            _("«%(categoria)s» no se media: canalice el asunto a la instancia que corresponde.")
            % {"categoria": caso.categoria},
        )
        caso.admitido_en = timezone.now()
        registrar(
            caso=caso,
            tipo=TipoEvento.ADMITIDA,
            actor=actor,
            estado=Estado.ADMITIDA,
            descripcion=_("Solicitud admitida."),
            publico=True,
            campos=("admitido_en",),
            datos={"nota": nota} if nota else {},
        )
    return caso


def no_admitir(*, caso: Caso, actor, motivo: str) -> Caso:
    """No admite la solicitud; el motivo va a la constancia y al aviso al solicitante."""
    motivo = exigir_texto(motivo, _("Escriba el motivo de la no admisión."), "motivo")
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.MEDIACION)
        exigir_estado(caso, Estado.RECIBIDA, Estado.EN_REVISION)
        concluir(
            caso=caso,
            actor=actor,
            causa=CausaConclusion.NO_ADMITIDA,
            motivo=motivo,
            estado=Estado.NO_ADMITIDA,
            tipo_evento=TipoEvento.NO_ADMITIDA,
            descripcion=_("La solicitud no fue admitida."),
        )
    return caso


def registrar_aviso_no_admision(*, caso: Caso, actor, medio: str, nota: str = "") -> Caso:
    """Deja constancia de que se avisó a quien solicitó que su asunto no se admitió (art. 66)."""
    medio = exigir_texto(medio, _("Indique cómo se avisó."), "medio")
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_estado(caso, Estado.NO_ADMITIDA)
        vence = aviso_no_admision_vence_el(caso)
        registrar(
            caso=caso,
            tipo=TipoEvento.CONTACTO,
            actor=actor,
            descripcion=_("Se avisó la no admisión a quien solicitó (%(medio)s).")
            % {"medio": medio},
            datos={"nota": limpiar_texto(nota), "fuera_de_plazo": hoy() > vence},
        )
    return caso


def canalizar(
    *, caso: Caso, actor, dependencia: str, motivo: str, numero_oficio: str = ""
) -> Canalizacion:
    """Remite a otra instancia una solicitud de mediación que no se media (LGMASC art. 79) y
    concluye el caso. (La asesoría canaliza con `asesoria.canalizar` y espera respuesta.)"""
    with transaction.atomic():
        abierta = abrir_canalizacion(
            caso=caso,
            actor=actor,
            tipo=TipoCaso.MEDIACION,
            estados=(Estado.RECIBIDA, Estado.EN_REVISION),
            dependencia=dependencia,
            motivo=motivo,
            numero_oficio=numero_oficio,
        )
        concluir(
            caso=abierta.caso,
            actor=actor,
            causa=CausaConclusion.CANALIZADA,
            motivo=abierta.canalizacion.motivo,
            estado=Estado.CANALIZADA,
            tipo_evento=TipoEvento.CANALIZADA,
            descripcion=abierta.descripcion,
        )
    return abierta.canalizacion

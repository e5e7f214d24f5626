"""Asignación del caso a la persona facilitadora (mediación) o asesora (asesoría)."""

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ... import plazos, selectors
from ...models import Caso, Estado, TipoCaso, TipoEvento
from ...senales import responsable_asignado
from ...texto import nombre_de
from ..comun import bloquear, exigir, exigir_abierto, exigir_estado, registrar

ASIGNABLE_MEDIACION = (
    Estado.ADMITIDA,
    Estado.INVITACION,
    Estado.SESION,
    Estado.EN_MEDIACION,
    Estado.CONVENIO,
    Estado.VALIDACION,
    Estado.SEGUIMIENTO,
)
ASIGNABLE_ASESORIA = (
    Estado.RECIBIDA,
    Estado.CLASIFICADA,
    Estado.ASIGNADA,
    Estado.EN_ATENCION,
    Estado.EN_CANALIZACION,
    Estado.ESPERA_CIUDADANO,
    Estado.RESUELTA,
)


def _exigir_facilitador(responsable) -> None:
    """LGMASC arts. 42-43, 55: solo personas facilitadoras registradas y con certificación
    vigente reciben casos de mediación."""
    perfil = selectors.perfil_mediador(usuario_id=responsable.pk)
    exigir(
        selectors.tiene_rol(usuario=responsable, rol="mediador") and perfil is not None,
        _("Solo se asigna a personas facilitadoras registradas."),
        "responsable",
    )
    exigir(
        perfil.vigente(),
        _("La certificación de %(nombre)s venció el %(fecha)s: no puede recibir casos.")
        % {
            "nombre": nombre_de(responsable),
            "fecha": date_format(perfil.certificado_hasta, "d/m/Y"),
        },
        "responsable",
    )


def _advertencia_de_vigencia(caso: Caso, responsable, *, confirmada: bool) -> tuple[str, dict]:
    """Texto y datos para la línea de tiempo cuando la certificación de quien recibe el caso
    termina antes del plazo del procedimiento (LGMASC arts. 55 y 64); vacío si lo cubre."""
    if caso.tipo != TipoCaso.MEDIACION:
        return "", {}
    perfil = selectors.perfil_mediador(usuario_id=responsable.pk)
    vence = plazos.certificacion_no_cubre_plazo(caso, perfil.certificado_hasta)
    if vence is None:
        return "", {}
    texto = _(
        " Advertencia: su certificación vence el %(cert)s, antes del plazo del procedimiento "
        "(%(plazo)s, LGMASC art. 64)."
    ) % {
        "cert": date_format(perfil.certificado_hasta, "d/m/Y"),
        "plazo": date_format(vence, "d/m/Y"),
    }
    if confirmada:
        texto += _(" Quien asignó confirmó que lo sabe.")
    datos = {
        "certificacion_vence": perfil.certificado_hasta.isoformat(),
        "procedimiento_vence": vence.isoformat(),
        "vigencia_confirmada": confirmada,
    }
    return texto, datos


def _estado_tras_asignar(caso: Caso, responsable) -> str | None:
    """Valida la asignación según el tipo de caso y dice a qué estado pasa (None: no cambia)."""
    if caso.tipo == TipoCaso.MEDIACION:
        exigir_estado(caso, *ASIGNABLE_MEDIACION)
        _exigir_facilitador(responsable)
        return None
    exigir(
        selectors.tiene_rol(usuario=responsable, rol="asesor"),
        _("Solo se asigna a personas asesoras."),
        "responsable",
    )
    exigir_estado(caso, *ASIGNABLE_ASESORIA)
    return Estado.ASIGNADA if caso.estado in (Estado.RECIBIDA, Estado.CLASIFICADA) else None


def asignar_responsable(*, caso: Caso, actor, responsable, confirma_vigencia: bool = False) -> Caso:
    """Asigna (o reasigna) a la persona facilitadora o asesora del caso. Sirve a los dos tipos
    de caso: el flujo y la reasignación de tareas la llaman sin distinguirlos.

    Si la certificación termina antes del plazo del procedimiento, la asignación procede
    (la certificación aún vale) pero el evento lo advierte, y anota si quien asignó lo
    confirmó (`confirma_vigencia`, la casilla del formulario de asignación)."""
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_abierto(caso)
        estado = _estado_tras_asignar(caso, responsable)
        advertencia, datos_vigencia = _advertencia_de_vigencia(
            caso, responsable, confirmada=confirma_vigencia
        )
        anterior = caso.responsable
        caso.responsable = responsable
        registrar(
            caso=caso,
            tipo=TipoEvento.ASIGNADA,
            actor=actor,
            estado=estado,
            campos=("responsable",),
            descripcion=(
                _("Caso reasignado a %(nombre)s.") if anterior else _("Caso asignado a %(nombre)s.")
            )
            % {"nombre": nombre_de(responsable)}
            + advertencia,
            datos={
                "responsable": responsable.pk,
                "anterior": anterior.pk if anterior else None,
                **datos_vigencia,
            },
        )
        responsable_asignado.send(
            sender=Caso, caso=caso, responsable=responsable, anterior=anterior
        )
    return caso

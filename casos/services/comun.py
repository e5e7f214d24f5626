"""Piezas comunes de los servicios: candado del caso, eventos con cambio de estado, plazos."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..calendario import Calendario
from ..models import ESTADOS_FINALES, Caso, Evento, TipoCaso


def bloquear(caso: Caso) -> Caso:
    """Relee el caso con candado de renglón: dos escrituras sobre el mismo caso se forman."""
    return Caso.objects.select_for_update().get(pk=caso.pk)


def exigir(condicion: bool, mensaje: str, campo: str | None = None) -> None:
    if not condicion:
        raise ValidationError({campo: [mensaje]} if campo else mensaje)


def exigir_tipo(caso: Caso, tipo: str) -> None:
    exigir(
        caso.tipo == tipo,
        _("Esta acción es solo para casos de %(tipo)s.") % {"tipo": TipoCaso(tipo).label.lower()},
    )


def exigir_estado(caso: Caso, *estados: str) -> None:
    if caso.estado not in estados:
        raise ValidationError(
            _("El caso %(folio)s está «%(estado)s»; esta acción no corresponde ahora.")
            % {"folio": caso.folio, "estado": caso.get_estado_display()}
        )


def exigir_abierto(caso: Caso) -> None:
    exigir(
        caso.estado not in ESTADOS_FINALES,
        _("El caso %(folio)s ya concluyó; una nueva solicitud abre un folio nuevo.")
        % {"folio": caso.folio},
    )


def registrar(
    *,
    caso: Caso,
    tipo: str,
    descripcion: str,
    actor=None,
    estado: str | None = None,
    publico: bool = False,
    datos: dict | None = None,
    campos: tuple[str, ...] = (),
) -> Evento:
    """Guarda el evento y, si cambia, el estado visible del caso (y otros `campos` ya
    asignados en `caso`). Es el único lugar donde cambia `Caso.estado` tras la recepción."""
    anterior = caso.estado
    actualizar = set(campos)
    if estado and estado != anterior:
        caso.estado = estado
        actualizar.add("estado")
    if actualizar:
        caso.save(update_fields=[*sorted(actualizar), "actualizado_en"])
    return Evento.objects.create(
        caso=caso,
        tipo=tipo,
        descripcion=descripcion,
        actor=actor,
        estado_anterior=anterior if estado and estado != anterior else "",
        estado_nuevo=estado if estado and estado != anterior else "",
        publico=publico,
        datos=datos or {},
    )


def plazo(nombre: str) -> int:
    return settings.PLAZOS[nombre]


def hoy() -> date:
    return timezone.localdate()


def fecha_local(momento) -> date:
    return timezone.localtime(momento).date()


def calendario() -> Calendario:
    return Calendario()


def concluir(
    *,
    caso: Caso,
    actor,
    causa: str,
    motivo: str,
    estado: str,
    tipo_evento: str,
    descripcion: str,
    datos: dict | None = None,
    campos: tuple[str, ...] = (),
) -> Evento:
    """Cierra el caso con su causa (va a la constancia) y deja el evento público."""
    caso.concluido_en = timezone.now()
    caso.causa_conclusion = causa
    caso.motivo_conclusion = motivo
    return registrar(
        caso=caso,
        tipo=tipo_evento,
        actor=actor,
        estado=estado,
        descripcion=descripcion,
        publico=True,
        campos=("concluido_en", "causa_conclusion", "motivo_conclusion", *campos),
        datos={"causa": causa, **(datos or {})},
    )

"""Piezas comunes de los servicios: candado del caso, validaciones, eventos con cambio de
estado y el oficio de canalización."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..calendario import Calendario
from ..models import ESTADOS_FINALES, Canalizacion, Caso, Evento, TipoCaso

# Las cifras y fechas de los plazos viven en `casos.plazos`; aquí solo se reexportan.
from ..plazos import fecha_local as fecha_local
from ..plazos import plazo as plazo
from ..texto import limpiar_texto


def bloquear(caso: Caso) -> Caso:
    """Relee el caso con candado de renglón: dos escrituras sobre el mismo caso se forman."""
    return Caso.objects.select_for_update().get(pk=caso.pk)


def exigir(condicion: bool, mensaje: str, campo: str | None = None) -> None:
    """Error de validación (en `campo`, si se da) cuando la condición no se cumple."""
    if not condicion:
        raise ValidationError({campo: [mensaje]} if campo else mensaje)


def exigir_texto(valor: str | None, mensaje: str, campo: str | None = None) -> str:
    """Campo de texto obligatorio: devuelve el texto limpio (`limpiar_texto`), o un error de
    validación en `campo` si queda vacío."""
    texto = limpiar_texto(valor)
    exigir(bool(texto), mensaje, campo)
    return texto


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


def hoy() -> date:
    return timezone.localdate()


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


@dataclass(frozen=True)
class CanalizacionAbierta:
    caso: Caso
    canalizacion: Canalizacion
    descripcion: str


def abrir_canalizacion(
    *,
    caso: Caso,
    actor,
    tipo: str,
    estados: tuple[str, ...],
    dependencia: str,
    motivo: str,
    numero_oficio: str = "",
) -> CanalizacionAbierta:
    """Lo común de canalizar un asunto a otra dependencia (mediación y asesoría): valida,
    bloquea el caso, exige tipo y estado y crea el oficio. Se llama dentro de la transacción
    del servicio, que después concluye el caso o lo deja en espera de la respuesta."""
    dependencia = exigir_texto(
        dependencia, _("Indique a qué dependencia se canaliza."), "dependencia"
    )
    motivo = exigir_texto(motivo, _("Escriba el motivo de la canalización."), "motivo")
    caso = bloquear(caso)
    exigir_abierto(caso)
    exigir_tipo(caso, tipo)
    exigir_estado(caso, *estados)
    canalizacion = Canalizacion.objects.create(
        caso=caso,
        dependencia=dependencia,
        motivo=motivo,
        numero_oficio=limpiar_texto(numero_oficio, una_linea=True),
        registrada_por=actor,
    )
    descripcion = _("Asunto canalizado a %(dependencia)s.") % {
        "dependencia": canalizacion.dependencia
    }
    return CanalizacionAbierta(caso=caso, canalizacion=canalizacion, descripcion=descripcion)

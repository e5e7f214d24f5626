"""Sincronización de lo capturado sin conexión en un módulo itinerante.

Cada solicitud entra por el mismo servicio de recepción que la captura por módulo
(`casos.services.recibir_con_revision`), con la hora real de captura y la jornada, y
exactamente una vez: el id que le dio el equipo es único (`CapturaDeCampo.id_equipo`).
"""

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casos import acceso, codigos
from casos.forms import SolicitudPersonalForm
from casos.models import AvisoPrivacidad, Canal
from casos.services import recibir_con_revision

from .models import CapturaDeCampo, ResultadoCaptura

# Lo que el equipo puede mandar de cada solicitud: lo mismo que pide la captura por módulo.
CAMPOS = (
    "modulo",
    "tipo",
    "categoria",
    "localidad",
    "nombre",
    "telefono",
    "correo",
    "avisos_por",
    "domicilio",
    "resumen",
    "otra_nombre",
    "otra_telefono",
    "otra_domicilio",
    "aviso",
)
RECHAZADA = "rechazada"
MAXIMO_POR_LOTE = 1000


@dataclass(frozen=True)
class Renglon:
    """Lo que responde la sincronización de una solicitud del equipo."""

    id: str
    estado: str
    folio: str = ""
    codigo: str = ""
    errores: dict[str, list[str]] = field(default_factory=dict)
    repetida: bool = False
    captura: CapturaDeCampo | None = None

    def como_json(self) -> dict:
        return {
            "id": self.id,
            "estado": self.estado,
            "folio": self.folio,
            "codigo": self.codigo,
            "errores": self.errores,
            "repetida": self.repetida,
            "documento": self.captura.pk if self.captura else None,
        }


def _texto(valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, bool):
        return "on" if valor else ""
    if isinstance(valor, (int, float)):
        return str(valor)
    return valor if isinstance(valor, str) else ""


def _formulario(datos: dict, capturado_en: str) -> SolicitudPersonalForm:
    """El formulario de la captura por módulo, con lo del equipo (valida igual que ella)."""
    limpio = {nombre: _texto(datos.get(nombre)) for nombre in CAMPOS}
    limpio["recibido_en"] = capturado_en
    return SolicitudPersonalForm(limpio, con_modulo=True)


def _errores(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("__all__" if campo == NON_FIELD_ERRORS else campo): [str(m) for m in mensajes]
            for campo, mensajes in error.message_dict.items()
        }
    return {"__all__": [str(m) for m in error.messages]}


def _codigo(captura: CapturaDeCampo) -> str:
    caso = captura.caso
    if caso is None or captura.resultado != ResultadoCaptura.RECIBIDA:
        return ""
    return codigos.mostrar_codigo(codigos.derivar_codigo(caso.folio, caso.codigo_sal))


def _de_captura(captura: CapturaDeCampo, *, repetida: bool) -> Renglon:
    return Renglon(
        id=str(captura.id_equipo),
        estado=captura.resultado,
        folio=captura.caso.folio if captura.caso else "",
        codigo=_codigo(captura),
        repetida=repetida,
        captura=captura,
    )


def _ya_registrada(uid: uuid.UUID, actor) -> Renglon | None:
    captura = CapturaDeCampo.objects.select_related("caso").filter(id_equipo=uid).first()
    if captura is None:
        return None
    if captura.capturado_por_id != actor.pk:
        # Un id repetido de otro equipo o de otra persona: no se revela nada de lo ajeno.
        return Renglon(
            id=str(uid),
            estado=RECHAZADA,
            errores={"__all__": [_("Ese id de captura ya lo usó otro equipo; no se registró.")]},
        )
    return _de_captura(captura, repetida=True)


def sincronizar_captura(*, renglon: dict, actor, aviso: AvisoPrivacidad | None = None) -> Renglon:
    """Recibe una solicitud capturada en el equipo; la misma, dos veces, se registra una.

    `renglon`: `{"id": UUID del equipo, "capturado_en": ISO 8601, "datos": {...}}` con los
    campos de la captura por módulo. Devuelve lo que quedó: caso nuevo (folio y código),
    contacto en un caso existente, por decidir (el teléfono tiene casos abiertos) o
    rechazada con sus errores por campo, en español (nada se guarda y el equipo la conserva).
    """
    crudo = renglon.get("id") if isinstance(renglon, dict) else None
    try:
        uid = uuid.UUID(str(crudo))
    except ValueError:
        return Renglon(
            id=str(crudo or ""),
            estado=RECHAZADA,
            errores={"__all__": [_("La captura no trae un id de equipo válido.")]},
        )
    repetida = _ya_registrada(uid, actor)
    if repetida is not None:
        return repetida
    datos = renglon.get("datos") if isinstance(renglon.get("datos"), dict) else {}
    capturado_en = _texto(renglon.get("capturado_en"))
    if not capturado_en:
        return Renglon(
            id=str(uid),
            estado=RECHAZADA,
            errores={"recibido_en": [_("Falta la hora de captura.")]},
        )
    form = _formulario(datos, capturado_en)
    if not form.is_valid():
        return Renglon(
            id=str(uid), estado=RECHAZADA, errores={c: list(m) for c, m in form.errors.items()}
        )
    aviso = aviso or AvisoPrivacidad.vigente()
    solicitud = form.solicitud(canal=Canal.MODULO, aviso=aviso, actor=actor)
    try:
        with transaction.atomic():
            # Primero el renglón con el id del equipo: otra conexión con la misma captura
            # espera aquí (restricción única) y, al terminar esta, encuentra lo registrado.
            captura = CapturaDeCampo.objects.create(
                id_equipo=uid,
                capturado_por=actor,
                modulo=solicitud["modulo"],
                capturado_en=solicitud["recibido_en"],
                resultado=ResultadoCaptura.POR_DECIDIR,
            )
            recepcion = recibir_con_revision(**solicitud)
            if recepcion.recibida is not None:
                captura.resultado = ResultadoCaptura.RECIBIDA
                captura.caso = recepcion.recibida.caso
            else:
                # Sin decisión el servicio no crea nada: se guarda lo capturado para decidir.
                captura.datos = {c: _texto(datos.get(c)) for c in CAMPOS}
            captura.save(update_fields=["resultado", "caso", "datos"])
    except ValidationError as error:
        return Renglon(id=str(uid), estado=RECHAZADA, errores=_errores(error))
    except IntegrityError:
        repetida = _ya_registrada(uid, actor)
        if repetida is None:
            raise
        return repetida
    return _de_captura(captura, repetida=False)


def sincronizar_lote(*, renglones: list, actor) -> list[Renglon]:
    """Cada solicitud del lote por separado: una rechazada no detiene a las demás."""
    if not isinstance(renglones, list):
        raise ValidationError(_("El lote debe ser una lista de capturas."))
    if len(renglones) > MAXIMO_POR_LOTE:
        raise ValidationError(
            _("Un lote no debe pasar de %(max)d capturas; sincronice por partes.")
            % {"max": MAXIMO_POR_LOTE}
        )
    aviso = AvisoPrivacidad.vigente()
    return [
        sincronizar_captura(renglon=r if isinstance(r, dict) else {}, actor=actor, aviso=aviso)
        for r in renglones
    ]


def decidir_duplicado(
    *, captura: CapturaDeCampo, decision: str, folio_existente: str = "", actor
) -> Renglon:
    """Decide un posible duplicado capturado en campo con las opciones de la captura por
    teléfono (`DecisionDuplicado`) y lo hace entrar por el mismo servicio de recepción, con
    su hora de captura, su jornada y quien atendió. Una captura se decide una sola vez."""
    if not acceso.decide_captura_de_campo(actor, capturado_por_id=captura.capturado_por_id):
        raise ValidationError(_("Solo quien la capturó o la coordinación puede decidirla."))
    with transaction.atomic():
        captura = (
            CapturaDeCampo.objects.select_for_update()
            .select_related("capturado_por")
            .get(pk=captura.pk)
        )
        if captura.resultado != ResultadoCaptura.POR_DECIDIR:
            raise ValidationError(_("Esta captura ya se decidió."))
        form = _formulario(captura.datos, timezone.localtime(captura.capturado_en).isoformat())
        if not form.is_valid():
            raise ValidationError({c: list(m) for c, m in form.errors.items()})
        recepcion = recibir_con_revision(
            decision=decision,
            folio_existente=folio_existente,
            **form.solicitud(
                canal=Canal.MODULO, aviso=AvisoPrivacidad.vigente(), actor=captura.capturado_por
            ),
        )
        if recepcion.falta_decidir:
            raise ValidationError({"accion": [_("Elija qué hacer con esta solicitud.")]})
        if recepcion.recibida is not None:
            captura.resultado = ResultadoCaptura.RECIBIDA
            captura.caso = recepcion.recibida.caso
        else:
            captura.resultado = ResultadoCaptura.CONTACTO
            captura.caso = recepcion.contacto_en
        captura.datos = {}
        captura.decidido_por = actor
        captura.decidido_en = timezone.now()
        captura.save(update_fields=["resultado", "caso", "datos", "decidido_por", "decidido_en"])
    return _de_captura(captura, repetida=False)

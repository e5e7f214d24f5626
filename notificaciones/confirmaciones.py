"""Confirmar asistencia: la persona responde SI, NO o CAMBIO al recordatorio de su sesión.

- `interpretar` entiende las variantes comunes (sí, claro, confirmo, ok / no, no puedo /
  cambio, otra fecha, reprogramar…) sin importar acentos, mayúsculas ni puntuación.
- `registrar_respuesta` la guarda en la sesión próxima de la parte con ese número a la que
  se le mandó recordatorio (si hay varias, la más próxima), deja constancia en la bitácora
  del caso (sin el texto que escribió) y, con NO o CAMBIO, abre la tarea «Llamar a la parte»
  en la bandeja de quien lleva el caso. Es el mismo servicio para la respuesta que llega de
  Twilio y para la demostración.
- `senalar_sin_confirmar` (beat) señala al mediador, una vez por sesión y parte, a quien no ha
  confirmado cuando faltan 24 h o menos.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casos.models import EstadoSesion, Parte, Sesion, TipoEvento
from casos.services.comun import registrar
from flujos import services as flujos
from nucleo.entradas import entero_ascii

from .datos import cuando_corto
from .models import Canal, Confirmacion, EstadoConfirmacion, EstadoMensaje, Mensaje
from .services import REFERENCIA_SESION, avisar_a_usuario

AVISO_RECORDATORIO = "recordatorio_sesion"
ANTICIPACION_SENAL = timedelta(hours=24)

_SI = {
    "si",
    "sip",
    "claro",
    "claro que si",
    "confirmo",
    "confirmado",
    "ok",
    "okay",
    "va",
    "de acuerdo",
    "ahi estare",
    "alli estare",
    "si voy",
    "si asistire",
    "si puedo",
    "si confirmo",
}
_NO = {
    "no",
    "nop",
    "no puedo",
    "no podre",
    "no voy",
    "no ire",
    "no asistire",
    "no puedo ir",
    "no puedo asistir",
    "no voy a poder",
}
_CAMBIO = (
    "cambio",
    "cambiar",
    "otra fecha",
    "otro dia",
    "otro horario",
    "reprogramar",
    "reprogramacion",
    "reagendar",
    "posponer",
)


def normalizar(texto: str) -> str:
    """«¡Sí, claro!» → «si claro»: sin acentos, en minúsculas, sin puntuación."""
    sin_acentos = "".join(
        c for c in unicodedata.normalize("NFD", texto or "") if unicodedata.category(c) != "Mn"
    )
    return " ".join(re.sub(r"[^\w\s]|_", " ", sin_acentos.lower()).split())


def interpretar(texto: str) -> str | None:
    """SI, NO o CAMBIO (como `EstadoConfirmacion`), o None si no es una respuesta de
    asistencia. CAMBIO gana («no, mejor otra fecha» pide otra fecha)."""
    limpio = normalizar(texto)
    if not limpio or len(limpio) > 80:
        return None
    palabras = limpio.split()
    if any(re.search(rf"\b{frase}\b", limpio) for frase in _CAMBIO):
        return EstadoConfirmacion.OTRA_FECHA
    if limpio in _NO or palabras[0] == "no":
        return EstadoConfirmacion.NO_ASISTIRA
    if limpio in _SI or palabras[0] in {"si", "claro", "confirmo", "ok", "okay"}:
        return EstadoConfirmacion.CONFIRMADA
    return None


@dataclass(frozen=True)
class Respuesta:
    """Lo que pasó con una respuesta y lo que se le contesta a la persona (TwiML)."""

    estado: str | None
    sesion: Sesion | None
    parte: Parte | None
    contestacion: str


CONTESTACIONES = {
    EstadoConfirmacion.CONFIRMADA: gettext_lazy(
        "Gracias: confirmamos su asistencia a la sesión del %(cuando)s. Traiga una identificación."
    ),
    EstadoConfirmacion.NO_ASISTIRA: gettext_lazy(
        "Gracias por avisar. Le llamaremos de la oficina para ver qué sigue."
    ),
    EstadoConfirmacion.OTRA_FECHA: gettext_lazy(
        "Gracias. Le llamaremos de la oficina para acordar otra fecha."
    ),
}
SIN_SESION = gettext_lazy(
    "No encontramos una sesión próxima para este número. Si tiene dudas, llame a la oficina."
)
AYUDA = gettext_lazy(
    "Responda SI para confirmar su sesión del %(cuando)s, NO si no puede venir o CAMBIO para "
    "otra fecha."
)
HECHOS = {
    EstadoConfirmacion.CONFIRMADA: gettext_lazy(
        "%(nombre)s confirmó su asistencia a la sesión %(numero)s (respondió por %(canal)s)."
    ),
    EstadoConfirmacion.NO_ASISTIRA: gettext_lazy(
        "%(nombre)s avisó que no asistirá a la sesión %(numero)s (respondió por %(canal)s); "
        "se abrió la tarea de llamarle."
    ),
    EstadoConfirmacion.OTRA_FECHA: gettext_lazy(
        "%(nombre)s pide otra fecha para la sesión %(numero)s (respondió por %(canal)s); se "
        "abrió la tarea de llamarle."
    ),
}


def sesion_por_confirmar(*, numero: str) -> tuple[Sesion, Parte] | None:
    """La sesión programada a futuro más próxima de una parte con ese teléfono a la que se le
    mandó recordatorio (por SMS o WhatsApp), con esa parte."""
    if not numero:
        return None
    recordatorios = Mensaje.objects.filter(
        plantilla=AVISO_RECORDATORIO,
        estado=EstadoMensaje.ENVIADO,
        canal__in=[Canal.SMS, Canal.WHATSAPP],
        parte__telefono=numero,
        referencia__startswith=REFERENCIA_SESION,
    ).values_list("referencia", "parte_id")
    parte_de: dict[int, int] = {}
    for referencia, parte_id in recordatorios:
        sesion_id = entero_ascii(referencia.removeprefix(REFERENCIA_SESION))
        if sesion_id is not None:
            parte_de.setdefault(sesion_id, parte_id)
    sesion = (
        Sesion.objects.filter(
            pk__in=list(parte_de), estado=EstadoSesion.PROGRAMADA, inicio__gt=timezone.now()
        )
        .select_related("caso", "caso__responsable", "mediador")
        .order_by("inicio", "pk")
        .first()
    )
    if sesion is None:
        return None
    return sesion, Parte.objects.get(pk=parte_de[sesion.pk])


def registrar_respuesta(*, numero: str, canal: str, texto: str) -> Respuesta:
    """Una respuesta de una persona a su recordatorio. Si no es SI, NO ni CAMBIO, no cambia
    nada (y se le recuerda cómo responder si tiene una sesión por confirmar)."""
    estado = interpretar(texto)
    encontrada = sesion_por_confirmar(numero=numero)
    if encontrada is None:
        return Respuesta(estado, None, None, str(SIN_SESION) if estado else "")
    sesion, parte = encontrada
    cuando = cuando_corto(sesion.inicio)
    if estado is None:
        return Respuesta(None, sesion, parte, str(AYUDA) % {"cuando": cuando})
    confirmar(sesion=sesion, parte=parte, estado=estado, canal=canal)
    return Respuesta(estado, sesion, parte, str(CONTESTACIONES[estado]) % {"cuando": cuando})


def confirmar(*, sesion: Sesion, parte: Parte, estado: str, canal: str) -> Confirmacion:
    """Guarda lo que respondió la parte. Si cambia, queda en la bitácora del caso (sin el
    texto de la persona) y, con NO o CAMBIO, nace (o se actualiza) la tarea de llamarle."""
    with transaction.atomic():
        confirmacion, _creada = Confirmacion.objects.select_for_update().get_or_create(
            sesion=sesion, parte=parte
        )
        if confirmacion.estado == estado:
            return confirmacion
        confirmacion.estado = estado
        confirmacion.canal = canal
        confirmacion.respondida_en = timezone.now()
        confirmacion.save(update_fields=["estado", "canal", "respondida_en"])
        registrar(
            caso=sesion.caso,
            tipo=TipoEvento.CONTACTO,
            descripcion=str(HECHOS[estado])
            % {"nombre": parte.nombre, "numero": sesion.numero, "canal": Canal(canal).label},
            datos={"sesion": sesion.pk, "parte": parte.pk, "confirmacion": estado},
        )
        if estado in (EstadoConfirmacion.NO_ASISTIRA, EstadoConfirmacion.OTRA_FECHA):
            flujos.iniciar_llamada(
                caso=sesion.caso,
                parte=parte,
                sesion=sesion,
                respuesta=estado,
                respuesta_texto=str(EstadoConfirmacion(estado).label),
            )
    return confirmacion


def senalar_sin_confirmar(*, ahora=None) -> int:
    """Barrido del beat: a cada parte a la que se le mandó recordatorio de una sesión que
    empieza dentro de 24 h y no ha respondido, se le señala al mediador una sola vez (evento
    en el caso y correo si tiene). El UPDATE condicional sobre `senalada_en` decide quién
    señala: dos beats o dos vueltas no señalan dos veces."""
    ahora = ahora or timezone.now()
    sesiones = {
        s.pk: s
        for s in Sesion.objects.filter(
            estado=EstadoSesion.PROGRAMADA, inicio__gt=ahora, inicio__lte=ahora + ANTICIPACION_SENAL
        ).select_related("caso", "caso__responsable", "mediador")
    }
    if not sesiones:
        return 0
    recordadas = set()
    for referencia, parte_id in Mensaje.objects.filter(
        plantilla=AVISO_RECORDATORIO,
        estado=EstadoMensaje.ENVIADO,
        canal__in=[Canal.SMS, Canal.WHATSAPP],
        referencia__in=[f"{REFERENCIA_SESION}{pk}" for pk in sesiones],
        parte__isnull=False,
    ).values_list("referencia", "parte_id"):
        recordadas.add((int(referencia.removeprefix(REFERENCIA_SESION)), parte_id))
    senaladas = 0
    for sesion_id, parte_id in sorted(recordadas):
        with transaction.atomic():
            confirmacion, _creada = Confirmacion.objects.get_or_create(
                sesion_id=sesion_id, parte_id=parte_id
            )
            gano = Confirmacion.objects.filter(
                pk=confirmacion.pk,
                estado=EstadoConfirmacion.SIN_RESPUESTA,
                senalada_en__isnull=True,
            ).update(senalada_en=ahora)
            if not gano:
                continue
            _senalar(sesiones[sesion_id], Parte.objects.get(pk=parte_id))
            senaladas += 1
    return senaladas


def _senalar(sesion: Sesion, parte: Parte) -> None:
    registrar(
        caso=sesion.caso,
        tipo=TipoEvento.CONTACTO,
        descripcion=_(
            "%(nombre)s no ha confirmado su asistencia a la sesión %(numero)s (%(cuando)s): "
            "faltan menos de 24 horas."
        )
        % {"nombre": parte.nombre, "numero": sesion.numero, "cuando": cuando_corto(sesion.inicio)},
        datos={"sesion": sesion.pk, "parte": parte.pk, "confirmacion": "sin_respuesta"},
    )
    for usuario in {sesion.mediador, sesion.caso.responsable} - {None}:
        avisar_a_usuario(
            usuario,
            "sin_confirmar",
            f"sin-confirmar:{sesion.pk}:{parte.pk}",
            caso=sesion.caso,
            contexto={"sesion": sesion.pk, "parte": parte.pk, "nombre_parte": parte.nombre},
        )

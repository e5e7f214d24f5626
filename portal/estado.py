"""Lo que la persona solicitante ve de su caso en la consulta pública.

Solo hitos y datos de la oficina: estado y lo que significa, pasos con fecha, la próxima
sesión (fecha, hora y lugar), lo que la oficina espera de ella y los documentos que le
corresponden. Nunca datos de la otra parte ni lo dicho en sesiones. Todo sale de hechos
registrados (eventos, sesiones, esperas, documentos); nada se escribe a mano aquí.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casos import selectors
from casos.models import Caso, Estado, TipoCaso, TipoEvento
from nucleo.entradas import entero_ascii
from nucleo.traduccion import etiqueta, traducidos
from plantillas.models import Documento, EstadoDocumento, TipoDocumento
from plantillas.selectors import (
    acuse_y_convenio_firmado,
    documento_por_id,
    documentos_de_solicitud,
)

# Lo que cada paso significa, dicho a la persona solicitante.
PASOS = {
    TipoEvento.RECIBIDA: gettext_lazy("Recibimos su solicitud"),
    TipoEvento.EN_REVISION: gettext_lazy("La coordinación empezó a revisarla"),
    TipoEvento.ADMITIDA: gettext_lazy("Su solicitud fue admitida"),
    TipoEvento.NO_ADMITIDA: gettext_lazy("Su solicitud no fue admitida"),
    TipoEvento.CANALIZADA: gettext_lazy("Su asunto se envió a otra dependencia"),
    TipoEvento.ASIGNADA: gettext_lazy("Se asignó a la persona que la atiende"),
    TipoEvento.INVITACION: gettext_lazy("Se invitó a la otra parte"),
    TipoEvento.SESION_PROGRAMADA: gettext_lazy("Se programó una sesión"),
    TipoEvento.SESION_REPROGRAMADA: gettext_lazy("La sesión cambió de fecha"),
    TipoEvento.SESION_CELEBRADA: gettext_lazy("Se celebró una sesión"),
    TipoEvento.SESION_DIFERIDA: gettext_lazy("Una sesión se difirió"),
    TipoEvento.INASISTENCIA: gettext_lazy("Se registró una inasistencia a sesión"),
    TipoEvento.PRORROGA: gettext_lazy("Se amplió el plazo del procedimiento"),
    TipoEvento.CONVENIO_FIRMADO: gettext_lazy("Las partes firmaron el convenio"),
    TipoEvento.ENVIADO_REGISTRO: gettext_lazy("El convenio se envió a registro"),
    TipoEvento.RESPUESTA_REGISTRO: gettext_lazy("El registro respondió"),
    TipoEvento.CLAUSULA_VERIFICADA: gettext_lazy("Se verificó el cumplimiento de un compromiso"),
    TipoEvento.CLASIFICADA: gettext_lazy("Su solicitud fue clasificada"),
    TipoEvento.EN_ATENCION: gettext_lazy("Empezó la atención de su asesoría"),
    TipoEvento.ESPERA_CIUDADANO: gettext_lazy("La oficina le pidió información"),
    TipoEvento.REANUDADA: gettext_lazy("Se reanudó la atención"),
    TipoEvento.RESPUESTA_CANALIZACION: gettext_lazy("La dependencia respondió"),
    TipoEvento.CONVERTIDA: gettext_lazy("Su asesoría pasó a mediación"),
    TipoEvento.ENCUESTA: gettext_lazy("Respondió la encuesta de satisfacción"),
    TipoEvento.CONCLUIDA: gettext_lazy("El procedimiento concluyó"),
    TipoEvento.REABIERTA: gettext_lazy("El caso se reabrió"),
    TipoEvento.CODIGO_REEXPEDIDO: gettext_lazy("Se emitió un código de consulta nuevo"),
}

# Cuánto dura el enlace de descarga de un documento. Va firmado y atado a la sesión del
# navegador que hizo la consulta: copiado del historial de una computadora pública, en otro
# navegador no abre nada.
MINUTOS_ENLACE = 15
_SAL_ENLACE = "portal.documento"
# Los enlaces emitidos miden unos 150 caracteres; uno mucho más largo no se intenta descifrar.
_MAX_TOKEN = 1000


@dataclass(frozen=True)
class Paso:
    fecha: datetime
    texto: str


@dataclass(frozen=True)
class ProximaSesion:
    inicio: datetime
    fin: datetime
    lugar: str
    ubicacion: str


@dataclass(frozen=True)
class DocumentoPublico:
    nombre: str
    url: str
    listo: bool


@dataclass
class EstadoPublico:
    caso: Caso
    pasos: list[Paso]
    proxima_sesion: ProximaSesion | None
    pendientes: list[str]
    documentos: list[DocumentoPublico] = field(default_factory=list)
    plazo: date | None = None

    @property
    def estado(self) -> str:
        return self.caso.get_estado_display()

    @property
    def explicacion(self) -> str:
        return self.caso.explicacion_estado


def _pasos(caso: Caso) -> list[Paso]:
    pasos = traducidos(PASOS)
    return [
        Paso(creado_en, pasos.get(tipo) or etiqueta(TipoEvento, tipo))
        for tipo, creado_en in selectors.pasos_publicos(caso)
    ]


def _proxima_sesion(caso: Caso) -> ProximaSesion | None:
    sesion = selectors.proxima_sesion_por_venir(caso=caso)
    if sesion is None:
        return None
    ubicacion = sesion.sala.ubicacion if sesion.sala_id else ""
    return ProximaSesion(
        inicio=timezone.localtime(sesion.inicio),
        fin=timezone.localtime(sesion.fin),
        lugar=sesion.donde,
        ubicacion=ubicacion,
    )


def _pendientes(caso: Caso, proxima: ProximaSesion | None) -> list[str]:
    """Lo que la oficina espera de la persona solicitante, en el estado actual."""
    if caso.estado == Estado.ESPERA_CIUDADANO:
        espera = caso.esperas.filter(hasta__isnull=True).order_by("-desde").first()
        if espera is not None and espera.motivo:
            return [
                _("La oficina le pidió: %(motivo)s.") % {"motivo": espera.motivo},
                _(
                    "Llévelo a la oficina o comuníquese con nosotros. Mientras tanto, el plazo "
                    "de atención está en pausa."
                ),
            ]
        return [_("Comuníquese con la oficina: necesitamos información de su parte.")]
    if proxima is not None:
        return [
            _(
                "Acudir a la sesión en la fecha y el lugar indicados, con una identificación "
                "oficial vigente."
            ),
            _("Si no puede asistir, avise a la oficina con anticipación para reprogramarla."),
        ]
    if caso.estado in (Estado.CONVENIO, Estado.VALIDACION, Estado.SEGUIMIENTO):
        return [_("Cumplir lo que acordó en el convenio, en las fechas pactadas.")]
    if caso.estado in (Estado.RECIBIDA, Estado.EN_REVISION, Estado.CLASIFICADA, Estado.ASIGNADA):
        return [_("Nada por ahora. Tenga a la mano su teléfono: podemos llamarle.")]
    if caso.abierto:
        return [_("Nada por ahora. Le avisaremos cuando haya una novedad.")]
    return []


def _plazo(caso: Caso) -> date | None:
    """Fecha límite del procedimiento de mediación (se muestra mientras sigue abierto)."""
    if caso.tipo != TipoCaso.MEDIACION or not caso.abierto:
        return None
    return caso.vence_el()


# La marca del navegador que consulta va en su propia cookie (de sesión del navegador: se
# borra al cerrarlo), no en una sesión de la base: consultar no escribe nada más que los
# contadores de intentos.
COOKIE_MARCA = "consulta_marca"
_FORMA_MARCA = re.compile(r"[A-Za-z0-9_-]{22}")


def marca_recibida(request) -> str | None:
    """La marca que trae la petición, si tiene la forma de una emitida."""
    marca = request.COOKIES.get(COOKIE_MARCA, "")
    return marca if _FORMA_MARCA.fullmatch(marca) else None


def con_marca(request, responder):
    """`responder(marca)` con la marca de este navegador; si no traía una, se le crea y se
    le envía en la respuesta."""
    marca = marca_recibida(request)
    if marca is not None:
        return responder(marca)
    marca = secrets.token_urlsafe(16)
    respuesta = responder(marca)
    respuesta.set_cookie(
        COOKIE_MARCA,
        marca,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return respuesta


def enlace_documento(caso: Caso, documento: Documento, *, firmado: bool, sesion: str) -> str:
    """Enlace firmado de descarga: vale MINUTOS_ENLACE y deja de valer si se reexpide el
    código (lleva la fecha de emisión del código vigente)."""
    token = signing.dumps(
        {
            "c": caso.pk,
            "d": documento.pk,
            "f": int(firmado),
            "e": caso.codigo_emitido_en.isoformat(),
            "s": sesion,
        },
        salt=_SAL_ENLACE,
        compress=True,
    )
    return reverse("portal:documento", args=[token])


def huella_de_sal(sal: str) -> str:
    """Lo que un enlace de una solicitud ARCO guarda del código vigente: reexpedirlo (sal
    nueva) lo invalida, y el enlace no revela la sal."""
    return hashlib.sha256(f"enlace:{sal}".encode()).hexdigest()[:20]


def enlace_documento_arco(solicitud, documento: Documento, *, sesion: str) -> str:
    """Enlace firmado a un documento de una solicitud ARCO (la respuesta o el anexo de sus
    datos), con las mismas reglas que los de un caso."""
    token = signing.dumps(
        {
            "a": solicitud.pk,
            "d": documento.pk,
            "f": 0,
            "e": huella_de_sal(solicitud.codigo_sal),
            "s": sesion,
        },
        salt=_SAL_ENLACE,
        compress=True,
    )
    return reverse("portal:documento", args=[token])


def documento_de_enlace(token: str, *, sesion: str | None) -> tuple[Documento, bool] | None:
    """El documento de un enlace vigente, o None (vencido, alterado, de otra sesión o con
    el código ya reexpedido)."""
    if not token.isascii() or len(token) > _MAX_TOKEN:
        return None
    try:
        datos = signing.loads(token, salt=_SAL_ENLACE, max_age=MINUTOS_ENLACE * 60)
        dueno = entero_ascii(datos["a"] if "a" in datos else datos["c"])
        pk, firmado, emitido = entero_ascii(datos["d"]), bool(datos["f"]), str(datos["e"])
        if not sesion or not hmac.compare_digest(str(datos["s"]), sesion):
            return None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if dueno is None or pk is None:
        return None
    documento = documento_por_id(pk=pk)
    if documento is None:
        return None
    if "a" in datos:
        solicitud = documento.solicitud if documento.solicitud_id == dueno else None
        if solicitud is None or huella_de_sal(solicitud.codigo_sal) != emitido:
            return None
        return (documento, False) if documento in documentos_de_la_respuesta(solicitud) else None
    if documento.caso_id != dueno or documento.caso.codigo_emitido_en.isoformat() != emitido:
        return None
    if documento not in _documentos_permitidos(documento.caso):
        return None
    return documento, firmado


def documentos_de_la_respuesta(solicitud) -> list[Documento]:
    """Lo que la persona descarga de su solicitud ARCO ya respondida: la versión más
    reciente de la respuesta y, si se le entregaron sus datos, la del anexo."""
    if solicitud.respondida_en is None:
        return []
    ultimos: dict[str, Documento] = {}
    for documento in documentos_de_solicitud(solicitud=solicitud):
        ultimos.setdefault(documento.tipo, documento)
    return [
        ultimos[t] for t in (TipoDocumento.RESPUESTA_ARCO, TipoDocumento.DATOS_ARCO) if t in ultimos
    ]


def documentos_arco(solicitud, sesion: str) -> list[DocumentoPublico]:
    nombres = {
        TipoDocumento.RESPUESTA_ARCO: _("Respuesta a su solicitud (PDF)"),
        TipoDocumento.DATOS_ARCO: _("Sus datos personales (PDF)"),
    }
    return [
        DocumentoPublico(
            nombre=nombres[d.tipo],
            url=enlace_documento_arco(solicitud, d, sesion=sesion),
            listo=d.estado == EstadoDocumento.LISTO,
        )
        for d in documentos_de_la_respuesta(solicitud)
    ]


def _documentos_permitidos(caso: Caso) -> list[Documento]:
    """El acuse más reciente y, si hay convenio firmado, el ejemplar firmado más reciente."""
    return [d for d in acuse_y_convenio_firmado(caso=caso) if d is not None]


def _documentos(caso: Caso, sesion: str) -> list[DocumentoPublico]:
    lista = []
    for documento in _documentos_permitidos(caso):
        if documento.tipo == TipoDocumento.ACUSE:
            lista.append(
                DocumentoPublico(
                    nombre=_("Acuse de su solicitud (PDF)"),
                    url=enlace_documento(caso, documento, firmado=False, sesion=sesion),
                    listo=documento.estado == EstadoDocumento.LISTO,
                )
            )
        else:
            lista.append(
                DocumentoPublico(
                    nombre=_("Su copia del convenio firmado"),
                    url=enlace_documento(caso, documento, firmado=True, sesion=sesion),
                    listo=True,
                )
            )
    return lista


def estado_publico(caso: Caso, *, sesion: str) -> EstadoPublico:
    """`sesion`: la marca de la sesión del navegador que consulta (ata los enlaces)."""
    proxima = _proxima_sesion(caso)
    return EstadoPublico(
        caso=caso,
        pasos=_pasos(caso),
        proxima_sesion=proxima,
        pendientes=_pendientes(caso, proxima),
        documentos=_documentos(caso, sesion),
        plazo=_plazo(caso),
    )

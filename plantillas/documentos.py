"""Qué documentos hay, con qué plantilla y versión, cuándo se pueden pedir desde el caso y
qué les falta antes de generarse. Lo que lleva cada uno está en `contextos`."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _

from casos.models import (
    Caso,
    CausaConclusion,
    Cumplimiento,
    Estado,
    EstadoSesion,
    RespuestaInvitacion,
    RolParte,
    TipoCaso,
)
from casos.services.comun import plazo
from casos.services.mediacion import faltantes_convenio

from . import contextos
from .models import Documento, TipoDocumento

# --- Instancias: qué se puede pedir ahora desde el caso ----------------------------------


@dataclass(frozen=True)
class Instancia:
    """Un documento concreto que se puede pedir: la referencia distingue, por ejemplo, la
    invitación del intento 2 de la del intento 1, o la constancia de cada sesión."""

    referencia: str
    etiqueta: str


UNICA = Instancia("", "")


def _es_mediacion(caso: Caso) -> bool:
    return caso.tipo == TipoCaso.MEDIACION


def _siempre(caso: Caso) -> list[Instancia]:
    return [UNICA]


def _invitaciones(caso: Caso) -> list[Instancia]:
    """Los intentos ya registrados (su invitación sale con la constancia de entrega llena) y,
    mientras se esté invitando, el siguiente intento."""
    if not _es_mediacion(caso):
        return []
    hechos = caso.invitaciones.count()
    intentos = list(range(1, hechos + 1))
    # Tras una respuesta (aceptó o no aceptó) ya no hay otro intento que ofrecer.
    respondida = caso.invitaciones.filter(
        respuesta__in=[RespuestaInvitacion.ACEPTA, RespuestaInvitacion.RECHAZA]
    ).exists()
    invitando = caso.estado in (Estado.ADMITIDA, Estado.INVITACION) and not respondida
    if invitando and hechos < plazo("INVITACION_INTENTOS", caso=caso):
        intentos.append(hechos + 1)
    return [Instancia(str(n), _("intento %(n)d") % {"n": n}) for n in intentos]


def _sesion_inicial(caso: Caso):
    return (
        caso.sesiones.filter(estado__in=[EstadoSesion.PROGRAMADA, EstadoSesion.CELEBRADA])
        .order_by("numero")
        .first()
    )


def _consentimiento(caso: Caso) -> list[Instancia]:
    sesion = _sesion_inicial(caso) if _es_mediacion(caso) else None
    if sesion is None:
        return []
    return [Instancia(str(sesion.numero), _("sesión %(n)d") % {"n": sesion.numero})]


def _sesiones_en(estado: str) -> Callable[[Caso], list[Instancia]]:
    def instancias(caso: Caso) -> list[Instancia]:
        if not _es_mediacion(caso):
            return []
        return [
            Instancia(str(n), _("sesión %(n)d") % {"n": n})
            for n in caso.sesiones.filter(estado=estado)
            .order_by("numero")
            .values_list("numero", flat=True)
        ]

    return instancias


def _con_convenio(caso: Caso) -> list[Instancia]:
    return [UNICA] if hasattr(caso, "convenio") else []


def _conclusion(caso: Caso) -> list[Instancia]:
    concluido = _es_mediacion(caso) and caso.concluido_en is not None
    if not concluido or caso.causa_conclusion == CausaConclusion.CONVENIO_TOTAL:
        return []
    return [UNICA]


def _cumplimiento(caso: Caso) -> list[Instancia]:
    if not hasattr(caso, "convenio"):
        return []
    clausulas = caso.convenio.clausulas
    # Con una obligación incumplida no hay cumplimiento que hacer constar.
    if clausulas.filter(cumplimiento=Cumplimiento.INCUMPLIDA).exists():
        return []
    verificadas = clausulas.exclude(cumplimiento=Cumplimiento.PENDIENTE)
    return [UNICA] if verificadas.exists() else []


def _de_asesoria(caso: Caso) -> list[Instancia]:
    return [UNICA] if caso.tipo == TipoCaso.ASESORIA else []


def _canalizaciones(caso: Caso) -> list[Instancia]:
    return [
        Instancia(str(c.pk), _("a %(dependencia)s") % {"dependencia": c.dependencia})
        for c in caso.canalizaciones.order_by("enviada_en")
    ]


# --- Lo que falta antes de generar -------------------------------------------------------


def _faltantes_convenio(caso: Caso, referencia: str) -> list[str]:
    return faltantes_convenio(caso)


def _faltantes_invitacion(caso: Caso, referencia: str) -> list[str]:
    faltan = []
    if caso.responsable_id is None:
        faltan.append(_("la persona facilitadora asignada."))
    for parte in caso.partes.order_by("id"):
        if not (parte.domicilio.strip() or parte.correo.strip()):
            faltan.append(
                _("el domicilio o el correo de %(nombre)s (art. 72).") % {"nombre": parte.nombre}
            )
    if not caso.partes.filter(rol=RolParte.INVITADA).exists():
        faltan.append(_("los datos de la otra parte."))
    return faltan


def _faltantes_facilitador(caso: Caso, referencia: str) -> list[str]:
    if caso.responsable_id is None:
        return [_("la persona facilitadora asignada.")]
    return []


@dataclass(frozen=True)
class Definicion:
    plantilla: str
    version: str
    contexto: Callable[[Documento], dict]
    # Qué se puede pedir de este tipo ahora desde el caso; None: no se pide desde un caso.
    instancias: Callable[[Caso], list[Instancia]] | None = None
    faltantes: Callable[[Caso, str], list[str]] | None = None
    formulario: type[forms.Form] | None = None
    inicial: Callable[[Caso, str], dict] | None = None  # valores iniciales del formulario
    # Lo que se anota en `Documento.datos` al pedirlo (p. ej. la sesión que lleva la
    # invitación, para reemplazarla si se corrige la hora antes de avisar).
    al_pedir: Callable[[Caso, str], dict] | None = None


DOCUMENTOS: dict[str, Definicion] = {
    TipoDocumento.ACUSE: Definicion(
        "plantillas/acuse.html", "2026.1", contextos.de_acuse, _siempre
    ),
    TipoDocumento.INVITACION: Definicion(
        "plantillas/invitacion.html",
        "2026.2",
        contextos.de_invitacion,
        _invitaciones,
        faltantes=_faltantes_invitacion,
        al_pedir=contextos.sesion_de_la_invitacion,
    ),
    TipoDocumento.CONSENTIMIENTO: Definicion(
        "plantillas/consentimiento.html",
        "2026.1",
        contextos.de_sesion,
        _consentimiento,
        faltantes=_faltantes_facilitador,
    ),
    TipoDocumento.CONSTANCIA_SESION: Definicion(
        "plantillas/constancia_sesion.html",
        "2026.1",
        contextos.de_sesion,
        _sesiones_en(EstadoSesion.CELEBRADA),
    ),
    TipoDocumento.CONSTANCIA_DIFERIMIENTO: Definicion(
        "plantillas/constancia_diferimiento.html",
        "2026.1",
        contextos.de_sesion,
        _sesiones_en(EstadoSesion.DIFERIDA),
    ),
    TipoDocumento.CONSTANCIA_INASISTENCIA: Definicion(
        "plantillas/constancia_inasistencia.html",
        "2026.1",
        contextos.de_sesion,
        _sesiones_en(EstadoSesion.INASISTENCIA),
    ),
    TipoDocumento.CONVENIO: Definicion(
        "plantillas/convenio.html",
        "2026.1",
        contextos.de_convenio,
        _con_convenio,
        faltantes=_faltantes_convenio,
    ),
    TipoDocumento.CONSTANCIA_CONCLUSION: Definicion(
        "plantillas/constancia_conclusion.html", "2026.1", contextos.de_conclusion, _conclusion
    ),
    TipoDocumento.CONSTANCIA_CUMPLIMIENTO: Definicion(
        "plantillas/constancia_cumplimiento.html",
        "2026.1",
        contextos.de_cumplimiento,
        _cumplimiento,
    ),
    TipoDocumento.FICHA_ASESORIA: Definicion(
        "plantillas/ficha_asesoria.html", "2026.1", contextos.de_ficha, _de_asesoria
    ),
    TipoDocumento.OFICIO_CANALIZACION: Definicion(
        "plantillas/oficio_canalizacion.html",
        "2026.1",
        contextos.de_oficio_canalizacion,
        _canalizaciones,
    ),
    TipoDocumento.OFICIO_REMISION: Definicion(
        "plantillas/oficio_remision.html", "2026.1", contextos.de_oficio_remision
    ),
    # No se pide desde un caso: lo pide el tablero de la Dirección o el beat mensual.
    TipoDocumento.INFORME_ESTADISTICO: Definicion(
        "plantillas/informe_estadistico.html", "2026.1", contextos.de_informe_estadistico
    ),
    # De una solicitud ARCO: los pide la respuesta (`services.solicitar_documento_arco`).
    TipoDocumento.RESPUESTA_ARCO: Definicion("plantillas/arco.html", "2026.1", contextos.de_arco),
    TipoDocumento.DATOS_ARCO: Definicion("plantillas/arco.html", "2026.1", contextos.de_arco),
}

# Los documentos de una solicitud ARCO (no de un caso).
DOCUMENTOS_ARCO = (TipoDocumento.RESPUESTA_ARCO, TipoDocumento.DATOS_ARCO)


def disponibles(caso: Caso) -> list[tuple[str, str, Instancia]]:
    """(tipo, nombre, instancia) de cada documento que se puede pedir ahora desde el caso."""
    salida = []
    for tipo, definicion in DOCUMENTOS.items():
        if definicion.instancias is None:
            continue
        for instancia in definicion.instancias(caso):
            salida.append((tipo, TipoDocumento(tipo).label, instancia))
    return salida


def instancia_de(caso: Caso, tipo: str, referencia: str) -> Instancia | None:
    definicion = DOCUMENTOS.get(tipo)
    if definicion is None or definicion.instancias is None:
        return None
    return next((i for i in definicion.instancias(caso) if i.referencia == referencia), None)

"""Qué documentos hay, con qué plantilla y versión, qué datos lleva cada uno, cuándo se
pueden pedir desde el caso y qué les falta antes de generarse."""

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casos import codigos
from casos.models import (
    AvisoPrivacidad,
    Caso,
    CausaConclusion,
    Centro,
    Cumplimiento,
    Estado,
    EstadoSesion,
    PerfilMediador,
    RolParte,
    TipoCaso,
)
from casos.plazos import dias_habiles_en_pausa
from casos.selectors import contar_diferimientos
from casos.services.comun import calendario, plazo
from casos.services.mediacion import faltantes_convenio

from .models import Documento, TipoDocumento

# Tipos de archivo que se aceptan (escaneos firmados, logotipo), por sus primeros bytes:
# firma -> (tipo MIME, extensión).
FIRMAS_ARCHIVO = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}
LOGO_MAXIMO = 2 * 1024 * 1024


def codigo_qr(texto: str) -> str:
    """QR como data URI SVG (sin archivos ni red)."""
    import qrcode
    import qrcode.image.svg

    imagen = qrcode.make(texto, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    salida = io.BytesIO()
    imagen.save(salida)
    return "data:image/svg+xml;base64," + base64.b64encode(salida.getvalue()).decode()


def tipo_por_contenido(cabecera: bytes) -> tuple[str, str] | None:
    """(tipo MIME, extensión) según los primeros bytes; None si no es un tipo aceptado."""
    return next((t for firma, t in FIRMAS_ARCHIVO.items() if cabecera.startswith(firma)), None)


def logo_del_centro(centro: Centro) -> str:
    """El logotipo configurado como data URI (PNG o JPEG), o vacío si no hay o no es válido.

    Se lee aquí, del almacenamiento de medios, para que el render no tenga que abrir rutas:
    el fetcher de WeasyPrint solo acepta `data:` y los estáticos del proyecto."""
    if not centro.logo:
        return ""
    try:
        with centro.logo.open("rb") as archivo:
            contenido = archivo.read(LOGO_MAXIMO + 1)
    except OSError:
        return ""
    if len(contenido) > LOGO_MAXIMO:
        return ""
    tipo = tipo_por_contenido(contenido)
    if tipo is None or not tipo[0].startswith("image/"):
        return ""
    return f"data:{tipo[0]};base64," + base64.b64encode(contenido).decode()


def nombre_de(usuario) -> str:
    if usuario is None:
        return ""
    return usuario.get_full_name() or usuario.username


def _comun(documento: Documento) -> dict:
    centro = Centro.actual()
    return {
        "documento": documento,
        "caso": documento.caso,
        "folio": documento.folio,
        "centro": centro,
        "logo": logo_del_centro(centro),
        "ahora": timezone.localtime(),
        "lugar_emision": ", ".join(x for x in (centro.municipio, centro.entidad) if x),
    }


def _facilitador(caso: Caso) -> dict:
    return {
        "facilitador": caso.responsable,
        "nombre_facilitador": nombre_de(caso.responsable),
        "perfil": PerfilMediador.objects.filter(usuario_id=caso.responsable_id).first(),
    }


def _partes(caso: Caso) -> dict:
    partes = list(caso.partes.order_by("id"))
    return {
        "partes": partes,
        "solicitante": next((p for p in partes if p.rol == RolParte.SOLICITANTE), None),
        "invitada": next((p for p in partes if p.rol == RolParte.INVITADA), None),
    }


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
    invitando = caso.estado in (Estado.ADMITIDA, Estado.INVITACION)
    if invitando and hechos < plazo("INVITACION_INTENTOS"):
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
    verificadas = caso.convenio.clausulas.exclude(cumplimiento=Cumplimiento.PENDIENTE)
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


# --- Formulario de la invitación ---------------------------------------------------------


class FormularioInvitacion(forms.Form):
    """Art. 72: la invitación dice fecha y lugar de la sesión a la que se invita."""

    inicio = forms.DateTimeField(
        label=gettext_lazy("Fecha y hora de la sesión a la que se invita"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        error_messages={
            "required": gettext_lazy("Indique la fecha y la hora de la sesión."),
            "invalid": gettext_lazy("Escriba la fecha y la hora como 26/11/2026 10:00."),
        },
    )
    lugar = forms.CharField(
        label=gettext_lazy("Lugar de la sesión"),
        max_length=250,
        error_messages={"required": gettext_lazy("Indique el lugar de la sesión.")},
    )

    def clean_inicio(self):
        inicio = self.cleaned_data["inicio"]
        if inicio <= timezone.now():
            raise forms.ValidationError(_("La sesión debe ser en una fecha futura."))
        motivo = calendario().motivo_inhabil(timezone.localdate(inicio))
        if motivo:
            raise forms.ValidationError(
                _("El %(fecha)s no es día hábil (%(motivo)s).")
                % {"fecha": timezone.localtime(inicio).strftime("%d/%m/%Y"), "motivo": motivo}
            )
        return inicio

    def datos(self) -> dict:
        return {
            "inicio": self.cleaned_data["inicio"].isoformat(),
            "lugar": self.cleaned_data["lugar"].strip(),
        }


def inicial_invitacion(caso: Caso, referencia: str) -> dict:
    """Lo que se capturó en la versión anterior de esa invitación; si no hay, la sesión ya
    programada o el domicilio del centro."""
    anterior = (
        Documento.objects.filter(caso=caso, tipo=TipoDocumento.INVITACION, referencia=referencia)
        .order_by("-version")
        .first()
    )
    if anterior is not None and anterior.datos.get("inicio"):
        return {
            "inicio": timezone.localtime(datetime.fromisoformat(anterior.datos["inicio"])),
            "lugar": anterior.datos.get("lugar", ""),
        }
    sesion = caso.sesiones.filter(estado=EstadoSesion.PROGRAMADA).order_by("inicio").first()
    if sesion is not None:
        return {"inicio": timezone.localtime(sesion.inicio), "lugar": sesion.donde}
    return {"lugar": Centro.actual().domicilio}


# --- Contextos ---------------------------------------------------------------------------


def _acuse(documento: Documento) -> dict:
    caso = documento.caso
    url_consulta = settings.URL_PUBLICA + reverse("portal:consulta") + f"?folio={caso.folio}"
    return {
        **_comun(documento),
        "solicitante": caso.solicitante,
        "codigo": codigos.mostrar_codigo(codigos.derivar_codigo(caso.folio, caso.codigo_sal)),
        "url_consulta": url_consulta,
        "qr": codigo_qr(url_consulta),
        "aviso": AvisoPrivacidad.objects.filter(version=caso.aviso_version).first(),
    }


def _invitacion(documento: Documento) -> dict:
    caso = documento.caso
    intento = int(documento.referencia)
    inicio = documento.datos.get("inicio")
    return {
        **_comun(documento),
        **_partes(caso),
        **_facilitador(caso),
        "intento": intento,
        "intentos_max": plazo("INVITACION_INTENTOS"),
        "sesion_inicio": timezone.localtime(datetime.fromisoformat(inicio)) if inicio else None,
        "sesion_lugar": documento.datos.get("lugar", ""),
        # Si el intento ya se registró, la constancia de entrega sale llena.
        "entrega": caso.invitaciones.filter(intento=intento).first(),
    }


def _sesion(documento: Documento) -> dict:
    caso = documento.caso
    sesion = caso.sesiones.select_related("sala", "mediador").get(numero=documento.referencia)
    return {
        **_comun(documento),
        **_partes(caso),
        "sesion": sesion,
        "facilitador_sesion": nombre_de(sesion.mediador),
        # La facilitó quien figura en la sesión, aunque hoy lleve el caso otra persona.
        "perfil": PerfilMediador.objects.filter(usuario_id=sesion.mediador_id).first(),
        "diferimiento": contar_diferimientos(sesion=sesion) + 1,
        "diferimientos_max": plazo("DIFERIMIENTOS_MAXIMOS"),
        "inasistencias_max": plazo("INASISTENCIAS_CONSECUTIVAS"),
        "siguiente": caso.sesiones.filter(numero__gt=sesion.numero).order_by("numero").first(),
    }


def _convenio(documento: Documento) -> dict:
    caso = documento.caso
    convenio = caso.convenio
    return {
        **_comun(documento),
        **_facilitador(caso),
        "convenio": convenio,
        **_partes(caso),
        "hay_representante": caso.partes.exclude(representante="").exists(),
        "clausulas": list(convenio.clausulas.select_related("obligado").order_by("numero")),
        "fecha": timezone.localtime(convenio.firmado_en)
        if convenio.firmado_en
        else timezone.localtime(),
    }


ANTICIPADAS = {
    CausaConclusion.DESISTIMIENTO,
    CausaConclusion.CONDUCTA,
    CausaConclusion.MUERTE,
    CausaConclusion.PLAZO,
    CausaConclusion.INASISTENCIAS,
    CausaConclusion.OTRA,
}


def clase_de_conclusion(caso: Caso) -> str:
    causa = caso.causa_conclusion
    if causa == CausaConclusion.CONVENIO_PARCIAL:
        return _("con acuerdo parcial")
    if causa in ANTICIPADAS:
        return _("anticipada")
    if causa in (CausaConclusion.NO_ADMITIDA, CausaConclusion.CANALIZADA):
        return _("sin admisión a mediación")
    return _("sin acuerdo")


def _conclusion_ctx(documento: Documento) -> dict:
    caso = documento.caso
    return {
        **_comun(documento),
        **_partes(caso),
        **_facilitador(caso),
        "clase": clase_de_conclusion(caso),
        "sesiones": list(caso.sesiones.order_by("numero")),
        "invitaciones": caso.invitaciones.count(),
        "convenio": getattr(caso, "convenio", None),
    }


def _cumplimiento_ctx(documento: Documento) -> dict:
    caso = documento.caso
    clausulas = list(
        caso.convenio.clausulas.select_related("obligado", "verificada_por").order_by("numero")
    )
    return {
        **_comun(documento),
        **_partes(caso),
        **_facilitador(caso),
        "convenio": caso.convenio,
        "clausulas": clausulas,
        "todas_cumplidas": all(c.cumplimiento == Cumplimiento.CUMPLIDA for c in clausulas),
        "pendientes": sum(c.cumplimiento == Cumplimiento.PENDIENTE for c in clausulas),
    }


def _ficha(documento: Documento) -> dict:
    caso = documento.caso
    return {
        **_comun(documento),
        **_partes(caso),
        "asesor": nombre_de(caso.responsable),
        "canalizaciones": list(caso.canalizaciones.order_by("enviada_en")),
        "esperas": list(caso.esperas.order_by("desde")),
        "dias_en_pausa": dias_habiles_en_pausa(caso),
        "ligados": list(caso.casos_ligados.order_by("recibido_en")),
    }


def _oficio_canalizacion(documento: Documento) -> dict:
    caso = documento.caso
    return {
        **_comun(documento),
        **_partes(caso),
        "canalizacion": caso.canalizaciones.get(pk=documento.referencia),
        "firmante": nombre_de(caso.responsable or documento.solicitado_por),
    }


def _oficio_remision(documento: Documento) -> dict:
    remision = documento.remision
    convenios = list(
        remision.convenios.select_related("caso", "caso__responsable").order_by("caso__folio")
    )
    return {
        **_comun(documento),
        "remision": remision,
        "convenios": convenios,
        "firmante": nombre_de(remision.creada_por),
        "fecha": timezone.localtime(remision.creada_en),
    }


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


DOCUMENTOS: dict[str, Definicion] = {
    TipoDocumento.ACUSE: Definicion("plantillas/acuse.html", "2026.1", _acuse, _siempre),
    TipoDocumento.INVITACION: Definicion(
        "plantillas/invitacion.html",
        "2026.1",
        _invitacion,
        _invitaciones,
        faltantes=_faltantes_invitacion,
        formulario=FormularioInvitacion,
        inicial=inicial_invitacion,
    ),
    TipoDocumento.CONSENTIMIENTO: Definicion(
        "plantillas/consentimiento.html",
        "2026.1",
        _sesion,
        _consentimiento,
        faltantes=_faltantes_facilitador,
    ),
    TipoDocumento.CONSTANCIA_SESION: Definicion(
        "plantillas/constancia_sesion.html",
        "2026.1",
        _sesion,
        _sesiones_en(EstadoSesion.CELEBRADA),
    ),
    TipoDocumento.CONSTANCIA_DIFERIMIENTO: Definicion(
        "plantillas/constancia_diferimiento.html",
        "2026.1",
        _sesion,
        _sesiones_en(EstadoSesion.DIFERIDA),
    ),
    TipoDocumento.CONSTANCIA_INASISTENCIA: Definicion(
        "plantillas/constancia_inasistencia.html",
        "2026.1",
        _sesion,
        _sesiones_en(EstadoSesion.INASISTENCIA),
    ),
    TipoDocumento.CONVENIO: Definicion(
        "plantillas/convenio.html",
        "2026.1",
        _convenio,
        _con_convenio,
        faltantes=_faltantes_convenio,
    ),
    TipoDocumento.CONSTANCIA_CONCLUSION: Definicion(
        "plantillas/constancia_conclusion.html", "2026.1", _conclusion_ctx, _conclusion
    ),
    TipoDocumento.CONSTANCIA_CUMPLIMIENTO: Definicion(
        "plantillas/constancia_cumplimiento.html", "2026.1", _cumplimiento_ctx, _cumplimiento
    ),
    TipoDocumento.FICHA_ASESORIA: Definicion(
        "plantillas/ficha_asesoria.html", "2026.1", _ficha, _de_asesoria
    ),
    TipoDocumento.OFICIO_CANALIZACION: Definicion(
        "plantillas/oficio_canalizacion.html", "2026.1", _oficio_canalizacion, _canalizaciones
    ),
    TipoDocumento.OFICIO_REMISION: Definicion(
        "plantillas/oficio_remision.html", "2026.1", _oficio_remision
    ),
}


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

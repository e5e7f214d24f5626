"""Lo que lleva cada documento: el contexto con que se llena su plantilla al generarse.

Cada función recibe el `Documento` (con su caso, su remisión o su informe) y devuelve el
diccionario de la plantilla; el registro (`documentos.DOCUMENTOS`) dice cuál usa cada tipo.
"""

import base64
import io
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casos import codigos
from casos.models import (
    AvisoPrivacidad,
    Caso,
    CausaConclusion,
    Centro,
    Cumplimiento,
    EstadoSesion,
    PerfilMediador,
    PerfilPersonal,
    RolParte,
)
from casos.plazos import dias_habiles_en_pausa
from casos.selectors import contar_diferimientos
from casos.services.comun import plazo

from . import arco, informes
from .archivos import logo_aceptable, tipo_por_contenido
from .models import Documento

LOGO_MAXIMO = 2 * 1024 * 1024

logger = logging.getLogger(__name__)


def cargo_de(usuario) -> str:
    """El cargo de quien firma, como se anotó en su cuenta (/oficina/); vacío si no tiene."""
    perfil = PerfilPersonal.objects.filter(usuario=usuario).first() if usuario else None
    return perfil.cargo if perfil else ""


def codigo_qr(texto: str) -> str:
    """QR como data URI SVG (sin archivos ni red)."""
    import qrcode
    import qrcode.image.svg

    imagen = qrcode.make(texto, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    salida = io.BytesIO()
    imagen.save(salida)
    return "data:image/svg+xml;base64," + base64.b64encode(salida.getvalue()).decode()


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
    if not logo_aceptable(io.BytesIO(contenido)):
        logger.warning("El logotipo del centro mide demasiados píxeles; no se usa.")
        return ""
    return f"data:{tipo[0]};base64," + base64.b64encode(contenido).decode()


def nombre_de(usuario) -> str:
    if usuario is None:
        return ""
    return usuario.get_full_name() or usuario.username


def _comun(documento: Documento) -> dict:
    """Lo que llevan todos: el encabezado del centro y su logotipo, el folio (del caso, del
    oficio de remisión o del informe) y la hora. `caso` es None si no es de un caso."""
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


# --- Contextos ---------------------------------------------------------------------------


def de_acuse(documento: Documento) -> dict:
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


def sesion_por_invitar(caso: Caso):
    """La sesión a la que invita la invitación: la programada más próxima (con su sala)."""
    return (
        caso.sesiones.filter(estado=EstadoSesion.PROGRAMADA)
        .select_related("sala")
        .order_by("inicio")
        .first()
    )


def sesion_de_la_invitacion(caso: Caso, referencia: str) -> dict:
    """Lo que se anota al pedir la invitación: qué sesión lleva (si ya hay una)."""
    sesion = sesion_por_invitar(caso)
    return {"sesion": sesion.pk} if sesion is not None else {}


def de_invitacion(documento: Documento) -> dict:
    """Art. 72: la invitación dice fecha, hora y lugar de la sesión. Se toman de la sesión
    programada al generarse (nadie los vuelve a escribir); si aún no hay sesión, el documento
    dice cómo se acordará."""
    caso = documento.caso
    intento = int(documento.referencia)
    sesion = sesion_por_invitar(caso)
    return {
        **_comun(documento),
        **_partes(caso),
        **_facilitador(caso),
        "intento": intento,
        "intentos_max": plazo("INVITACION_INTENTOS", caso=caso),
        "sesion": sesion,
        "sesion_inicio": timezone.localtime(sesion.inicio) if sesion else None,
        "sesion_fin": timezone.localtime(sesion.fin) if sesion else None,
        # Si el intento ya se registró, la constancia de entrega sale llena.
        "entrega": caso.invitaciones.filter(intento=intento).first(),
    }


def de_sesion(documento: Documento) -> dict:
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
        "diferimientos_max": plazo("DIFERIMIENTOS_MAXIMOS", caso=caso),
        "inasistencias_max": plazo("INASISTENCIAS_CONSECUTIVAS", caso=caso),
        "siguiente": caso.sesiones.filter(numero__gt=sesion.numero).order_by("numero").first(),
    }


def de_convenio(documento: Documento) -> dict:
    caso = documento.caso
    convenio = caso.convenio
    return {
        **_comun(documento),
        **_facilitador(caso),
        "convenio": convenio,
        **_partes(caso),
        "hay_representante": caso.partes.exclude(representante="").exists(),
        "clausulas": list(convenio.clausulas.select_related("obligado").order_by("numero")),
        # La fecha y hora en que se firmó; antes de la firma, espacios para anotarlas a
        # mano (nunca la hora en que se hizo el PDF).
        "fecha": timezone.localtime(convenio.firmado_en) if convenio.firmado_en else None,
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


def de_conclusion(documento: Documento) -> dict:
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


def de_cumplimiento(documento: Documento) -> dict:
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


def de_ficha(documento: Documento) -> dict:
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


def de_oficio_canalizacion(documento: Documento) -> dict:
    caso = documento.caso
    return {
        **_comun(documento),
        **_partes(caso),
        "canalizacion": caso.canalizaciones.get(pk=documento.referencia),
        "firmante": nombre_de(caso.responsable or documento.solicitado_por),
        "cargo_firmante": cargo_de(caso.responsable or documento.solicitado_por),
    }


def de_oficio_remision(documento: Documento) -> dict:
    remision = documento.remision
    convenios = list(
        remision.convenios.select_related("caso", "caso__responsable").order_by("caso__folio")
    )
    return {
        **_comun(documento),
        "remision": remision,
        "convenios": convenios,
        "firmante": nombre_de(remision.creada_por),
        "cargo_firmante": cargo_de(remision.creada_por),
        "fecha": timezone.localtime(remision.creada_en),
    }


def de_informe_estadistico(documento: Documento) -> dict:
    """El informe estadístico: el encabezado común y lo que arma la capa de estadística
    (`plantillas.informes`). Sin datos personales: solo cifras."""
    informe = documento.informe
    return {**informes.contexto(informe), **_comun(documento), "informe": informe}


def de_arco(documento: Documento) -> dict:
    """La respuesta a una solicitud ARCO o el anexo con los datos de la persona: el
    encabezado común y lo que arma la capa de privacidad (`plantillas.arco`)."""
    return {
        **arco.contexto(documento),
        **_comun(documento),
        "solicitud": documento.solicitud,
    }

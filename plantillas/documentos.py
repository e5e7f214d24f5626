"""Qué documentos hay, con qué plantilla y versión, y qué datos lleva cada uno."""

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from casos import codigos
from casos.models import AvisoPrivacidad, Centro

from .models import Documento, TipoDocumento


def codigo_qr(texto: str) -> str:
    """QR como data URI SVG (sin archivos ni red)."""
    import qrcode
    import qrcode.image.svg

    imagen = qrcode.make(texto, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    salida = io.BytesIO()
    imagen.save(salida)
    return "data:image/svg+xml;base64," + base64.b64encode(salida.getvalue()).decode()


def _comun(documento: Documento) -> dict:
    caso = documento.caso
    centro = Centro.actual()
    return {
        "documento": documento,
        "caso": caso,
        "centro": centro,
        "logo": f"recurso:{centro.logo.name}" if centro.logo else "",
        "ahora": timezone.localtime(),
    }


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


def _convenio(documento: Documento) -> dict:
    from casos.models import PerfilMediador

    caso = documento.caso
    convenio = caso.convenio
    return {
        **_comun(documento),
        "convenio": convenio,
        "partes": list(caso.partes.order_by("id")),
        "clausulas": list(convenio.clausulas.select_related("obligado").order_by("numero")),
        "facilitador": caso.responsable,
        "perfil": PerfilMediador.objects.filter(usuario_id=caso.responsable_id).first(),
        "fecha": timezone.localtime(convenio.firmado_en)
        if convenio.firmado_en
        else timezone.localtime(),
    }


def _faltantes_convenio(caso) -> list[str]:
    from casos.services.mediacion import faltantes_convenio

    return faltantes_convenio(caso)


@dataclass(frozen=True)
class Definicion:
    plantilla: str
    version: str
    contexto: Callable[[Documento], dict]
    faltantes: Callable | None = None


DOCUMENTOS: dict[str, Definicion] = {
    TipoDocumento.ACUSE: Definicion("plantillas/acuse.html", "2026.1", _acuse),
    TipoDocumento.CONVENIO: Definicion(
        "plantillas/convenio.html", "2026.1", _convenio, faltantes=_faltantes_convenio
    ),
}

"""Tipos de archivo que se aceptan (escaneos firmados, logotipo), por sus primeros bytes, y
cuánto pueden medir las imágenes."""

from django.conf import settings
from django.utils.translation import gettext

from casos.models import exigir_pixeles

# firma -> (tipo MIME, extensión).
FIRMAS_ARCHIVO = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}


def tipo_por_contenido(cabecera: bytes) -> tuple[str, str] | None:
    """(tipo MIME, extensión) según los primeros bytes; None si no es un tipo aceptado."""
    return next((t for firma, t in FIRMAS_ARCHIVO.items() if cabecera.startswith(firma)), None)


def revisar_escaneo(archivo) -> None:
    """Error de validación si el escaneo es una imagen de más de ESCANEO_MAX_MEGAPIXELES."""
    exigir_pixeles(
        archivo,
        maximo_mp=settings.ESCANEO_MAX_MEGAPIXELES,
        que=gettext("La imagen"),
        consejo=gettext("Escanee a menor resolución (200 a 300 ppp bastan) o suba un PDF."),
    )


def logo_aceptable(archivo) -> bool:
    """Si el logotipo cabe en LOGO_MAX_MEGAPIXELES (el render no debe decodificar otro)."""
    from django.core.exceptions import ValidationError

    try:
        exigir_pixeles(archivo, maximo_mp=settings.LOGO_MAX_MEGAPIXELES, que="", consejo="")
    except ValidationError:
        return False
    return True

"""Tipos de archivo que se aceptan (escaneos firmados, logotipo), por sus primeros bytes."""

# firma -> (tipo MIME, extensión).
FIRMAS_ARCHIVO = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}


def tipo_por_contenido(cabecera: bytes) -> tuple[str, str] | None:
    """(tipo MIME, extensión) según los primeros bytes; None si no es un tipo aceptado."""
    return next((t for firma, t in FIRMAS_ARCHIVO.items() if cabecera.startswith(firma)), None)

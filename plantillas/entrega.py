"""Entregar al navegador el PDF de un documento o su ejemplar firmado.

Lo usan las descargas del personal y las del portal ciudadano; quién puede pedir cada archivo
lo decide quien llama. Mientras el PDF no está listo se muestra «generando…» (202) o la
falla (503)."""

from django.http import FileResponse, Http404
from django.shortcuts import render

from .models import Documento, EstadoDocumento


def entregar_archivo(request, documento: Documento, *, firmado: bool = False):
    """La respuesta con el archivo, sin caché y con su tipo real (nada de adivinarlo)."""
    if firmado:
        if not documento.firmado:
            raise Http404
        archivo, tipo = documento.firmado, documento.firmado_tipo
        nombre = documento.firmado.name.rsplit("/", 1)[-1]
    else:
        if documento.estado != EstadoDocumento.LISTO:
            return render(
                request,
                "plantillas/generando.html",
                {"documento": documento},
                status=202 if documento.estado != EstadoDocumento.FALLIDO else 503,
            )
        archivo, tipo, nombre = documento.archivo, "application/pdf", documento.nombre_archivo
    respuesta = FileResponse(
        archivo.open("rb"), content_type=tipo, as_attachment=False, filename=nombre
    )
    respuesta["Cache-Control"] = "private, no-store"
    respuesta["X-Content-Type-Options"] = "nosniff"
    return respuesta

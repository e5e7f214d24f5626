"""Entregar al navegador el PDF de un documento o su ejemplar firmado.

Lo usan las descargas del personal y las del portal ciudadano; quién puede pedir cada archivo
lo decide quien llama. Mientras el PDF no está listo se muestra «generando…» (202) o la
falla (503)."""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

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
    respuesta = _respuesta_del_archivo(archivo, tipo, nombre)
    respuesta["Cache-Control"] = "private, no-store"
    respuesta["X-Content-Type-Options"] = "nosniff"
    return respuesta


def entregar_privado(archivo, tipo: str, nombre: str) -> HttpResponse:
    """Un archivo privado que no es de un expediente (p. ej. la constancia de certificación de
    una persona facilitadora): quien llama ya revisó el permiso y dejó la bitácora."""
    respuesta = _respuesta_del_archivo(archivo, tipo, nombre)
    respuesta["Cache-Control"] = "private, no-store"
    respuesta["X-Content-Type-Options"] = "nosniff"
    return respuesta


def _respuesta_del_archivo(archivo, tipo: str, nombre: str) -> HttpResponse:
    """Django entrega los bytes, o (en producción, si se configuró) se los pasa al servidor
    web con X-Accel-Redirect (nginx) o X-Sendfile (Apache): la vista ya aplicó la política
    y dejó la bitácora; el servidor solo copia el archivo desde una ubicación interna que no
    se puede pedir desde fuera."""
    modo = settings.ARCHIVOS_ENTREGA
    if modo == "django":
        return FileResponse(
            archivo.open("rb"), content_type=tipo, as_attachment=False, filename=nombre
        )
    respuesta = HttpResponse(content_type=tipo)
    respuesta["Content-Disposition"] = content_disposition_header(False, nombre)
    if modo == "x-accel-redirect":
        respuesta["X-Accel-Redirect"] = quote(settings.ARCHIVOS_PREFIJO_INTERNO + archivo.name)
    else:
        respuesta["X-Sendfile"] = archivo.path
    return respuesta

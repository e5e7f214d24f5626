"""Descarga de documentos: el personal desde el expediente; el ciudadano, su acuse desde la
página de confirmación. Mientras se genera, una página que se actualiza sola."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from casos import codigo_en_sesion, selectors
from casos.models import Caso
from casos.permisos import requiere_permiso

from .models import Documento, EstadoDocumento, TipoDocumento


def _entregar(request, documento: Documento):
    if documento.estado != EstadoDocumento.LISTO:
        return render(
            request,
            "plantillas/generando.html",
            {"documento": documento},
            status=202 if documento.estado != EstadoDocumento.FALLIDO else 503,
        )
    respuesta = FileResponse(
        documento.archivo.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=documento.nombre_archivo,
    )
    respuesta["Cache-Control"] = "private, no-store"
    return respuesta


@requiere_permiso("casos.view_caso")
@never_cache
def descargar(request, pk):
    documento = get_object_or_404(Documento.objects.select_related("caso"), pk=pk)
    selectors.caso_para_personal(usuario=request.user, folio=documento.caso.folio)
    return _entregar(request, documento)


def ultimo_acuse(caso: Caso) -> Documento | None:
    return (
        Documento.objects.filter(caso=caso, tipo=TipoDocumento.ACUSE).order_by("-version").first()
    )


@never_cache
def acuse_ciudadano(request):
    """El acuse de la solicitud que esta sesión acaba de enviar (lleva el código de consulta)."""
    from portal.views import SESION_SOLICITUD

    folios = codigo_en_sesion.folios(request, SESION_SOLICITUD)
    caso = Caso.objects.filter(folio=folios[-1]).first() if folios else None
    if caso is None or codigo_en_sesion.codigo_visible(request, SESION_SOLICITUD, caso) is None:
        raise Http404
    documento = ultimo_acuse(caso)
    if documento is None:
        raise Http404
    return _entregar(request, documento)


@requiere_permiso("casos.view_caso")
def generar(request, folio, tipo):
    """Pide una versión nueva de un documento del caso (quien lo lleva o la coordinación)."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from .services import solicitar_documento

    if request.method != "POST" or tipo not in TipoDocumento.values:
        raise Http404
    caso = selectors.caso_para_personal(usuario=request.user, folio=folio)
    if not selectors.puede_actuar_en(request.user, caso):
        raise PermissionDenied
    try:
        documento = solicitar_documento(caso=caso, tipo=tipo, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Se está generando %(doc)s (versión %(v)d).")
            % {"doc": documento.get_tipo_display().lower(), "v": documento.version},
        )
    return redirect("casos:detalle", folio=caso.folio)

"""La descarga de los datos de una persona (acceso y portabilidad) para el personal que
atiende la solicitud ARCO: un archivo JSON, solo con la identidad ya acreditada."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casos import acceso
from casos.models import TipoEventoARCO
from casos.permisos import requiere_permiso
from casos.services.privacidad import casos_de, registrar_evento

from .. import selectors
from ..exportar import como_json

VISTA = "arco_exportacion"


@requiere_permiso(acceso.ATENDER_ARCO)
@require_GET
@never_cache
def exportacion(request, folio):
    """El JSON con los datos de la persona titular. Deja el hecho en la línea de tiempo de la
    solicitud y un renglón en la bitácora de cada caso de donde salieron los datos."""
    solicitud = selectors.solicitud_para_personal(folio)
    if not solicitud.identidad_acreditada:
        return render(
            request,
            "privacidad/exportacion_sin_identidad.html",
            {"solicitud": solicitud},
            status=409,
        )
    contenido = como_json(solicitud)
    casos = casos_de(solicitud)
    registrar_evento(
        solicitud=solicitud,
        tipo=TipoEventoARCO.EXPORTACION,
        descripcion=_("Se descargaron los datos de la persona en JSON (%(n)d caso(s)).")
        % {"n": len(casos)},
        actor=request.user,
        datos={"casos": [c.folio for c in casos], "bytes": len(contenido)},
    )
    acceso.registrar_acceso(
        usuario=request.user, casos=casos, vista=VISTA, request=request, objeto=solicitud.folio
    )
    nombre = f"{solicitud.folio}-datos-{timezone.localdate():%Y%m%d}.json"
    respuesta = HttpResponse(contenido, content_type="application/json; charset=utf-8")
    respuesta["Content-Disposition"] = content_disposition_header(True, nombre)
    respuesta["Cache-Control"] = "private, no-store"
    respuesta["X-Content-Type-Options"] = "nosniff"
    return respuesta

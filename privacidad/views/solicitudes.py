"""La página de una solicitud ARCO para quien atiende los derechos ARCO."""

from django.shortcuts import render

from casos import acceso
from casos.permisos import requiere_permiso
from casos.services import privacidad as arco

from .. import selectors
from .pasos import plazos_de


@requiere_permiso("casos.view_caso", "casos.atender_arco")
def detalle(request, folio):
    """La solicitud: sus datos, sus plazos, su línea de tiempo y sus tareas abiertas. Los
    datos identificados de la persona son de casos: cada uno queda en la bitácora."""
    solicitud = selectors.solicitud_por_folio(folio)
    acceso.registrar_acceso(
        usuario=request.user,
        casos=arco.casos_de(solicitud),
        vista="arco",
        request=request,
        objeto=solicitud.folio,
    )
    contexto = {
        "solicitud": solicitud,
        "plazos": plazos_de(solicitud),
        "eventos": solicitud.eventos.select_related("actor"),
        "tareas": selectors.tareas_abiertas(solicitud),
    }
    return render(request, "privacidad/detalle.html", contexto)

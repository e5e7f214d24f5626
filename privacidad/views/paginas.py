"""Páginas del personal para las solicitudes de derechos ARCO: la lista con sus plazos, la
captura por teléfono o en persona y el detalle de cada solicitud."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from casos import acceso
from casos.calendario import Calendario
from casos.models import AvisoPrivacidad
from casos.permisos import requiere_permiso
from casos.services import privacidad as servicios
from casos.telefonos import mostrar_telefono
from nucleo.entradas import entero_ascii

from .. import codigo_en_sesion, selectors
from ..forms import FiltroSolicitudesForm, SolicitudARCOPersonalForm

ATENDER = acceso.ATENDER_ARCO
CAPTURAR = "casos.capturar_solicitud"
RECIENTES = "arco_recientes"
POR_PAGINA = 25


def _puede_capturar(usuario) -> bool:
    return usuario.has_perm(ATENDER) or usuario.has_perm(CAPTURAR)


def _exigir_captura(vista):
    """Quien atiende los derechos ARCO o quien captura solicitudes (la operadora de la
    línea): cualquiera de los dos permisos. Anónimo: a la página de entrada; sin ninguno, 403."""

    @wraps(vista)
    def envoltura(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not _puede_capturar(request.user):
            raise PermissionDenied
        return vista(request, *args, **kwargs)

    return envoltura


@requiere_permiso(ATENDER)
def lista(request):
    """Solicitudes con filtros (estado, derecho, folio o nombre, vencidas o por vencer) y el
    plazo que corre en cada una, en días hábiles."""
    form = FiltroSolicitudesForm(request.GET or None)
    filtros = form.cleaned_data if form.is_valid() else {}
    solicitudes = selectors.buscar_solicitudes(
        texto=filtros.get("q", ""),
        estado=filtros.get("estado", ""),
        derecho=filtros.get("derecho", ""),
    )
    hoy = timezone.localdate()
    calendario = Calendario()
    numero = entero_ascii(request.GET.get("pagina")) or 1
    plazo = filtros.get("plazo", "")
    if plazo:
        # El plazo se cuenta en días hábiles (calendario y cifras fechadas), no en la base:
        # se calcula para las abiertas que pasan los demás filtros y luego se pagina.
        todas = selectors.con_plazos(
            solicitudes.filter(estado__in=selectors.ESTADOS_CON_PLAZO),
            hoy=hoy,
            calendario=calendario,
        )
        pagina = Paginator(
            selectors.filtrar_por_plazo(todas, plazo, hoy=hoy, calendario=calendario),
            POR_PAGINA,
        ).get_page(numero)
    else:
        pagina = Paginator(solicitudes, POR_PAGINA).get_page(numero)
        pagina.object_list = selectors.con_plazos(
            pagina.object_list, hoy=hoy, calendario=calendario
        )
    return render(
        request,
        "privacidad/lista.html",
        {
            "form": form,
            "pagina": pagina,
            "hay_filtros": any(filtros.values()),
            "puede_capturar": _puede_capturar(request.user),
        },
    )


@_exigir_captura
@require_http_methods(["GET", "POST"])
def nueva(request):
    """Captura de una solicitud ARCO que llega por teléfono, a la oficina o a un módulo."""
    aviso = AvisoPrivacidad.vigente()
    form = SolicitudARCOPersonalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recibida = servicios.recibir_solicitud_arco(
                **form.solicitud(canal=form.cleaned_data["canal"], aviso=aviso, actor=request.user)
            )
        except ValidationError as error:
            form.agregar_errores_servicio(error)
        else:
            codigo_en_sesion.recordar(request, RECIENTES, recibida.solicitud, maximo=20)
            return redirect("privacidad:recibida", folio=recibida.solicitud.folio)
    return render(
        request,
        "privacidad/nueva.html",
        {"form": form, "aviso": aviso, "dias_respuesta": selectors.dias_de_respuesta()},
        status=400 if request.method == "POST" and form.errors else 200,
    )


@_exigir_captura
def recibida(request, folio: str):
    """Folio y código en grande, para dictarlos a la persona (solo en la sesión que capturó y
    por poco tiempo)."""
    solicitud = selectors.solicitud_para_personal(folio)
    codigo = codigo_en_sesion.codigo_visible(request, RECIENTES, solicitud)
    if codigo is None:
        raise Http404
    return render(
        request,
        "privacidad/recibida.html",
        {
            "solicitud": solicitud,
            "codigo": codigo,
            "dias_respuesta": selectors.dias_de_respuesta(
                timezone.localdate(solicitud.recibida_en)
            ),
            "puede_atender": request.user.has_perm(ATENDER),
        },
    )


@requiere_permiso(ATENDER)
def detalle(request, folio: str):
    """La solicitud completa: titular, lo que pide, identidad, plazos, línea de tiempo, los
    datos identificados en los casos (su apertura queda en la bitácora de cada caso) y las
    tareas abiertas de su trámite."""
    solicitud = selectors.solicitud_para_personal(folio)
    if solicitud.folio != folio:
        return redirect("privacidad:detalle", folio=solicitud.folio)
    partes = selectors.partes_identificadas(solicitud)
    ve_bloqueados = request.user.has_perm("casos.ver_datos_bloqueados")
    casos = list({p.caso_id: p.caso for p in partes}.values())
    acceso.registrar_acceso(
        usuario=request.user, casos=casos, vista="arco", request=request, objeto=solicitud.folio
    )
    return render(
        request,
        "privacidad/detalle.html",
        {
            "solicitud": solicitud,
            "telefono": mostrar_telefono(solicitud.telefono),
            "plazos": selectors.plazos_de(solicitud),
            "eventos": selectors.eventos_de(solicitud),
            "partes": [
                (p, mostrar_telefono(p.telefono), ve_bloqueados or p.bloqueada_en is None)
                for p in partes
            ],
            "tareas": selectors.tareas_abiertas(solicitud),
        },
    )

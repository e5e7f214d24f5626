"""Vistas del personal: recepción por teléfono y módulo, búsqueda y expediente."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import codigo_en_sesion, codigos, selectors, services
from .forms import BusquedaForm, SolicitudPersonalForm
from .models import AvisoPrivacidad, Canal, Caso, Estado
from .permisos import requiere_permiso
from .telefonos import intentar_normalizar, mostrar_telefono

RECIENTES = "recepciones_recientes"


@requiere_permiso("casos.capturar_solicitud")
def nueva_solicitud(request, canal: str = Canal.TELEFONO):
    """Captura de una llamada (o de una persona en módulo) en menos de un minuto."""
    con_modulo = canal == Canal.MODULO
    aviso = AvisoPrivacidad.vigente()
    duplicados: tuple[Caso, ...] = ()
    form = SolicitudPersonalForm(request.POST or None, con_modulo=con_modulo)
    if request.method == "POST" and form.is_valid():
        datos = form.cleaned_data
        # La decisión sobre los duplicados solo vale para el teléfono que se revisó.
        revisado = datos["telefono_revisado"] == datos["telefono"]
        try:
            recepcion = services.recibir_con_revision(
                decision=(datos.get("accion") or None) if revisado else None,
                folio_existente=datos.get("caso_existente") or "",
                **form.solicitud(canal=canal, aviso=aviso, actor=request.user),
            )
        except ValidationError as error:
            form.agregar_errores_servicio(error)
        else:
            if recepcion.contacto_en is not None:
                messages.success(
                    request,
                    _("Se registró el contacto en el caso %(folio)s; no se creó otro caso.")
                    % {"folio": recepcion.contacto_en.folio},
                )
                return redirect("casos:detalle", folio=recepcion.contacto_en.folio)
            if recepcion.recibida is not None:
                codigo_en_sesion.recordar(request, RECIENTES, recepcion.recibida.caso, maximo=20)
                return redirect("casos:recibida", folio=recepcion.recibida.caso.folio)
            duplicados = recepcion.duplicados
            if revisado:
                form.add_error("accion", _("Elija qué hacer con esta llamada."))
            else:
                # Teléfono con casos abiertos (o cambiado tras revisar): mostrarlos antes de
                # guardar y pedir qué hacer.
                form = SolicitudPersonalForm(
                    {**request.POST.dict(), "telefono_revisado": datos["telefono"]},
                    con_modulo=con_modulo,
                )
                form.is_valid()
    return render(
        request,
        "casos/nueva_solicitud.html",
        {
            "form": form,
            "canal": canal,
            "con_modulo": con_modulo,
            "aviso": aviso,
            "duplicados": duplicados,
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@requiere_permiso("casos.capturar_solicitud")
def solicitud_recibida(request, folio: str):
    """Folio y código en grande, para dictarlos a la persona."""
    caso = selectors.caso_para_personal(usuario=request.user, folio=folio)
    codigo = codigo_en_sesion.codigo_visible(request, RECIENTES, caso)
    if codigo is None:
        raise Http404
    return render(request, "casos/recibida.html", {"caso": caso, "codigo": codigo})


@requiere_permiso("casos.capturar_solicitud")
@require_GET
def casos_de_telefono(request):
    """Casos abiertos de un teléfono, para avisar de posible duplicado mientras se captura."""
    telefono = intentar_normalizar(request.GET.get("telefono", ""))
    casos = selectors.casos_por_telefono(telefono, solo_abiertos=True)[:10]
    return JsonResponse(
        {
            "telefono": telefono,
            "casos": [
                {
                    "folio": c.folio,
                    "estado": c.get_estado_display(),
                    "recibido_en": c.recibido_en.date().isoformat(),
                    "categoria": str(c.categoria),
                    "solicitante": c.solicitante.nombre if c.solicitante else "",
                    "url": reverse("casos:detalle", args=[c.folio]),
                }
                for c in casos
            ],
        }
    )


@requiere_permiso("casos.view_caso")
def buscar(request):
    form = BusquedaForm(request.GET or None)
    texto = form.cleaned_data["q"] if form.is_valid() else ""
    casos = selectors.buscar_casos(usuario=request.user, texto=texto)
    pagina = Paginator(casos, 25).get_page(request.GET.get("pagina"))
    if texto and pagina.paginator.count == 1 and codigos.normalizar_folio(texto):
        return redirect("casos:detalle", folio=pagina.object_list[0].folio)
    return render(request, "casos/buscar.html", {"form": form, "pagina": pagina, "texto": texto})


@requiere_permiso("casos.view_caso")
def detalle(request, folio: str):
    caso = selectors.caso_para_personal(usuario=request.user, folio=folio)
    services.registrar_acceso(caso=caso, usuario=request.user, vista="detalle")
    return render(
        request,
        "casos/detalle.html",
        {
            "caso": caso,
            "partes": [(p, mostrar_telefono(p.telefono)) for p in caso.partes.all()],
            "eventos": caso.eventos.all(),
            "puede_reexpedir": request.user.has_perm("casos.reexpedir_codigo"),
            "Estado": Estado,
        },
    )


@requiere_permiso("casos.view_caso", "casos.reexpedir_codigo")
@require_POST
def reexpedir_codigo(request, folio: str):
    caso = selectors.caso_para_personal(usuario=request.user, folio=folio)
    codigo = services.reexpedir_codigo(caso=caso, actor=request.user)
    return render(
        request,
        "casos/codigo_reexpedido.html",
        {"caso": caso, "codigo": codigos.mostrar_codigo(codigo)},
    )

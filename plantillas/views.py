"""Documentos: pedirlos desde el caso (con «generando…» y luego el enlace), descargarlos,
subir el ejemplar firmado, y el oficio de remisión de convenios de la coordinación. El acuse
del ciudadano se descarga desde el portal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from casos import acceso
from casos.models import Centro
from casos.permisos import requiere_permiso
from casos.selectors import caso_para_personal, puede_actuar_en

from . import selectors, services
from .documentos import DOCUMENTOS, instancia_de
from .entrega import entregar_archivo
from .forms import FormularioFirmado, FormularioRemision
from .models import EstadoDocumento, TipoDocumento
from .selectors import REMITIR


@requiere_permiso("casos.view_caso")
@never_cache
def descargar(request, pk):
    documento = selectors.documento_para_personal(usuario=request.user, pk=pk)
    _anotar(request, documento, "documento")
    return entregar_archivo(request, documento)


@requiere_permiso("casos.view_caso")
@never_cache
def descargar_firmado(request, pk):
    documento = selectors.documento_para_personal(usuario=request.user, pk=pk)
    _anotar(request, documento, "firmado")
    return entregar_archivo(request, documento, firmado=True)


def _anotar(request, documento, vista: str) -> None:
    """La descarga de un documento del expediente queda en su bitácora (las remisiones al
    registro no son de un solo caso: su permiso es el de remitir). Los de una solicitud ARCO
    llevan datos de los casos donde la persona aparece: cada uno queda en su bitácora."""
    if documento.solicitud_id:
        from casos.services.privacidad import casos_de

        acceso.registrar_acceso(
            usuario=request.user,
            casos=casos_de(documento.solicitud),
            vista="arco_documento",
            request=request,
            objeto=f"documento:{documento.pk}",
        )
    elif documento.caso_id:
        acceso.registrar_acceso(
            usuario=request.user,
            casos=documento.caso,
            vista=vista,
            request=request,
            objeto=f"documento:{documento.pk}",
        )


@requiere_permiso("casos.view_caso")
@never_cache
def estado(request, pk):
    """Para que la página del caso cambie «Generando…» por el enlace sin recargarse."""
    documento = selectors.documento_para_personal(usuario=request.user, pk=pk)
    return JsonResponse(
        {
            "estado": documento.estado,
            "texto": documento.get_estado_display(),
            "url": reverse("plantillas:descargar", args=[documento.pk])
            if documento.estado == EstadoDocumento.LISTO
            else "",
        }
    )


@requiere_permiso("casos.view_caso")
@require_POST
def subir_firmado(request, pk):
    documento = selectors.documento_para_personal(usuario=request.user, pk=pk)
    if not selectors.puede_modificar(usuario=request.user, documento=documento):
        raise PermissionDenied
    formulario = FormularioFirmado(request.POST, request.FILES)
    if formulario.is_valid():
        try:
            services.adjuntar_firmado(
                documento=documento, archivo=formulario.cleaned_data["archivo"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Se guardó el ejemplar firmado; la versión %(v)d de %(doc)s quedó bloqueada.")
                % {"v": documento.version, "doc": documento.descripcion},
            )
    else:
        messages.error(request, " ".join(m for ms in formulario.errors.values() for m in ms))
    if documento.caso_id:
        return redirect(reverse("casos:detalle", args=[documento.caso.folio]) + "#documentos")
    return redirect("plantillas:remisiones")


@requiere_permiso("casos.view_caso")
def generar(request, folio, tipo):
    """Pide una versión nueva de un documento del caso (quien lo lleva o la coordinación).

    Los que necesitan datos (la invitación: fecha y lugar de la sesión) muestran primero su
    formulario; si algo está mal, se vuelve a mostrar con lo escrito y el error junto al campo."""
    definicion = DOCUMENTOS.get(tipo)
    if definicion is None or definicion.instancias is None:
        raise Http404
    caso = caso_para_personal(usuario=request.user, folio=folio)
    if not puede_actuar_en(request.user, caso):
        raise PermissionDenied
    referencia = request.POST.get("referencia", request.GET.get("referencia", ""))
    instancia = instancia_de(caso, tipo, referencia)
    if request.method != "POST" and definicion.formulario is None:
        raise Http404
    if instancia is None:
        messages.error(request, _("Ese documento no corresponde a la etapa en que está el caso."))
        return redirect(reverse("casos:detalle", args=[caso.folio]) + "#documentos")
    formulario = None
    if definicion.formulario is not None:
        if request.method == "POST":
            formulario = definicion.formulario(request.POST)
        else:
            formulario = definicion.formulario(initial=definicion.inicial(caso, referencia))
        if request.method != "POST" or not formulario.is_valid():
            return render(
                request,
                "plantillas/pedir.html",
                {
                    "caso": caso,
                    "formulario": formulario,
                    "tipo": tipo,
                    "nombre": TipoDocumento(tipo).label,
                    "instancia": instancia,
                },
                status=400 if request.method == "POST" else 200,
            )
    try:
        documento = services.solicitar_documento(
            caso=caso,
            tipo=tipo,
            actor=request.user,
            referencia=referencia,
            datos=formulario.datos() if formulario is not None else None,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Se está generando %(doc)s (versión %(v)d).")
            % {"doc": documento.descripcion, "v": documento.version},
        )
    return redirect(reverse("casos:detalle", args=[caso.folio]) + "#documentos")


@requiere_permiso(REMITIR)
def remisiones(request):
    """Oficios de remisión de convenios al registro: los hechos y uno nuevo."""
    centro = Centro.actual()
    if request.method == "POST":
        formulario = FormularioRemision(request.POST)
        if formulario.is_valid():
            try:
                remision = services.remitir_convenios(
                    actor=request.user,
                    convenios=list(formulario.cleaned_data["convenios"]),
                    destinatario=formulario.cleaned_data["destinatario"],
                )
            except ValidationError as error:
                for mensaje in error.messages:
                    formulario.add_error(None, mensaje)
            else:
                messages.success(
                    request,
                    _("Se está generando el oficio %(n)s con %(c)d convenio(s).")
                    % {"n": remision.numero, "c": remision.convenios.count()},
                )
                return redirect("plantillas:remisiones")
    else:
        formulario = FormularioRemision(initial={"destinatario": centro.autoridad_registro})
    hechas = selectors.remisiones_recientes(usuario=request.user)
    return render(
        request,
        "plantillas/remisiones.html",
        {"formulario": formulario, "remisiones": hechas},
        status=400 if request.method == "POST" else 200,
    )


@requiere_permiso(REMITIR)
def reloj_registro(request):
    """Los convenios en el registro (o por enviarse) con el término que corre sobre cada uno,
    lo vencido primero. Cada folio mostrado queda en la bitácora de accesos."""
    renglones = selectors.reloj_del_registro(usuario=request.user)
    acceso.registrar_acceso(
        usuario=request.user,
        casos=[r.convenio.caso for r in renglones],
        vista="reloj_registro",
        request=request,
    )
    return render(
        request,
        "plantillas/reloj_registro.html",
        {"renglones": renglones, "vencidos": sum(r.vencido for r in renglones)},
    )

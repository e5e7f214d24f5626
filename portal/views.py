"""Páginas públicas: solicitud ciudadana, consulta por folio y aviso de privacidad."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casos import codigos, limites, selectors, services
from casos.forms import ConsultaForm, SolicitudPublicaForm
from casos.models import AvisoPrivacidad, Canal, Caso

SESION_SOLICITUD = "solicitud_publica_folio"


def inicio(request):
    if request.user.is_authenticated and selectors.puede_ver_casos(request.user):
        return redirect("casos:buscar")
    return render(request, "portal/inicio.html")


def privacidad(request):
    return render(request, "portal/privacidad.html", {"aviso": AvisoPrivacidad.vigente()})


@never_cache
@require_http_methods(["GET", "POST"])
def solicitud(request):
    """Formulario ciudadano sin cuenta: trampa para robots y límite por IP."""
    aviso = AvisoPrivacidad.vigente()
    ip = limites.ip_cliente(request)
    ventana = settings.SOLICITUD_PUBLICA_VENTANA
    if request.method != "POST":
        form = SolicitudPublicaForm()
        return render(request, "portal/solicitud.html", {"form": form, "aviso": aviso})

    form = SolicitudPublicaForm(request.POST)
    if limites.excedido("solicitud", ip, settings.SOLICITUD_PUBLICA_LIMITE, ventana):
        form.is_valid()
        form.add_error(
            None,
            _(
                "Se han enviado demasiadas solicitudes desde esta conexión. Espere una hora o "
                "llame a la oficina para registrar su solicitud."
            ),
        )
        return render(request, "portal/solicitud.html", {"form": form, "aviso": aviso}, status=429)
    if form.es_robot():
        limites.sumar("solicitud", ip, ventana)
        form.add_error(None, _("No pudimos procesar la solicitud. Intente de nuevo."))
        return render(request, "portal/solicitud.html", {"form": form, "aviso": aviso}, status=400)
    if form.is_valid():
        try:
            recibida = services.recibir_solicitud(
                tipo=form.cleaned_data["tipo"],
                canal=Canal.WEB,
                categoria=form.cleaned_data["categoria"],
                localidad=form.cleaned_data["localidad"],
                resumen=form.cleaned_data["resumen"],
                solicitante=form.solicitante(),
                otra_parte=form.otra_parte(),
                aviso=aviso,
            )
        except ValidationError as error:
            form.agregar_errores_servicio(error)
        else:
            limites.sumar("solicitud", ip, ventana)
            request.session[SESION_SOLICITUD] = recibida.caso.folio
            return redirect("portal:solicitud_enviada")
    return render(request, "portal/solicitud.html", {"form": form, "aviso": aviso}, status=400)


@never_cache
def solicitud_enviada(request):
    folio = request.session.get(SESION_SOLICITUD)
    caso = Caso.objects.filter(folio=folio).first() if folio else None
    if caso is None:
        return redirect("portal:solicitud")
    codigo = codigos.mostrar_codigo(codigos.derivar_codigo(caso.folio, caso.codigo_sal))
    return render(request, "portal/solicitud_enviada.html", {"caso": caso, "codigo": codigo})


@never_cache
@require_http_methods(["GET", "POST"])
def consulta(request):
    """Estado público por folio + código. Folio o código equivocados: la misma respuesta."""
    ip = limites.ip_cliente(request)
    limite, ventana = settings.CONSULTA_FALLOS_LIMITE, settings.CONSULTA_FALLOS_VENTANA
    if request.method != "POST":
        form = ConsultaForm(initial={"folio": request.GET.get("folio", "")[:30]})
        return render(request, "portal/consulta.html", {"form": form})

    form = ConsultaForm(request.POST)
    if limites.excedido("consulta", ip, limite, ventana):
        form.is_valid()
        form.add_error(
            None,
            _(
                "Demasiados intentos fallidos desde esta conexión. Por seguridad, espere "
                "%(minutos)d minutos e intente de nuevo."
            )
            % {"minutos": ventana // 60},
        )
        return render(request, "portal/consulta.html", {"form": form}, status=429)
    if not form.is_valid():
        return render(request, "portal/consulta.html", {"form": form}, status=400)
    caso = selectors.caso_publico(
        folio=form.cleaned_data["folio"], codigo=form.cleaned_data["codigo"]
    )
    if caso is None:
        limites.sumar("consulta", ip, ventana)
        form.add_error(
            None,
            _(
                "No encontramos una solicitud con ese folio y código. Revise que estén escritos "
                "como aparecen en su acuse."
            ),
        )
        return render(request, "portal/consulta.html", {"form": form}, status=404)
    return render(
        request,
        "portal/estado.html",
        {"caso": caso, "eventos": selectors.eventos_publicos(caso)},
    )

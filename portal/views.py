"""Páginas públicas: solicitud ciudadana (y su acuse), consulta por folio y aviso de
privacidad."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods

from casos import codigo_en_sesion, codigos, limites, selectors, services
from casos.forms import CodigoPerdidoForm, ConsultaForm, SolicitudPublicaForm
from casos.models import AvisoPrivacidad, Canal, Caso, Centro
from plantillas.archivos import tipo_por_contenido
from plantillas.entrega import entregar_archivo
from plantillas.selectors import ultimo_acuse
from privacidad import selectors as selectors_arco
from privacidad.estado import estado_arco
from privacidad.forms import SolicitudARCOPublicaForm
from privacidad.views.publicas import pagina_solicitud as pagina_solicitud_arco

from . import en_blanco
from .estado import (
    MINUTOS_ENLACE,
    con_marca,
    documento_de_enlace,
    documentos_arco,
    estado_publico,
    marca_recibida,
)

SESION_SOLICITUD = "solicitud_publica"


def inicio(request):
    """El personal va a la página con la que empieza su rol; los demás ven la portada."""
    if request.user.is_authenticated and selectors.puede_ver_casos(request.user):
        from cuentas.selectors import inicio_de

        return redirect(inicio_de(request.user))
    return render(request, "portal/inicio.html")


def privacidad(request):
    return render(request, "portal/privacidad.html", {"aviso": AvisoPrivacidad.vigente()})


def huella_del_formulario(form) -> str:
    """Lo que hace distinto al formulario en blanco: las opciones de cada lista (los
    catálogos activos, tal como se muestran) y el idioma. Dibujar sus campos es lo que más
    cuesta de la página (una plantilla por opción), así que el formulario en blanco se
    guarda dibujado bajo esta huella: un catálogo que cambia da otra huella y se dibuja de
    nuevo en ese mismo momento, en cada proceso."""
    opciones = [
        [(str(valor), str(etiqueta)) for valor, etiqueta in campo.choices]
        for campo in form.fields.values()
        if hasattr(campo, "choices")
    ]
    iniciales = sorted((n, str(v)) for n, v in form.initial.items())
    datos = repr((get_language(), opciones, iniciales)).encode()
    return hashlib.sha256(datos).hexdigest()


def _pagina_solicitud(request, form, status=200):
    contexto = {"form": form, "aviso": AvisoPrivacidad.vigente()}
    if not form.is_bound:
        contexto["huella"] = huella_del_formulario(form)
    return render(request, "portal/solicitud.html", contexto, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def solicitud(request):
    """Formulario ciudadano sin cuenta: trampa para robots y límite por IP."""
    if request.method != "POST":
        if en_blanco.sin_sesion(request):
            return en_blanco.responder(
                request, lambda: _pagina_solicitud(request, SolicitudPublicaForm())
            )
        return _pagina_solicitud(request, SolicitudPublicaForm())

    form = SolicitudPublicaForm(request.POST)
    ip = limites.ip_cliente(request)
    ventana = settings.SOLICITUD_PUBLICA_VENTANA
    if not limites.reservar("solicitud", ip, settings.SOLICITUD_PUBLICA_LIMITE, ventana):
        form.is_valid()
        form.add_error(
            None,
            _(
                "Se han enviado demasiadas solicitudes desde esta conexión. Espere una hora o "
                "llame a la oficina para registrar su solicitud."
            ),
        )
        return _pagina_solicitud(request, form, status=429)
    if form.es_robot():
        form.add_error(None, _("No pudimos procesar la solicitud. Intente de nuevo."))
        return _pagina_solicitud(request, form, status=400)
    if form.is_valid():
        try:
            recibida = services.recibir_solicitud(
                **form.solicitud(canal=Canal.WEB, aviso=AvisoPrivacidad.vigente(), actor=None)
            )
        except ValidationError as error:
            form.agregar_errores_servicio(error)
        else:
            codigo_en_sesion.recordar(request, SESION_SOLICITUD, recibida.caso)
            return redirect("portal:solicitud_enviada")
    # Un formulario con errores no cuenta contra el límite: la persona solo corrige.
    limites.devolver("solicitud", ip, ventana)
    return _pagina_solicitud(request, form, status=400)


def _enviada_en_esta_sesion(request) -> tuple[Caso, str] | None:
    """La última solicitud enviada desde este navegador y su código, mientras se pueda ver."""
    folios = codigo_en_sesion.folios(request, SESION_SOLICITUD)
    caso = selectors.caso_recien_recibido(folio=folios[-1]) if folios else None
    codigo = codigo_en_sesion.codigo_visible(request, SESION_SOLICITUD, caso) if caso else None
    return (caso, codigo) if codigo is not None else None


@never_cache
def solicitud_enviada(request):
    enviada = _enviada_en_esta_sesion(request)
    if enviada is None:
        return redirect("portal:solicitud")
    caso, codigo = enviada
    return render(request, "portal/solicitud_enviada.html", {"caso": caso, "codigo": codigo})


@never_cache
def acuse_ciudadano(request):
    """El acuse de la solicitud que esta sesión acaba de enviar (lleva el código de consulta)."""
    enviada = _enviada_en_esta_sesion(request)
    documento = ultimo_acuse(caso=enviada[0]) if enviada else None
    if documento is None:
        raise Http404
    return entregar_archivo(request, documento)


@never_cache
@require_http_methods(["GET", "POST"])
def consulta(request):
    """Estado público por folio + código. Folio o código equivocados: la misma respuesta.

    Cada intento reserva un fallo (de la conexión, y de la conexión en ese folio) antes de
    comparar, y lo devuelve si acierta: los intentos simultáneos no pueden pasar todos
    antes de que se cuenten. Una sola conexión no puede bloquear el folio de otra persona
    (ver `limites.reservar_consulta`).
    """
    if request.method != "POST":
        form = ConsultaForm(initial={"folio": request.GET.get("folio", "")[:30]})
        return render(request, "portal/consulta.html", {"form": form})

    form = ConsultaForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/consulta.html", {"form": form}, status=400)
    folio_arco = codigos.normalizar_folio(
        form.cleaned_data["folio"], prefijos=codigos.PREFIJOS_ARCO
    )
    folio = folio_arco or codigos.normalizar_folio(form.cleaned_data["folio"]) or "invalido"
    reserva = limites.reservar_consulta(ip=limites.ip_cliente(request), folio=folio)
    if not reserva.permitida:
        form.add_error(
            None,
            _(
                "Demasiados intentos fallidos. Por seguridad, espere %(minutos)d minutos e "
                "intente de nuevo, o llame a la oficina."
            )
            % {"minutos": settings.CONSULTA_FALLOS_VENTANA // 60},
        )
        return render(request, "portal/consulta.html", {"form": form}, status=429)
    if folio_arco:
        return _consulta_arco(request, form, reserva, folio_arco)
    caso = selectors.caso_publico(
        folio=form.cleaned_data["folio"], codigo=form.cleaned_data["codigo"]
    )
    if caso is None:
        return _no_encontrada(request, form)
    reserva.devolver()
    return con_marca(
        request,
        lambda marca: render(
            request,
            "portal/estado.html",
            {
                "estado": estado_publico(caso, sesion=marca),
                "caso": caso,
                "minutos_enlace": MINUTOS_ENLACE,
            },
        ),
    )


def _no_encontrada(request, form):
    form.add_error(
        None,
        _(
            "No encontramos una solicitud con ese folio y código. Revise que estén escritos "
            "como aparecen en su acuse."
        ),
    )
    return render(request, "portal/consulta.html", {"form": form}, status=404)


def _consulta_arco(request, form, reserva, folio: str):
    """Estado público de una solicitud de derechos ARCO: estado, pasos públicos y plazo de
    respuesta; nada de los datos de la persona ni de lo que pidió."""
    solicitud = selectors_arco.solicitud_publica(folio=folio, codigo=form.cleaned_data["codigo"])
    if solicitud is None:
        return _no_encontrada(request, form)
    reserva.devolver()
    return con_marca(
        request,
        lambda marca: render(
            request,
            "privacidad/publica/estado.html",
            {
                **estado_arco(solicitud),
                "documentos": documentos_arco(solicitud, marca),
                "minutos_enlace": MINUTOS_ENLACE,
            },
        ),
    )


@never_cache
def documento(request, token):
    """Descarga por enlace firmado de la página de estado (vale unos minutos y solo en el
    navegador que hizo la consulta)."""
    encontrado = documento_de_enlace(token, sesion=marca_recibida(request))
    if encontrado is None:
        return render(request, "portal/enlace_vencido.html", status=404)
    archivo, firmado = encontrado
    return entregar_archivo(request, archivo, firmado=firmado)


@never_cache
@require_http_methods(["GET", "POST"])
def codigo_perdido(request):
    """Vuelve a enviar el código de un folio al teléfono o correo registrados.

    La respuesta es siempre la misma: no dice si el folio existe ni qué contacto tiene. El
    límite por folio evita que alguien llene de mensajes a la persona; el límite por IP, que
    se sondeen muchos folios.
    """
    if request.method != "POST":
        form = CodigoPerdidoForm(initial={"folio": request.GET.get("folio", "")[:30]})
        return render(request, "portal/codigo_perdido.html", {"form": form})
    form = CodigoPerdidoForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/codigo_perdido.html", {"form": form}, status=400)
    ventana = settings.CODIGO_PERDIDO_VENTANA
    folio = form.cleaned_data["folio"]
    permitido_ip = limites.reservar(
        "codigo-ip", limites.ip_cliente(request), settings.CODIGO_PERDIDO_LIMITE_IP, ventana
    )
    permitido_folio = permitido_ip and limites.reservar(
        "codigo-folio", folio, settings.CODIGO_PERDIDO_LIMITE_FOLIO, ventana
    )
    if not permitido_ip:
        form.add_error(
            None,
            _(
                "Se han pedido demasiados códigos desde esta conexión. Intente mañana o llame "
                "a la oficina."
            ),
        )
        return render(request, "portal/codigo_perdido.html", {"form": form}, status=429)
    if permitido_folio:
        services.reenviar_codigo(folio=folio)
    # Misma página exista o no el folio, tenga o no contacto, y aunque se haya llegado al
    # límite del folio (decirlo revelaría que alguien lo está usando).
    return render(request, "portal/codigo_enviado.html", {"folio": folio}, status=200)


def fallo_csrf(request, reason=""):
    """Sesión vencida o cookie bloqueada: se vuelve a mostrar lo escrito, sin guardar nada."""
    if request.method == "POST" and request.path == "/solicitud/":
        form = SolicitudPublicaForm(request.POST)
        form.is_valid()
        form.add_error(
            None,
            _(
                "Su sesión expiró antes de enviar. Revise sus datos y vuelva a presionar "
                "«Enviar solicitud»; no se registró nada todavía."
            ),
        )
        return _pagina_solicitud(request, form, status=403)
    if request.method == "POST" and request.path == reverse("arco:solicitud"):
        form = SolicitudARCOPublicaForm(request.POST)
        form.is_valid()
        form.add_error(
            None,
            _(
                "Su sesión expiró antes de enviar. Revise sus datos y vuelva a presionar "
                "«Enviar solicitud»; no se registró nada todavía."
            ),
        )
        return pagina_solicitud_arco(request, form, status=403)
    return render(request, "403_csrf.html", status=403)


@cache_control(public=True, max_age=3600)
def logo(request):
    """El logotipo del centro (público: va en cada página y en los documentos). Es el único
    archivo subido que se entrega sin sesión, y solo este: nada de rutas de /media/."""
    centro = Centro.actual()
    if not centro.logo:
        raise Http404
    archivo = centro.logo.open("rb")
    tipo = tipo_por_contenido(archivo.read(16))
    if tipo is None or not tipo[0].startswith("image/"):
        archivo.close()
        raise Http404
    archivo.seek(0)
    respuesta = FileResponse(archivo, content_type=tipo[0])
    respuesta["X-Content-Type-Options"] = "nosniff"
    return respuesta

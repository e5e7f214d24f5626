"""Página del módulo sin conexión, su service worker, la sincronización y lo por decidir."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casos import acceso
from casos.forms import SolicitudPersonalForm
from casos.models import AvisoPrivacidad
from casos.permisos import requiere_permiso
from casos.selectors import posibles_duplicados
from casos.services import DecisionDuplicado
from casos.telefonos import intentar_normalizar
from nucleo.entradas import entero_ascii
from plantillas.selectors import ultimo_acuse

from . import formato, selectors, services
from .forms import DecisionForm

CAPTURAR = "casos.capturar_solicitud"


def _url_acuse(captura) -> str:
    if captura is None or captura.caso is None:
        return ""
    documento = ultimo_acuse(caso=captura.caso)
    return reverse("plantillas:descargar", args=[documento.pk]) if documento else ""


@requiere_permiso(CAPTURAR)
@require_GET
def pagina(request):
    """La página de captura del módulo: se abre con red una vez y después funciona sin ella.

    El formulario es el de la captura por módulo, con las jornadas de hoy; lo capturado se
    guarda cifrado en el equipo (modulos/static/modulos/campo.js)."""
    form = SolicitudPersonalForm(con_modulo=True)
    form.fields["modulo"].queryset = selectors.jornadas_de_hoy()
    get_token(request)
    return render(
        request,
        "modulos/pagina.html",
        {
            "form": form,
            "aviso": AvisoPrivacidad.vigente(),
            "hay_jornada": form.fields["modulo"].queryset.exists(),
        },
    )


@requiere_permiso(CAPTURAR)
@require_GET
@never_cache
def catalogos(request):
    """Catálogos de hoy, la sal de la llave de quien atiende y el token CSRF vigente."""
    datos = selectors.catalogos(request.user)
    datos["csrf"] = get_token(request)
    return JsonResponse(datos)


@requiere_permiso(CAPTURAR)
@require_GET
def service_worker(request):
    """El service worker, servido desde /modulos/ para que su alcance sea /modulos/."""
    respuesta = render(
        request,
        "modulos/sw.js",
        {"version": formato.version_de_archivos()},
        content_type="application/javascript; charset=utf-8",
    )
    respuesta["Cache-Control"] = "no-cache"
    return respuesta


@require_GET
def manifiesto(request):
    """Manifiesto para instalar la página en la pantalla de inicio (sin datos: público,
    porque el navegador lo pide sin la sesión)."""
    from django.templatetags.static import static

    from casos.models import Centro

    cuerpo = {
        "name": _("Módulo itinerante · %(centro)s") % {"centro": Centro.actual().nombre},
        "short_name": _("Módulo"),
        "lang": "es-MX",
        "start_url": reverse("modulos:pagina"),
        "scope": reverse("modulos:pagina"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d4e89",
        "icons": [
            {"src": static("modulos/icono-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("modulos/icono-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return JsonResponse(
        cuerpo, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@requiere_permiso(CAPTURAR)
@require_POST
@never_cache
def comprobar_contrasena(request):
    """Antes de crear la llave del equipo, la contraseña se comprueba aquí (con el bloqueo
    por intentos de la entrada): así la llave sale de la contraseña correcta."""
    try:
        contrasena = json.loads(request.body or b"{}").get("contrasena", "")
    except (ValueError, AttributeError):
        contrasena = ""
    if not isinstance(contrasena, str) or not contrasena:
        return JsonResponse({"error": _("Escriba su contraseña.")}, status=400)
    usuario = authenticate(request, username=request.user.get_username(), password=contrasena)
    if usuario is None or usuario.pk != request.user.pk:
        return JsonResponse({"error": _("La contraseña no es correcta.")}, status=403)
    return JsonResponse({"ok": True})


@requiere_permiso(CAPTURAR)
@require_POST
@never_cache
def sincronizar(request):
    """Recibe un lote de capturas del equipo (JSON); cada una se registra una sola vez."""
    # El equipo manda lotes de 100 (≤ 1 MB aun con relatos largos); uno que pase del límite
    # de Django se rechaza entero, en JSON, antes de leerlo.
    largo = entero_ascii(request.META.get("CONTENT_LENGTH") or "0") or 0
    limite = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limite is not None and largo > limite:
        return JsonResponse(
            {"error": _("El lote es demasiado grande; sincronice por partes.")}, status=413
        )
    try:
        cuerpo = json.loads(request.body or b"")
        renglones = cuerpo["capturas"]
        resultados = services.sincronizar_lote(renglones=renglones, actor=request.user)
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"error": _('El lote no se pudo leer: se esperaba {"capturas": [...]}.')}, status=400
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    casos = [r.captura.caso for r in resultados if r.captura and r.captura.caso]
    acceso.registrar_acceso(
        usuario=request.user, casos=casos, vista="captura_de_campo", request=request
    )
    renglones = []
    for resultado in resultados:
        renglon = resultado.como_json()
        renglon["acuse"] = _url_acuse(resultado.captura)
        renglones.append(renglon)
    return JsonResponse({"resultados": renglones})


@requiere_permiso(CAPTURAR)
@require_GET
@never_cache
def hoy(request):
    """Lo sincronizado hoy por esta persona: folio, hora y resultado (sin datos personales)."""
    capturas = list(selectors.capturas_de_hoy(request.user)[:500])
    acceso.registrar_acceso(
        usuario=request.user,
        casos=[c.caso for c in capturas if c.caso],
        vista="capturas_de_campo",
        request=request,
    )
    return JsonResponse(
        {
            "capturas": [
                {
                    "id": str(c.id_equipo),
                    "estado": c.resultado,
                    "estado_texto": c.get_resultado_display(),
                    "folio": c.caso.folio if c.caso else "",
                    "hora": timezone.localtime(c.capturado_en).strftime("%H:%M"),
                    "jornada": c.modulo.nombre,
                    "acuse": _url_acuse(c),
                }
                for c in capturas
            ],
            "por_decidir": reverse("modulos:por_decidir"),
        }
    )


@requiere_permiso(CAPTURAR)
@require_http_methods(["GET", "POST"])
def por_decidir(request):
    """Posibles duplicados capturados en campo: quien capturó o la coordinación decide."""
    errores_de: dict[int, DecisionForm] = {}
    if request.method == "POST":
        pk = entero_ascii(request.POST.get("captura", ""))
        captura = selectors.captura_por_decidir(request.user, pk) if pk else None
        if captura is None:
            raise Http404
        form = DecisionForm(request.POST, prefix=f"c{captura.pk}")
        if form.is_valid():
            try:
                resultado = services.decidir_duplicado(
                    captura=captura,
                    decision=form.cleaned_data["accion"],
                    folio_existente=form.cleaned_data["caso_existente"],
                    actor=request.user,
                )
            except ValidationError as error:
                for mensaje in error.messages:
                    form.add_error(None, mensaje)
            else:
                if resultado.estado == "contacto":
                    texto = _("Se registró el contacto en el caso %(folio)s.")
                else:
                    texto = _("Se creó el caso %(folio)s.")
                messages.success(request, texto % {"folio": resultado.folio})
                return redirect("modulos:por_decidir")
        errores_de[captura.pk] = form
    capturas = list(selectors.por_decidir(request.user)[:100])
    renglones = []
    vistos = []
    for captura in capturas:
        duplicados = selectors.duplicados_de(captura)
        vistos.extend(duplicados)
        telefono = intentar_normalizar(captura.datos.get("telefono", ""))
        renglones.append(
            {
                "captura": captura,
                "duplicados": posibles_duplicados(duplicados, telefono=telefono),
                "form": errores_de.get(captura.pk) or DecisionForm(prefix=f"c{captura.pk}"),
            }
        )
    acceso.registrar_acceso(
        usuario=request.user, casos=vistos, vista="posible_duplicado", request=request
    )
    return render(
        request,
        "modulos/por_decidir.html",
        {"renglones": renglones, "decisiones": DecisionDuplicado.choices},
        status=400 if errores_de else 200,
    )


@requiere_permiso(CAPTURAR)
@require_GET
def formato_en_papel(request):
    """El formato en blanco con el aviso simplificado, para cuando no hay ningún equipo. Se
    genera en segundo plano una vez por versión de catálogos y aviso."""
    archivo = formato.archivo_listo()
    if archivo is None:
        formato.pedir()
        return render(request, "modulos/generando.html", status=202)
    return FileResponse(
        archivo.open("rb"),
        content_type="application/pdf",
        filename=_("formato-modulo-itinerante.pdf"),
    )

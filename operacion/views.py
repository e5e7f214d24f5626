"""La salud de la instalación en JSON (operacion/salud.py): pública, sin sesión ni datos; y
la lista de puesta en marcha de la coordinación, dentro de /oficina/."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from . import pendientes, salud


@require_GET
def ver_salud(request):
    """200 con `{"estado": "ok", ...}` si todo está sano; 503 con `"estado": "falla"` y la
    lista `fallan` si no. `?parte=web`: solo la base (el healthcheck del contenedor web)."""
    resultado = salud.revisar(completa=request.GET.get("parte") != "web")
    respuesta = JsonResponse(resultado.como_json(), status=200 if resultado.sana else 503)
    respuesta["Cache-Control"] = "no-store"
    return respuesta


def puesta_en_marcha(request):
    """La lista de lo que le falta a la oficina (operacion/pendientes.py), cada punto con la
    liga donde se arregla. La envuelve el sitio de la oficina: solo la coordinación."""
    from oficina.sitio import sitio

    puntos = pendientes.revisar()
    contexto = {
        **sitio.each_context(request),
        "title": _("Puesta en marcha"),
        "pendientes": [p for p in puntos if not p.hecho],
        "listos": [p for p in puntos if p.hecho],
    }
    return render(request, "operacion/puesta_en_marcha.html", contexto)


def resumen_de_pendientes(request) -> str:
    faltan = pendientes.faltan(pendientes.revisar())
    if not faltan:
        return _("La oficina tiene todo lo necesario para atender.")
    bloquean = sum(p.bloquea for p in faltan)
    texto = ngettext("Falta %(n)d cosa", "Faltan %(n)d cosas", len(faltan)) % {"n": len(faltan)}
    if bloquean:
        texto += ngettext("; %(n)d impide trabajar.", "; %(n)d impiden trabajar.", bloquean) % {
            "n": bloquean
        }
    else:
        texto += "."
    return texto

"""La salud de la instalación en JSON (operacion/salud.py): pública, sin sesión ni datos."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from . import salud


@require_GET
def ver_salud(request):
    """200 con `{"estado": "ok", ...}` si todo está sano; 503 con `"estado": "falla"` y la
    lista `fallan` si no. `?parte=web`: solo la base (el healthcheck del contenedor web)."""
    resultado = salud.revisar(completa=request.GET.get("parte") != "web")
    respuesta = JsonResponse(resultado.como_json(), status=200 if resultado.sana else 503)
    respuesta["Cache-Control"] = "no-store"
    return respuesta

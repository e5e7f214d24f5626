"""Fuera del alcance: cualquier página del personal que pida un expediente ajeno (caso,
tarea, documento…) muestra la misma página para pedir un acceso excepcional motivado."""

from django.conf import settings
from django.shortcuts import render

from .acceso import SinAcceso


class AccesoExcepcionalMiddleware:
    """Convierte `SinAcceso` en la página «pedir acceso excepcional» (403). La API responde
    su propio 403 en JSON (DRF trata `SinAcceso` como cualquier PermissionDenied)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, SinAcceso):
            return None
        from .forms import AccesoExcepcionalForm

        siguiente = request.get_full_path() if request.method == "GET" else ""
        form = AccesoExcepcionalForm(initial={"siguiente": siguiente})
        contexto = {
            "caso": exception.caso,
            "form": form,
            "horas": settings.ACCESO_EXCEPCIONAL_HORAS,
        }
        return render(request, "casos/sin_acceso.html", contexto, status=403)

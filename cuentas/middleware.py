"""Sesiones del personal que vencen por inactividad y el segundo paso antes de trabajar."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import sesion

# La actividad se anota a lo más una vez por minuto: no se escribe la sesión en cada petición.
RENOVAR_CADA = 60


class SesionPorInactividad:
    """Cierra la sesión tras SESION_INACTIVIDAD_MINUTOS sin peticiones, o al cumplir
    SESION_MAXIMA_HORAS, y lleva a la página de entrada con el motivo. Las sesiones anónimas
    (la consulta ciudadana) no se tocan."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            motivo = self._motivo_de_cierre(request)
            if motivo:
                destino = request.get_full_path() if request.method == "GET" else ""
                logout(request)
                messages.warning(request, motivo)
                return redirect_to_login(destino) if destino else redirect(settings.LOGIN_URL)
            ultima = request.session.get(sesion.ACTIVIDAD)
            if ultima is None or sesion.ahora() - ultima >= RENOVAR_CADA:
                request.session[sesion.ACTIVIDAD] = sesion.ahora()
        return self.get_response(request)

    @staticmethod
    def _motivo_de_cierre(request) -> str:
        ahora = sesion.ahora()
        inicio = request.session.get(sesion.INICIO)
        ultima = request.session.get(sesion.ACTIVIDAD)
        minutos = settings.SESION_INACTIVIDAD_MINUTOS
        if ultima is not None and ahora - ultima > minutos * 60:
            return _(
                "Su sesión se cerró tras %(minutos)d minutos sin actividad. Entre de nuevo "
                "para continuar."
            ) % {"minutos": minutos}
        if inicio is not None and ahora - inicio > settings.SESSION_COOKIE_AGE:
            return _(
                "Su sesión llegó al máximo de %(horas)d horas. Entre de nuevo para continuar."
            ) % {"horas": settings.SESSION_COOKIE_AGE // 3600}
        return ""


# Lo único que puede abrir quien aún debe escribir su código.
SIN_SEGUNDO_PASO = {
    "login",
    "logout",
    "cuentas:verificar",
    "cuentas:inscribir",
    "portal:privacidad",
}


class SegundoPasoPendiente:
    """Quien entró con su contraseña pero aún no escribe el código de su app (o, si su rol lo
    exige, aún no la da de alta) no llega a ninguna otra página."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        coincidencia = request.resolver_match
        if coincidencia is not None and coincidencia.view_name in SIN_SEGUNDO_PASO:
            return None
        if not sesion.falta_segundo_paso(request):
            return None
        destino = reverse("cuentas:verificar")
        if request.method == "GET":
            destino += "?" + urlencode({"next": request.get_full_path()})
        return redirect(destino)

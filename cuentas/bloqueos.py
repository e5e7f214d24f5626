"""Bloqueo por intentos fallidos con django-axes: por cuenta (CUENTAS_FALLOS_LIMITE) y por
conexión (CUENTAS_FALLOS_LIMITE_IP), durante CUENTAS_BLOQUEO_MINUTOS desde el último fallo."""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render

from casos.limites import ip_cliente


def ip_valida(ip: str) -> str | None:
    try:
        return str(ipaddress.ip_address(ip.strip()))
    except ValueError:
        return None


def ip_del_cliente(request) -> str | None:
    """La IP con la misma regla que los demás límites (proxies de confianza contados desde la
    derecha). Sin una IP válida (p. ej. el cliente de pruebas) no hay conexión que contar."""
    return ip_valida(ip_cliente(request))


class BackendConBloqueo(AxesStandaloneBackend):
    """Revisa el bloqueo antes de probar la contraseña.

    Sin petición (un comando, la consola, `Client.login`) no hay intento de entrar por la web
    que contar, y se deja pasar a los demás backends en vez de fallar."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _suma(intentos) -> int:
    return intentos.aggregate(n=Sum("failures_since_start"))["n"] or 0


class ManejadorDeBloqueos(AxesDatabaseHandler):
    """El de base de datos de axes con un límite propio para la conexión.

    axes compara un solo número contra AXES_FAILURE_LIMIT; aquí ese número llega al límite
    cuando la cuenta llega al suyo o la conexión al suyo (que es mayor)."""

    def get_failures(self, request, credentials=None) -> int:
        vigentes = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        limite = settings.AXES_FAILURE_LIMIT
        por_cuenta = _suma(vigentes.filter(username=get_client_username(request, credentials)))
        ip = getattr(request, "axes_ip_address", None)
        por_ip = _suma(vigentes.filter(ip_address=ip)) if ip else 0
        if por_ip >= settings.CUENTAS_FALLOS_LIMITE_IP:
            return max(por_cuenta, limite)
        return por_cuenta


def pagina_de_bloqueo(request, original_response=None, credentials=None):
    """Lo que ve quien quedó bloqueado: en español, cuánto dura y qué puede hacer."""
    minutos = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "cuentas/bloqueado.html",
        {"minutos": minutos, "limite": settings.AXES_FAILURE_LIMIT},
        status=429,
    )

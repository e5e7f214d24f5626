"""Entrar por la página real y calcular los códigos que mostraría la app."""

from django.urls import reverse
from django_otp.oath import totp

from tests.conftest import CLAVE


def entrar(client, usuario: str, clave: str = CLAVE, siguiente: str = "", **extra):
    """POST a la página de entrada, como lo haría el navegador."""
    url = reverse("login") + (f"?next={siguiente}" if siguiente else "")
    return client.post(url, {"username": usuario, "password": clave, "next": siguiente}, **extra)


def codigo_de(dispositivo, *, pasos: int = 0) -> str:
    """El código que la app muestra ahora (o dentro de `pasos` periodos de 30 s)."""
    dispositivo.refresh_from_db()
    valor = totp(
        dispositivo.bin_key,
        step=dispositivo.step,
        t0=dispositivo.t0,
        digits=dispositivo.digits,
        drift=dispositivo.drift + pasos,
    )
    return f"{valor:0{dispositivo.digits}d}"


def texto(respuesta) -> str:
    return respuesta.content.decode()

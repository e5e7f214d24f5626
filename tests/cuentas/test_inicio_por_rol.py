"""Al entrar sin una página pedida, cada rol llega a su trabajo, también tras el segundo
paso; una página pedida (`next`) sigue mandando."""

from urllib.parse import unquote

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cuentas import services

from .ayudantes import codigo_de, entrar

pytestmark = pytest.mark.usefixtures("reloj")


@pytest.mark.parametrize(
    ("persona", "destino"),
    [
        ("operadora", "casos:nueva"),
        ("coordinadora", "flujos:cola"),
        ("mediador", "flujos:bandeja"),
        ("asesor", "flujos:bandeja"),
        ("direccion", "estadistica:tablero"),
    ],
)
def test_cada_rol_llega_a_su_trabajo(request, client, persona, destino):
    usuario = request.getfixturevalue(persona)
    respuesta = entrar(client, usuario.username)
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse(destino)


def test_una_pagina_pedida_sigue_mandando(client, mediador):
    respuesta = entrar(client, "mediador", siguiente="/casos/")
    assert respuesta["Location"] == "/casos/"


def test_tras_el_segundo_paso_la_coordinadora_llega_a_su_cola(
    client, coordinadora, dos_pasos_obligatorio
):
    dispositivo = services.preparar_inscripcion(usuario=coordinadora)
    services.confirmar_inscripcion(usuario=coordinadora, codigo=codigo_de(dispositivo))
    dispositivo = TOTPDevice.objects.get(user=coordinadora)
    respuesta = entrar(client, "coordinadora")
    verificar = reverse("cuentas:verificar")
    assert unquote(respuesta["Location"]) == f"{verificar}?next={reverse('flujos:cola')}"
    verificado = client.post(
        respuesta["Location"],
        {"codigo": codigo_de(dispositivo, pasos=1), "next": reverse("flujos:cola")},
    )
    assert verificado["Location"] == reverse("flujos:cola")
    assert client.get(verificado["Location"]).status_code == 200

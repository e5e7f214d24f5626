"""Cuerpos absurdos en la API del personal: JSON anidado miles de niveles, cuerpos de megas o
miles de parámetros. Se rechazan antes de interpretarlos, con `{"detail": "..."}` en
español (400 o 413), con o sin token; nunca 500."""

import json

import pytest
from django.urls import reverse

from api.services import emitir_token
from casos.models import Caso

from .datos import cuerpo_caso

HONDO_LISTAS = "[" * 10_000 + "]" * 10_000
HONDO_OBJETOS = '{"a":' * 10_000 + "1" + "}" * 10_000
ANIDACION = "El cuerpo JSON tiene demasiados niveles de anidación (máximo 32)."
GRANDE = "El cuerpo de la petición es demasiado grande (máximo 1024 KB)."
SIN_TOKEN = {"detail": "Las credenciales de autenticación no se proveyeron."}
CAMPOS = {"detail": "La petición trae demasiados campos o parámetros (máximo 1000)."}


@pytest.fixture
def cabecera(operadora):
    token = emitir_token(nombre="conmutador", usuario=operadora)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _alta(client, cuerpo, cabecera, content_type="application/json"):
    return client.post(reverse("api:casos"), cuerpo, content_type=content_type, **cabecera)


@pytest.mark.parametrize("cuerpo", [HONDO_LISTAS, HONDO_OBJETOS])
def test_json_anidado_diez_mil_niveles_da_400(client, cabecera, cuerpo):
    respuesta = _alta(client, cuerpo, cabecera)
    assert respuesta.status_code == 400
    assert respuesta.json() == {"detail": ANIDACION}
    assert _alta(client, cuerpo, {}).json() == SIN_TOKEN
    assert not Caso.objects.exists()


def test_anidacion_dentro_de_un_texto_no_cuenta(client, cabecera):
    respuesta = _alta(client, json.dumps(cuerpo_caso(resumen="[{" * 1000)), cabecera)
    assert respuesta.status_code == 201, respuesta.content


def test_cuerpo_de_cinco_megas_da_413(client, cabecera):
    cuerpo = json.dumps(cuerpo_caso(resumen="x" * 5_000_000))
    respuesta = _alta(client, cuerpo, cabecera)
    assert respuesta.status_code == 413
    assert respuesta.json() == {"detail": GRANDE}
    # El tope se revisa antes que las credenciales: no se lee nada de lo que se rechaza.
    assert _alta(client, cuerpo, {}).json() == {"detail": GRANDE}
    assert not Caso.objects.exists()


def test_cuerpo_que_no_es_json_sigue_dando_400(client, cabecera):
    for cuerpo in ("{no es json", "[1, NaN]", b"\xff\xfe{}"):
        respuesta = _alta(client, cuerpo, cabecera)
        assert respuesta.status_code == 400, cuerpo
        assert "JSON" in respuesta.json()["detail"]


def test_demasiados_parametros_en_la_url_dan_400(client, cabecera):
    url = reverse("api:casos") + "?" + "&".join(f"p{i}=1" for i in range(1500))
    respuesta = client.get(url, **cabecera)
    assert respuesta.status_code == 400
    assert respuesta.json() == CAMPOS
    # DRF lee la cadena de consulta (`?format=`) antes de autenticar.
    sin_token = client.get(url)
    assert sin_token.status_code == 400 and sin_token.json() == CAMPOS

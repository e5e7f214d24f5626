"""Cuerpos absurdos en Open311: JSON anidado miles de niveles, cuerpos de megas, miles de
campos o un multipart roto. Se rechazan antes de interpretarlos con el error del spec, en
JSON o XML según la extensión, con o sin api_key; nunca 500."""

import json

import pytest

from casos.models import Caso

from .ayudas import leer, url

FORMATOS = ["json", "xml"]
HONDO_LISTAS = '{"attribute": ' + "[" * 10_000 + "]" * 10_000 + "}"
HONDO_OBJETOS = '{"a":' * 10_000 + "1" + "}" * 10_000
ANIDACION = "El cuerpo JSON tiene demasiados niveles de anidación (máximo 32)."
GRANDE = "El cuerpo de la petición es demasiado grande (máximo 1024 KB)."
CAMPOS = "La petición trae demasiados campos o parámetros (máximo 1000)."


def _error(respuesta, formato) -> tuple[int, str]:
    if formato == "xml":
        assert respuesta["Content-Type"] == "text/xml; charset=utf-8"
        (error,) = leer(respuesta, "xml")
        return int(error.findtext("code")), error.findtext("description")
    assert respuesta["Content-Type"] == "application/json; charset=utf-8"
    (error,) = leer(respuesta)
    return error["code"], error["description"]


@pytest.fixture(params=["con_api_key", "sin_api_key"])
def api_key_o_nada(request, cuerpo):
    return cuerpo()["api_key"] if request.param == "con_api_key" else ""


def _post(client, formato, datos, **extra):
    return client.post(url("open311:solicitudes", formato=formato), datos, **extra)


@pytest.mark.parametrize("formato", FORMATOS)
@pytest.mark.parametrize("hondo", [HONDO_LISTAS, HONDO_OBJETOS])
def test_json_anidado_diez_mil_niveles_da_400(client, catalogos, api_key_o_nada, formato, hondo):
    cuerpo = hondo if not api_key_o_nada else hondo[:-1] + f', "api_key": "{api_key_o_nada}"}}'
    respuesta = _post(client, formato, cuerpo, content_type="application/json")
    assert respuesta.status_code == 400
    assert _error(respuesta, formato) == (400, ANIDACION)
    assert "no-store" in respuesta["Cache-Control"]
    assert not Caso.objects.exists()


@pytest.mark.parametrize("formato", FORMATOS)
def test_json_de_cinco_megas_da_413(client, cuerpo, api_key_o_nada, formato):
    datos = cuerpo(api_key=api_key_o_nada or None, description="x" * 5_000_000)
    respuesta = _post(client, formato, json.dumps(datos), content_type="application/json")
    assert respuesta.status_code == 413
    assert _error(respuesta, formato) == (413, GRANDE)
    assert not Caso.objects.exists()


@pytest.mark.parametrize("formato", FORMATOS)
@pytest.mark.parametrize("tipo", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_formulario_de_cinco_megas_da_413(client, cuerpo, api_key_o_nada, formato, tipo):
    datos = cuerpo(api_key=api_key_o_nada or None, description="x" * 5_000_000)
    if tipo == "multipart/form-data":
        respuesta = _post(client, formato, datos)
    else:
        from urllib.parse import urlencode

        respuesta = _post(client, formato, urlencode(datos), content_type=tipo)
    assert respuesta.status_code == 413
    assert _error(respuesta, formato) == (413, GRANDE)
    assert not Caso.objects.exists()


@pytest.mark.parametrize("formato", FORMATOS)
@pytest.mark.parametrize("tipo", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_formulario_con_demasiados_campos_da_400(client, cuerpo, api_key_o_nada, formato, tipo):
    datos = cuerpo(api_key=api_key_o_nada or None) | {f"c{i}": "1" for i in range(1500)}
    if tipo == "multipart/form-data":
        respuesta = _post(client, formato, datos)
    else:
        from urllib.parse import urlencode

        respuesta = _post(client, formato, urlencode(datos), content_type=tipo)
    assert respuesta.status_code == 400
    assert _error(respuesta, formato) == (400, CAMPOS)
    assert not Caso.objects.exists()


@pytest.mark.parametrize("formato", FORMATOS)
def test_consulta_con_demasiados_parametros_da_400(client, catalogos, formato):
    parametros = "&".join(f"p{i}=1" for i in range(1500))
    respuesta = client.get(url("open311:solicitudes", formato=formato) + "?" + parametros)
    assert respuesta.status_code == 400
    assert _error(respuesta, formato) == (400, CAMPOS)


@pytest.mark.parametrize("formato", FORMATOS)
def test_multipart_sin_separador_da_400(client, catalogos, formato):
    respuesta = _post(client, formato, "a=1", content_type="multipart/form-data")
    assert respuesta.status_code == 400
    codigo, descripcion = _error(respuesta, formato)
    assert codigo == 400 and descripcion == "El formulario multipart está mal formado."

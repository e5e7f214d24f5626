"""Alcance de los tokens: una api_key de Open311 no abre la API del personal (y al revés)."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from api.models import AlcanceToken, TokenAPI
from api.services import emitir_token, hash_token


def test_por_omision_el_token_es_de_la_api_del_personal(client, operadora):
    token = emitir_token(nombre="conmutador", usuario=operadora)
    assert TokenAPI.objects.get().alcance == AlcanceToken.PERSONAL
    respuesta = client.get(reverse("api:casos"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert respuesta.status_code == 200


@pytest.mark.parametrize("palabra", ["Bearer", "Token"])
def test_una_api_key_de_open311_no_abre_la_api_del_personal(client, coordinadora, palabra):
    token = emitir_token(nombre="app 311", usuario=coordinadora, alcance=AlcanceToken.OPEN311)
    for url in (reverse("api:casos"), reverse("api:mis_tareas")):
        respuesta = client.get(url, HTTP_AUTHORIZATION=f"{palabra} {token}")
        assert respuesta.status_code == 401
        assert "Open311" in respuesta.json()["detail"]
    assert TokenAPI.objects.get().ultimo_uso is None


def test_alcance_desconocido_no_se_emite(operadora):
    with pytest.raises(ValueError):
        emitir_token(nombre="x", usuario=operadora, alcance="todo")
    assert not TokenAPI.objects.exists()


def test_el_comando_emite_con_el_alcance_pedido(operadora, capsys):
    call_command("emitir_token", "operadora", "--nombre", "app 311", "--alcance", "open311")
    token = capsys.readouterr().out.strip()
    guardado = TokenAPI.objects.get(hash=hash_token(token))
    assert (guardado.nombre, guardado.alcance) == ("app 311", AlcanceToken.OPEN311)
    call_command("emitir_token", "operadora")
    assert TokenAPI.objects.get(nombre="conmutador").alcance == AlcanceToken.PERSONAL
    with pytest.raises(CommandError):
        call_command("emitir_token", "operadora", "--alcance", "todo")


@pytest.mark.parametrize("texto", ["\ud800", "a\udfffb", "\x00"])
def test_hash_token_no_falla_con_texto_raro(texto):
    assert len(hash_token(texto)) == 64

import pytest

from api.services import emitir_token


@pytest.fixture
def api(client):
    """Llama a la API con un token nuevo del usuario: api(usuario, "get", url, datos)."""

    def llamar(usuario, metodo, url, datos=None):
        token = emitir_token(nombre="conmutador", usuario=usuario)
        cabecera = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if metodo == "get":
            return client.get(url, datos or {}, **cabecera)
        return client.post(url, datos or {}, content_type="application/json", **cabecera)

    return llamar


@pytest.fixture
def personas(operadora, coordinadora, mediador, asesor, direccion, ajeno):
    return {u.username: u for u in (operadora, coordinadora, mediador, asesor, direccion, ajeno)}

"""Cada URL de la aplicación, recorrida por cada rol, por el anónimo y por el ajeno."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.services import emitir_token

PERSONAL = {"operadora", "coordinadora", "mediador", "mediadora2", "asesor", "direccion"}
CAPTURA = {"operadora", "coordinadora", "asesor"}
TODOS = PERSONAL | {"ajeno", "anonimo"}

# nombre de URL -> (método, quién puede)
MATRIZ = {
    "portal:inicio": ("get", TODOS),
    "portal:privacidad": ("get", TODOS),
    "portal:solicitud": ("get", TODOS),
    "portal:solicitud_enviada": ("get", TODOS),
    "portal:consulta": ("get", TODOS),
    "login": ("get", TODOS),
    "logout": ("post", TODOS),
    "casos:buscar": ("get", PERSONAL),
    "casos:detalle": ("get", PERSONAL),
    "casos:nueva": ("get", CAPTURA),
    "casos:nueva_modulo": ("get", CAPTURA),
    "casos:por_telefono": ("get", CAPTURA),
    "casos:recibida": ("get", CAPTURA),
    "casos:reexpedir_codigo": ("post", {"operadora", "coordinadora"}),
    "api:llamante": ("get", PERSONAL),
    "api:crear_caso": ("post", CAPTURA),
}


def _nombres(resolver=None, prefijo=""):
    resolver = resolver or get_resolver()
    for patron in resolver.url_patterns:
        if isinstance(patron, URLResolver):
            if patron.namespace == "admin":
                continue  # el admin de Django exige is_staff; se prueba aparte
            espacio = f"{prefijo}{patron.namespace}:" if patron.namespace else prefijo
            yield from _nombres(patron, espacio)
        elif isinstance(patron, URLPattern) and patron.name:
            yield f"{prefijo}{patron.name}"


def test_la_matriz_cubre_todas_las_urls():
    nombres = {n for n in _nombres() if n != "serve"}
    assert nombres == set(MATRIZ), "Agregue la URL nueva a MATRIZ con quién puede usarla"


@pytest.fixture
def personas(operadora, coordinadora, mediador, otro_mediador, asesor, direccion, ajeno):
    return {
        u.username: u
        for u in (operadora, coordinadora, mediador, otro_mediador, asesor, direccion, ajeno)
    }


@pytest.mark.parametrize("nombre", sorted(MATRIZ))
def test_cada_url_permite_solo_a_quien_debe(client, personas, nuevo_caso, nombre):
    metodo, permitidos = MATRIZ[nombre]
    caso = nuevo_caso().caso
    argumentos = (
        [caso.folio]
        if nombre in ("casos:detalle", "casos:recibida", "casos:reexpedir_codigo")
        else []
    )
    url = reverse(nombre, args=argumentos)
    es_api = nombre.startswith("api:")
    for quien in sorted(TODOS):
        client.logout()
        extra = {}
        if quien != "anonimo":
            usuario = personas[quien]
            if es_api:
                extra["HTTP_AUTHORIZATION"] = "Bearer " + emitir_token(nombre="t", usuario=usuario)
            else:
                client.force_login(usuario)
        if es_api and metodo == "post":
            respuesta = client.post(url, data="{}", content_type="application/json", **extra)
        else:
            respuesta = getattr(client, metodo)(url, **extra)
        codigo = respuesta.status_code
        entrar = reverse("login")
        negado = codigo in (401, 403) or (
            codigo == 302 and respuesta["Location"].startswith(entrar) and nombre != "logout"
        )
        if quien in permitidos:
            assert not negado, f"{quien} debería poder usar {nombre} y recibió {codigo}"
        else:
            assert negado, f"{quien} NO debería poder usar {nombre} y recibió {codigo}"
            if quien == "anonimo" and not es_api:
                assert codigo == 302, "el anónimo va a la página de entrada"


def test_el_admin_solo_para_personal_con_is_staff(client, coordinadora, ajeno):
    client.force_login(ajeno)
    assert client.get("/admin/").status_code == 302
    coordinadora.is_staff = True
    coordinadora.save()
    client.force_login(coordinadora)
    assert client.get("/admin/casos/localidad/").status_code == 200
    assert client.get("/admin/casos/caso/add/").status_code == 403

"""Cada operación de la API × cada rol, el anónimo, el ajeno, un token falso y uno revocado."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from api.models import TokenAPI
from api.services import emitir_token, revocar_token
from casos.models import Caso

from .datos import cuerpo_caso

PERSONAL = {"operadora", "coordinadora", "mediador", "asesor", "direccion"}
CAPTURA = {"operadora", "coordinadora", "asesor"}
SIN_CREDENCIAL = ("anonimo", "token_falso", "token_revocado", "usuario_inactivo")
QUIENES = sorted(PERSONAL | {"ajeno"}) + list(SIN_CREDENCIAL)

# (método, URL, quién puede, respuesta esperada para quien puede)
OPERACIONES = {
    "buscar_llamante": ("get", "api:llamante", PERSONAL, 200),
    "listar_casos": ("get", "api:casos", PERSONAL, 200),
    "crear_caso": ("post", "api:casos", CAPTURA, 201),
    "ver_caso": ("get", "api:caso", PERSONAL, 200),
    "mis_tareas": ("get", "api:mis_tareas", PERSONAL, 200),
}


def _cabecera(quien, personas):
    if quien == "anonimo":
        return {}
    if quien == "token_falso":
        return {"HTTP_AUTHORIZATION": "Bearer no-es-un-token"}
    if quien == "usuario_inactivo":
        usuario = User.objects.create_user("inactiva", is_active=False)
        usuario.groups.add(Group.objects.get(name="operador"))
    else:
        usuario = personas["operadora" if quien == "token_revocado" else quien]
    token = emitir_token(nombre="prueba", usuario=usuario)
    if quien == "token_revocado":
        revocar_token(token_api=TokenAPI.objects.get(prefijo=token[:8]))
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _llamar(client, operacion, cabecera, caso):
    metodo, nombre, _, _ = OPERACIONES[operacion]
    if operacion == "crear_caso":
        return client.post(
            reverse(nombre),
            cuerpo_caso(decision_duplicado="nuevo"),
            content_type="application/json",
            **cabecera,
        )
    if operacion == "ver_caso":
        return client.get(reverse(nombre, args=[caso.folio]), **cabecera)
    datos = {"telefono": "3312345678"} if operacion == "buscar_llamante" else {}
    return client.get(reverse(nombre), datos, **cabecera)


def test_cada_url_de_la_api_tiene_su_renglon():
    from api.urls import urlpatterns

    nombres = {f"api:{patron.name}" for patron in urlpatterns}
    assert nombres == {nombre for _, nombre, _, _ in OPERACIONES.values()}


@pytest.mark.parametrize("operacion", sorted(OPERACIONES))
def test_cada_operacion_solo_para_quien_debe(client, personas, nuevo_caso, operacion):
    _, _, permitidos, esperado = OPERACIONES[operacion]
    cabeceras = {quien: _cabecera(quien, personas) for quien in QUIENES}
    for quien in QUIENES:
        caso = nuevo_caso().caso
        if quien in personas:
            # El caso es de su alcance (lo capturó): aquí se prueba el rol; el alcance, en
            # tests/test_permisos.py y en las pruebas de casos.acceso.
            Caso.objects.filter(pk=caso.pk).update(capturado_por=personas[quien])
        respuesta = _llamar(client, operacion, cabeceras[quien], caso)
        codigo, cuerpo = respuesta.status_code, respuesta.json()
        if quien in SIN_CREDENCIAL:
            assert codigo == 401, f"{quien} en {operacion}: {codigo}"
            assert respuesta["WWW-Authenticate"] == 'Bearer realm="api"'
            assert cuerpo["detail"] in (
                "Las credenciales de autenticación no se proveyeron.",
                "Token inválido o revocado.",
            )
        elif quien in permitidos:
            assert codigo == esperado, f"{quien} en {operacion}: {codigo} {cuerpo}"
        else:
            assert codigo == 403, f"{quien} NO debería poder {operacion} y recibió {codigo}"
            assert cuerpo == {"detail": "Usted no tiene permiso para realizar esta acción."}


def test_el_rechazo_no_deja_rastro_en_el_expediente(client, personas, nuevo_caso):
    """Sin permiso no se registra acceso ni se revela si el folio existe."""
    caso = nuevo_caso().caso
    cabecera = _cabecera("ajeno", personas)
    existe = client.get(reverse("api:caso", args=[caso.folio]), **cabecera)
    no_existe = client.get(reverse("api:caso", args=["MED-2099-99999"]), **cabecera)
    assert existe.status_code == no_existe.status_code == 403
    assert not caso.accesos.exists()


def test_con_la_sesion_de_la_web_tambien_entra(client, personas, nuevo_caso):
    caso = nuevo_caso().caso
    Caso.objects.filter(pk=caso.pk).update(responsable=personas["mediador"])
    client.force_login(personas["mediador"])
    assert client.get(reverse("api:casos")).status_code == 200
    assert client.get(reverse("api:caso", args=[caso.folio])).status_code == 200
    client.force_login(personas["ajeno"])
    assert client.get(reverse("api:casos")).status_code == 403


def test_escribir_con_la_sesion_pide_csrf_en_espanol(personas, catalogos):
    from django.test import Client

    cliente = Client(enforce_csrf_checks=True)
    cliente.force_login(personas["operadora"])
    respuesta = cliente.post(reverse("api:casos"), cuerpo_caso(), content_type="application/json")
    assert respuesta.status_code == 403
    assert "CSRF" in respuesta.json()["detail"] and "recargue" in respuesta.json()["detail"]


def test_encabezado_mal_formado_da_401(client, catalogos):
    respuesta = client.get(reverse("api:casos"), HTTP_AUTHORIZATION="Bearer dos partes")
    assert respuesta.status_code == 401
    assert respuesta.json()["detail"] == "Encabezado Authorization mal formado."


@pytest.mark.parametrize("nombre", ["api_esquema", "api_docs"])
def test_esquema_y_documentacion_son_publicos(client, catalogos, nombre):
    """No contienen datos: solo la forma de la API. Cada operación sigue pidiendo token."""
    assert client.get(reverse(nombre)).status_code == 200
    # Un token inválido no estorba para leer la documentación.
    assert client.get(reverse(nombre), HTTP_AUTHORIZATION="Bearer x").status_code == 200

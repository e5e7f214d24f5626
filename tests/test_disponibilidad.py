"""La base de datos o el broker que no responden: 503 con Retry-After en el formato de cada
cliente (página en español, JSON de la API, error GeoReport de Open311), venga la falla de
una vista, de un middleware (la carga de la sesión) o de una vista de DRF; sin traza, sin
500, una sola línea en la bitácora con la clase del error y sin datos personales.

La caída se simula con `connection.execute_wrapper`: toda consulta de la petición falla como
falla con PostgreSQL detenido. tests/test_base_caida.py hace lo mismo con un PostgreSQL real
que se apaga y se vuelve a prender.
"""

import json
import logging
import xml.etree.ElementTree as ET

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from kombu.exceptions import OperationalError as ErrorDelBroker
from redis.exceptions import ConnectionError as RedisSinConexion

from api.models import AlcanceToken
from api.services import emitir_token
from casos.models import Centro

AVISO = "El servicio no está disponible por un momento"
# Texto de la excepción simulada: si aparece en la respuesta o en la bitácora, se filtró.
SECRETO = "Juana Pérez 3312345678"


@pytest.fixture
def cliente():
    """Como el navegador: la respuesta que armó Django, sin volver a lanzar la excepción."""
    return Client(raise_request_exception=False)


@pytest.fixture
def base_caida():
    """Mientras dura el bloque, cada consulta de esta conexión falla como con la base caída."""

    def falla(execute, sql, params, many, context):
        raise OperationalError(f"connection refused ({SECRETO})")

    def caer():
        return connection.execute_wrapper(falla)

    return caer


def _revisar_503(respuesta, segundos: int = 30) -> str:
    assert respuesta.status_code == 503
    assert respuesta["Retry-After"] == str(segundos)
    assert "no-store" in respuesta["Cache-Control"]
    texto = respuesta.content.decode()
    for filtrado in ("Traceback", "OperationalError", "InterfaceError", "psycopg", SECRETO):
        assert filtrado not in texto
    return texto


def _una_linea(caplog, clase: str) -> str:
    """La única línea de WARNING o más: la de nucleo.disponibilidad, con la clase del error."""
    graves = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in graves] == ["nucleo.disponibilidad"], [r.getMessage() for r in graves]
    (linea,) = graves
    assert linea.levelno == logging.ERROR and linea.exc_info is None
    mensaje = linea.getMessage()
    assert clase in mensaje and "503" in mensaje and SECRETO not in mensaje
    return mensaje


def test_una_pagina_con_la_base_caida_responde_503_en_espanol_y_se_recarga(
    cliente, base_caida, catalogos, caplog
):
    with base_caida():
        respuesta = cliente.get("/consulta/")
    texto = _revisar_503(respuesta)
    assert respuesta["Content-Type"].startswith("text/html")
    assert AVISO in texto and "Intente de nuevo en unos segundos" in texto
    assert '<meta http-equiv="refresh" content="30">' in texto
    assert "no se guardó" not in texto
    mensaje = _una_linea(caplog, "django.db.utils.OperationalError")
    assert "GET /consulta/" in mensaje


def test_una_direccion_que_no_existe_con_la_base_caida_tambien_es_503(
    cliente, base_caida, catalogos
):
    """La página 404 lee el centro de la base: falla dentro del manejador de 404 y Django
    pasa a `handler500` con esa excepción."""
    with base_caida():
        respuesta = cliente.get("/no-existe/")
    assert AVISO in _revisar_503(respuesta)


def test_un_formulario_enviado_con_la_base_caida_dice_que_sus_datos_no_se_guardaron(
    cliente, base_caida, catalogos, caplog, settings
):
    settings.REINTENTO_SEGUNDOS = 12
    datos = {"nombre": "Juana Pérez", "telefono": "3312345678", "resumen": "Ruido de noche."}
    with base_caida():
        respuesta = cliente.post("/solicitud/", datos)
    texto = _revisar_503(respuesta, segundos=12)
    assert AVISO in texto
    assert "Lo que acaba de enviar no se guardó" in texto and "envíelo de nuevo" in texto
    assert "Lo que guardó antes está a salvo" in texto
    # Un POST no se repite solo.
    assert "refresh" not in texto
    mensaje = _una_linea(caplog, "OperationalError")
    assert "Juana" not in mensaje and "3312345678" not in mensaje


def test_la_sesion_que_no_carga_en_el_middleware_responde_503_y_no_se_pierde(
    cliente, operadora, monkeypatch, caplog
):
    cliente.force_login(operadora)
    assert cliente.get("/casos/").status_code == 200
    original = SessionStore.load

    def carga_caida(self):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(SessionStore, "load", carga_caida)
    respuesta = cliente.get("/casos/")
    assert AVISO in _revisar_503(respuesta)
    # Falló en un middleware (la sesión se lee al preguntar por el usuario), antes de que se
    # resolviera la URL y de llegar a la vista.
    assert respuesta.wsgi_request.resolver_match is None
    _una_linea(caplog, "django.db.utils.InterfaceError")

    # La base vuelve: la misma sesión sigue abierta (nadie la cerró por la falla).
    monkeypatch.setattr(SessionStore, "load", original)
    assert cliente.get("/casos/").status_code == 200


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
        psycopg.OperationalError("consuming input failed"),
        ErrorDelBroker("Error 111 connecting to 127.0.0.1:6379. Connection refused."),
        RedisSinConexion("Connection refused"),
    ],
    ids=["django-operational", "django-interface", "psycopg", "kombu", "redis"],
)
def test_cada_error_de_base_o_de_broker_responde_503(cliente, catalogos, monkeypatch, error):
    def caido(cls):
        raise error

    monkeypatch.setattr(Centro, "actual", classmethod(caido))
    assert AVISO in _revisar_503(cliente.get("/consulta/"))


def test_un_error_envuelto_cuya_causa_es_la_caida_tambien_es_503(cliente, catalogos, monkeypatch):
    def caido(cls):
        try:
            raise OperationalError("timeout expired")
        except OperationalError as causa:
            raise RuntimeError("no se pudo leer el centro") from causa

    monkeypatch.setattr(Centro, "actual", classmethod(caido))
    assert AVISO in _revisar_503(cliente.get("/consulta/"))


def test_otro_error_sigue_siendo_la_pagina_500(cliente, catalogos, monkeypatch):
    def roto(cls):
        raise ValueError("un error de programación")

    monkeypatch.setattr(Centro, "actual", classmethod(roto))
    respuesta = cliente.get("/consulta/")
    assert respuesta.status_code == 500
    assert "Retry-After" not in respuesta
    assert "Algo falló de nuestro lado" in respuesta.content.decode()


def test_la_api_con_la_base_caida_responde_503_en_su_json(
    cliente, base_caida, operadora, caplog, settings
):
    settings.REINTENTO_SEGUNDOS = 45
    token = emitir_token(nombre="conmutador", usuario=operadora)
    cabecera = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    with base_caida():  # ya falla la búsqueda del token (autenticación de DRF)
        lista = cliente.get("/api/v1/casos/", **cabecera)
        alta = cliente.post(
            "/api/v1/casos/", {"tipo": "MED"}, content_type="application/json", **cabecera
        )
    _revisar_503(lista, segundos=45)
    assert lista["Content-Type"] == "application/json"
    assert json.loads(lista.content) == {
        "detail": "El servicio no está disponible por un momento. Reintente en 45 segundos."
    }
    _revisar_503(alta, segundos=45)
    assert json.loads(alta.content)["detail"].endswith(
        "Los datos de esta petición no se guardaron."
    )
    lineas = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lineas) == 2 and "POST /api/v1/casos/" in lineas[1]


def test_la_api_con_la_sesion_web_que_no_carga_responde_503_en_json(
    cliente, operadora, monkeypatch
):
    cliente.force_login(operadora)

    def carga_caida(self):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(SessionStore, "load", carga_caida)
    respuesta = cliente.get("/api/v1/tareas/")
    _revisar_503(respuesta)
    assert json.loads(respuesta.content)["detail"].startswith(AVISO)


def test_open311_con_la_base_caida_responde_503_en_json_o_xml_segun_la_extension(
    cliente, base_caida, operadora, caplog
):
    api_key = emitir_token(nombre="app 311", usuario=operadora, alcance=AlcanceToken.OPEN311)
    with base_caida():
        en_json = cliente.get("/open311/v2/services.json")
        en_xml = cliente.get("/open311/v2/requests.xml", {"status": "open"})
        alta = cliente.post("/open311/v2/requests.xml", {"api_key": api_key})
    _revisar_503(en_json)
    assert en_json["Content-Type"] == "application/json; charset=utf-8"
    (error,) = json.loads(en_json.content)
    assert error["code"] == 503 and error["description"].startswith(AVISO)

    _revisar_503(en_xml)
    assert en_xml["Content-Type"] == "text/xml; charset=utf-8"
    raiz = ET.fromstring(en_xml.content)
    assert raiz.tag == "errors" and [e.tag for e in raiz] == ["error"]
    assert raiz.findtext("error/code") == "503"
    assert raiz.findtext("error/description").startswith(AVISO)

    _revisar_503(alta)
    descripcion = ET.fromstring(alta.content).findtext("error/description")
    assert descripcion.endswith("Los datos de esta petición no se guardaron.")
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 3

"""El esquema OpenAPI es válido y la API cumple lo que dice (pruebas por propiedades)."""

import pytest
import schemathesis
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import emitir_token
from config.wsgi import application


def test_el_esquema_es_valido_y_sin_advertencias(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "e.yaml"))


def test_el_esquema_documenta_solo_la_api_del_personal(client, catalogos):
    esquema = client.get(reverse("api_esquema"), {"format": "json"}).json()
    assert esquema["info"]["title"] == "API del personal"
    assert set(esquema["paths"]) == {
        "/api/v1/llamantes/",
        "/api/v1/casos/",
        "/api/v1/casos/{folio}/",
        "/api/v1/tareas/",
    }
    token = esquema["components"]["securitySchemes"]["tokenAPI"]
    assert token["type"] == "http" and token["scheme"] == "bearer"
    for operaciones in esquema["paths"].values():
        for operacion in operaciones.values():
            assert {"tokenAPI": []} in operacion["security"]
            assert {"401", "403"} <= set(operacion["responses"])


def test_la_documentacion_usa_estaticos_propios_sin_cdn(client, catalogos):
    html = client.get(reverse("api_docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert reverse("api_esquema") in html


# Las peticiones van a la aplicación WSGI en el mismo hilo y la misma conexión que la
# prueba: basta `db` (cada prueba se deshace al final; lo que se crea por POST no sale de ella
# y los efectos `on_commit`, como el PDF del acuse, no se disparan).
@pytest.fixture(autouse=True)
def _conexion_abierta():
    """Como el cliente de pruebas de Django: que el fin de cada petición no cierre la conexión
    (en PostgreSQL cerrarla tiraría la transacción de la prueba)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def credencial(coordinadora, nuevo_caso):
    """Coordinación (puede todo lo de la API) y algunos casos que listar."""
    for _ in range(3):
        nuevo_caso()
    return {"Authorization": f"Bearer {emitir_token(nombre='propiedades', usuario=coordinadora)}"}


VALIDACIONES = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Se carga al recolectar: el esquema no toca la base (es público y no depende de datos).
esquema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@esquema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_la_api_cumple_su_esquema(case, credencial):
    """Nunca 5xx; código, tipo de contenido y cuerpo documentados; lo inválido se rechaza."""
    case.call_and_validate(headers=credencial, checks=[*VALIDACIONES, negative_data_rejection])


def _tareas_abiertas(caso):
    from flujos.selectors import ABIERTAS, tareas_del_caso

    return [
        t for t in tareas_del_caso(caso) if t.flow_task_type == "HUMAN" and t.status in ABIERTAS
    ]


def test_las_respuestas_con_datos_tambien_cumplen_el_esquema(
    coordinadora, certificado, sala, nuevo_caso, reloj
):
    """Al azar casi todo es 400 o 404: aquí, las respuestas llenas (alta, expediente con
    sesión, plazos y tareas, llamante y bandeja) contra el mismo esquema."""
    from flujos import tareas as flujos_tareas
    from tests.casos.etapas import admitido, con_sesion, invitado

    from .datos import cuerpo_caso

    cabecera = {"Authorization": f"Bearer {emitir_token(nombre='p', usuario=coordinadora)}"}

    def validar(ruta, metodo, esperado, **datos):
        caso = esquema[ruta][metodo].Case(**datos)
        respuesta = caso.call_and_validate(headers=cabecera, checks=VALIDACIONES)
        assert respuesta.status_code == esperado, respuesta.text
        return respuesta.json()

    creado = validar("/api/v1/casos/", "POST", 201, body=cuerpo_caso())
    caso = nuevo_caso().caso
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    con_sesion(caso, certificado, sala)
    tarea = next(t for t in _tareas_abiertas(caso) if t.owner_id is None)
    flujos_tareas.tomar(task=tarea, usuario=coordinadora)
    for folio in (creado["folio"], caso.folio):
        validar("/api/v1/casos/{folio}/", "GET", 200, path_parameters={"folio": folio})
    detalle = validar("/api/v1/casos/{folio}/", "GET", 200, path_parameters={"folio": caso.folio})
    assert detalle["proxima_sesion"] and detalle["plazos"] and detalle["responsable"]
    assert detalle["tareas_abiertas"] and detalle["documentos"]
    llamante = validar("/api/v1/llamantes/", "GET", 200, query={"telefono": "33 2222 3333"})
    assert [c["folio"] for c in llamante["casos"]] == [creado["folio"]]
    lista = validar("/api/v1/casos/", "GET", 200, query={"por_pagina": 1})
    assert lista["siguiente"] and lista["total"] == 2
    bandeja = validar("/api/v1/tareas/", "GET", 200)
    assert bandeja["resultados"]

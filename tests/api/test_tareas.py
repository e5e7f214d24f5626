"""Mis tareas: las de la bandeja web de quien consulta, con vencimiento y enlaces."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Task

from api.services import emitir_token
from casos.models import Localidad
from flujos import tareas
from tests.casos.etapas import en

pytestmark = pytest.mark.usefixtures("reloj")


@pytest.fixture
def get(client):
    tokens = {}

    def llamar(usuario, datos=None):
        if usuario.pk not in tokens:
            tokens[usuario.pk] = emitir_token(nombre="prueba", usuario=usuario)
        return client.get(
            reverse("api:mis_tareas"),
            datos or {},
            HTTP_AUTHORIZATION=f"Bearer {tokens[usuario.pk]}",
        )

    return llamar


def _tomar(caso, usuario):
    tarea = Task.objects.get(
        flow_task_type="HUMAN", process__artifact_object_id=caso.pk, status="NEW"
    )
    tareas.tomar(task=tarea, usuario=usuario)
    return tarea


def test_solo_las_tareas_asignadas_a_quien_consulta(get, nuevo_caso, coordinadora, operadora):
    mia = nuevo_caso().caso
    tarea = _tomar(mia, coordinadora)
    nuevo_caso()  # su tarea queda en la cola: no es de nadie
    respuesta = get(coordinadora)
    assert respuesta.status_code == 200, respuesta.content
    datos = respuesta.json()
    assert datos["total"] == 1 and datos["pagina"] == 1 and datos["por_pagina"] == 50
    [fila] = datos["resultados"]
    assert fila["id"] == tarea.pk and fila["folio"] == mia.folio
    assert fila["titulo"] == str(tarea.flow_task.task_title)
    assert fila["vence"] == "2026-11-25T23:59:00-06:00"  # Task.scheduled, hora de México
    assert fila["vencida"] is False and fila["dias_habiles"] == 1
    assert fila["url"].endswith(reverse("flujos:tarea", args=[tarea.pk]))
    assert fila["url_caso"].endswith(reverse("api:caso", args=[mia.folio]))
    assert get(operadora).json()["resultados"] == []


def test_vencidas_primero_con_su_marca_y_filtros(get, nuevo_caso, coordinadora, reloj):
    viejo = nuevo_caso().caso  # revisar vence el 25/11
    _tomar(viejo, coordinadora)
    reloj.move_to(en(date(2026, 11, 27)))
    otra = Localidad.objects.exclude(pk=viejo.localidad_id).first()
    nuevo = nuevo_caso(localidad=otra).caso  # vence el 30/11
    _tomar(nuevo, coordinadora)
    filas = get(coordinadora).json()["resultados"]
    assert [f["folio"] for f in filas] == [viejo.folio, nuevo.folio]
    assert filas[0]["vencida"] is True and filas[0]["dias_habiles"] < 0
    assert filas[1]["vencida"] is False
    vencidas = get(coordinadora, {"vencimiento": "vencidas"}).json()["resultados"]
    assert [f["folio"] for f in vencidas] == [viejo.folio]
    por_localidad = get(coordinadora, {"localidad": otra.pk}).json()["resultados"]
    assert [f["folio"] for f in por_localidad] == [nuevo.folio]
    por_folio = get(coordinadora, {"folio": nuevo.folio}).json()["resultados"]
    assert [f["folio"] for f in por_folio] == [nuevo.folio]


@pytest.mark.parametrize(
    ("datos", "campo"),
    [
        ({"vencimiento": "ayer"}, "vencimiento"),
        ({"pagina": "2"}, "pagina"),
        ({"pagina": "-1"}, "pagina"),
        ({"categoria": "x"}, "categoria"),
        ({"localidad": "99999"}, "localidad"),
        ({"folio": "x" * 31}, "folio"),
    ],
)
def test_parametros_invalidos_dan_400(get, coordinadora, datos, campo):
    respuesta = get(coordinadora, datos)
    assert respuesta.status_code == 400
    assert list(respuesta.json()) == [campo]


def test_mis_tareas_no_crece_en_consultas(get, nuevo_caso, coordinadora):
    def consultas():
        with CaptureQueriesContext(connection) as capturadas:
            respuesta = get(coordinadora)
        return len(capturadas), len(respuesta.json()["resultados"])

    for _ in range(3):
        _tomar(nuevo_caso().caso, coordinadora)
    consultas()
    con_3, n = consultas()
    assert n == 3
    for _ in range(12):
        _tomar(nuevo_caso().caso, coordinadora)
    con_15, n = consultas()
    assert n == 15 and con_3 == con_15


def test_las_tareas_de_solicitudes_arco_no_cuentan_en_la_api_de_casos(
    get, nuevo_caso, coordinadora
):
    """La API habla de casos: una tarea ARCO de la misma persona no aparece ni se cuenta."""
    from casos.services import privacidad as arco

    coordinadora.groups.add(coordinadora.groups.model.objects.get(name="privacidad"))
    caso = nuevo_caso().caso
    _tomar(caso, coordinadora)
    solicitud = arco.recibir_solicitud_arco(
        derecho="acceso",
        canal="web",
        nombre="Titular de Prueba",
        medio_respuesta="correo",
        correo="titular@example.mx",
        descripcion="Quiero conocer mis datos personales.",
    ).solicitud
    tarea_arco = Task.objects.get(
        flow_task_type="HUMAN", process__artifact_object_id=solicitud.pk, status="NEW"
    )
    tareas.tomar(task=tarea_arco, usuario=coordinadora)
    datos = get(coordinadora).json()
    assert datos["total"] == 1
    assert [t["folio"] for t in datos["resultados"]] == [caso.folio]

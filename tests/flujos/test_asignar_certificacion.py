"""Asignar una mediación a quien tiene la certificación por terminar antes del plazo del
procedimiento (LGMASC arts. 55 y 64): se advierte, se confirma y queda en la línea de tiempo.
Con la certificación vencida, ni se asigna ni se trabajan tareas."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casos import plazos
from casos.models import PerfilMediador, TipoEvento
from casos.services import mediacion as med
from flujos import selectors, tareas
from flujos.forms import AsignarForm
from flujos.tareas import TareaNoDisponible

pytestmark = pytest.mark.usefixtures("reloj")

# Admitido el 24/11/2026: el procedimiento vence a los tres meses, el 24/02/2027.
CORTA = date(2027, 1, 15)
CASILLA = "Entiendo que su certificación vence antes del plazo del procedimiento"


@pytest.fixture
def caso(nuevo_caso, coordinadora, conductor):
    caso = nuevo_caso().caso
    conductor.hacer(coordinadora, caso, "revisar", {"decision": "admitir", "motivo": ""})
    caso.refresh_from_db()
    return caso


@pytest.fixture
def corta(mediador):
    PerfilMediador.objects.create(
        usuario=mediador, numero_certificacion="IJA-9", certificado_hasta=CORTA
    )
    return mediador


def _abrir_asignar(conductor, caso, coordinadora):
    tarea = conductor.tarea(caso, "asignar")
    conductor.client.force_login(coordinadora)
    conductor.client.post(reverse("flujos:tomar", args=[tarea.pk]))
    return reverse("flujos:tarea", args=[tarea.pk])


def test_el_plazo_del_procedimiento_y_la_certificacion(caso):
    assert plazos.procedimiento_vence_el(caso) == date(2027, 2, 24)
    assert plazos.certificacion_no_cubre_plazo(caso, CORTA) == date(2027, 2, 24)
    assert plazos.certificacion_no_cubre_plazo(caso, date(2027, 2, 24)) is None


def test_la_lista_advierte_junto_al_nombre(conductor, caso, coordinadora, corta, otro_certificado):
    url = _abrir_asignar(conductor, caso, coordinadora)
    html = conductor.client.get(url).content.decode()
    assert (
        "Mediador — ⚠ su certificación vence el 15/01/2027, antes del plazo del procedimiento "
        "(24/02/2027)"
    ) in html
    assert "Mediadora2 — ⚠" not in html
    assert CASILLA in html


def test_sin_confirmar_no_se_asigna(conductor, caso, coordinadora, corta):
    url = _abrir_asignar(conductor, caso, coordinadora)
    respuesta = conductor.client.post(url, {"responsable": corta.pk})
    assert respuesta.status_code == 400
    assert "marque la casilla de confirmación" in respuesta.content.decode()
    caso.refresh_from_db()
    assert caso.responsable is None
    assert conductor.tarea(caso, "asignar")


def test_confirmado_se_asigna_y_queda_en_la_linea_de_tiempo(conductor, caso, coordinadora, corta):
    url = _abrir_asignar(conductor, caso, coordinadora)
    respuesta = conductor.client.post(url, {"responsable": corta.pk, "confirma_vigencia": "on"})
    assert respuesta.status_code == 302
    caso.refresh_from_db()
    assert caso.responsable == corta
    evento = caso.eventos.filter(tipo=TipoEvento.ASIGNADA).get()
    assert evento.actor == coordinadora
    assert "su certificación vence el 15/01/2027, antes del plazo del procedimiento" in (
        evento.descripcion
    )
    assert "confirmó que lo sabe" in evento.descripcion
    assert evento.datos["certificacion_vence"] == "2027-01-15"
    assert evento.datos["procedimiento_vence"] == "2027-02-24"
    assert evento.datos["vigencia_confirmada"] is True


def test_con_certificacion_que_cubre_el_plazo_no_hay_casilla_ni_advertencia(
    conductor, caso, coordinadora, certificado
):
    url = _abrir_asignar(conductor, caso, coordinadora)
    assert conductor.client.post(url, {"responsable": certificado.pk}).status_code == 302
    evento = caso.eventos.filter(tipo=TipoEvento.ASIGNADA).get()
    assert "Advertencia" not in evento.descripcion
    assert "certificacion_vence" not in evento.datos


def test_la_asesoria_no_pide_la_casilla(nuevo_caso):
    form = AsignarForm(elegibles=None, caso=nuevo_caso(tipo="ASE").caso)
    assert "confirma_vigencia" not in form.fields


def test_reasignar_por_otra_via_tambien_deja_la_advertencia(caso, coordinadora, corta):
    med.asignar_responsable(caso=caso, actor=coordinadora, responsable=corta)
    evento = caso.eventos.filter(tipo=TipoEvento.ASIGNADA).get()
    assert "antes del plazo del procedimiento" in evento.descripcion
    assert evento.datos["vigencia_confirmada"] is False


def test_vencida_no_se_asigna_ni_trabaja_tareas(
    conductor, caso, coordinadora, corta, otro_certificado, reloj
):
    url = _abrir_asignar(conductor, caso, coordinadora)
    conductor.client.post(url, {"responsable": corta.pk, "confirma_vigencia": "on"})
    invitar = conductor.tarea(caso, "invitar")
    assert invitar.owner == corta
    reloj.move_to("2027-01-16T10:00-06:00")
    with pytest.raises(ValidationError, match="venció el 15/01/2027"):
        med.asignar_responsable(caso=caso, actor=coordinadora, responsable=corta)
    assert corta not in selectors.elegibles_para(caso)
    # Ni la tarea que ya tenía: al intentar completarla, el aviso y la tarea sigue abierta.
    conductor.client.force_login(corta)
    respuesta = conductor.client.post(
        reverse("flujos:tarea", args=[invitar.pk]),
        {
            "fecha": "2027-01-16T10:00",
            "medio": "personal",
            "recibio": "La persona",
            "respuesta": "acepta",
            "observaciones": "",
        },
        follow=True,
    )
    assert "no tiene certificación vigente" in respuesta.content.decode()
    assert conductor.tarea(caso, "invitar").pk == invitar.pk
    # Ni se le puede pasar otra: la coordinación la reasigna a quien sí está vigente.
    with pytest.raises(TareaNoDisponible, match="no tiene certificación vigente"):
        tareas.reasignar(task=invitar, usuario=coordinadora, nuevo=corta)
    tareas.reasignar(task=invitar, usuario=coordinadora, nuevo=otro_certificado)

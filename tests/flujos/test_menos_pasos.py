"""Menos pasos por tarea: abrir una tarea de la cola la toma (por POST), guardar lleva a la
siguiente tarea propia del caso o a la bandeja, la coordinadora admite y asigna en una sola
pantalla, y la liga de una tarea terminada dice quién la hizo y cuándo."""

import pytest
from django.urls import reverse

from tests.conftest import _persona
from tests.flujos.test_flujo_mediacion import INVITACION, admitir_y_asignar

pytestmark = pytest.mark.usefixtures("reloj")


@pytest.fixture
def caso(nuevo_caso):
    return nuevo_caso().caso


@pytest.fixture
def otra_coordinadora(catalogos):
    return _persona("coordinadora2", "coordinador")


def test_guardar_la_invitacion_lleva_a_programar_la_sesion(
    conductor, caso, coordinadora, certificado
):
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    respuesta = conductor.hacer(certificado, caso, "invitar", INVITACION)
    programar = conductor.tarea(caso, "programar")
    assert respuesta.url == reverse("flujos:tarea", args=[programar.pk])


def test_sin_otra_tarea_propia_en_el_caso_vuelve_a_la_bandeja_con_una_linea(
    conductor, caso, coordinadora, certificado, sala, client
):
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    conductor.hacer(certificado, caso, "invitar", INVITACION)
    datos = {
        "horario": "otra",
        "otra_hora": "2026-11-26T10:00",
        "duracion_min": 60,
        "sala": sala.pk,
    }
    respuesta = conductor.hacer(certificado, caso, "programar", datos)
    assert respuesta.url == reverse("flujos:bandeja")
    html = client.get(respuesta.url).content.decode()
    assert "Sesión programada." in html


def test_la_coordinadora_admite_y_asigna_en_una_sola_pantalla(
    conductor, caso, coordinadora, certificado
):
    revisar = conductor.tarea(caso, "revisar")
    conductor.client.force_login(coordinadora)
    conductor.client.post(reverse("flujos:tomar", args=[revisar.pk]))
    pantalla = conductor.client.get(reverse("flujos:tarea", args=[revisar.pk])).content.decode()
    assert "Persona facilitadora (si admite)" in pantalla
    respuesta = conductor.hacer(
        coordinadora,
        caso,
        "revisar",
        {"decision": "admitir", "motivo": "", "responsable": certificado.pk},
    )
    assert respuesta.url == reverse("flujos:bandeja")
    caso.refresh_from_db()
    assert caso.responsable == certificado
    assert conductor.pendientes(caso) == ["invitar"]
    assert conductor.tarea(caso, "invitar").owner == certificado
    html = conductor.client.get(respuesta.url).content.decode()
    assert "Solicitud admitida y asignada a" in html


def test_admitir_sin_elegir_persona_deja_la_asignacion_en_la_cola(conductor, caso, coordinadora):
    conductor.hacer(coordinadora, caso, "revisar", {"decision": "admitir", "motivo": ""})
    asignar = conductor.tarea(caso, "asignar")
    assert asignar.owner is None


def test_no_admitir_ignora_a_la_persona_elegida(conductor, caso, coordinadora, certificado):
    conductor.hacer(
        coordinadora,
        caso,
        "revisar",
        {"decision": "no_admitir", "motivo": "Materia penal", "responsable": certificado.pk},
    )
    caso.refresh_from_db()
    assert caso.responsable is None


def test_abrir_la_tarea_por_get_no_la_toma(conductor, caso, coordinadora, client):
    revisar = conductor.tarea(caso, "revisar")
    client.force_login(coordinadora)
    respuesta = client.get(reverse("flujos:tarea", args=[revisar.pk]))
    assert respuesta.status_code == 200
    revisar.refresh_from_db()
    assert revisar.owner is None and revisar.status == "NEW"
    caso.refresh_from_db()
    assert caso.estado == "recibida"


def test_la_cola_abre_las_tareas_con_un_boton_que_las_toma(conductor, caso, coordinadora, client):
    revisar = conductor.tarea(caso, "revisar")
    client.force_login(coordinadora)
    html = client.get(reverse("flujos:cola")).content.decode()
    assert f'action="{reverse("flujos:tomar", args=[revisar.pk])}"' in html
    assert "Tareas por tomar (1)" in html
    respuesta = client.post(reverse("flujos:tomar", args=[revisar.pk]))
    assert respuesta.url == reverse("flujos:tarea", args=[revisar.pk])
    revisar.refresh_from_db()
    assert revisar.owner == coordinadora


def test_dos_personas_abren_la_misma_tarea_gana_una_y_la_otra_ve_quien_la_tiene(
    conductor, caso, coordinadora, otra_coordinadora, client
):
    revisar = conductor.tarea(caso, "revisar")
    client.force_login(coordinadora)
    assert client.post(reverse("flujos:tomar", args=[revisar.pk])).status_code == 302
    client.force_login(otra_coordinadora)
    respuesta = client.post(reverse("flujos:tomar", args=[revisar.pk]), follow=True)
    assert "Coordinadora ya tomó esta tarea." in respuesta.content.decode()
    revisar.refresh_from_db()
    assert revisar.owner == coordinadora


def test_la_liga_de_una_tarea_terminada_dice_quien_y_cuando(
    conductor, caso, coordinadora, certificado, client, ajeno
):
    revisar = conductor.tarea(caso, "revisar")
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    client.force_login(certificado)
    respuesta = client.get(reverse("flujos:tarea", args=[revisar.pk]))
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "Esta tarea ya se completó: la terminó Coordinadora el" in html
    client.force_login(ajeno)
    assert client.get(reverse("flujos:tarea", args=[revisar.pk])).status_code == 403


def test_plazos_filtra_por_persona_y_por_tipo_de_tarea(
    conductor, nuevo_caso, coordinadora, certificado, otro_certificado, client, reloj
):
    from datetime import date

    from tests.casos.etapas import en

    uno, dos = nuevo_caso().caso, nuevo_caso().caso
    admitir_y_asignar(conductor, uno, coordinadora, certificado)
    admitir_y_asignar(conductor, dos, coordinadora, otro_certificado)
    tres = nuevo_caso().caso
    reloj.move_to(en(date(2026, 12, 30)))  # todo venció: la lista de plazos muestra todo
    client.force_login(coordinadora)
    url = reverse("flujos:plazos")
    html = client.get(url, {"persona": certificado.pk}).content.decode()
    assert uno.folio in html and dos.folio not in html and tres.folio not in html
    html = client.get(url, {"tarea": "revisar"}).content.decode()
    assert tres.folio in html and uno.folio not in html
    html = client.get(url, {"tarea": "no_existe"}).content.decode()
    assert uno.folio in html and tres.folio in html


def test_en_plazos_la_tarea_de_otra_persona_no_es_un_enlace(
    conductor, caso, coordinadora, certificado, client, reloj
):
    from datetime import date

    from tests.casos.etapas import en

    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    invitar = conductor.tarea(caso, "invitar")
    reloj.move_to(en(date(2026, 12, 30)))
    client.force_login(coordinadora)
    html = client.get(reverse("flujos:plazos")).content.decode()
    assert caso.folio in html and "Invitar a la otra parte" in html
    assert reverse("flujos:tarea", args=[invitar.pk]) not in html
    client.force_login(certificado)
    html = client.get(reverse("flujos:bandeja")).content.decode()
    assert reverse("flujos:tarea", args=[invitar.pk]) in html

"""Bandeja y cola: mismas consultas con 5 que con 200 tareas; orden por vencimiento; filtros."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casos.models import Localidad

pytestmark = pytest.mark.usefixtures("reloj")


def _consultas(client, url, datos=None):
    # Una petición antes: lo que se guarda unos segundos en caché (el aviso de trabajo
    # detenido lee los latidos de los workers) no cuenta como consulta de la página.
    client.get(url, datos or {})
    with CaptureQueriesContext(connection) as capturadas:
        respuesta = client.get(url, datos or {})
    assert respuesta.status_code == 200
    return len(capturadas)


@pytest.mark.parametrize("url", ["flujos:cola", "flujos:plazos"])
def test_cola_y_plazos_no_crecen_en_consultas(client, coordinadora, nuevo_caso, url):
    for _ in range(5):
        nuevo_caso()
    client.force_login(coordinadora)
    con_5 = _consultas(client, reverse(url))
    for _ in range(195):
        nuevo_caso()
    con_200 = _consultas(client, reverse(url))
    assert con_5 == con_200


def test_la_bandeja_no_crece_en_consultas(client, conductor, coordinadora, nuevo_caso):
    def tomar(n):
        for _ in range(n):
            caso = nuevo_caso().caso
            tarea = conductor.tarea(caso, "revisar")
            client.post(reverse("flujos:tomar", args=[tarea.pk]))

    client.force_login(coordinadora)
    tomar(5)
    con_5 = _consultas(client, reverse("flujos:bandeja"))
    tomar(195)
    con_200 = _consultas(client, reverse("flujos:bandeja"))
    assert con_5 == con_200


def test_vencidas_primero_y_filtros(client, conductor, coordinadora, nuevo_caso, reloj):
    from datetime import date

    from tests.casos.etapas import en

    viejo = nuevo_caso(nombre="Caso viejo").caso  # revisar vence el 25/11
    reloj.move_to(en(date(2026, 11, 27)))
    otra = Localidad.objects.exclude(pk=viejo.localidad_id).first()
    nuevo = nuevo_caso(localidad=otra).caso  # vence el 30/11
    client.force_login(coordinadora)
    html = client.get(reverse("flujos:cola")).content.decode()
    assert html.index(viejo.folio) < html.index(nuevo.folio)
    assert "Vencida" in html
    vencidas = client.get(reverse("flujos:cola"), {"vencimiento": "vencidas"}).content.decode()
    assert viejo.folio in vencidas and nuevo.folio not in vencidas
    por_localidad = client.get(reverse("flujos:cola"), {"localidad": otra.pk}).content.decode()
    assert nuevo.folio in por_localidad and viejo.folio not in por_localidad
    por_folio = client.get(reverse("flujos:cola"), {"folio": viejo.folio}).content.decode()
    assert viejo.folio in por_folio and nuevo.folio not in por_folio


@pytest.mark.django_db
def test_un_folio_con_caracteres_de_control_no_rompe_la_bandeja(cliente_de, coordinadora):
    """Un NUL en el filtro de folio no llega a la consulta (PostgreSQL no lo admite en un
    texto): se quita, como cualquier carácter de control."""
    from flujos.selectors import FiltrosBandeja

    assert FiltrosBandeja.desde({"folio": "MED\x00-2026\x07"}).folio == "MED-2026"
    for ruta in ("/tareas/", "/tareas/cola/", "/avisos/"):
        assert cliente_de(coordinadora).get(ruta, {"folio": "\x00"}).status_code == 200

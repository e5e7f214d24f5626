"""El calendario suscribible: lo leen `icalendar` y `vobject`, no lleva nombres, teléfonos ni
relato, y deja de servir al quitarlo o al generar otro enlace."""

import icalendar
import pytest
import vobject
from django.urls import reverse

from agenda.models import ConsultaCalendario, SuscripcionCalendario
from agenda.selectors import huella

from .conftest import MIERCOLES


@pytest.fixture
def enlace(escena, client, certificado):
    """Crea el enlace desde la página, como la persona; devuelve la ruta del calendario."""
    client.force_login(certificado)
    respuesta = client.post(reverse("agenda:crear_suscripcion"))
    assert respuesta.status_code == 200
    client.logout()
    return respuesta.context["enlace"].removeprefix("http://testserver")


def test_el_calendario_se_lee_con_icalendar_y_con_vobject(escena, client, enlace):
    respuesta = client.get(enlace)
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "text/calendar; charset=utf-8"
    texto = respuesta.content.decode()

    calendario = icalendar.Calendar.from_ical(texto)
    (evento,) = calendario.walk("VEVENT")
    assert str(evento["SUMMARY"]) == f"Sesión {escena.propio.folio}"
    assert str(evento["LOCATION"]) == "Sala 1"
    assert evento["STATUS"] == "CONFIRMED"
    assert evento.decoded("DTSTART").date() == MIERCOLES
    assert evento.decoded("DTSTART").hour == 10

    leido = vobject.readOne(texto)
    (vevent,) = leido.vevent_list
    assert vevent.summary.value == f"Sesión {escena.propio.folio}"
    assert vevent.dtstart.value.hour == 10 and vevent.uid.value == str(evento["UID"])


def test_el_calendario_no_lleva_nombres_telefonos_ni_relato(escena, client, enlace):
    texto = client.get(enlace).content.decode()
    desplegado = texto.replace("\r\n ", "")  # líneas plegadas
    for prohibido in (
        "Rosa",
        "Tello",
        "Pedro",
        "López",
        "Hidalgo",
        "3311112222",
        "1111",
        "música",
        "volumen",
        escena.ajeno.folio,
    ):
        assert prohibido not in desplegado, prohibido
    evento = icalendar.Calendar.from_ical(texto).walk("VEVENT")[0]
    assert set(evento) <= {
        "UID",
        "DTSTAMP",
        "DTSTART",
        "DTEND",
        "SUMMARY",
        "LOCATION",
        "STATUS",
        "DESCRIPTION",
        "CLASS",
    }
    assert "ATTENDEE" not in desplegado and "ORGANIZER" not in desplegado


def test_el_uid_de_cada_sesion_es_estable_y_cada_lectura_queda_registrada(
    escena, client, enlace, certificado
):
    uno = icalendar.Calendar.from_ical(client.get(enlace).content).walk("VEVENT")[0]
    dos = icalendar.Calendar.from_ical(
        client.get(enlace, HTTP_USER_AGENT="Calendario/1.0").content
    ).walk("VEVENT")[0]
    assert (
        uno["UID"] == dos["UID"] == f"sesion-{escena.sesion_propia.pk}@agenda.expedientes-mediacion"
    )
    consultas = ConsultaCalendario.objects.filter(usuario=certificado)
    assert consultas.count() == 2
    assert consultas.first().cliente == "Calendario/1.0" and consultas.first().sesiones == 1


def test_solo_se_guarda_la_huella_del_token(escena, enlace, certificado):
    token = enlace.rsplit("/", 1)[1].removesuffix(".ics")
    guardada = SuscripcionCalendario.objects.get(usuario=certificado)
    assert guardada.token_hash == huella(token) and token not in guardada.token_hash


def test_quitar_el_enlace_lo_deja_en_404(escena, client, enlace, certificado):
    client.force_login(certificado)
    assert client.post(reverse("agenda:revocar_suscripcion")).status_code == 302
    client.logout()
    assert client.get(enlace).status_code == 404


def test_generar_otro_enlace_anula_el_anterior(escena, client, enlace, certificado):
    client.force_login(certificado)
    nuevo = client.post(reverse("agenda:crear_suscripcion")).context["enlace"]
    client.logout()
    assert client.get(enlace).status_code == 404
    assert client.get(nuevo.removeprefix("http://testserver")).status_code == 200


def test_un_token_desconocido_o_de_cuenta_desactivada_da_404(escena, client, enlace, certificado):
    assert client.get(reverse("agenda:ical", args=["no-existe"])).status_code == 404
    certificado.is_active = False
    certificado.save()
    assert client.get(enlace).status_code == 404
    assert not ConsultaCalendario.objects.exists()


def test_la_pagina_muestra_el_enlace_solo_al_crearlo(escena, client, enlace, certificado):
    client.force_login(certificado)
    html = client.get(reverse("agenda:suscripcion")).content.decode()
    assert enlace not in html and "Tiene un enlace activo" in html

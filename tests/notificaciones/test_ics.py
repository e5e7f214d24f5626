"""Citas de calendario: lo que se escribe en un lugar o un nombre nunca crea propiedades."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from notificaciones import services
from notificaciones.ics import Cita, calendario
from notificaciones.models import Canal, Mensaje
from tests.casos.etapas import admitido, con_sesion, en, invitado

MEXICO = ZoneInfo("America/Mexico_City")
INICIO = datetime(2026, 11, 30, 10, 0, tzinfo=MEXICO)

PROPIEDADES_CALENDARIO = {"VERSION", "PRODID", "CALSCALE", "METHOD"}
PROPIEDADES_EVENTO = {
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SEQUENCE",
    "STATUS",
    "SUMMARY",
    "LOCATION",
    "DESCRIPTION",
    "ORGANIZER",
    "ATTENDEE",
}

PROPIEDAD_DE = {"lugar": "LOCATION", "resumen": "SUMMARY", "descripcion": "DESCRIPTION"}
# Sin dirección utilizable, la cita va sin organizador o sin asistente (nunca con basura).
OPCIONALES = {"ORGANIZER", "ATTENDEE"}

INYECCIONES = [
    "\r",
    "\n",
    "\r\n",
    "\rATTACH:https://malo.example/x.exe",
    "\nATTACH:https://malo.example/x.exe",
    "\r\nATTACH:https://malo.example/x.exe",
    "\r\n ATTACH:https://malo.example/x.exe",
    "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:otro",
    '"; ROLE=CHAIR:mailto:malo@example.com\rX-MALO:1',
    "\x0bX-MALO:1\x00\x1b",
]


def _como_lo_lee_un_cliente(texto: str) -> Calendar:
    """Varios clientes de correo toman un CR o un LF sueltos como fin de línea."""
    return Calendar.from_ical(re.sub(r"\r\n|\r|\n", "\r\n", texto))


def _cita(**cambios) -> Cita:
    datos = {
        "uid": "sesion-7@municipio.gob.mx",
        "inicio": INICIO,
        "fin": INICIO + timedelta(hours=1),
        "resumen": "Sesión de mediación MED-2026-00001",
        "lugar": "Sala 1, planta baja",
        "descripcion": "Facilitador(a): Ana Ruiz. Informes: llame al 391 917 0000.",
        "organizador": "Centro de Mediación <avisos@municipio.gob.mx>",
        "asistente": "juana@correo.mx",
        **cambios,
    }
    return Cita(**datos)


def _revisar(texto: str, *, cancelada: bool = False) -> None:
    # Ni CR ni LF fuera de los fines de línea, y líneas plegadas a 75 octetos.
    assert "\r" not in texto.replace("\r\n", "") and "\n" not in texto.replace("\r\n", "")
    assert all(len(linea.encode()) <= 75 for linea in texto.split("\r\n"))
    for leido in (Calendar.from_ical(texto), _como_lo_lee_un_cliente(texto)):
        assert set(leido) == PROPIEDADES_CALENDARIO
        (evento,) = leido.walk("VEVENT")
        assert PROPIEDADES_EVENTO - OPCIONALES <= set(evento) <= PROPIEDADES_EVENTO
        assert [c.name for c in leido.subcomponents] == ["VTIMEZONE", "VEVENT"]
        assert [c.name for c in evento.subcomponents] == ([] if cancelada else ["VALARM"])
        assert not {"ATTACH", "X-MALO"} & {p for c in leido.walk() for p in c}
    # Ninguna línea, cortada como la corte el cliente, empieza una propiedad inyectada.
    for linea in re.split(r"\r\n|\r|\n", texto):
        assert not linea.upper().startswith(("ATTACH", "X-MALO")), linea


@pytest.mark.parametrize("inyeccion", INYECCIONES)
@pytest.mark.parametrize("campo", ["lugar", "resumen", "descripcion"])
def test_un_texto_escrito_no_crea_propiedades(campo, inyeccion):
    cita = _cita(**{campo: f"Casa ejidal{inyeccion} de Margaritas"})
    texto = calendario(cita)
    _revisar(texto)
    (evento,) = Calendar.from_ical(texto).walk("VEVENT")
    # Lo escrito llega completo, como texto de esa misma propiedad.
    valor = str(evento[PROPIEDAD_DE[campo]])
    assert valor.startswith("Casa ejidal") and valor.endswith("de Margaritas")


@pytest.mark.parametrize("inyeccion", INYECCIONES)
def test_un_nombre_o_un_correo_no_crean_propiedades(inyeccion):
    cita = _cita(
        organizador=f'"Centro{inyeccion}" <avisos@municipio.gob.mx>',
        asistente=f"juana@correo.mx{inyeccion}",
    )
    _revisar(calendario(cita))
    _revisar(calendario(_cita(asistente=f"juana{inyeccion}@correo.mx")))


def test_los_campos_de_la_cita():
    texto = calendario(_cita())
    leido = Calendar.from_ical(texto)
    assert str(leido["METHOD"]) == "REQUEST"
    (evento,) = leido.walk("VEVENT")
    assert str(evento["UID"]) == "sesion-7@municipio.gob.mx"
    assert int(evento["SEQUENCE"]) == 0 and str(evento["STATUS"]) == "CONFIRMED"
    assert evento["DTSTART"].dt == INICIO and evento["DTEND"].dt == INICIO + timedelta(hours=1)
    assert evento["DTSTART"].params["TZID"] == "America/Mexico_City"
    assert "DTSTART;TZID=America/Mexico_City:20261130T100000" in texto.split("\r\n")
    assert evento["DTSTAMP"].dt.utcoffset() == timedelta(0)
    (zona,) = leido.walk("VTIMEZONE")
    assert str(zona["TZID"]) == "America/Mexico_City"
    assert str(evento["ORGANIZER"]) == "mailto:avisos@municipio.gob.mx"
    assert evento["ORGANIZER"].params["CN"] == "Centro de Mediación"
    assert str(evento["ATTENDEE"]) == "mailto:juana@correo.mx"
    assert "ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:juana@correo.mx" in texto
    (alarma,) = evento.walk("VALARM")
    assert str(alarma["ACTION"]) == "DISPLAY" and alarma["TRIGGER"].dt == timedelta(hours=-2)


def test_la_cancelacion():
    texto = calendario(_cita(secuencia=1, cancelada=True))
    _revisar(texto, cancelada=True)
    leido = Calendar.from_ical(texto)
    (evento,) = leido.walk("VEVENT")
    assert str(leido["METHOD"]) == "CANCEL" and str(evento["STATUS"]) == "CANCELLED"
    assert int(evento["SEQUENCE"]) == 1


def test_sin_organizador_ni_asistente_no_se_inventan():
    (evento,) = Calendar.from_ical(calendario(_cita(organizador="", asistente=""))).walk("VEVENT")
    assert "ORGANIZER" not in evento and "ATTENDEE" not in evento


def test_el_lugar_y_el_facilitador_de_la_sesion_no_inyectan_en_el_correo(
    reloj, con_contacto, coordinadora, certificado, sala
):
    caso = con_contacto()
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala, en(date(2026, 11, 30), 10))
    type(sesion).objects.filter(pk=sesion.pk).update(
        sala=None, lugar="Casa ejidal\rATTACH:https://malo.example/x.exe"
    )
    certificado.first_name = "Ana\r\nATTACH:https://malo.example/y.exe\rX-MALO:1"
    certificado.save()
    correo = Mensaje.objects.get(caso=caso, plantilla="sesion_programada", canal=Canal.CORREO)
    (cita,) = services.redactar(correo).adjuntos
    _revisar(cita.contenido)
    (evento,) = Calendar.from_ical(cita.contenido).walk("VEVENT")
    assert str(evento["LOCATION"]).startswith("Casa ejidal")

"""Qué sesiones y qué nombres ve cada quien en cada agenda, y qué queda en la bitácora."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda import selectors
from casos.models import AccesoExpediente
from tests.casos.etapas import admitido, con_sesion, en, invitado

from .conftest import MIERCOLES

SEMANA = {"fecha": MIERCOLES.isoformat(), "vista": "semana"}


def _renglones(dias):
    return {r.folio: r for d in dias for r in d.renglones}


def test_el_mediador_ve_en_su_agenda_solo_sus_sesiones_con_nombres(escena, certificado):
    dias = selectors.agenda(
        usuario=certificado, desde=MIERCOLES, hasta=MIERCOLES, mediador=certificado
    )
    renglones = _renglones(dias)
    assert set(renglones) == {escena.propio.folio}
    propio = renglones[escena.propio.folio]
    assert propio.visible and "Rosa Propia Tello" in propio.nombres
    assert propio.estado == "confirmada" and propio.estado_texto == "Confirmada"
    assert propio.donde == "Sala 1"


def test_en_la_agenda_de_la_sala_el_mediador_ve_el_folio_ajeno_sin_nombres(
    escena, certificado, sala
):
    renglones = _renglones(
        selectors.agenda(usuario=certificado, desde=MIERCOLES, hasta=MIERCOLES, sala=sala)
    )
    assert set(renglones) == {escena.propio.folio, escena.ajeno.folio}
    ajeno = renglones[escena.ajeno.folio]
    assert not ajeno.visible and ajeno.nombres == []
    assert ajeno.estado == "programada"


def test_la_pagina_de_la_sala_no_muestra_nombres_ni_enlace_del_caso_ajeno(
    escena, client, certificado, sala
):
    client.force_login(certificado)
    respuesta = client.get(reverse("agenda:sala", args=[sala.pk]), SEMANA)
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "Rosa Propia Tello" in html and escena.ajeno.folio in html
    assert "Ramiro Ajeno Soto" not in html
    assert reverse("casos:detalle", args=[escena.ajeno.folio]) not in html
    assert reverse("casos:detalle", args=[escena.propio.folio]) in html
    # En la bitácora, solo el caso cuyos nombres se mostraron, una vez.
    accesos = AccesoExpediente.objects.filter(usuario=certificado, vista="agenda")
    assert [a.caso_id for a in accesos] == [escena.propio.pk]
    assert accesos.get().objeto == f"sala:{sala.pk}:2026-11-23"


def test_la_coordinacion_ve_la_oficina_con_todos_los_nombres(escena, client, coordinadora):
    client.force_login(coordinadora)
    html = client.get(reverse("agenda:oficina"), SEMANA).content.decode()
    assert "Rosa Propia Tello" in html and "Ramiro Ajeno Soto" in html
    assert "Confirmada" in html and "Programada" in html
    vistos = AccesoExpediente.objects.filter(usuario=coordinadora, vista="agenda")
    assert set(vistos.values_list("caso_id", flat=True)) == {escena.propio.pk, escena.ajeno.pk}


def test_la_operadora_ve_la_oficina_sin_nombres_de_casos_que_no_capturo(escena, client, operadora):
    client.force_login(operadora)
    html = client.get(reverse("agenda:oficina"), SEMANA).content.decode()
    assert escena.propio.folio in html and escena.ajeno.folio in html
    assert "Rosa Propia Tello" not in html and "Ramiro Ajeno Soto" not in html
    assert not AccesoExpediente.objects.filter(usuario=operadora).exists()


def test_el_mediador_no_abre_la_oficina_ni_la_agenda_de_otro(
    escena, client, certificado, otro_certificado
):
    client.force_login(certificado)
    assert client.get(reverse("agenda:oficina")).status_code == 403
    assert client.get(reverse("agenda:mediador", args=[otro_certificado.pk])).status_code == 403
    assert client.get(reverse("agenda:inicio"))["Location"] == reverse(
        "agenda:mediador", args=[certificado.pk]
    )


def test_la_vista_de_dia_empieza_hoy_y_navega(escena, client, certificado):
    client.force_login(certificado)
    respuesta = client.get(reverse("agenda:mediador", args=[certificado.pk]))
    assert respuesta.context["fecha"].isoformat() == "2026-11-24"
    assert [d.fecha.isoformat() for d in respuesta.context["dias"]] == ["2026-11-24"]
    assert "fecha=2026-11-25" in respuesta.content.decode()
    semana = client.get(reverse("agenda:mediador", args=[certificado.pk]), SEMANA)
    fechas = [d.fecha.isoformat() for d in semana.context["dias"]]
    assert fechas == ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]


def test_una_fecha_mal_escrita_da_un_error_claro(escena, client, certificado):
    client.force_login(certificado)
    respuesta = client.get(
        reverse("agenda:mediador", args=[certificado.pk]), {"fecha": "31/02/2026"}
    )
    assert respuesta.status_code == 400
    assert "Escriba una fecha válida" in respuesta.content.decode()


def test_consultas_fijas_sin_importar_cuantas_sesiones(
    escena, client, coordinadora, certificado, otro_certificado, sala, nuevo_caso
):
    client.force_login(coordinadora)

    def contar():
        with CaptureQueriesContext(connection) as consultas:
            assert client.get(reverse("agenda:oficina"), SEMANA).status_code == 200
        return len(consultas)

    contar()  # lo que se guarda en la memoria del proceso (los datos de la oficina) no cuenta
    antes = contar()
    for hora in (9, 11, 13, 15, 16):
        caso = nuevo_caso().caso
        admitido(caso, coordinadora, certificado)
        invitado(caso, certificado)
        con_sesion(caso, certificado, sala, en(MIERCOLES + timedelta(1), hora))
    assert contar() == antes

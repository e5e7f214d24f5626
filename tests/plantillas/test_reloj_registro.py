"""El reloj del registro de convenios (LGMASC arts. 98 y 103-111), con el tiempo detenido:
la página de la coordinación con cada convenio y su término (lo vencido primero), los avisos
antes de que venza cada término (respuesta del registro: 30 días hábiles; corrección de una
prevención: 10) y la anotación en el caso del término que pasó sin respuesta, una sola vez."""

from datetime import date, datetime

import pytest
from django.urls import reverse

from casos import plazos
from casos.calendario import Calendario
from casos.models import AccesoExpediente, EstadoRegistro, TipoEvento
from casos.services import mediacion as med
from notificaciones.models import Mensaje
from notificaciones.reglas import avisos_de_plazos
from tests.casos.etapas import MX, hasta_el_convenio_firmado

pytestmark = pytest.mark.django_db

ENVIO = date(2026, 11, 27)  # viernes


def _a_las(dia: date, hora: int = 9) -> datetime:
    return datetime(dia.year, dia.month, dia.day, hora, tzinfo=MX)


@pytest.fixture
def personal_con_correo(coordinadora, certificado):
    for persona, correo in ((coordinadora, "coordinacion@atotonilco.gob.mx"),):
        persona.email = correo
        persona.save()
    certificado.email = "mediacion@atotonilco.gob.mx"
    certificado.save()


def _firmado(nuevo_caso, coordinadora, certificado, sala, reloj, hora=10):
    return hasta_el_convenio_firmado(
        nuevo_caso().caso, coordinadora, certificado, sala, reloj, hora=hora
    )


@pytest.fixture
def enviado(nuevo_caso, coordinadora, certificado, sala, reloj, personal_con_correo):
    caso = _firmado(nuevo_caso, coordinadora, certificado, sala, reloj)
    reloj.move_to(_a_las(ENVIO))
    med.enviar_a_registro(caso=caso, actor=coordinadora)
    caso.refresh_from_db()
    return caso


def _eventos(caso, tipo):
    return list(caso.eventos.filter(tipo=tipo))


def _avisos(llave_contiene):
    return Mensaje.objects.filter(llave__contains=llave_contiene)


def test_la_respuesta_del_registro_avisa_antes_y_anota_el_vencimiento_una_vez(
    enviado, reloj, coordinadora, certificado
):
    vence = plazos.respuesta_registro_vence_el(enviado.convenio)
    cal = Calendario()
    assert cal.entre(ENVIO, vence) == 30  # 30 días hábiles (arts. 103-111)
    # Lejos del vencimiento: ni aviso ni anotación.
    reloj.move_to(_a_las(cal.sumar(ENVIO, 5)))
    avisos_de_plazos()
    assert not _avisos(TipoEvento.PLAZO_REGISTRO_VENCIDO).exists()
    # Dentro de los días de «por vencer»: un aviso a la responsable y a la coordinación.
    reloj.move_to(_a_las(cal.sumar(vence, -1)))
    avisos_de_plazos()
    avisos_de_plazos()
    destinos = set(_avisos(TipoEvento.PLAZO_REGISTRO_VENCIDO).values_list("destino", flat=True))
    assert destinos == {"coordinacion@atotonilco.gob.mx", "mediacion@atotonilco.gob.mx"}
    assert _avisos(TipoEvento.PLAZO_REGISTRO_VENCIDO).count() == 2
    assert not _eventos(enviado, TipoEvento.PLAZO_REGISTRO_VENCIDO)
    # El día del vencimiento aún corre; al día hábil siguiente queda anotado, una vez.
    reloj.move_to(_a_las(vence, 18))
    avisos_de_plazos()
    assert not _eventos(enviado, TipoEvento.PLAZO_REGISTRO_VENCIDO)
    reloj.move_to(_a_las(cal.sumar(vence, 1)))
    avisos_de_plazos()
    avisos_de_plazos()
    med.anotar_plazos_de_registro_vencidos()
    (evento,) = _eventos(enviado, TipoEvento.PLAZO_REGISTRO_VENCIDO)
    assert f"{vence:%d/%m/%Y}" in evento.descripcion and "27/11/2026" in evento.descripcion
    assert not evento.publico


def test_la_prevencion_tiene_su_propio_termino_de_diez_dias(enviado, reloj, coordinadora):
    cal = Calendario()
    prevenido = cal.sumar(ENVIO, 12)
    reloj.move_to(_a_las(prevenido, 12))
    med.registrar_respuesta_registro(
        caso=enviado,
        actor=coordinadora,
        estado_registro=EstadoRegistro.PREVENIDO,
        observaciones="Falta la edad de una parte con letra.",
    )
    enviado.convenio.refresh_from_db()
    vence = plazos.registro_vence_el(enviado.convenio)
    assert cal.entre(prevenido, vence) == 10
    reloj.move_to(_a_las(cal.sumar(vence, -1)))
    avisos_de_plazos()
    assert _avisos(TipoEvento.PLAZO_PREVENCION_VENCIDO).count() == 2
    # Ya respondió: el término de la respuesta no corre ni se anota.
    reloj.move_to(_a_las(cal.sumar(vence, 2)))
    avisos_de_plazos()
    assert len(_eventos(enviado, TipoEvento.PLAZO_PREVENCION_VENCIDO)) == 1
    assert not _eventos(enviado, TipoEvento.PLAZO_REGISTRO_VENCIDO)
    # Corregido y reenviado: corre otra vez la respuesta, con sus propios avisos.
    med.enviar_a_registro(caso=enviado, actor=coordinadora)
    enviado.convenio.refresh_from_db()
    assert enviado.convenio.estado_registro == EstadoRegistro.ENVIADO
    terminos = med.plazos_de_registro(enviado.convenio)
    assert [t.tipo_evento for t in terminos] == [TipoEvento.PLAZO_REGISTRO_VENCIDO]


def test_la_pagina_pone_lo_vencido_primero_y_deja_bitacora(
    client, enviado, nuevo_caso, reloj, coordinadora, certificado, sala
):
    reciente = _firmado(nuevo_caso, coordinadora, certificado, sala, reloj, hora=12)
    vence = plazos.respuesta_registro_vence_el(enviado.convenio)
    reloj.move_to(_a_las(Calendario().sumar(vence, 3)))
    med.enviar_a_registro(caso=reciente, actor=coordinadora)
    client.force_login(coordinadora)
    respuesta = client.get(reverse("plantillas:reloj_registro"))
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert html.index(enviado.folio) < html.index(reciente.folio)
    assert "Vencido hace 3 días" in html and "Faltan 30 días" in html
    assert "1 con el plazo vencido" in html
    vistos = set(
        AccesoExpediente.objects.filter(vista="reloj_registro").values_list("caso_id", flat=True)
    )
    assert vistos == {enviado.pk, reciente.pk}


def test_un_convenio_firmado_sin_enviar_muestra_el_termino_del_articulo_98(
    client, nuevo_caso, coordinadora, certificado, sala, reloj
):
    caso = _firmado(nuevo_caso, coordinadora, certificado, sala, reloj)
    client.force_login(coordinadora)
    html = client.get(reverse("plantillas:reloj_registro")).content.decode()
    assert caso.folio in html and "Envío a registro (art. 98)" in html


@pytest.mark.parametrize("quien", ["operadora", "mediador", "asesor", "direccion", "ajeno"])
def test_solo_quien_remite_convenios_ve_el_reloj(client, request, quien):
    client.force_login(request.getfixturevalue(quien))
    assert client.get(reverse("plantillas:reloj_registro")).status_code == 403

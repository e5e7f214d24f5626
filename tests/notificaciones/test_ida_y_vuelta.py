"""Mensajes de ida y vuelta contra el proveedor local: confirmar asistencia (SI, NO, CAMBIO),
la tarea de llamar, el señalamiento de 24 h, recibos de entrega (en desorden, repetidos,
21610, reenvío por el otro canal), plantillas de WhatsApp y el horario de silencio. Todo lo
que entra viene firmado como lo firma Twilio."""

import json
import subprocess
import sys
from datetime import date, time, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casos.models import AvisosPor, Evento, Parte, RolParte, TipoEvento
from notificaciones import confirmaciones, services
from notificaciones.confirmaciones import interpretar, senalar_sin_confirmar
from notificaciones.models import (
    Baja,
    Canal,
    Confirmacion,
    EstadoConfirmacion,
    EstadoMensaje,
    Mensaje,
    OrigenBaja,
)
from notificaciones.silencio import en_silencio, fin_del_silencio
from tests.casos.etapas import admitido, con_sesion, en, invitado

from .conftest import entregar

pytestmark = pytest.mark.django_db

JUANA = "+523312345678"  # solicitante: teléfono y correo
PEDRO = "+523398765432"  # otra parte: solo teléfono
SESION = en(date(2026, 11, 30), 10)  # lunes
RECORDATORIO_48 = en(date(2026, 11, 28), 10) + timedelta(minutes=1)
PLANTILLA = {"sid": "HX" + "a" * 32, "variables": ["nombre", "cuando_corto", "lugar"]}


def _ruta(url: str) -> str:
    return urlsplit(url).path


def responder(client, proveedor, settings, de, texto, *, whatsapp=False):
    """La persona contesta; Twilio reenvía su mensaje firmado a la URL de entrantes."""
    url = settings.URL_PUBLICA + reverse("notificaciones:entrante_twilio")
    peticion = proveedor.entrante(url, de, texto, whatsapp=whatsapp)
    respuesta = client.post(_ruta(url), peticion.campos, HTTP_X_TWILIO_SIGNATURE=peticion.firma)
    assert respuesta.status_code == 200, respuesta.content
    return respuesta.content.decode()


def entregar_recibos(client, peticiones):
    codigos = []
    for peticion in peticiones:
        respuesta = client.post(
            _ruta(peticion.url), peticion.campos, HTTP_X_TWILIO_SIGNATURE=peticion.firma
        )
        codigos.append(respuesta.status_code)
    return codigos


@pytest.fixture
def recordado(reloj, con_contacto, coordinadora, certificado, sala, proveedor):
    """Sesión el lunes 30/11 a las 10:00; el recordatorio de 48 h ya salió por SMS a ambas
    partes."""
    certificado.email = "mediador@municipio.gob.mx"
    certificado.save()
    caso = con_contacto()
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala, SESION)
    entregar()
    reloj.move_to(RECORDATORIO_48)
    entregar()
    enviados = Mensaje.objects.filter(
        plantilla="recordatorio_sesion", canal=Canal.SMS, estado=EstadoMensaje.ENVIADO
    )
    assert enviados.count() == 2
    proveedor.recibos.clear()
    return sesion


def _parte(caso, rol):
    return Parte.objects.get(caso=caso, rol=rol)


# --- Entender la respuesta ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("SI", EstadoConfirmacion.CONFIRMADA),
        ("sí", EstadoConfirmacion.CONFIRMADA),
        ("Sí.", EstadoConfirmacion.CONFIRMADA),
        ("¡SÍ, ahí estaré!", EstadoConfirmacion.CONFIRMADA),
        ("claro", EstadoConfirmacion.CONFIRMADA),
        ("Confirmo", EstadoConfirmacion.CONFIRMADA),
        ("ok", EstadoConfirmacion.CONFIRMADA),
        ("NO", EstadoConfirmacion.NO_ASISTIRA),
        ("no puedo", EstadoConfirmacion.NO_ASISTIRA),
        ("No podré ir, lo siento", EstadoConfirmacion.NO_ASISTIRA),
        ("CAMBIO", EstadoConfirmacion.OTRA_FECHA),
        ("¿Otra fecha?", EstadoConfirmacion.OTRA_FECHA),
        ("reprogramar por favor", EstadoConfirmacion.OTRA_FECHA),
        ("No, mejor otra fecha", EstadoConfirmacion.OTRA_FECHA),
        ("Reagendar", EstadoConfirmacion.OTRA_FECHA),
        ("¿A qué hora es?", None),
        ("", None),
        ("sino", None),
    ],
)
def test_entiende_las_variantes_sin_importar_acentos_mayusculas_ni_puntuacion(texto, esperado):
    assert interpretar(texto) == esperado


# --- Confirmar asistencia -------------------------------------------------------------------


def test_si_por_sms_confirma_y_contesta_en_twiml(recordado, client, proveedor, settings):
    caso = recordado.caso
    xml = responder(client, proveedor, settings, JUANA, "¡Sí, claro!")
    assert "<Message>Gracias: confirmamos su asistencia a la sesión del lun 30/11 10:00" in xml
    confirmacion = Confirmacion.objects.get(sesion=recordado)
    assert confirmacion.parte == _parte(caso, RolParte.SOLICITANTE)
    assert confirmacion.estado == EstadoConfirmacion.CONFIRMADA
    assert confirmacion.canal == Canal.SMS
    evento = Evento.objects.filter(caso=caso, tipo=TipoEvento.CONTACTO).latest("id")
    assert "Juana Pérez confirmó su asistencia a la sesión 1" in evento.descripcion
    # El texto crudo de la persona no queda en la bitácora ni es público.
    assert "claro" not in evento.descripcion and not evento.publico
    # Confirmar no abre ninguna llamada.
    assert not Task.objects.filter(flow_task__endswith=".llamar").exists()


def test_no_abre_la_tarea_de_llamar_en_la_bandeja_del_responsable(
    recordado, client, proveedor, settings, certificado
):
    caso = recordado.caso
    xml = responder(client, proveedor, settings, PEDRO, "no puedo")
    assert "Le llamaremos" in xml
    pedro = _parte(caso, RolParte.INVITADA)
    assert Confirmacion.objects.get(sesion=recordado, parte=pedro).estado == (
        EstadoConfirmacion.NO_ASISTIRA
    )
    tarea = Task.objects.get(flow_task__endswith=".llamar")
    assert tarea.owner == certificado and tarea.status == STATUS.ASSIGNED
    assert tarea.process.data["parte"] == pedro.pk

    # La tarea aparece en la bandeja del mediador y al completarla pide una nota.
    client.force_login(certificado)
    assert f'href="/tareas/{tarea.pk}/"' in client.get(reverse("flujos:bandeja")).content.decode()
    pagina = client.get(reverse("flujos:tarea", args=[tarea.pk]))
    html = pagina.content.decode()
    assert pagina.status_code == 200 and "Llamar a la parte" in html and "No asistirá" in html
    assert client.post(reverse("flujos:tarea", args=[tarea.pk]), {"nota": ""}).status_code == 400
    respuesta = client.post(
        reverse("flujos:tarea", args=[tarea.pk]), {"nota": "Viene el miércoles a las 11."}
    )
    assert respuesta.status_code == 302
    tarea.refresh_from_db()
    assert tarea.status == STATUS.DONE
    assert Evento.objects.filter(
        caso=caso, descripcion__contains="Llamada a Pedro López (no asistirá): Viene el miércoles"
    ).exists()


def test_cambio_por_whatsapp_con_acentos_pide_otra_fecha_y_una_sola_tarea(
    recordado, client, proveedor, settings
):
    caso = recordado.caso
    xml = responder(client, proveedor, settings, PEDRO, "¡OTRA FECHA, por favor!", whatsapp=True)
    assert "acordar otra fecha" in xml
    pedro = _parte(caso, RolParte.INVITADA)
    confirmacion = Confirmacion.objects.get(sesion=recordado, parte=pedro)
    assert confirmacion.estado == EstadoConfirmacion.OTRA_FECHA
    assert confirmacion.canal == Canal.WHATSAPP
    # Cambia de opinión: sigue una sola tarea abierta, con lo último que dijo.
    responder(client, proveedor, settings, PEDRO, "No", whatsapp=True)
    tareas = Task.objects.filter(flow_task__endswith=".llamar")
    assert tareas.count() == 1
    assert tareas.get().process.data["respuesta"] == EstadoConfirmacion.NO_ASISTIRA
    # El mismo SI repetido no deja dos eventos.
    responder(client, proveedor, settings, JUANA, "si")
    responder(client, proveedor, settings, JUANA, "SI")
    assert (
        Evento.objects.filter(caso=caso, descripcion__contains="Juana Pérez confirmó").count() == 1
    )


def test_con_dos_sesiones_por_confirmar_se_registra_en_la_mas_proxima(
    recordado, client, proveedor, settings, con_contacto, coordinadora, certificado, sala, reloj
):
    # Juana tiene otro caso (mismo teléfono) con sesión el domingo 29/11... en horario hábil
    # el lunes 30 a las 9:00, antes que la primera; su recordatorio de 24 h ya salió.
    otro = con_contacto()
    admitido(otro, coordinadora, certificado)
    invitado(otro, certificado)
    antes = con_sesion(otro, certificado, sala, en(date(2026, 11, 30), 8))
    reloj.move_to(en(date(2026, 11, 29), 8) + timedelta(minutes=1))
    entregar()
    responder(client, proveedor, settings, JUANA, "si")
    assert Confirmacion.objects.get(estado=EstadoConfirmacion.CONFIRMADA).sesion == antes
    assert not Confirmacion.objects.filter(sesion=recordado).exists()


def test_sin_sesion_por_confirmar_se_le_dice_y_no_cambia_nada(
    con_contacto, client, proveedor, settings
):
    con_contacto()
    xml = responder(client, proveedor, settings, JUANA, "SI")
    assert "No encontramos una sesión próxima" in xml
    assert not Confirmacion.objects.exists()


def test_un_texto_cualquiera_recibe_como_responder(recordado, client, proveedor, settings):
    xml = responder(client, proveedor, settings, JUANA, "¿Dónde queda la oficina?")
    assert "Responda SI para confirmar su sesión del lun 30/11 10:00" in xml
    assert not Confirmacion.objects.exists()


def test_baja_sigue_igual_y_no_confirma(recordado, client, proveedor, settings):
    xml = responder(client, proveedor, settings, JUANA, "BAJA")
    assert "ya no le enviaremos avisos" in xml
    assert Baja.objects.filter(canal=Canal.SMS, destino=JUANA).exists()
    assert not Confirmacion.objects.exists()


def test_el_recordatorio_pide_confirmar_y_cabe_en_un_sms(recordado, proveedor):
    from notificaciones.mensajes import septetos_gsm7

    sms = Mensaje.objects.filter(plantilla="recordatorio_sesion", canal=Canal.SMS).first()
    texto = services.redactar(sms).texto
    assert "Responda SI para confirmar, NO si no puede venir o CAMBIO para otra fecha" in texto
    assert septetos_gsm7(texto) <= 160


# --- Señalar lo que no se confirmó a 24 h ---------------------------------------------------


def test_sin_confirmar_a_24_horas_se_senala_una_vez_por_sesion_y_parte(
    recordado, client, proveedor, settings, reloj, certificado
):
    caso = recordado.caso
    responder(client, proveedor, settings, JUANA, "si")
    assert senalar_sin_confirmar() == 0  # faltan 48 h
    reloj.move_to(SESION - timedelta(hours=23))
    assert senalar_sin_confirmar() == 1  # solo Pedro; Juana confirmó
    assert senalar_sin_confirmar() == 0  # otra vuelta del beat no repite
    eventos = Evento.objects.filter(caso=caso, descripcion__contains="no ha confirmado")
    assert eventos.count() == 1 and "Pedro López" in eventos.get().descripcion
    correo = Mensaje.objects.get(plantilla="sin_confirmar")
    assert correo.usuario == certificado and correo.canal == Canal.CORREO
    assert "Pedro López no ha confirmado" in services.redactar(correo).texto
    pedro = _parte(caso, RolParte.INVITADA)
    assert Confirmacion.objects.get(sesion=recordado, parte=pedro).senalada_en is not None
    # Si responde después, el correo pendiente ya no corresponde.
    responder(client, proveedor, settings, PEDRO, "si")
    mail.outbox.clear()
    entregar()
    correo.refresh_from_db()
    assert correo.estado == EstadoMensaje.CANCELADO


def test_la_agenda_y_el_caso_muestran_la_confirmacion(
    recordado, client, proveedor, settings, certificado
):
    responder(client, proveedor, settings, JUANA, "si")
    responder(client, proveedor, settings, PEDRO, "cambio")
    client.force_login(certificado)
    agenda = client.get(
        reverse("agenda:mediador", args=[certificado.pk]), {"fecha": "2026-11-30"}
    ).content.decode()
    assert 'Juana Pérez: <span class="confirmacion confirmacion-confirmada">Confirmó' in agenda
    assert 'Pedro López: <span class="confirmacion confirmacion-otra_fecha">Pide otra fecha' in (
        agenda
    )
    caso = client.get(reverse("casos:detalle", args=[recordado.caso.folio])).content.decode()
    assert "Confirmación de asistencia" in caso
    assert "confirmacion-confirmada" in caso and "confirmacion-otra_fecha" in caso


# --- Recibos de entrega ---------------------------------------------------------------------


def test_cada_envio_lleva_la_url_de_recibos(recordado, proveedor, settings):
    url = settings.URL_PUBLICA + "/avisos/estado/twilio/"
    assert all(r.campos["StatusCallback"] == url for r in proveedor.recibidos)


def test_recibos_en_desorden_y_repetidos_no_retroceden_ni_actuan_dos_veces(
    recordado, client, proveedor, settings, reloj
):
    reloj.move_to(SESION - timedelta(hours=24) + timedelta(minutes=1))
    entregar()  # el de 24 h
    sms = Mensaje.objects.filter(canal=Canal.SMS, destino=JUANA).latest("enviado_en")
    recibos = [r for r in proveedor.recibos if r.campos["MessageSid"] == sms.proveedor_id]
    assert [r.campos["MessageStatus"] for r in recibos] == ["queued", "sent", "delivered"]
    assert entregar_recibos(client, reversed(recibos)) == [204, 204, 204]
    sms.refresh_from_db()
    assert sms.entrega == "entregado" and sms.entrega_error == ""
    primera = sms.entrega_en
    reloj.move_to(timezone.now() + timedelta(minutes=5))
    assert entregar_recibos(client, recibos) == [204, 204, 204]
    sms.refresh_from_db()
    assert sms.entrega == "entregado" and sms.entrega_en == primera
    # Leído sí avanza.
    leido = proveedor.recibo(recibos[0].url, sms.proveedor_id, recibos[0].campos, "read")
    entregar_recibos(client, [leido])
    sms.refresh_from_db()
    assert sms.entrega == "leido"


def test_un_recibo_sin_firma_o_de_otro_mensaje_no_cuenta(recordado, client, proveedor, settings):
    sms = Mensaje.objects.filter(canal=Canal.SMS, destino=JUANA).first()
    url = settings.URL_PUBLICA + "/avisos/estado/twilio/"
    bueno = proveedor.recibo(url, sms.proveedor_id, {"To": JUANA}, "delivered")
    assert client.post(_ruta(url), bueno.campos, HTTP_X_TWILIO_SIGNATURE="falsa").status_code == 403
    ajeno = proveedor.recibo(url, "SM" + "9" * 32, {"To": JUANA}, "delivered")
    assert entregar_recibos(client, [ajeno]) == [404]
    sms.refresh_from_db()
    assert sms.entrega == ""


def test_sms_no_entregado_se_reenvia_una_vez_por_correo(
    reloj, con_contacto, coordinadora, certificado, sala, client, proveedor, settings
):
    caso = con_contacto()
    Parte.objects.filter(caso=caso, rol=RolParte.SOLICITANTE).update(avisos_por=AvisosPor.SMS)
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    con_sesion(caso, certificado, sala, SESION)
    entregar()
    sms = Mensaje.objects.get(plantilla="sesion_programada", canal=Canal.SMS, destino=JUANA)
    assert not Mensaje.objects.filter(plantilla="sesion_programada", canal=Canal.CORREO).exists()
    url = settings.URL_PUBLICA + "/avisos/estado/twilio/"
    no_entregado = proveedor.recibo(url, sms.proveedor_id, {"To": JUANA}, "undelivered", "30003")
    falla = proveedor.recibo(url, sms.proveedor_id, {"To": JUANA}, "failed", "30003")
    entregar_recibos(client, [no_entregado, no_entregado, falla])
    sms.refresh_from_db()
    assert sms.entrega == "no_entregado" and sms.entrega_error == "30003"
    reenvio = Mensaje.objects.get(llave=f"reenvio:{sms.pk}")
    assert reenvio.canal == Canal.CORREO and reenvio.destino == "juana@correo.mx"
    assert reenvio.plantilla == sms.plantilla and reenvio.parte == sms.parte
    assert Mensaje.objects.filter(llave__startswith="reenvio:").count() == 1
    assert Evento.objects.filter(
        caso=caso, descripcion__contains="no se entregó: se reenvía por correo electrónico"
    ).exists()
    entregar()
    reenvio.refresh_from_db()
    assert reenvio.estado == EstadoMensaje.ENVIADO


def test_si_el_aviso_ya_fue_por_correo_no_se_duplica(recordado, client, proveedor, settings):
    """Juana recibe los avisos por correo y por SMS: si el SMS no llega, ya tiene el correo."""
    sms = Mensaje.objects.filter(
        canal=Canal.SMS, destino=JUANA, estado=EstadoMensaje.ENVIADO
    ).latest("enviado_en")
    url = settings.URL_PUBLICA + "/avisos/estado/twilio/"
    entregar_recibos(client, [proveedor.recibo(url, sms.proveedor_id, {}, "undelivered", "30003")])
    assert not Mensaje.objects.filter(llave__startswith="reenvio:").exists()


def test_sin_correo_se_reenvia_por_whatsapp_si_meta_lo_entregaria(
    recordado, client, proveedor, settings
):
    settings.TWILIO_WHATSAPP_PLANTILLAS = {"recordatorio_sesion": PLANTILLA}
    sms = Mensaje.objects.filter(
        canal=Canal.SMS, destino=PEDRO, estado=EstadoMensaje.ENVIADO
    ).latest("enviado_en")
    url = settings.URL_PUBLICA + "/avisos/estado/twilio/"
    entregar_recibos(client, [proveedor.recibo(url, sms.proveedor_id, {}, "failed", "30005")])
    reenvio = Mensaje.objects.get(llave=f"reenvio:{sms.pk}")
    assert reenvio.canal == Canal.WHATSAPP and reenvio.destino == PEDRO


def test_sin_otro_canal_el_caso_dice_que_hay_que_llamar(recordado, client, proveedor, settings):
    """Pedro solo tiene teléfono, no ha escrito por WhatsApp y el aviso no tiene plantilla:
    por WhatsApp acabaría otra vez en SMS."""
    settings.TWILIO_WHATSAPP_PLANTILLAS = {}
    sms = Mensaje.objects.filter(
        canal=Canal.SMS, destino=PEDRO, estado=EstadoMensaje.ENVIADO
    ).latest("enviado_en")
    url = settings.URL_PUBLICA + "/avisos/estado/twilio/"
    entregar_recibos(client, [proveedor.recibo(url, sms.proveedor_id, {}, "failed", "30005")])
    assert not Mensaje.objects.filter(llave__startswith="reenvio:").exists()
    assert Evento.objects.filter(
        caso=recordado.caso, descripcion__contains="no tiene otro medio de aviso"
    ).exists()


def test_21610_al_enviar_queda_como_baja_del_proveedor(
    reloj, con_contacto, coordinadora, certificado, sala, proveedor
):
    proveedor.bajas.add(PEDRO)
    caso = con_contacto()
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    con_sesion(caso, certificado, sala, SESION)
    entregar()
    a_pedro = Mensaje.objects.filter(destino=PEDRO, estado=EstadoMensaje.FALLIDO)
    assert a_pedro.exists() and "21610" in a_pedro.first().ultimo_error
    baja = Baja.objects.get(canal=Canal.SMS, destino=PEDRO)
    assert baja.origen == OrigenBaja.PROVEEDOR
    # Los recordatorios pendientes a ese número ya no saldrán.
    pendientes = Mensaje.objects.filter(destino=PEDRO, plantilla="recordatorio_sesion")
    assert pendientes.exists() and {m.estado for m in pendientes} == {EstadoMensaje.CANCELADO}


def test_21610_en_un_recibo_tambien_es_baja(recordado, client, proveedor, settings):
    sms = Mensaje.objects.filter(
        canal=Canal.SMS, destino=JUANA, estado=EstadoMensaje.ENVIADO
    ).latest("enviado_en")
    url = settings.URL_PUBLICA + "/avisos/estado/twilio/"
    entregar_recibos(client, [proveedor.recibo(url, sms.proveedor_id, {}, "failed", "21610")])
    assert Baja.objects.get(canal=Canal.SMS, destino=JUANA).origen == OrigenBaja.PROVEEDOR
    assert not Mensaje.objects.filter(llave__startswith="reenvio:").exists()


# --- Plantillas de WhatsApp -----------------------------------------------------------------


@pytest.fixture
def por_whatsapp(reloj, con_contacto, coordinadora, certificado, sala, proveedor):
    """Pedro pidió avisos por WhatsApp; sesión programada el 30/11."""

    def preparar():
        caso = con_contacto()
        Parte.objects.filter(caso=caso, rol=RolParte.INVITADA).update(avisos_por=AvisosPor.WHATSAPP)
        admitido(caso, coordinadora, certificado)
        invitado(caso, certificado)
        con_sesion(caso, certificado, sala, SESION)
        return caso

    return preparar


def _whatsapps(proveedor):
    return [r for r in proveedor.recibidos if r.campos["To"] == f"whatsapp:{PEDRO}"]


def test_fuera_de_la_ventana_sale_con_la_plantilla_aprobada(
    por_whatsapp, proveedor, settings, reloj
):
    settings.TWILIO_WHATSAPP_PLANTILLAS = {
        "sesion_programada": PLANTILLA,
        "recordatorio_sesion": PLANTILLA,
    }
    por_whatsapp()
    entregar()
    [enviado] = _whatsapps(proveedor)
    assert enviado.campos["ContentSid"] == PLANTILLA["sid"] and "Body" not in enviado.campos
    assert json.loads(enviado.campos["ContentVariables"]) == {
        "1": "Pedro López",
        "2": "lun 30/11 10:00",
        "3": "Sala 1",
    }
    assert enviado.campos["StatusCallback"].endswith("/avisos/estado/twilio/")


def test_dentro_de_la_ventana_sale_en_texto_libre(por_whatsapp, proveedor, settings, client):
    settings.TWILIO_WHATSAPP_PLANTILLAS = {"sesion_programada": PLANTILLA}
    responder(client, proveedor, settings, PEDRO, "Hola", whatsapp=True)
    por_whatsapp()
    entregar()
    [enviado] = _whatsapps(proveedor)
    assert "ContentSid" not in enviado.campos and "sesión de mediación" in enviado.campos["Body"]


def test_sin_plantilla_fuera_de_la_ventana_sale_por_sms_y_el_caso_lo_dice(
    por_whatsapp, proveedor, settings
):
    settings.TWILIO_WHATSAPP_PLANTILLAS = {}
    caso = por_whatsapp()
    entregar()
    entregar()  # el SMS que lo reemplaza
    assert not _whatsapps(proveedor)
    whatsapp = Mensaje.objects.get(canal=Canal.WHATSAPP, plantilla="sesion_programada")
    assert whatsapp.estado == EstadoMensaje.CANCELADO and "por SMS" in whatsapp.ultimo_error
    sms = Mensaje.objects.get(llave=f"sms-en-lugar:{whatsapp.pk}")
    assert sms.canal == Canal.SMS and sms.estado == EstadoMensaje.ENVIADO
    assert any(r.campos["To"] == PEDRO for r in proveedor.recibidos)
    assert Evento.objects.filter(
        caso=caso, descripcion__contains="salió por SMS en lugar de WhatsApp"
    ).exists()


def test_el_simulador_hace_fallar_el_texto_libre_fuera_de_ventana_con_63016(
    por_whatsapp, proveedor, settings, client, monkeypatch
):
    """Si el sistema creyera estar dentro de la ventana y no lo está, Twilio lo acepta y luego
    informa el fallo 63016: el aviso queda «falló en el proveedor»."""
    proveedor.exigir_ventana = True
    monkeypatch.setattr(services, "dentro_de_ventana", lambda numero, **k: True)
    por_whatsapp()
    entregar()
    [enviado] = _whatsapps(proveedor)
    recibos = [r for r in proveedor.recibos if r.campos["MessageSid"] == enviado.sid]
    assert [r.campos["MessageStatus"] for r in recibos] == ["queued", "failed"]
    entregar_recibos(client, recibos)
    mensaje = Mensaje.objects.get(proveedor_id=enviado.sid)
    assert mensaje.entrega == "fallido" and mensaje.entrega_error == "63016"


@pytest.mark.parametrize(
    ("valor", "dice"),
    [
        ("{no es json", "no es JSON válido"),
        ('["recordatorio_sesion"]', "debe ser un objeto JSON"),
        ('{"recordatorio_sesion": {"sid": "XX1"}}', "necesita un «sid»"),
        (
            '{"recordatorio_sesion": {"sid": "HX' + "0" * 32 + '", "variables": "nombre"}}',
            "deben ser una lista",
        ),
        ('{"no_existe": {"sid": "HX' + "0" * 32 + '"}}', "no es un aviso a la ciudadanía"),
        ('{"tarea_asignada": {"sid": "HX' + "0" * 32 + '"}}', "no es un aviso a la ciudadanía"),
    ],
)
def test_las_plantillas_mal_escritas_detienen_el_arranque_con_error_claro(valor, dice, tmp_path):
    import os

    entorno = {**os.environ, "TWILIO_WHATSAPP_PLANTILLAS": valor, "DATOS_DIR": str(tmp_path)}
    entorno.pop("DATABASE_URL", None)
    hecho = subprocess.run(
        [sys.executable, "manage.py", "check"],
        capture_output=True,
        text=True,
        env=entorno,
        timeout=120,
    )
    assert hecho.returncode != 0 and dice in hecho.stderr, hecho.stderr[-2000:]


def test_el_silencio_mal_escrito_detiene_el_arranque(tmp_path):
    import os

    entorno = {**os.environ, "AVISOS_SILENCIO": "noche", "DATOS_DIR": str(tmp_path)}
    entorno.pop("DATABASE_URL", None)
    hecho = subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, env=entorno
    )
    assert hecho.returncode != 0 and "AVISOS_SILENCIO='noche' no es un periodo válido" in (
        hecho.stderr
    )


# --- Horario de silencio --------------------------------------------------------------------


@pytest.fixture
def silencio(settings):
    settings.AVISOS_SILENCIO = (time(21, 0), time(8, 0))


def test_el_periodo_cruza_la_medianoche(silencio):
    assert en_silencio(en(date(2026, 11, 24), 22))
    assert en_silencio(en(date(2026, 11, 25), 7))
    assert not en_silencio(en(date(2026, 11, 25), 8))
    assert not en_silencio(en(date(2026, 11, 24), 20))
    assert fin_del_silencio(en(date(2026, 11, 24), 22)) == en(date(2026, 11, 25), 8)
    assert fin_del_silencio(en(date(2026, 11, 25), 3)) == en(date(2026, 11, 25), 8)
    assert fin_del_silencio(en(date(2026, 11, 25), 12)) == en(date(2026, 11, 25), 12)


def test_de_noche_el_sms_no_urgente_espera_a_la_manana_y_el_correo_y_el_codigo_no(
    silencio, reloj, con_contacto, coordinadora, certificado, sala, proveedor
):
    reloj.move_to(en(date(2026, 11, 24), 22) + timedelta(minutes=30))
    caso = con_contacto()
    # El acuse (folio y código) es urgente: la persona lo acaba de pedir.
    acuses = Mensaje.objects.filter(caso=caso, plantilla="acuse")
    assert all(m.programado_para == timezone.now() for m in acuses)
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    con_sesion(caso, certificado, sala, SESION)
    programados = Mensaje.objects.filter(caso=caso, plantilla="sesion_programada")
    por_canal = {m.canal: timezone.localtime(m.programado_para) for m in programados}
    assert por_canal[Canal.CORREO] == timezone.now()
    assert por_canal[Canal.SMS] == en(date(2026, 11, 25), 8)
    entregar()
    assert {r.campos["To"] for r in proveedor.recibidos} == {JUANA}  # solo el acuse por SMS
    correos = Mensaje.objects.filter(caso=caso, canal=Canal.CORREO, plantilla="sesion_programada")
    assert {m.estado for m in correos} == {EstadoMensaje.ENVIADO}  # el correo salió de noche
    reloj.move_to(en(date(2026, 11, 25), 8) + timedelta(minutes=1))
    entregar()
    assert {r.campos["To"] for r in proveedor.recibidos} == {JUANA, PEDRO}


def test_un_sms_retrasado_que_toca_enviar_de_noche_se_recorre(
    silencio, reloj, con_contacto, proveedor
):
    caso = con_contacto()  # martes 10:00
    sms = Mensaje.objects.get(caso=caso, plantilla="acuse", canal=Canal.SMS)
    # Un aviso no urgente que quedó pendiente (el worker estuvo detenido) hasta la noche.
    Mensaje.objects.filter(pk=sms.pk).update(plantilla="invitacion")
    reloj.move_to(en(date(2026, 11, 24), 23))
    assert services.enviar(sms.pk) == "silencio"
    sms.refresh_from_db()
    assert sms.estado == EstadoMensaje.PENDIENTE and sms.intentos == 0
    assert timezone.localtime(sms.programado_para) == en(date(2026, 11, 25), 8)
    assert not proveedor.recibidos


def test_el_catalogo_marca_urgentes_solo_los_que_la_persona_acaba_de_pedir():
    from notificaciones.mensajes import AVISOS

    urgentes = {clave for clave, aviso in AVISOS.items() if aviso.urgente}
    assert urgentes == {"acuse", "codigo_nuevo", "codigo_reenviado", "arco_acuse"}


def test_la_demostracion_usa_el_mismo_servicio(recordado, monkeypatch):
    """`registrar_respuesta` es lo que llama la vista y lo que llama la demostración."""
    respuesta = confirmaciones.registrar_respuesta(numero=JUANA, canal=Canal.SMS, texto="Ok")
    assert respuesta.estado == EstadoConfirmacion.CONFIRMADA and respuesta.sesion == recordado

"""Avisos ante fallas: reintentos con espera, proveedor caído, worker muerto a medio envío,
reclamos vencidos, avisos en duda que se verifican antes de reenviar, y bajas."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from twilio.request_validator import RequestValidator

from notificaciones import services
from notificaciones.enlaces import enlace_baja
from notificaciones.models import Baja, Canal, EstadoMensaje, Mensaje
from tests.casos.etapas import (
    admitido,
    con_sesion,
    en,
    invitado,
)

from .conftest import entregar

pytestmark = pytest.mark.django_db


def firma_twilio(url: str, campos: dict, token: str) -> str:
    """Como firma Twilio: con su propio validador."""
    return RequestValidator(token).compute_signature(url, campos)


def avisos(**filtros):
    return Mensaje.objects.filter(**filtros).order_by("id")


# --- Fallas, reintentos y bajas -------------------------------------------------------------


def test_falla_temporal_reintenta_con_espera_y_luego_falla(con_contacto, proveedor, settings):
    settings.AVISOS_INTENTOS = 3
    caso = con_contacto()
    sms = avisos(caso=caso, canal=Canal.SMS).get()
    proveedor.fallar_con = [503, 503, 503]
    ahora = timezone.now()
    assert services.enviar(sms.pk) == EstadoMensaje.PENDIENTE
    sms.refresh_from_db()
    assert sms.intentos == 1 and "503" in sms.ultimo_error
    assert sms.programado_para >= ahora + timedelta(seconds=settings.AVISOS_REINTENTO_SEGUNDOS)
    assert services.enviar(sms.pk) == "ocupado"  # aún no es hora
    Mensaje.objects.filter(pk=sms.pk).update(programado_para=ahora)
    assert services.enviar(sms.pk) == EstadoMensaje.PENDIENTE
    sms.refresh_from_db()
    assert sms.programado_para >= ahora + timedelta(seconds=2 * settings.AVISOS_REINTENTO_SEGUNDOS)
    Mensaje.objects.filter(pk=sms.pk).update(programado_para=ahora)
    assert services.enviar(sms.pk) == EstadoMensaje.FALLIDO
    assert proveedor.recibidos == []


def test_numero_rechazado_falla_sin_reintentar_y_se_reintenta_tras_corregir(
    con_contacto, proveedor, coordinadora
):
    caso = con_contacto()
    parte = caso.solicitante
    Mensaje.objects.filter(caso=caso, canal=Canal.SMS).update(destino="+52123")
    sms = avisos(caso=caso, canal=Canal.SMS).get()
    assert services.enviar(sms.pk) == EstadoMensaje.FALLIDO
    sms.refresh_from_db()
    assert "rechazó el mensaje (400" in sms.ultimo_error and sms.intentos == 1
    # El personal reintenta: se toma el teléfono vigente de la parte.
    services.reintentar(mensaje=sms, actor=coordinadora)
    sms.refresh_from_db()
    assert sms.estado == EstadoMensaje.PENDIENTE and sms.destino == parte.telefono
    entregar()
    sms.refresh_from_db()
    assert sms.estado == EstadoMensaje.ENVIADO and len(proveedor.recibidos) == 1
    with pytest.raises(ValidationError, match="Solo se reintenta"):
        services.reintentar(mensaje=sms, actor=coordinadora)


def test_credenciales_malas_dicen_que_revisar(con_contacto, proveedor, settings):
    settings.TWILIO_AUTH_TOKEN = "otro"
    caso = con_contacto()
    sms = avisos(caso=caso, canal=Canal.SMS).get()
    assert services.enviar(sms.pk) == EstadoMensaje.FALLIDO
    sms.refresh_from_db()
    assert "TWILIO_AUTH_TOKEN" in sms.ultimo_error


def test_proveedor_caido_es_falla_temporal(con_contacto, settings):
    settings.AVISOS_CANALES = {"correo": "bandeja", "sms": "twilio", "whatsapp": ""}
    settings.TWILIO_API_URL = "http://127.0.0.1:9"  # nadie escucha
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC1", "x"
    caso = con_contacto()
    sms = avisos(caso=caso, canal=Canal.SMS).get()
    assert services.enviar(sms.pk) == EstadoMensaje.PENDIENTE
    sms.refresh_from_db()
    assert "Sin respuesta de Twilio" in sms.ultimo_error


def test_worker_muerto_a_medio_envio_no_duplica(con_contacto, proveedor, settings):
    """El proveedor recibió el mensaje pero el worker murió antes de anotarlo: al vencer el
    reclamo, el siguiente intento lo encuentra en el proveedor y no lo reenvía."""
    caso = con_contacto()
    sms = avisos(caso=caso, canal=Canal.SMS).get()
    salida = services.redactar(sms)
    from notificaciones.canales import canal_de_envio

    sid = canal_de_envio(Canal.SMS).enviar(salida)  # lo que alcanzó a hacer el worker
    Mensaje.objects.filter(pk=sms.pk).update(
        estado=EstadoMensaje.ENVIANDO,
        intentos=1,
        reclamado_hasta=timezone.now() - timedelta(seconds=1),
    )
    assert services.recuperar_reclamos() == 1
    sms.refresh_from_db()
    assert sms.estado == EstadoMensaje.PENDIENTE and sms.en_duda
    assert services.enviar(sms.pk) == EstadoMensaje.ENVIADO
    sms.refresh_from_db()
    assert sms.proveedor_id == sid and len(proveedor.recibidos) == 1 and not sms.en_duda


def test_reclamo_vencido_sin_haber_llegado_se_reenvia(con_contacto, proveedor):
    caso = con_contacto()
    sms = avisos(caso=caso, canal=Canal.SMS).get()
    Mensaje.objects.filter(pk=sms.pk).update(
        estado=EstadoMensaje.ENVIANDO, intentos=1, reclamado_hasta=timezone.now()
    )
    services.recuperar_reclamos()
    assert services.enviar(sms.pk) == EstadoMensaje.ENVIADO
    assert len(proveedor.recibidos) == 1


def test_un_worker_lento_no_pisa_al_que_retomo(con_contacto, proveedor, monkeypatch):
    """El worker A se cuelga antes de llamar al proveedor; su reclamo vence y B retoma y
    envía. Cuando A por fin termina, su cierre (intento 1) no pisa el de B (intento 2)."""
    from notificaciones.canales import Twilio

    caso = con_contacto()
    sms = avisos(caso=caso, canal=Canal.SMS).get()
    original = Twilio.enviar
    llamadas = []

    def enviar_lento(self, salida):
        llamadas.append(1)
        if len(llamadas) == 1:  # A, colgado: mientras tanto vence su reclamo y B lo retoma
            Mensaje.objects.filter(pk=sms.pk).update(
                reclamado_hasta=timezone.now() - timedelta(seconds=1)
            )
            assert services.recuperar_reclamos() == 1
            assert services.enviar(sms.pk) == EstadoMensaje.ENVIADO
        return original(self, salida)

    monkeypatch.setattr(Twilio, "enviar", enviar_lento)
    services.enviar(sms.pk)  # A
    sms.refresh_from_db()
    primero = proveedor.recibidos[0].sid  # el que envió B
    assert sms.estado == EstadoMensaje.ENVIADO and sms.intentos == 2
    assert sms.proveedor_id == primero


def test_baja_por_enlace_pregunta_antes_y_cancela_lo_pendiente(con_contacto, client):
    caso = con_contacto()
    correo = avisos(caso=caso, canal=Canal.CORREO).get()
    url = enlace_baja(Canal.CORREO, "juana@correo.mx").removeprefix("http://127.0.0.1:8000")
    pagina = client.get(url)
    assert pagina.status_code == 200 and "ju•••@correo.mx" in pagina.content.decode()
    assert not Baja.objects.exists()  # abrir el enlace no da de baja
    assert "ya no le enviaremos" in client.post(url).content.decode()
    correo.refresh_from_db()
    assert correo.estado == EstadoMensaje.CANCELADO
    # Lo siguiente por ese canal nace cancelado; el SMS sigue.
    services.avisar_a_parte(caso.solicitante, "codigo_nuevo", "prueba")
    nuevos = avisos(llave__startswith="prueba")
    assert {(m.canal, m.estado) for m in nuevos} == {
        (Canal.CORREO, EstadoMensaje.CANCELADO),
        (Canal.SMS, EstadoMensaje.PENDIENTE),
    }
    assert client.get("/avisos/baja/falso/").status_code == 400


def test_baja_por_respuesta_sms_con_firma_de_twilio(con_contacto, proveedor, client, settings):
    caso = con_contacto()
    url = reverse("notificaciones:entrante_twilio")
    campos = {"From": "+523312345678", "To": "+523919170000", "Body": " baja "}
    firma = firma_twilio(settings.URL_PUBLICA + url, campos, settings.TWILIO_AUTH_TOKEN)
    assert client.post(url, campos, HTTP_X_TWILIO_SIGNATURE="mala").status_code == 403
    respuesta = client.post(url, campos, HTTP_X_TWILIO_SIGNATURE=firma)
    assert respuesta.status_code == 200 and b"<Message>Listo" in respuesta.content
    assert Baja.objects.filter(canal=Canal.SMS, destino="+523312345678").exists()
    assert avisos(caso=caso, canal=Canal.SMS).get().estado == EstadoMensaje.CANCELADO
    assert avisos(caso=caso, canal=Canal.CORREO).get().estado == EstadoMensaje.PENDIENTE


def test_un_corte_a_medias_deja_el_aviso_en_duda_y_se_verifica_antes_de_reenviar(
    con_contacto, proveedor
):
    caso = con_contacto()
    sms = avisos(caso=caso, canal=Canal.SMS).get()
    proveedor.fallar_con = [502]  # el proveedor pudo haberlo aceptado
    assert services.enviar(sms.pk) == EstadoMensaje.PENDIENTE
    sms.refresh_from_db()
    assert sms.en_duda
    Mensaje.objects.filter(pk=sms.pk).update(programado_para=timezone.now())
    assert services.enviar(sms.pk) == EstadoMensaje.ENVIADO  # no lo encontró: lo envía
    assert len(proveedor.recibidos) == 1


def test_dos_recordatorios_con_el_mismo_texto_no_se_confunden(
    reloj, con_contacto, coordinadora, certificado, sala, proveedor
):
    """El de 24 h quedó en duda: el SMS igual que ya tomó el de 48 h no cuenta como suyo."""
    caso = con_contacto()
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala, en(date(2026, 11, 30), 10))
    de48, de24 = avisos(
        referencia=f"sesion:{sesion.pk}",
        plantilla="recordatorio_sesion",
        parte=caso.solicitante,
        canal=Canal.SMS,
    ).order_by("programado_para")
    reloj.move_to(en(date(2026, 11, 29), 10) + timedelta(minutes=1))
    assert services.enviar(de48.pk) == EstadoMensaje.ENVIADO
    Mensaje.objects.filter(pk=de24.pk).update(en_duda=True)
    assert services.redactar(de24).texto == services.redactar(Mensaje.objects.get(pk=de48.pk)).texto
    assert services.enviar(de24.pk) == EstadoMensaje.ENVIADO
    de48.refresh_from_db()
    de24.refresh_from_db()
    assert de24.proveedor_id != de48.proveedor_id and len(proveedor.recibidos) == 2


def test_correo_interrumpido_no_se_reenvia_solo(con_contacto, settings, coordinadora):
    settings.AVISOS_CANALES = {"correo": "django", "sms": "bandeja", "whatsapp": "bandeja"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    caso = con_contacto()
    correo = avisos(caso=caso, canal=Canal.CORREO).get()
    Mensaje.objects.filter(pk=correo.pk).update(en_duda=True)
    mail.outbox.clear()
    assert services.enviar(correo.pk) == EstadoMensaje.FALLIDO
    correo.refresh_from_db()
    assert "no se puede confirmar si llegó" in correo.ultimo_error and mail.outbox == []
    services.reintentar(mensaje=correo, actor=coordinadora)  # alguien lo revisó
    assert services.enviar(correo.pk) == EstadoMensaje.ENVIADO and len(mail.outbox) == 1


def test_baja_de_whatsapp_con_el_uno_de_celular(con_contacto, proveedor, client, settings):
    con_contacto()
    url = reverse("notificaciones:entrante_twilio")
    campos = {"From": "whatsapp:+5213312345678", "To": "whatsapp:+523919170001", "Body": "BAJA"}
    firma = firma_twilio(settings.URL_PUBLICA + url, campos, settings.TWILIO_AUTH_TOKEN)
    assert client.post(url, campos, HTTP_X_TWILIO_SIGNATURE=firma).status_code == 200
    assert Baja.objects.filter(canal=Canal.WHATSAPP, destino="+523312345678").exists()
    campos["Body"] = "cancelar"  # sobre la sesión, no sobre los avisos
    firma = firma_twilio(settings.URL_PUBLICA + url, campos, settings.TWILIO_AUTH_TOKEN)
    client.post(url, campos, HTTP_X_TWILIO_SIGNATURE=firma)
    assert Baja.objects.count() == 1
    assert client.post(url, campos, HTTP_X_TWILIO_SIGNATURE="ñ").status_code == 403

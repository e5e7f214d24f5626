"""Respuestas por SMS/WhatsApp: la firma se revisa con el validador oficial de Twilio y una
misma petición repetida no actúa dos veces."""

import hashlib
import json
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse
from twilio.request_validator import RequestValidator

from notificaciones import services
from notificaciones.models import Baja, Canal

pytestmark = pytest.mark.django_db

RUTA = "/avisos/entrante/twilio/"
CLAVE_COMPARTIDA = "secreto-de-la-clave-compartida"


def _campos(**extra):
    return {
        "MessageSid": "SM0123456789abcdef0123456789abcdef",
        "AccountSid": "AC0123456789abcdef0123456789abcdef",
        "From": "+523312345678",
        "To": "+523919170000",
        "Body": "BAJA",
        **extra,
    }


def _firmar(url, campos, token, algoritmo=None):
    """Como firma Twilio, con todos los valores de cada parámetro repetido."""
    parametros = QueryDict(urlencode(campos, doseq=True))
    return RequestValidator(token).compute_signature(url, parametros, algoritmo)


@pytest.fixture
def bajas(monkeypatch):
    """Cuántas veces se llamó de verdad al servicio de baja."""
    llamadas = []
    original = services.dar_de_baja

    def contar(**kwargs):
        llamadas.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(services, "dar_de_baja", contar)
    return llamadas


def test_la_ruta_es_la_de_siempre():
    assert reverse("notificaciones:entrante_twilio") == RUTA


@pytest.mark.parametrize(
    ("publica", "firmada"),
    [
        # Twilio firma a veces con el puerto por omisión y a veces sin él.
        ("https://avisos.municipio.gob.mx", "https://avisos.municipio.gob.mx:443"),
        ("https://avisos.municipio.gob.mx:443", "https://avisos.municipio.gob.mx"),
        ("https://avisos.municipio.gob.mx", "https://avisos.municipio.gob.mx"),
    ],
)
def test_firma_oficial_con_y_sin_puerto(
    con_contacto, proveedor, client, settings, publica, firmada
):
    settings.URL_PUBLICA = publica
    con_contacto()
    campos = _campos()
    firma = _firmar(firmada + RUTA, campos, settings.TWILIO_AUTH_TOKEN)
    respuesta = client.post(RUTA, campos, HTTP_X_TWILIO_SIGNATURE=firma)
    assert respuesta.status_code == 200 and b"<Message>Listo" in respuesta.content
    assert Baja.objects.filter(canal=Canal.SMS, destino="+523312345678").exists()


def test_firma_oficial_con_parametros_repetidos(con_contacto, proveedor, client, settings):
    con_contacto()
    campos = _campos(MediaUrl0=["https://api.twilio.com/b", "https://api.twilio.com/a"])
    firma = _firmar(settings.URL_PUBLICA + RUTA, campos, settings.TWILIO_AUTH_TOKEN)
    respuesta = client.post(RUTA, campos, HTTP_X_TWILIO_SIGNATURE=firma)
    assert respuesta.status_code == 200 and b"<Message>Listo" in respuesta.content
    # Firmar solo el último valor (como hacía la revisión hecha a mano) no pasa.
    solo_uno = _firmar(
        settings.URL_PUBLICA + RUTA,
        {**campos, "MediaUrl0": "https://api.twilio.com/a", "MessageSid": "SM-otro"},
        settings.TWILIO_AUTH_TOKEN,
    )
    otra = client.post(RUTA, {**campos, "MessageSid": "SM-otro"}, HTTP_X_TWILIO_SIGNATURE=solo_uno)
    assert otra.status_code == 403


def test_firma_equivocada_o_ausente_da_403(con_contacto, proveedor, client, settings, bajas):
    con_contacto()
    campos = _campos()
    buena = _firmar(settings.URL_PUBLICA + RUTA, campos, settings.TWILIO_AUTH_TOKEN)
    otra_cuenta = _firmar(settings.URL_PUBLICA + RUTA, campos, "otro-token")
    for firma in ("", "mala", otra_cuenta, buena[:-2] + "xx", "ñ"):
        assert client.post(RUTA, campos, HTTP_X_TWILIO_SIGNATURE=firma).status_code == 403
    assert client.post(RUTA, campos).status_code == 403
    # Con otros datos que los firmados.
    cambiados = {**campos, "From": "+523398765432"}
    assert client.post(RUTA, cambiados, HTTP_X_TWILIO_SIGNATURE=buena).status_code == 403
    assert bajas == [] and not Baja.objects.exists()


def test_firma_sha256_con_clave_compartida(con_contacto, proveedor, client, settings):
    settings.TWILIO_CLAVE_COMPARTIDA = CLAVE_COMPARTIDA
    con_contacto()
    campos = _campos()
    ajustes = "key=KS0123456789abcdef,algorithm=HMAC_SHA256"
    url = settings.URL_PUBLICA + RUTA
    firma = _firmar(url, campos, CLAVE_COMPARTIDA, "HMAC_SHA256")
    encabezados = {"HTTP_X_TWILIO_WEBHOOKS_SIGNATURE_SETTINGS": ajustes}
    respuesta = client.post(RUTA, campos, HTTP_X_TWILIO_SIGNATURE=firma, **encabezados)
    assert respuesta.status_code == 200 and b"<Message>Listo" in respuesta.content
    # La firma SHA-1 del token no vale cuando Twilio anuncia la clave compartida.
    sha1 = _firmar(url, {**campos, "MessageSid": "SM2"}, settings.TWILIO_AUTH_TOKEN)
    assert (
        client.post(
            RUTA, {**campos, "MessageSid": "SM2"}, HTTP_X_TWILIO_SIGNATURE=sha1, **encabezados
        ).status_code
        == 403
    )


def test_clave_compartida_sin_configurar_da_403(con_contacto, proveedor, client, settings):
    settings.TWILIO_CLAVE_COMPARTIDA = ""
    campos = _campos()
    firma = _firmar(settings.URL_PUBLICA + RUTA, campos, "", "HMAC_SHA256")
    respuesta = client.post(
        RUTA,
        campos,
        HTTP_X_TWILIO_SIGNATURE=firma,
        HTTP_X_TWILIO_WEBHOOKS_SIGNATURE_SETTINGS="key=KS1,algorithm=HMAC_SHA256",
    )
    assert respuesta.status_code == 403


def test_cuerpo_json_firmado_con_body_sha256(con_contacto, proveedor, client, settings):
    con_contacto()
    cuerpo = json.dumps(_campos())
    ruta = RUTA + "?bodySHA256=" + hashlib.sha256(cuerpo.encode()).hexdigest()
    firma = _firmar(settings.URL_PUBLICA + ruta, {}, settings.TWILIO_AUTH_TOKEN)
    respuesta = client.post(
        ruta, cuerpo, content_type="application/json", HTTP_X_TWILIO_SIGNATURE=firma
    )
    assert respuesta.status_code == 200 and b"<Message>Listo" in respuesta.content
    # El mismo encabezado con otro cuerpo, o un JSON sin bodySHA256: rechazados.
    otro = json.dumps(_campos(MessageSid="SM9", From="+523398765432"))
    assert (
        client.post(
            ruta, otro, content_type="application/json", HTTP_X_TWILIO_SIGNATURE=firma
        ).status_code
        == 403
    )
    sin_hash = _firmar(settings.URL_PUBLICA + RUTA, {}, settings.TWILIO_AUTH_TOKEN)
    assert (
        client.post(
            RUTA, otro, content_type="application/json", HTTP_X_TWILIO_SIGNATURE=sin_hash
        ).status_code
        == 403
    )


def test_la_repeticion_de_un_mensaje_no_actua_dos_veces(
    con_contacto, proveedor, client, settings, bajas
):
    con_contacto()
    campos = _campos()
    firma = _firmar(settings.URL_PUBLICA + RUTA, campos, settings.TWILIO_AUTH_TOKEN)
    primera = client.post(RUTA, campos, HTTP_X_TWILIO_SIGNATURE=firma)
    repetida = client.post(RUTA, campos, HTTP_X_TWILIO_SIGNATURE=firma)
    assert b"<Message>Listo" in primera.content
    # Se contesta bien (Twilio no reintenta) pero sin hacer nada ni volver a responder.
    assert repetida.status_code == 200 and b"<Message>" not in repetida.content
    assert len(bajas) == 1


def test_el_mismo_message_sid_por_otra_url_tampoco(
    con_contacto, proveedor, client, settings, bajas
):
    """Twilio puede reenviar a la URL de respaldo: otra firma, el mismo mensaje."""
    con_contacto()
    campos = _campos()
    sin_puerto = _firmar(settings.URL_PUBLICA + RUTA, campos, settings.TWILIO_AUTH_TOKEN)
    client.post(RUTA, campos, HTTP_X_TWILIO_SIGNATURE=sin_puerto)
    settings.URL_PUBLICA = "https://respaldo.municipio.gob.mx"
    respaldo = _firmar(settings.URL_PUBLICA + RUTA, campos, settings.TWILIO_AUTH_TOKEN)
    segunda = client.post(RUTA, campos, HTTP_X_TWILIO_SIGNATURE=respaldo)
    assert segunda.status_code == 200 and b"<Message>" not in segunda.content
    assert len(bajas) == 1


def test_sin_message_sid_la_repeticion_se_reconoce_por_la_firma(
    con_contacto, proveedor, client, settings, bajas
):
    con_contacto()
    campos = {"From": "+523312345678", "To": "+523919170000", "Body": "BAJA"}
    firma = _firmar(settings.URL_PUBLICA + RUTA, campos, settings.TWILIO_AUTH_TOKEN)
    for _ in range(3):
        assert client.post(RUTA, campos, HTTP_X_TWILIO_SIGNATURE=firma).status_code == 200
    assert len(bajas) == 1


def test_pasada_la_ventana_se_olvida(con_contacto, proveedor, client, settings, bajas, reloj):
    settings.TWILIO_REPETICION_MINUTOS = 10
    con_contacto()
    campos = _campos()
    firma = _firmar(settings.URL_PUBLICA + RUTA, campos, settings.TWILIO_AUTH_TOKEN)
    client.post(RUTA, campos, HTTP_X_TWILIO_SIGNATURE=firma)
    reloj.shift(timedelta(minutes=9))
    client.post(RUTA, campos, HTTP_X_TWILIO_SIGNATURE=firma)
    assert len(bajas) == 1
    reloj.shift(timedelta(minutes=2))
    client.post(RUTA, campos, HTTP_X_TWILIO_SIGNATURE=firma)
    assert len(bajas) == 2


def test_sin_token_de_twilio_la_ruta_no_existe(client, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    assert client.post(RUTA, _campos()).status_code == 404

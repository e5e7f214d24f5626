"""La salud (/salud/): 200 con todo sano, 503 que nombra cada parte que falla, sin datos
personales ni mensajes de error, sin caché ni sesión. Con procesos reales:
test_salud_real.py."""

import json
import time
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from notificaciones import services as avisos
from notificaciones.models import EstadoMensaje, Mensaje
from notificaciones.selectors import colas_vigiladas
from operacion import salud
from plantillas.models import Documento, EstadoDocumento
from tests.operacion.conftest import latidos, puerto_cerrado

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ajustes(settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "cola")}
    settings.MEDIA_ROOT = tmp_path / "medios"


def pedir(client, **parametros):
    respuesta = client.get(reverse("salud"), parametros)
    return respuesta, json.loads(respuesta.content)


def test_todo_sano_da_200_sin_cache_ni_sesion(client):
    latidos()
    respuesta, cuerpo = pedir(client)
    assert respuesta.status_code == 200, cuerpo
    assert cuerpo["estado"] == "ok" and "fallan" not in cuerpo
    assert set(cuerpo["partes"]) == {
        "base_de_datos",
        "broker",
        "colas",
        "beat",
        "avisos_pendientes",
        "documentos_pendientes",
    }
    assert set(cuerpo["partes"]["colas"]) == set(colas_vigiladas())
    assert respuesta["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in respuesta


def test_instalacion_nueva_sin_latidos_falla_pero_la_web_esta_bien(client):
    respuesta, cuerpo = pedir(client)
    assert respuesta.status_code == 503
    assert cuerpo["estado"] == "falla"
    assert set(cuerpo["fallan"]) == {f"cola:{c}" for c in colas_vigiladas()} | {"beat"}
    assert cuerpo["partes"]["colas"]["celery"]["estado"] == "sin_latidos"
    respuesta, cuerpo = pedir(client, parte="web")
    assert respuesta.status_code == 200
    assert cuerpo == {"estado": "ok", "partes": {"base_de_datos": {"estado": "ok"}}}


def test_base_caida_da_503_que_nombra_la_base_y_solo_la_clase_del_error(client, monkeypatch):
    latidos()

    def caida(*args, **kwargs):
        raise OperationalError("contraseña incorrecta para el usuario expedientes")

    monkeypatch.setattr(salud.connection, "cursor", caida)
    for parametros in ({}, {"parte": "web"}):
        respuesta, cuerpo = pedir(client, **parametros)
        assert respuesta.status_code == 503
        assert respuesta["Content-Type"] == "application/json"
        assert cuerpo["fallan"] == ["base_de_datos"]
        assert cuerpo["partes"]["base_de_datos"] == {
            "estado": "falla",
            "error": "OperationalError",
        }
        assert "contraseña" not in respuesta.content.decode()


def test_broker_inalcanzable_da_503_que_nombra_el_broker_en_poco_tiempo(client, settings):
    latidos()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{puerto_cerrado()}/0"
    inicio = time.monotonic()
    respuesta, cuerpo = pedir(client)
    assert time.monotonic() - inicio < 2.5
    assert respuesta.status_code == 503
    assert cuerpo["fallan"] == ["broker"]
    assert cuerpo["partes"]["broker"]["tipo"] == "redis"
    assert "127.0.0.1" not in respuesta.content.decode()


def test_broker_en_archivos_sin_poder_escribir_falla(client, settings, tmp_path):
    latidos()
    archivo = tmp_path / "no-es-carpeta"
    archivo.write_text("x")
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(archivo / "cola")}
    respuesta, cuerpo = pedir(client)
    assert respuesta.status_code == 503 and cuerpo["fallan"] == ["broker"]


def test_cola_sin_worker_vivo_da_503_que_nombra_la_cola(client, settings):
    latidos()
    avisos.registrar_latido(
        nombre="celery@web1",
        pid=10,
        colas=["celery"],
        pool="prefork",
        arrancado_en=timezone.now(),
        procesos_vivos=2,
    )
    avisos.registrar_latido(
        nombre="pdf@web1",
        pid=12,
        colas=["pdf"],
        pool="prefork",
        arrancado_en=timezone.now(),
        procesos_vivos=0,
    )
    respuesta, cuerpo = pedir(client)
    assert respuesta.status_code == 503
    assert cuerpo["fallan"] == ["cola:pdf"]
    assert cuerpo["partes"]["colas"]["pdf"]["estado"] == "sin_workers_vivos"


def test_beat_sin_revisar_pasado_el_umbral_falla(client, settings):
    latidos()
    settings.SALUD_BEAT_MAX_SEGUNDOS = 120
    from notificaciones.models import RevisionBeat

    RevisionBeat.objects.update(ultima_revision=timezone.now() - timedelta(seconds=121))
    respuesta, cuerpo = pedir(client)
    assert respuesta.status_code == 503 and cuerpo["fallan"] == ["beat"]
    assert cuerpo["partes"]["beat"]["estado"] == "detenido"


def test_aviso_y_documento_pendientes_viejos_dan_503_y_no_hay_datos_personales(
    client, nuevo_caso, settings
):
    latidos()
    caso = nuevo_caso(nombre="Rigoberta Zamudio Quintanar").caso
    respuesta, cuerpo = pedir(client)
    assert respuesta.status_code == 200, cuerpo
    pendientes = Mensaje.objects.filter(caso=caso, estado=EstadoMensaje.PENDIENTE)
    assert pendientes.exists()
    pendientes.update(programado_para=timezone.now() - timedelta(seconds=901))
    respuesta, cuerpo = pedir(client)
    assert respuesta.status_code == 503 and cuerpo["fallan"] == ["avisos_pendientes"]
    assert cuerpo["partes"]["avisos_pendientes"]["mas_antiguo_hace_segundos"] >= 901
    Documento.objects.filter(caso=caso, estado=EstadoDocumento.PENDIENTE).update(
        solicitado_en=timezone.now() - timedelta(seconds=601)
    )
    respuesta, cuerpo = pedir(client)
    assert cuerpo["fallan"] == ["avisos_pendientes", "documentos_pendientes"]
    texto = respuesta.content.decode()
    for dato in ("Rigoberta", "Zamudio", caso.folio, "3312345678"):
        assert dato not in texto


def test_un_aviso_programado_para_despues_no_cuenta(client, nuevo_caso):
    latidos()
    caso = nuevo_caso().caso
    Mensaje.objects.filter(caso=caso).update(
        programado_para=timezone.now() + timedelta(days=3), creado_en=timezone.now()
    )
    respuesta, cuerpo = pedir(client)
    assert cuerpo["partes"]["avisos_pendientes"]["mas_antiguo_hace_segundos"] is None


def test_http_simple_no_se_redirige_a_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    latidos()
    assert client.get("/salud/?parte=web").status_code == 200
    assert client.get("/cuentas/entrar/").status_code == 301


def test_pocas_consultas(client, django_assert_max_num_queries):
    latidos()
    with django_assert_max_num_queries(8):
        client.get(reverse("salud"))

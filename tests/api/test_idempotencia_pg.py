"""`Idempotency-Key` con PostgreSQL real: peticiones simultáneas con la misma clave y un
cliente que agota su tiempo de espera frente a un gunicorn real y reintenta."""

import http.client
import json
import os
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import EnvioIdempotente
from api.services import emitir_token
from casos.models import Caso, ContadorFolio, Evento
from notificaciones.models import Mensaje
from scripts import procesos

from .datos import cuerpo_caso

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SIMULTANEAS = 8


def test_peticiones_simultaneas_con_la_misma_clave_crean_un_solo_caso(catalogos, coordinadora):
    token = emitir_token(nombre="conmutador", usuario=coordinadora)
    datos = cuerpo_caso()
    barrera = threading.Barrier(SIMULTANEAS)
    respuestas = []

    def enviar():
        try:
            barrera.wait()
            respuestas.append(
                Client().post(
                    reverse("api:casos"),
                    datos,
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}",
                    HTTP_IDEMPOTENCY_KEY="tiempo-agotado-7",
                )
            )
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=enviar) for _ in range(SIMULTANEAS)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    assert [r.status_code for r in respuestas] == [201] * SIMULTANEAS, [
        r.content for r in respuestas
    ]
    cuerpos = {r.content for r in respuestas}
    assert len(cuerpos) == 1
    caso = Caso.objects.get()
    assert json.loads(cuerpos.pop())["folio"] == caso.folio
    assert EnvioIdempotente.objects.count() == 1
    # Los avisos de un solo caso (el acuse de la solicitante), no de ocho.
    assert Mensaje.objects.filter(caso=caso).count() == Mensaje.objects.count() >= 1
    # Los perdedores no tomaron folio: el siguiente es el consecutivo.
    assert ContadorFolio.objects.get(tipo="MED").ultimo == 1


def _url_de_la_base() -> str:
    datos = connection.settings_dict
    credencial = datos["USER"] + (f":{datos['PASSWORD']}" if datos["PASSWORD"] else "")
    return f"postgres://{credencial}@{datos['HOST']}:{datos['PORT']}/{datos['NAME']}"


def _esperando_candado() -> int:
    """Peticiones de la base que esperan un candado (vista en vivo, no una foto)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


def _esperar(condicion, segundos=20) -> None:
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        if condicion():
            return
        time.sleep(0.05)
    raise AssertionError("No se cumplió a tiempo.")


@pytest.fixture
def servidor(catalogos, tmp_path):
    """gunicorn real (2 hilos) sobre la misma base de la prueba."""
    entorno = {
        **os.environ,
        "DATABASE_URL": _url_de_la_base(),
        "CELERY_BROKER_URL": "memory://",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    puerto = procesos.puerto_libre()
    bitacora = tmp_path / "web.log"
    proceso = procesos.web(entorno, bitacora, puerto, hilos=2)
    yield puerto, bitacora
    procesos.detener(proceso)


def test_el_cliente_agota_su_espera_reintenta_y_recibe_el_mismo_folio(servidor, coordinadora):
    puerto, bitacora = servidor
    token = emitir_token(nombre="conmutador", usuario=coordinadora)
    cuerpo = json.dumps(cuerpo_caso()).encode()
    cabeceras = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {token}",
        "Idempotency-Key": "llamada-2026-0042",
    }

    def enviar(espera: float):
        conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=espera)
        try:
            conexion.request("POST", reverse("api:casos"), body=cuerpo, headers=cabeceras)
            respuesta = conexion.getresponse()
            return respuesta.status, json.loads(respuesta.read())
        finally:
            conexion.close()

    anio = timezone.localdate().year
    ContadorFolio.objects.get_or_create(tipo="MED", anio=anio, defaults={"ultimo": 0})
    reintentos = []
    hilo = threading.Thread(target=lambda: reintentos.append(enviar(30)))
    with transaction.atomic():
        # El contador de folios queda tomado: el alta se detiene a mitad de su transacción
        # (con la clave ya reservada) y el cliente se cansa de esperar.
        ContadorFolio.objects.select_for_update().get(tipo="MED", anio=anio)
        inicio = time.monotonic()
        with pytest.raises(TimeoutError):
            enviar(0.05)
        assert time.monotonic() - inicio < 1
        _esperar(lambda: _esperando_candado() == 1)
        # El reintento llega mientras el servidor sigue con la primera: espera la clave.
        hilo.start()
        _esperar(lambda: _esperando_candado() == 2)
        assert not Caso.objects.exists()
    # Suelto el contador: la primera petición crea el caso (aunque su cliente ya se fue) y
    # el reintento recibe esa misma respuesta.
    hilo.join(30)
    assert reintentos, bitacora.read_text(errors="replace")
    ((estado, primera),) = reintentos
    caso = Caso.objects.get()
    assert estado == 201 and primera["folio"] == caso.folio
    assert primera["codigo_consulta"]
    efectos = (Evento.objects.count(), Mensaje.objects.count())
    # Otro reintento, ya con todo terminado: la misma respuesta, nada nuevo.
    assert enviar(30) == (201, primera)
    assert Caso.objects.count() == 1 and EnvioIdempotente.objects.count() == 1
    assert (Evento.objects.count(), Mensaje.objects.count()) == efectos

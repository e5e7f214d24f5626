"""Con las piezas reales: un worker muerto con SIGKILL a media generación de un PDF. Al
arrancar otro, el documento queda listo a lo más en el reclamo configurado más una vuelta del
barrido, y una sola vez."""

import os
import signal
import time

import pytest
from celery import Celery

from plantillas.models import Documento, EstadoDocumento
from scripts import procesos
from tests.notificaciones.test_reales import Piezas, esperar

pytestmark = pytest.mark.postgres

TIEMPO_LIMITE, RECLAMO, BARRIDO = 20, 21, 1


@pytest.fixture
def piezas(transactional_db, catalogos, tmp_path):
    reales = Piezas(tmp_path)
    reales.entorno.update(
        DOCUMENTOS_TIEMPO_LIMITE_SEGUNDOS=str(TIEMPO_LIMITE),
        DOCUMENTOS_RECLAMO_SEGUNDOS=str(RECLAMO),
        DOCUMENTOS_BARRIDO_SEGUNDOS=str(BARRIDO),
    )
    yield reales
    reales.detener()


def _worker(piezas, nombre):
    proceso = procesos.worker(piezas.entorno, piezas.carpeta / f"{nombre}.log", colas="celery,pdf")
    piezas.procesos.append(proceso)
    return proceso


def test_worker_muerto_a_media_generacion_el_pdf_sale_al_vencer_el_reclamo(
    piezas, nuevo_caso, settings
):
    settings.MEDIA_ROOT = piezas.entorno["MEDIA_ROOT"]  # donde escribe el worker
    caso = nuevo_caso().caso
    documento = Documento.objects.get(caso=caso)
    Celery(broker=piezas.redis.url).send_task(
        "plantillas.tasks.generar_documento", args=[documento.pk], queue="pdf"
    )
    primero = _worker(piezas, "primero")

    def generando():
        return Documento.objects.get(pk=documento.pk).estado == EstadoDocumento.GENERANDO

    esperar(generando, segundos=60, piezas=piezas)
    os.killpg(primero.pid, signal.SIGKILL)  # a media generación (el primer render tarda ~1 s)
    primero.wait(timeout=10)
    documento.refresh_from_db()
    assert documento.estado == EstadoDocumento.GENERANDO and not documento.archivo

    inicio = time.monotonic()
    _worker(piezas, "segundo")
    esperar(
        lambda: Documento.objects.get(pk=documento.pk).estado == EstadoDocumento.LISTO,
        segundos=RECLAMO + BARRIDO + 40,
        piezas=piezas,
    )
    tardo = time.monotonic() - inicio
    # Retomado al vencer el reclamo (contado desde que lo tomó el worker muerto), más una vuelta
    # del barrido y el arranque del worker nuevo.
    assert tardo <= RECLAMO + BARRIDO + 15, f"{tardo:.1f} s"
    documento.refresh_from_db()
    assert documento.intentos == 2
    with documento.archivo.open("rb") as archivo:
        assert archivo.read(5) == b"%PDF-"
    time.sleep(3)  # más vueltas del barrido: nada se vuelve a generar
    documento.refresh_from_db()
    assert documento.intentos == 2 and documento.estado == EstadoDocumento.LISTO

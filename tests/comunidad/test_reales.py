"""Un aviso comunitario a 1,000 contactos con las piezas reales: PostgreSQL, un Redis propio,
un worker de Celery en otro proceso (que se mata con SIGKILL a medio reparto) y el proveedor
de SMS simulado que revisa cada petición. Cada contacto lo recibe exactamente una vez; el
dado de baja, nunca. Mil contactos son cinco lotes del reparto (de 200) y dos vueltas del
despacho (de 500): lo mismo que con más, en menos tiempo. La cifra de 10,000 contactos va en
scripts/bench_comunidad.py."""

import os
import shutil
import signal
import time

import pytest
from django.db import transaction
from django.utils import timezone

from casos.models import AvisoPrivacidad, Localidad
from comunidad import services
from comunidad.models import AvisoComunitario, Contacto, Entrega, Membresia
from comunidad.tasks import repartir_aviso
from config.celery import app
from notificaciones.models import Baja, EstadoMensaje, Mensaje
from tests.notificaciones.test_reales import Piezas, esperar

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="sin redis-server"),
]

# Cinco lotes de 200: el worker se mata con el reparto a medias.
CONTACTOS = 1000


@pytest.fixture
def piezas(transactional_db, catalogos, tmp_path):
    reales = Piezas(tmp_path)
    yield reales
    reales.detener()


def _sembrar(coordinadora, cuantos=CONTACTOS):
    """Dos listas de Milpillas que comparten 200 contactos (`cuantos` distintos), uno sin
    consentimiento y uno que respondió BAJA."""
    milpillas = Localidad.objects.get(nombre="Milpillas")
    aviso = AvisoPrivacidad.vigente()
    hoy = timezone.localdate()
    Contacto.objects.bulk_create(
        Contacto(
            nombre=f"Contacto {n}",
            telefono=f"+52391{n:07d}",
            localidad=milpillas,
            consentimiento_fecha=hoy,
            consentimiento_forma="escrito",
            consentimiento_aviso=aviso,
            consentimiento_registrado_por=coordinadora,
        )
        for n in range(cuantos)
    )
    contactos = list(Contacto.objects.order_by("pk"))
    comite = services.crear_lista(nombre="Milpillas: comité", localidad=milpillas)
    lideres = services.crear_lista(nombre="Milpillas: líderes", localidad=milpillas)
    Membresia.objects.bulk_create(
        [Membresia(lista=comite, contacto=c) for c in contactos[: cuantos // 2 + 100]]
        + [Membresia(lista=lideres, contacto=c) for c in contactos[cuantos // 2 - 100 :]]
    )
    services.registrar_contacto(
        nombre="Sin consentimiento",
        telefono="+523919999999",
        canal="sms",
        localidad=milpillas,
        actor=coordinadora,
        listas=[comite],
    )
    de_baja = contactos[cuantos // 2 + 50]  # está en las dos listas
    services.dar_de_baja(contacto=de_baja, actor=coordinadora)
    with transaction.atomic():
        enviado = services.enviar_aviso(
            texto="Módulo itinerante en Milpillas el sábado 12, 9 a 13 h, en la plaza",
            listas=[comite, lideres],
            actor=coordinadora,
        )
    return enviado, de_baja


def _worker(piezas):
    """Un worker nuevo, ya escuchando su cola (lo publicado antes de que declare la cola en
    un Redis recién prendido no llegaría a ninguna)."""
    bitacora = piezas.carpeta / "worker.log"
    antes = bitacora.read_text(errors="replace").count(" ready.") if bitacora.exists() else 0
    proceso = piezas.worker()
    esperar(
        lambda: bitacora.exists() and bitacora.read_text(errors="replace").count(" ready.") > antes,
        piezas=piezas,
    )
    return proceso


def _repartir(piezas, aviso, veces=1):
    """Lo que hace el reparto al confirmar (y el barrido del beat, si no terminó)."""
    with app.connection_for_write(piezas.redis.url) as conexion:
        for _ in range(veces):
            repartir_aviso.apply_async(args=[aviso.pk], connection=conexion)


def _revisar(piezas, aviso, de_baja, cuantos=CONTACTOS):
    esperados = cuantos - 1
    esperar(
        lambda: (
            Mensaje.objects.filter(plantilla="comunitario", estado=EstadoMensaje.ENVIADO).count()
            == esperados
        ),
        segundos=300,
        piezas=piezas,
    )
    time.sleep(3)  # más vueltas del barrido: nada se repite
    numeros = [r.campos["To"] for r in piezas.proveedor.recibidos]
    assert len(numeros) == esperados and len(set(numeros)) == esperados
    assert de_baja.telefono not in numeros and "+523919999999" not in numeros
    assert piezas.proveedor.rechazos == []
    cuerpo = piezas.proveedor.recibidos[0].campos["Body"]
    assert "Modulo itinerante en Milpillas" in cuerpo and cuerpo.endswith("Resp BAJA p/no recibir")
    assert Mensaje.objects.filter(plantilla="comunitario").count() == esperados
    assert Entrega.objects.filter(aviso=aviso).count() == cuantos
    assert Entrega.objects.get(aviso=aviso, contacto=de_baja).mensaje is None
    assert AvisoComunitario.objects.get(pk=aviso.pk).repartido_en is not None
    assert Baja.objects.filter(destino=de_baja.telefono).count() == 1


def test_aviso_a_mil_contactos_sale_una_vez_a_cada_uno_aunque_se_reparta_dos_veces(
    piezas, coordinadora
):
    aviso, de_baja = _sembrar(coordinadora)
    assert aviso.destinatarios == CONTACTOS - 1
    _worker(piezas)
    _repartir(piezas, aviso, veces=2)
    _revisar(piezas, aviso, de_baja)


def test_worker_muerto_a_medio_reparto_otro_lo_termina_sin_duplicar(piezas, coordinadora):
    aviso, de_baja = _sembrar(coordinadora)
    primero = _worker(piezas)
    _repartir(piezas, aviso)
    esperar(lambda: Entrega.objects.filter(aviso=aviso).count() >= 200, piezas=piezas)
    os.killpg(primero.pid, signal.SIGKILL)
    primero.wait(timeout=10)
    escritas = Entrega.objects.filter(aviso=aviso).count()
    assert escritas < CONTACTOS, "el reparto terminó antes de matar al worker"
    assert AvisoComunitario.objects.get(pk=aviso.pk).repartido_en is None
    # El barrido lo vuelve a encolar cuando vence el reclamo del worker muerto.
    esperar(lambda: _reclamo_vencido(aviso), 30)
    _worker(piezas)
    _repartir(piezas, aviso)
    _revisar(piezas, aviso, de_baja)


def _reclamo_vencido(aviso) -> bool:
    hasta = AvisoComunitario.objects.get(pk=aviso.pk).reparto_hasta
    return hasta is None or hasta < timezone.now()

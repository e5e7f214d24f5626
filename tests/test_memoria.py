"""Lo que se guarda en la memoria de cada proceso (`nucleo.memoria`): los datos de la oficina
salen de ahí sin consultar la base, cada quien recibe su copia, un cambio guardado aquí se
ve al instante y uno hecho por otro proceso a más tardar `SEGUNDOS` después."""

import pytest
from celery.signals import task_prerun
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casos.models import Centro
from nucleo import memoria

pytestmark = pytest.mark.django_db


@pytest.fixture
def reloj_monotono(monkeypatch):
    """El reloj con que la memoria mide cuánto lleva guardado un valor, movible a mano."""
    ahora = [1000.0]
    monkeypatch.setattr(memoria.time, "monotonic", lambda: ahora[0])
    return ahora


def test_los_datos_de_la_oficina_se_leen_una_vez(catalogos):
    Centro.actual()
    with CaptureQueriesContext(connection) as capturadas:
        centro = Centro.actual()
    assert len(capturadas) == 0
    assert centro.nombre == Centro.objects.get(pk=1).nombre and centro.pk == 1


def test_cada_quien_recibe_su_copia(catalogos):
    original = Centro.objects.get(pk=1).nombre
    Centro.actual().nombre = "Cambiado en una vista sin guardar"
    assert Centro.actual().nombre == original


def test_lo_guardado_en_este_proceso_se_ve_al_instante(catalogos):
    Centro.actual()
    centro = Centro.objects.get(pk=1)
    centro.telefono = "348 000 1111"
    centro.save()
    assert Centro.actual().telefono == "348 000 1111"


def test_lo_cambiado_por_otro_proceso_se_ve_a_mas_tardar_en_los_segundos_fijados(
    catalogos, reloj_monotono
):
    antes = Centro.actual().telefono
    # Un UPDATE sin señales en este proceso: lo que vería un worker distinto del que guardó.
    Centro.objects.filter(pk=1).update(telefono="348 222 3333")
    reloj_monotono[0] += memoria.SEGUNDOS - 1
    assert Centro.actual().telefono == antes
    reloj_monotono[0] += 2
    assert Centro.actual().telefono == "348 222 3333"


def test_cada_tarea_de_celery_empieza_con_lo_de_la_base(catalogos):
    Centro.actual()
    Centro.objects.filter(pk=1).update(nombre="Centro renombrado")
    task_prerun.send(sender=None, task_id="x", task=None)
    assert Centro.actual().nombre == "Centro renombrado"


def test_sin_renglon_de_la_oficina_hay_uno_provisional_y_aparece_el_que_se_captura(db):
    Centro.objects.all().delete()
    assert Centro.actual().pk is None
    Centro.objects.create(pk=1, nombre="Centro nuevo", municipio="Atotonilco", entidad="Jal.")
    assert Centro.actual().nombre == "Centro nuevo"

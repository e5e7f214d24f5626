"""La supresión por conservación en PostgreSQL: ningún texto, varchar ni JSON de ninguna tabla
(por `connection.introspection`) ni ningún archivo de MEDIA_ROOT conserva los datos de las
personas, las cifras del tablero no cambian, y un expediente que otra transacción tiene
tomado se salta (`skip_locked`) y se suprime en la corrida siguiente."""

import threading

import pytest
from django.db import connections, transaction

from casos.models import Caso, Estado, Parte
from estadistica import resumen
from privacidad.conservacion import MARCA, depurar

from . import expedientes
from .test_conservacion import HOY, _concluido

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _medios(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "medios"


def test_no_queda_ningun_dato_personal_en_ninguna_tabla_ni_archivo(
    nuevo_caso, coordinadora, certificado, sala, reloj, asesor, privacidad
):
    mediacion = expedientes.mediacion_con_convenio(
        nuevo_caso, coordinadora, certificado, sala, reloj
    )
    asesoria = expedientes.asesoria_resuelta(nuevo_caso, coordinadora, asesor)
    expedientes.solicitud_arco_concluida(privacidad)
    antes = expedientes.encontradas()
    assert set(antes) == {expedientes.sin_acentos(h) for h in expedientes.HUELLAS}, antes
    assert expedientes.en_archivos().get("quetzalcoatl")
    generados = expedientes.archivos()

    reloj.move_to(expedientes.DIA_DE_SUPRESION.isoformat() + "T10:00-06:00")
    resumen.rehacer()
    cifras = expedientes.cifras()
    simulacro = depurar(al_dia=expedientes.DIA_DE_SUPRESION, simulacro=True)
    assert sorted(simulacro.detalle["suprimir"]) == sorted([mediacion.folio, asesoria.folio])
    assert expedientes.encontradas() == antes

    corrida = depurar(al_dia=expedientes.DIA_DE_SUPRESION, simulacro=False)
    assert corrida.archivos == len(generados) > 0
    assert expedientes.encontradas() == {}
    assert expedientes.en_archivos() == {}
    assert expedientes.archivos() == []
    assert expedientes.cifras() == cifras
    resumen.refrescar()
    assert expedientes.cifras() == cifras
    # Idempotente: otra corrida no encuentra nada.
    otra = depurar(al_dia=expedientes.DIA_DE_SUPRESION, simulacro=False)
    assert otra.suprimidos == otra.bloqueados == 0


def test_el_expediente_tomado_por_otra_transaccion_se_salta_y_se_suprime_despues(nuevo_caso):
    casos = [
        _concluido(nuevo_caso(), estado=Estado.CONCLUIDA_SIN_ACUERDO, dia=HOY) for _ in range(3)
    ]
    tomado = casos[1]
    listo, soltar, errores = threading.Event(), threading.Event(), []

    def tener_tomado():
        try:
            with transaction.atomic():
                Caso.objects.select_for_update().get(pk=tomado.pk)
                listo.set()
                soltar.wait(timeout=60)
        except Exception as error:  # se reporta abajo
            errores.append(error)
        finally:
            connections.close_all()

    hilo = threading.Thread(target=tener_tomado)
    hilo.start()
    assert listo.wait(timeout=30)
    try:
        primera = depurar(al_dia=expedientes.DIA_DE_SUPRESION, simulacro=False)
    finally:
        soltar.set()
        hilo.join(timeout=60)
    assert not errores, errores
    assert sorted(primera.detalle["suprimir"]) == sorted([casos[0].folio, casos[2].folio])
    tomado.refresh_from_db()
    assert tomado.suprimido_en is None
    assert Parte.objects.filter(caso=tomado).exclude(nombre=MARCA).exists()

    segunda = depurar(al_dia=expedientes.DIA_DE_SUPRESION, simulacro=False)
    assert segunda.detalle["suprimir"] == [tomado.folio]
    tomado.refresh_from_db()
    assert tomado.suprimido_en is not None
    assert not Parte.objects.filter(caso=tomado).exclude(nombre=MARCA).exists()

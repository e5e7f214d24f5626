"""El refresco del resumen bajo concurrencia real (PostgreSQL): casos que se reciben mientras
cuatro refrescos corren a la vez. Al final el resumen es el mismo que si se rehiciera desde
cero: nada contado dos veces ni perdido."""

import threading

import pytest
from django.db import connections

from casos import services
from casos.models import AvisoPrivacidad, Canal, Categoria, Localidad, TipoCaso
from estadistica import resumen
from estadistica.models import ResumenDiario, ResumenMensual

HILOS = 4
POR_HILO = 10
COLUMNAS = ("recibidas", "concluidas", "admitidas")


def _foto() -> dict:
    diario = {
        (r["fecha"], r["tipo"], r["dimension"], r["valor"]): tuple(r[c] for c in COLUMNAS)
        for r in ResumenDiario.objects.values("fecha", "tipo", "dimension", "valor", *COLUMNAS)
    }
    mensual = {
        ("mes", r["mes"], r["tipo"], r["dimension"], r["valor"]): tuple(r[c] for c in COLUMNAS)
        for r in ResumenMensual.objects.values("mes", "tipo", "dimension", "valor", *COLUMNAS)
    }
    return {**diario, **mensual}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_refrescos_a_la_vez_no_cuentan_dos_veces(catalogos):
    categoria = Categoria.objects.filter(tipo=TipoCaso.ASESORIA).first()
    localidad = Localidad.objects.first()
    aviso = AvisoPrivacidad.vigente()
    resumen.rehacer()
    barrera = threading.Barrier(HILOS * 2)
    errores = []

    def recibir(indice):
        try:
            barrera.wait()
            for n in range(POR_HILO):
                services.recibir_solicitud(
                    tipo=TipoCaso.ASESORIA,
                    canal=Canal.TELEFONO,
                    categoria=categoria,
                    localidad=localidad,
                    resumen="Consulta sobre un trámite.",
                    solicitante=services.DatosPersona(
                        nombre=f"Persona {indice}-{n}", telefono="+523312345678"
                    ),
                    aviso=aviso,
                )
        except Exception as error:  # se reporta abajo
            errores.append(error)
        finally:
            connections.close_all()

    def refrescar():
        try:
            barrera.wait()
            for _ in range(3):
                resumen.refrescar()
        except Exception as error:  # se reporta abajo
            errores.append(error)
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=recibir, args=(i,)) for i in range(HILOS)]
    hilos += [threading.Thread(target=refrescar) for _ in range(HILOS)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    assert not errores
    resumen.refrescar()
    incremental = _foto()
    total = sum(v[0] for k, v in incremental.items() if len(k) == 4 and k[2] == "total")
    assert total == HILOS * POR_HILO
    resumen.rehacer()
    assert _foto() == incremental

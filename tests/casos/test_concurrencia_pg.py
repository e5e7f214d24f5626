"""Folios bajo concurrencia real: 8 conexiones a PostgreSQL creando casos a la vez."""

import threading

import pytest
from django.db import connections

from casos import services
from casos.models import AvisoPrivacidad, Canal, Caso, Categoria, Localidad, TipoCaso

HILOS = 8
POR_HILO = 15


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_folios_sin_duplicados_ni_huecos_desde_8_conexiones(catalogos):
    categoria = Categoria.objects.filter(tipo=TipoCaso.ASESORIA).first()
    localidad = Localidad.objects.first()
    aviso = AvisoPrivacidad.vigente()
    barrera = threading.Barrier(HILOS)
    errores = []

    def trabajar(indice):
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
                        nombre=f"Hilo {indice} caso {n}", telefono="+523312345678"
                    ),
                    aviso=aviso,
                )
        except Exception as error:  # se reporta abajo
            errores.append(error)
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=trabajar, args=(i,)) for i in range(HILOS)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    assert not errores
    numeros = sorted(Caso.objects.values_list("numero", flat=True))
    assert numeros == list(range(1, HILOS * POR_HILO + 1))
    assert Caso.objects.values("folio").distinct().count() == HILOS * POR_HILO

"""Reintentos simultáneos con la misma clave de idempotencia (PostgreSQL real)."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from api.models import EnvioIdempotente
from casos.models import Caso

from .ayudas import ident, leer, url

REINTENTOS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_reintentos_simultaneos_crean_un_solo_caso(cuerpo):
    datos = cuerpo(**{"attribute[clave_idempotencia]": "tiempo-agotado-1"})
    barrera = threading.Barrier(REINTENTOS)
    respuestas = []

    def enviar():
        try:
            barrera.wait()
            respuestas.append(Client().post(url("open311:solicitudes"), datos))
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=enviar) for _ in range(REINTENTOS)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    assert sorted(r.status_code for r in respuestas) == [200] * (REINTENTOS - 1) + [201]
    folio = f"MED-{timezone.localdate().year}-00001"
    assert {leer(r)[0]["service_request_id"] for r in respuestas} == {ident(folio)}
    assert Caso.objects.count() == 1 and EnvioIdempotente.objects.count() == 1

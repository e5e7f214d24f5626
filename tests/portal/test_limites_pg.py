"""Intentos simultáneos contra la consulta: el contador es atómico (PostgreSQL real)."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from casos.models import LimiteIntento

INTENTOS = 30


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_intentos_simultaneos_no_pasan_del_limite(nuevo_caso, settings):
    settings.CONSULTA_FALLOS_LIMITE = 5
    folio = nuevo_caso().caso.folio
    barrera = threading.Barrier(INTENTOS)
    codigos = []

    def intentar():
        try:
            barrera.wait()
            respuesta = Client().post(
                reverse("portal:consulta"), {"folio": folio, "codigo": "ZZZZZZZZZZ"}
            )
            codigos.append(respuesta.status_code)
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=intentar) for _ in range(INTENTOS)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    assert len(codigos) == INTENTOS
    # Cada intento reserva por IP y por folio; con ambos contadores a la vez pueden pasar
    # menos de 5, nunca más.
    assert 1 <= codigos.count(404) <= 5, codigos
    assert codigos.count(404) + codigos.count(429) == INTENTOS
    assert LimiteIntento.objects.get(clave__startswith="consulta-ip:").conteo == INTENTOS

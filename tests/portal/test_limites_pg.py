"""Intentos simultáneos contra la consulta: el contador es atómico (PostgreSQL real)."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from casos.models import LimiteIntento

INTENTOS = 30


def _simultaneos(folio: str, codigo: str, ips: list[str]) -> list[int]:
    """Un intento por IP de la lista, todos a la vez; los códigos HTTP de las respuestas."""
    barrera = threading.Barrier(len(ips))
    codigos = []

    def intentar(ip):
        try:
            barrera.wait()
            respuesta = Client().post(
                reverse("portal:consulta"), {"folio": folio, "codigo": codigo}, REMOTE_ADDR=ip
            )
            codigos.append(respuesta.status_code)
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=intentar, args=(ip,)) for ip in ips]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    return codigos


def _contador(prefijo: str) -> int:
    return LimiteIntento.objects.get(clave__startswith=prefijo).conteo


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_intentos_simultaneos_no_pasan_del_limite(nuevo_caso, settings):
    settings.CONSULTA_FALLOS_LIMITE = 5
    folio = nuevo_caso().caso.folio
    codigos = _simultaneos(folio, "ZZZZZZZZZZ", ["127.0.0.1"] * INTENTOS)
    assert len(codigos) == INTENTOS
    # Cada intento reserva por IP antes de comparar: pasan a lo más 5.
    assert 1 <= codigos.count(404) <= 5, codigos
    assert codigos.count(404) + codigos.count(429) == INTENTOS
    assert _contador("consulta-ip:") == INTENTOS
    # Toda la ráfaga vino de una sola conexión: cuenta como un cliente contra el folio.
    assert _contador("consulta-folio:") == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_conexiones_distintas_simultaneas_no_pasan_del_limite_del_folio(nuevo_caso, settings):
    settings.CONSULTA_FOLIO_CLIENTES = 3
    folio = nuevo_caso().caso.folio
    codigos = _simultaneos(folio, "ZZZZZZZZZZ", [f"203.0.113.{i}" for i in range(INTENTOS)])
    assert len(codigos) == INTENTOS
    assert 1 <= codigos.count(404) <= 3, codigos
    assert codigos.count(404) + codigos.count(429) == INTENTOS
    # Los rechazados devolvieron lo que reservaron: el folio cuenta solo a los que fallaron.
    assert _contador("consulta-folio:") == codigos.count(404)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_aciertos_simultaneos_de_una_conexion_dejan_el_folio_en_cero(nuevo_caso, settings):
    recibida = nuevo_caso()
    codigos = _simultaneos(recibida.caso.folio, recibida.codigo, ["127.0.0.1"] * 8)
    assert codigos == [200] * 8
    assert _contador("consulta-folio:") == 0
    assert _contador("consulta-par:") == 0

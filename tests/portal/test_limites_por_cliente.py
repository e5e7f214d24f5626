"""Nadie puede dejar fuera de la consulta al dueño de un folio desde una sola conexión.

Los fallos se cuentan por conexión (IP) y, para el folio, por conexiones distintas que
fallaron; lo que se rechaza porque la conexión ya está bloqueada no cuenta contra el folio.
"""

from datetime import timedelta

import pytest
from django.conf import settings as ajustes
from django.urls import reverse
from django.utils import timezone

from casos import limites
from casos.models import LimiteIntento
from casos.tasks import purgar_limites_vencidos
from config.celery import app as celery

pytestmark = pytest.mark.django_db


def _consultar(client, folio, codigo, ip):
    return client.post(
        reverse("portal:consulta"), {"folio": folio, "codigo": codigo}, REMOTE_ADDR=ip
    )


def _clientes_que_fallaron(folio, settings):
    return limites.conteo("consulta-folio", folio, settings.CONSULTA_FALLOS_VENTANA)


def test_una_ip_que_insiste_no_deja_fuera_al_dueno(client, nuevo_caso, settings):
    settings.CONSULTA_FALLOS_LIMITE = 5
    recibida = nuevo_caso()
    folio = recibida.caso.folio
    respuestas = [_consultar(client, folio, "ZZZZZZZZZZ", "203.0.113.7") for _ in range(40)]
    assert [r.status_code for r in respuestas] == [404] * 5 + [429] * 35
    # La dueña, desde su casa, con su código.
    dueno = _consultar(client, folio, recibida.codigo, "198.51.100.20")
    assert dueno.status_code == 200 and "Estado actual" in dueno.content.decode()


def test_los_rechazos_por_ip_bloqueada_no_mueven_el_contador_del_folio(
    client, nuevo_caso, settings
):
    settings.CONSULTA_FALLOS_LIMITE = 3
    folio = nuevo_caso().caso.folio
    for _ in range(3):
        _consultar(client, folio, "ZZZZZZZZZZ", "203.0.113.7")
    assert _clientes_que_fallaron(folio, settings) == 1
    for _ in range(20):
        assert _consultar(client, folio, "ZZZZZZZZZZ", "203.0.113.7").status_code == 429
    assert _clientes_que_fallaron(folio, settings) == 1


def test_varias_ip_distintas_que_fallan_si_protegen_el_folio(client, nuevo_caso, settings):
    settings.CONSULTA_FOLIO_CLIENTES = 4
    recibida = nuevo_caso()
    folio = recibida.caso.folio
    for i in range(4):
        assert _consultar(client, folio, "ZZZZZZZZZZ", f"203.0.113.{i}").status_code == 404
    assert _clientes_que_fallaron(folio, settings) == 4
    bloqueada = _consultar(client, folio, recibida.codigo, "198.51.100.20")
    assert bloqueada.status_code == 429
    assert "Demasiados intentos fallidos" in bloqueada.content.decode()
    # El rechazo del folio protegido no suma otra conexión.
    assert _clientes_que_fallaron(folio, settings) == 4


def test_una_misma_ip_cuenta_una_sola_vez_para_el_folio(client, nuevo_caso, settings):
    settings.CONSULTA_FOLIO_CLIENTES = 2
    recibida = nuevo_caso()
    folio = recibida.caso.folio
    for _ in range(4):
        _consultar(client, folio, "ZZZZZZZZZZ", "203.0.113.7")
    assert _clientes_que_fallaron(folio, settings) == 1
    assert _consultar(client, folio, recibida.codigo, "198.51.100.20").status_code == 200


def test_ipv6_de_la_misma_red_cuenta_como_una_conexion(client, nuevo_caso, settings):
    """Un equipo con IPv6 tiene miles de direcciones en su red /64: rotarlas no da más
    intentos ni cuenta como otras conexiones contra el folio."""
    settings.CONSULTA_FALLOS_LIMITE = 3
    settings.CONSULTA_FOLIO_CLIENTES = 2
    recibida = nuevo_caso()
    folio = recibida.caso.folio
    codigos = [
        _consultar(client, folio, "ZZZZZZZZZZ", f"2001:db8:0:1::{i:x}").status_code
        for i in range(1, 10)
    ]
    assert codigos == [404] * 3 + [429] * 6
    assert _clientes_que_fallaron(folio, settings) == 1
    assert _consultar(client, folio, recibida.codigo, "2001:db8:0:2::1").status_code == 200


def test_el_acierto_devuelve_lo_reservado_del_folio(client, nuevo_caso, settings):
    settings.CONSULTA_FOLIO_CLIENTES = 2
    recibida = nuevo_caso()
    folio = recibida.caso.folio
    for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        assert _consultar(client, folio, recibida.codigo, ip).status_code == 200
    assert _clientes_que_fallaron(folio, settings) == 0
    # Una que falló y luego acertó sigue contando por su fallo, no por su acierto.
    _consultar(client, folio, "ZZZZZZZZZZ", "203.0.113.1")
    assert _consultar(client, folio, recibida.codigo, "203.0.113.1").status_code == 200
    assert _clientes_que_fallaron(folio, settings) == 1


def test_el_cliente_ipv6_se_agrupa_por_su_red():
    assert limites.cliente_de("2001:db8:0:1::5") == limites.cliente_de("2001:db8:0:1:ffff::9")
    assert limites.cliente_de("2001:db8:0:1::5") != limites.cliente_de("2001:db8:0:2::5")
    assert limites.cliente_de("203.0.113.7") == "203.0.113.7"
    assert limites.cliente_de("desconocida") == "desconocida"


def test_el_beat_borra_los_contadores_vencidos_y_deja_los_vigentes(client, nuevo_caso):
    folio = nuevo_caso().caso.folio
    assert _consultar(client, folio, "ZZZZZZZZZZ", "203.0.113.7").status_code == 404
    vigentes = set(LimiteIntento.objects.values_list("clave", flat=True))
    assert len(vigentes) == 3  # la conexión, el par (folio, conexión) y el folio
    LimiteIntento.objects.create(
        clave="consulta-ip:203.0.113.8:1", conteo=4, expira=timezone.now() - timedelta(hours=1)
    )
    assert purgar_limites_vencidos.apply().get() == 1
    assert set(LimiteIntento.objects.values_list("clave", flat=True)) == vigentes


def test_la_purga_esta_en_el_beat_y_no_en_la_peticion(client, nuevo_caso, monkeypatch):
    (tarea,) = [
        t
        for t in ajustes.CELERY_BEAT_SCHEDULE.values()
        if t["task"] == "casos.tasks.purgar_limites_vencidos"
    ]
    assert tarea["schedule"] <= 3600
    assert "casos.tasks.purgar_limites_vencidos" in celery.tasks
    llamadas = []
    monkeypatch.setattr(limites, "purgar", lambda: llamadas.append(1))
    folio = nuevo_caso().caso.folio
    for i in range(100):
        _consultar(client, folio, "ZZZZZZZZZZ", f"203.0.113.{i}")
    assert llamadas == []

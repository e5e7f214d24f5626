"""Las solicitudes ARCO en el tablero: por derecho y por cómo van contra su plazo legal (con
la pausa del requerimiento y la ampliación)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from casos.services import privacidad as arco
from estadistica.forms import Filtros
from estadistica.selectors import armar_tablero, tabla_arco

MX = ZoneInfo("America/Mexico_City")


def _recibir(derecho, letra):
    return arco.recibir_solicitud_arco(
        derecho=derecho,
        canal="web",
        nombre=f"Persona {letra}",
        medio_respuesta="correo",
        correo="persona@example.mx",
        descripcion="Pido lo que dice la ley sobre mis datos.",
    ).solicitud


def _acreditar(s):
    return arco.acreditar_identidad(solicitud=s, actor=None, medio="identificacion", detalle="INE")


def _responder(s):
    return arco.responder(
        solicitud=s,
        actor=None,
        sentido="procedente",
        fundamento="LGPDPPSO",
        respuesta="Se atendió lo pedido.",
    )


@pytest.fixture
def solicitudes(catalogos):
    """Noviembre de 2026 (el 16/11 es inhábil):
    - acceso A: recibida 2/11, respondida 20/11 → en plazo (vence 1/12);
    - acceso B: recibida 2/11, sin responder al 3/12 → vencida;
    - rectificación: recibida 2/11, ampliada, respondida 10/12 → en plazo (vence 15/12);
    - cancelación: recibida 2/11, respondida 2/12 → fuera de plazo;
    - oposición: recibida 25/11, se le pidió información → en pausa;
    - portabilidad: recibida 30/11, abierta al 3/12 → en plazo;
    - acceso C: recibida 3/11 con requerimiento sin desahogo, no presentada el 20/11."""
    with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=MX), tick=False) as t:
        a, b = _recibir("acceso", "A"), _recibir("acceso", "B")
        rect = _recibir("rectificacion", "R")
        canc = _recibir("cancelacion", "C")
        arco.ampliar_plazo(solicitud=rect, actor=None, motivo="Expedientes en concentración.")
        t.move_to(datetime(2026, 11, 3, 10, tzinfo=MX))
        no_pres = _recibir("acceso", "NP")
        arco.requerir_informacion(solicitud=no_pres, actor=None, requerimiento="Su INE.")
        t.move_to(datetime(2026, 11, 20, 10, tzinfo=MX))
        _responder(_acreditar(a))
        arco.tener_por_no_presentada(solicitud=no_pres, actor=None)
        t.move_to(datetime(2026, 11, 25, 10, tzinfo=MX))
        opo = _recibir("oposicion", "O")
        arco.requerir_informacion(solicitud=opo, actor=None, requerimiento="Qué uso.")
        t.move_to(datetime(2026, 11, 30, 10, tzinfo=MX))
        _recibir("portabilidad", "P")
        t.move_to(datetime(2026, 12, 2, 10, tzinfo=MX))
        _responder(_acreditar(canc))
        t.move_to(datetime(2026, 12, 10, 10, tzinfo=MX))
        _responder(_acreditar(rect))
        assert b.pk
        yield t


def _renglones(tabla):
    return {r.clave: [c.valor for c in r.celdas] for r in [*tabla.renglones, tabla.total]}


def test_cada_solicitud_contra_su_plazo(solicitudes):
    solicitudes.move_to(datetime(2026, 12, 3, 10, tzinfo=MX))
    tabla = tabla_arco(
        Filtros(desde=date(2026, 11, 1), hasta=date(2026, 11, 30), titulo="noviembre")
    )
    # recibidas, a tiempo, fuera, en plazo, vencidas, en pausa, no presentadas
    assert _renglones(tabla) == {
        "acceso": [3, 1, 0, 0, 1, 0, 1],
        "rectificacion": [1, 1, 0, 0, 0, 0, 0],
        "cancelacion": [1, 0, 1, 0, 0, 0, 0],
        "oposicion": [1, 0, 0, 0, 0, 1, 0],
        "portabilidad": [1, 0, 0, 1, 0, 0, 0],
        "total": [7, 2, 1, 1, 1, 1, 1],
    }
    # Por la fecha de recepción: la de portabilidad (30/11) no entra en la primera quincena.
    quincena = tabla_arco(
        Filtros(desde=date(2026, 11, 1), hasta=date(2026, 11, 15), titulo="quincena")
    )
    assert _renglones(quincena)["total"][0] == 5


def test_el_tablero_la_incluye(solicitudes):
    solicitudes.move_to(datetime(2026, 12, 3, 10, tzinfo=MX))
    tablero = armar_tablero(
        Filtros(desde=date(2026, 11, 1), hasta=date(2026, 11, 30), titulo="noviembre")
    )
    assert tablero.tablas["arco"].total.celdas[0].valor == 7

"""Encolar con el broker caído: la petición no espera a cada trabajo."""

import pytest

from nucleo import colas


class TareaQueFalla:
    name = "prueba.falla"

    def __init__(self):
        self.intentos = 0

    def apply_async(self, args, retry):
        assert retry is False
        self.intentos += 1
        raise ConnectionError("Redis no responde")


class TareaQuePasa:
    name = "prueba.pasa"

    def __init__(self):
        self.publicadas = []

    def apply_async(self, args, retry):
        self.publicadas.append(args)


def test_tras_una_falla_no_se_vuelve_a_intentar_durante_la_pausa(settings, monkeypatch):
    settings.COLAS_PAUSA_SEGUNDOS = 15
    reloj = {"t": 1000.0}
    monkeypatch.setattr(colas.time, "monotonic", lambda: reloj["t"])
    falla, pasa = TareaQueFalla(), TareaQuePasa()
    assert colas.encolar(falla, 1) is False
    # Los siguientes trabajos de la misma recepción no intentan conectarse.
    assert colas.encolar(falla, 2) is False and colas.encolar(pasa, 3) is False
    assert falla.intentos == 1 and pasa.publicadas == []
    assert colas.en_pausa()
    reloj["t"] += 15.1
    assert colas.encolar(pasa, 4) is True
    assert pasa.publicadas == [(4,)] and not colas.en_pausa()


def test_sin_fallas_no_hay_pausa():
    pasa = TareaQuePasa()
    assert all(colas.encolar(pasa, n) for n in range(3))
    assert pasa.publicadas == [(0,), (1,), (2,)]


@pytest.mark.parametrize("error", [ConnectionError, OSError, RuntimeError])
def test_cualquier_falla_del_broker_queda_pendiente_sin_excepcion(error):
    class Tarea:
        name = "prueba"

        def apply_async(self, args, retry):
            raise error("caído")

    assert colas.encolar(Tarea(), 1) is False

"""Casos de prueba comunes a las pruebas de servicios del expediente."""

from datetime import date

import pytest

from tests.casos.etapas import admitido, con_sesion, en, invitado, sesion_celebrada


@pytest.fixture
def caso(nuevo_caso):
    return nuevo_caso().caso


@pytest.fixture
def en_mediacion(caso, coordinadora, certificado, sala, reloj):
    """Caso con invitación aceptada y una sesión celebrada con acuerdo total."""
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala)
    reloj.move_to(en(date(2026, 11, 26), 12))
    sesion_celebrada(sesion, certificado)
    caso.refresh_from_db()
    return caso

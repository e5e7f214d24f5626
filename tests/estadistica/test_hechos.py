"""Las cifras del conjunto hecho a mano (ver conftest), escritas a mano."""

from datetime import date

import pytest

from estadistica import resumen
from estadistica.models import HechoCaso

pytestmark = pytest.mark.django_db


def test_hechos_de_cada_caso(conjunto):
    resumen.rehacer()
    c = conjunto["casos"]
    h = {k: HechoCaso.objects.get(pk=v.pk) for k, v in c.items()}
    assert (h["A"].resultado, h["A"].concluido, h["A"].dias_a_cierre) == (
        "convenio_total",
        date(2026, 9, 14),
        5,
    )
    assert (h["A"].invitacion, h["A"].registro, h["A"].procedimiento) == (
        "a_tiempo",
        "a_tiempo",
        "a_tiempo",
    )
    assert (h["B"].revision, h["B"].resultado, h["B"].dias_a_cierre) == (
        "no_admitida",
        "no_admitida",
        0,
    )
    assert (h["C"].invitacion, h["C"].resultado, h["C"].dias_a_cierre) == (
        "fuera",
        "sin_acuerdo",
        12,
    )
    assert (h["D"].invitacion, h["D"].procedimiento, h["D"].abierto) == ("fuera", "en_plazo", True)
    assert (h["J"].invitacion, h["J"].procedimiento) == ("vencido", "en_plazo")
    assert (h["E"].resultado, h["E"].satisfaccion, h["E"].resolucion) == (
        "primer_contacto",
        5,
        "a_tiempo",
    )
    assert (h["F"].dependencia, h["F"].resolucion, h["F"].abierto) == (
        "DIF municipal",
        "vencido",
        True,
    )
    assert (h["G"].resultado, h["H"].revision) == ("convertida", "pendiente")
    assert (h["I"].revision, h["I"].sensible, h["I"].dependencia) == (
        "canalizada",
        True,
        "Fiscalía del Estado",
    )

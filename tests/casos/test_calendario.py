from datetime import date

import pytest

from casos.calendario import (
    Calendario,
    descanso_obligatorio,
    dias_habiles_entre,
    es_dia_habil,
    sumar_dias_habiles,
)
from casos.models import DiaInhabil


def test_descanso_obligatorio_2026_con_lunes_movibles():
    dias = set(descanso_obligatorio(2026))
    assert dias == {
        date(2026, 1, 1),
        date(2026, 2, 2),  # primer lunes de febrero
        date(2026, 3, 16),  # tercer lunes de marzo
        date(2026, 5, 1),
        date(2026, 9, 16),
        date(2026, 11, 16),  # tercer lunes de noviembre
        date(2026, 12, 25),
    }


@pytest.mark.parametrize("anio, hay", [(2024, True), (2026, False), (2030, True), (2036, True)])
def test_primero_de_octubre_solo_con_cambio_de_ejecutivo(anio, hay):
    assert (date(anio, 10, 1) in descanso_obligatorio(anio)) is hay


def test_fin_de_semana_y_festivo_no_son_habiles():
    cal = Calendario(cargar=False)
    assert not cal.es_habil(date(2026, 11, 21))  # sábado
    assert not cal.es_habil(date(2026, 11, 16))  # tercer lunes de noviembre
    assert cal.motivo_inhabil(date(2026, 11, 16)) == "Día de la Revolución"
    assert cal.es_habil(date(2026, 11, 17))


def test_cinco_dias_habiles_saltan_fin_de_semana_y_festivo():
    cal = Calendario(cargar=False)
    # Jueves 12 de noviembre de 2026 + 5 hábiles: 13, 17, 18, 19, 20 (16 es festivo).
    assert cal.sumar(date(2026, 11, 12), 5) == date(2026, 11, 20)
    assert cal.entre(date(2026, 11, 12), date(2026, 11, 20)) == 5
    assert cal.entre(date(2026, 11, 20), date(2026, 11, 12)) == -5


def test_cero_dias_es_el_mismo_dia_o_el_siguiente_habil():
    cal = Calendario(cargar=False)
    assert cal.sumar(date(2026, 11, 17), 0) == date(2026, 11, 17)
    assert cal.sumar(date(2026, 11, 14), 0) == date(2026, 11, 17)


@pytest.mark.django_db
def test_dias_inhabiles_del_municipio_cuentan():
    # Semana de vacaciones de diciembre y el 12 de diciembre.
    DiaInhabil.objects.create(
        fecha_inicio=date(2026, 12, 21), fecha_fin=date(2026, 12, 31), motivo="Vacaciones"
    )
    DiaInhabil.objects.create(
        fecha_inicio=date(2026, 12, 11), fecha_fin=date(2026, 12, 11), motivo="Día de la Virgen"
    )
    assert not es_dia_habil(date(2026, 12, 22))
    assert not es_dia_habil(date(2026, 12, 11))
    # Viernes 18 de diciembre + 1 hábil: lunes 4 de enero de 2027 (1 de enero festivo).
    assert sumar_dias_habiles(date(2026, 12, 18), 1) == date(2027, 1, 4)
    assert dias_habiles_entre(date(2026, 12, 18), date(2027, 1, 4)) == 1


@pytest.mark.django_db
def test_el_calendario_consulta_la_base_una_vez_por_rango(django_assert_num_queries):
    cal = Calendario()
    with django_assert_num_queries(1):
        for n in range(1, 60):
            cal.sumar(date(2026, 3, 2), n)

"""Las cifras del tablero sobre el conjunto hecho a mano (conftest): escritas a mano, y las
mismas por el resumen diario que contando directo sobre los hechos."""

from datetime import date

import pytest

from estadistica import resumen, selectors
from estadistica.forms import FiltrosForm

pytestmark = pytest.mark.django_db


def _filtros(**datos):
    form = FiltrosForm({"periodo": "rango", "desde": "2026-09-01", "hasta": "2026-11-30", **datos})
    assert form.is_valid(), form.errors
    return form.filtros()


def _celdas(tabla, clave):
    renglon = next(r for r in tabla.renglones + [tabla.total] if r and r.clave == clave)
    return [c.valor for c in renglon.celdas]


@pytest.fixture
def tablero(conjunto, direccion):
    resumen.rehacer()
    return selectors.tablero(usuario=direccion, filtros=_filtros())


def test_lo_principal(tablero):
    t = tablero.tablas["resumen"]
    assert tablero.fuente == "resumen"
    assert _celdas(t, "recibidas") == [7, 3, 10]
    assert _celdas(t, "concluidas") == [4, 2, 6]
    assert _celdas(t, "ses_celebradas") == [2, 0, 2]
    # Días a cierre: mediación A 5, B 0, C 12, I 0; asesoría E 0, G 0.
    t = tablero.tablas["tiempos"]
    assert _celdas(t, "mediana_dias") == [2.5, 0.0, 0.0]
    assert _celdas(t, "p90_dias") == [12.0, 0.0, 12.0]
    # Con convenio: A de A y C (B no admitida e I canalizada no cuentan).
    c = tablero.tablas["convenio"]
    assert _celdas(c, "2026-09") == [1, 1, 100.0]
    assert _celdas(c, "2026-10") == [1, 0, 0.0]
    assert _celdas(c, "total") == [2, 1, 50.0]


def test_admision_y_resultados(tablero):
    admision = tablero.tablas["admision"]
    assert [_celdas(admision, m)[0] for m in ("recibidas", "admitidas", "no_admitidas")] == [
        7,
        4,
        1,
    ]
    assert [_celdas(admision, m)[0] for m in ("canalizadas", "en_revision")] == [1, 1]
    r = tablero.tablas["resultados"]
    assert _celdas(r, "convenio_total") == [1, 0, 1]
    assert _celdas(r, "sin_acuerdo") == [1, 0, 1]
    assert _celdas(r, "c_no_admitidas") == [1, 0, 1]
    assert _celdas(r, "c_canalizadas") == [1, 0, 1]
    assert _celdas(r, "primer_contacto") == [0, 1, 1]
    assert _celdas(r, "convertidas") == [0, 1, 1]
    assert _celdas(r, "concluidas") == [4, 2, 6]


def test_plazos_sesiones_y_asesoria(tablero):
    p = tablero.tablas["plazos"]
    # a tiempo, fuera, vencido, en plazo, % a tiempo.
    assert _celdas(p, "inv") == [1, 2, 1, 0, 25.0]
    assert _celdas(p, "reg") == [1, 0, 0, 0, 100.0]
    assert _celdas(p, "proc") == [2, 0, 0, 2, 100.0]
    assert _celdas(p, "res") == [2, 0, 1, 0, 66.7]
    s = tablero.tablas["sesiones"]
    assert [_celdas(s, m)[0] for m in ("ses_celebradas", "ses_diferidas", "ses_inasistencia")] == [
        2,
        1,
        0,
    ]
    assert [r.etiqueta for r in tablero.tablas["dependencia"].renglones] == ["DIF municipal"]
    assert _celdas(tablero.tablas["satisfaccion"], "5") == [1, 100.0]


def test_por_mes_canal_y_localidad(tablero, conjunto):
    m = tablero.tablas["mensual"]
    assert [r.clave for r in m.renglones] == ["2026-09", "2026-10", "2026-11"]
    assert [_celdas(m, k)[0] for k in ("2026-09", "2026-10", "2026-11")] == [2, 3, 5]
    canal = tablero.tablas["canal"]
    assert {r.clave: r.celdas[0].valor for r in canal.renglones} == {
        "telefono": 6,
        "modulo": 3,
        "web": 1,
    }
    loc = tablero.tablas["localidad"]
    l1, l2 = str(conjunto["l1"].pk), str(conjunto["l2"].pk)
    assert {r.clave: r.celdas[0].valor for r in loc.renglones} == {l1: 6, l2: 4}
    assert _celdas(tablero.tablas["modulo"], str(conjunto["jornada"].pk)) == [3]


@pytest.mark.parametrize(
    ("desde", "hasta"),
    [
        ("2026-09-01", "2026-11-30"),  # meses completos: el resumen mensual
        ("2026-09-08", "2026-11-20"),  # días sueltos a los lados y octubre completo
        ("2026-10-06", "2026-10-21"),  # dentro de un mes: solo el diario
        ("2026-01-01", "2026-12-31"),  # el año del tablero
    ],
)
def test_resumen_y_hechos_dan_lo_mismo(conjunto, direccion, desde, hasta):
    resumen.rehacer()
    f = _filtros(desde=desde, hasta=hasta)
    por_resumen = selectors.tablero(usuario=direccion, filtros=f)
    directo = selectors.tablero(usuario=direccion, filtros=f, desde_hechos=True)
    assert (por_resumen.fuente, directo.fuente) == ("resumen", "hechos")
    for clave, tabla in por_resumen.tablas.items():
        assert tabla == directo.tablas[clave], clave


def test_un_filtro_cuenta_sobre_los_hechos(conjunto, direccion):
    resumen.rehacer()
    t = selectors.tablero(usuario=direccion, filtros=_filtros(localidad=conjunto["l2"].pk))
    assert t.fuente == "hechos"
    # L2: B, D, F, J.
    assert _celdas(t.tablas["resumen"], "recibidas") == [3, 1, 4]


def test_la_lista_detras_de_una_cifra(tablero, direccion, conjunto):
    c = conjunto["casos"]
    f = _filtros()
    folios = lambda **k: sorted(  # noqa: E731
        x.folio for x in selectors.casos_de_la_cifra(usuario=direccion, filtros=f, **k)
    )
    assert folios(medida="inv_fuera") == sorted([c["C"].folio, c["D"].folio])
    assert folios(medida="ses_diferidas") == [c["D"].folio]
    assert folios(medida="recibidas", mes="2026-09") == sorted([c["A"].folio, c["B"].folio])
    assert folios(medida="recibidas", dim="canal", valor="web") == [c["B"].folio]
    assert folios(medida="abiertos", tipo="ASE") == [c["F"].folio]


def test_el_refresco_sigue_a_los_eventos(conjunto, direccion, coordinadora, mediador):
    from casos.services import mediacion as med

    resumen.rehacer()
    h = conjunto["casos"]["H"]
    med.admitir(caso=h, actor=coordinadora)
    r = resumen.refrescar()
    assert r.casos >= 1 and date(2026, 11, 3) and r.renglones > 0
    t = selectors.tablero(usuario=direccion, filtros=_filtros())
    assert _celdas(t.tablas["admision"], "admitidas")[0] == 5
    assert _celdas(t.tablas["admision"], "en_revision")[0] == 0

"""Supresión primaria y complementaria de las cifras de transparencia."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as ajustes
from hypothesis import strategies as st

from estadistica import supresion
from estadistica.supresion import (
    Proteccion,
    agrupar_sensibles,
    proteger,
    proteger_lista,
    recuperables,
    recuperables_lista,
    rejilla,
    suprimir_tabla,
)
from estadistica.tablas import Celda, Columna, Renglon, Tabla

S, P = True, False  # suprimida, publicada


def _lineas(completa):
    """Las líneas de la rejilla como listas de posiciones: renglones y columnas."""
    renglones, columnas = len(completa), len(completa[0])
    lineas = [[(i, j) for j in range(columnas)] for i in range(renglones)]
    return lineas + [[(i, j) for i in range(renglones)] for j in range(columnas)]


# --- Ejemplos a mano -----------------------------------------------------------------------


def test_ejemplo_de_dos_renglones():
    # Rejilla con márgenes:   1 10 12 | 23
    #                         7  8  9 | 24
    #                         8 18 21 | 47
    # El 1 es primario. Su renglón pide un complemento: la interior más pequeña es el 10. Su
    # columna pide otro: el 7. La columna del 7 ya tiene dos (1 y 7, suman 8), pero el renglón
    # del 7 tiene uno solo: el complemento más pequeño ahí es el 8. La columna del 10 queda con
    # 10 y 8. Cuatro celdas en rectángulo: ninguna se despeja y todos los totales se publican.
    proteccion = proteger([[1, 10, 12], [7, 8, 9]])
    assert proteccion.rejilla == (
        (S, S, P, P),
        (S, S, P, P),
        (P, P, P, P),
    )
    assert proteccion.interior == [[S, S, P], [S, S, P]]
    assert proteccion.total_renglon == [P, P]
    assert proteccion.total_columna == [P, P, P]
    assert proteccion.gran_total is P
    assert recuperables([[1, 10, 12], [7, 8, 9]], proteccion) == []


def test_una_cifra_pequena_lleva_complemento_en_su_renglon_y_en_su_columna():
    #   20 30  6 |  56
    #   25  2 40 |  67      el 2 es primario; en su renglón el complemento es el 25,
    #    8  9 50 |  67      en su columna el 9; la columna del 25 pide el 8, y el renglón
    #   53 41 96 | 190      de abajo ya queda con 8 y 9 (suman 17).
    proteccion = proteger([[20, 30, 6], [25, 2, 40], [8, 9, 50]])
    assert proteccion.interior == [[P, P, P], [S, S, P], [S, S, P]]
    assert not any(proteccion.total_renglon) and not any(proteccion.total_columna)
    assert proteccion.suprimidas() == [(1, 0), (1, 1), (2, 0), (2, 1)]


def test_totales_menores_que_el_umbral_se_suprimen():
    #   1 2 |  3     el total del primer renglón (3) es primario igual que el 1 y el 2;
    #   9 8 | 17     las columnas piden el 9 y el 8 (las cuatro interiores quedan
    #  10 10| 20     suprimidas), y la columna de totales pide el 17 junto al 3.
    cuenta = [[1, 2], [9, 8]]
    proteccion = proteger(cuenta)
    assert proteccion.total_renglon[0] is S
    assert proteccion.rejilla[0] == (S, S, S)
    assert proteccion.interior[1] == [S, S]
    assert proteccion.total_renglon[1] is S
    assert proteccion.total_columna == [P, P] and proteccion.gran_total is P
    assert recuperables(cuenta, proteccion) == []


def test_dos_suprimidas_que_suman_poco_piden_una_tercera():
    # En la lista 0, 1, 30, 40: el 0 y el 1 suman 1; con el total publicado dirían que son
    # casi nada, así que se suprime también el 30 (la más pequeña que queda).
    proteccion = proteger_lista([0, 1, 30, 40])
    assert proteccion.celdas == (S, S, S, P)
    assert proteccion.total is P


def test_lista_de_tres():
    # 3 es primario; el complemento es la cifra más pequeña de las demás: el 20, no el 30 ni
    # el total 53.
    proteccion = proteger_lista([3, 20, 30])
    assert proteccion.celdas == (S, S, P)
    assert proteccion.total is P
    assert recuperables_lista([3, 20, 30], proteccion) == []


def test_lista_sin_cifras_pequenas_no_suprime_nada():
    assert proteger_lista([5, 9, 12]) == proteger_lista([5, 9, 12])
    assert proteger_lista([5, 9, 12]).celdas == (P, P, P)


def test_lista_de_una_sola_cifra():
    # Una cifra y su total son la misma: si una se oculta, la otra también.
    assert proteger_lista([3]).celdas == (S,) and proteger_lista([3]).total is S
    assert proteger_lista([8]).celdas == (P,) and proteger_lista([8]).total is P


def test_todo_en_ceros():
    proteccion = proteger([[0, 0, 0], [0, 0, 0]])
    assert all(all(f) for f in proteccion.rejilla)
    assert recuperables([[0, 0, 0], [0, 0, 0]], proteccion) == []
    assert proteger_lista([0, 0]).celdas == (S, S)


def test_gran_total_menor_que_el_umbral_suprime_todo():
    proteccion = proteger([[1, 0], [2, 1]])
    assert all(all(f) for f in proteccion.rejilla)


def test_un_solo_renglon_y_una_sola_columna():
    # Un renglón: cada columna es la celda y su total (iguales), el renglón es la lista.
    fila = proteger([[3, 20, 30]])
    assert fila.interior == [[S, S, P]]
    assert fila.total_columna == [S, S, P]
    assert recuperables([[3, 20, 30]], fila) == []
    columna = proteger([[3], [20], [30]])
    assert columna.interior == [[S], [S], [P]]
    assert columna.total_renglon == [S, S, P]
    assert recuperables([[3], [20], [30]], columna) == []


def test_la_auditoria_encuentra_una_cifra_que_se_despeja():
    # Solo el 1 oculto: su renglón lo despeja (23 - 10 - 12).
    cuenta = [[1, 10, 12], [7, 8, 9]]
    solo_uno = Proteccion(((S, P, P, P), (P, P, P, P), (P, P, P, P)))
    assert recuperables(cuenta, solo_uno) == [(0, 0)]
    # Ocultar el 1 y el 10 no basta: la columna del 10 lo despeja y luego el renglón el 1.
    dos = Proteccion(((S, S, P, P), (P, P, P, P), (P, P, P, P)))
    assert recuperables(cuenta, dos) == [(0, 0), (0, 1)]


def test_la_auditoria_ve_cadenas_que_las_lineas_no_ven():
    # Dos rectángulos de suprimidas unidos por un puente, el (1, 2): cada renglón y cada
    # columna tiene dos o más ocultas que suman al menos 5, pero el puente se despeja
    # (renglones 0 y 1 menos columnas 0 y 1).
    cuenta = [[6, 7, 20, 30], [8, 9, 10, 40], [25, 35, 11, 12], [45, 50, 13, 14]]
    ocultas = {(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)}
    marcas = tuple(tuple((i, j) in ocultas for j in range(5)) for i in range(5))
    assert recuperables(cuenta, Proteccion(marcas)) == [(1, 2)]


def test_proteger_suprime_mas_cuando_la_auditoria_lo_pide(monkeypatch):
    # En esta tabla las reglas de línea solas dejan celdas que se despejan.
    cuenta = [[21, 2, 33, 23], [9, 16, 6, 5], [30, 1, 6, 33], [38, 2, 29, 34]]
    monkeypatch.setattr(supresion, "_determinadas", lambda *_: [])
    solo_lineas = proteger(cuenta)
    monkeypatch.undo()
    assert recuperables(cuenta, solo_lineas) != []
    proteccion = proteger(cuenta)
    assert recuperables(cuenta, proteccion) == []
    assert set(proteccion.suprimidas()) > set(solo_lineas.suprimidas())


def test_cuentas_invalidas():
    with pytest.raises(ValueError):
        proteger([])
    with pytest.raises(ValueError):
        proteger([[1, 2], [3]])
    with pytest.raises(ValueError):
        proteger([[1, -2]])
    with pytest.raises(ValueError):
        proteger([[1.5, 2]])


def test_otro_umbral():
    assert proteger_lista([3, 20, 30], umbral=3).celdas == (P, P, P)
    assert proteger_lista([3, 20, 30], umbral=21).celdas == (S, S, P)


# --- Propiedades ---------------------------------------------------------------------------

tablas = st.integers(1, 6).flatmap(
    lambda r: st.integers(1, 6).flatmap(
        lambda c: st.lists(
            st.lists(st.integers(0, 40), min_size=c, max_size=c), min_size=r, max_size=r
        )
    )
)


@ajustes(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tablas)
def test_propiedades_de_la_proteccion(cuenta):
    proteccion = proteger(cuenta)
    completa = rejilla(cuenta)
    marca = proteccion.rejilla
    # (i) nada publicado cuenta menos de 5
    for fila, marcas in zip(completa, marca, strict=True):
        for v, s in zip(fila, marcas, strict=True):
            assert s or v >= 5
    # (ii) toda línea con una suprimida tiene dos o más y suman al menos 5 (o está entera)
    for linea in _lineas(completa):
        ocultas = [completa[i][j] for i, j in linea if marca[i][j]]
        if ocultas and len(ocultas) < len(linea):
            assert len(ocultas) >= 2 and sum(ocultas) >= 5
    # (iii) nada se despeja
    assert recuperables(cuenta, proteccion) == []
    # (iv) determinista
    assert proteger([list(f) for f in cuenta]) == proteccion


@ajustes(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=10))
def test_propiedades_de_la_lista(cuentas):
    proteccion = proteger_lista(cuentas)
    valores = [*cuentas, sum(cuentas)]
    marcas = [*proteccion.celdas, proteccion.total]
    assert all(s or v >= 5 for v, s in zip(valores, marcas, strict=True))
    ocultas = [v for v, s in zip(valores, marcas, strict=True) if s]
    if ocultas and len(ocultas) < len(valores):
        assert len(ocultas) >= 2 and sum(ocultas) >= 5
    assert recuperables_lista(cuentas, proteccion) == []


# --- Sobre una Tabla -----------------------------------------------------------------------

COLUMNAS = [
    Columna("materia", "Materia", "t"),
    Columna("mediaciones", "Mediaciones"),
    Columna("asesorias", "Asesorías"),
    Columna("total", "Total"),
    Columna("convenio", "% con convenio", "%"),
    Columna("dias", "Mediana de días", "d"),
]


def _renglon(etiqueta, clave, med, ase, pct, dias):
    celdas = [Celda(med, "/l/m"), Celda(ase, "/l/a"), Celda(med + ase), Celda(pct), Celda(dias)]
    return Renglon(etiqueta, celdas, clave)


def _tabla():
    renglones = [
        _renglon("Vecinal", "vecinal", 1, 10, 100.0, 12.0),
        _renglon("Familiar", "familiar", 7, 8, 57.1, 20.5),
        _renglon("Comercial", "comercial", 30, 25, 40.0, 15.0),
    ]
    total = _renglon("Total", "total", 38, 43, 45.0, 15.0)
    return Tabla("materias", "Casos por materia", COLUMNAS, renglones, total, "Casos abiertos.")


def _cifras(tabla):
    return [[c.valor for c in r.celdas] for r in [*tabla.renglones, tabla.total]]


def test_suprimir_tabla_no_deja_la_cifra_en_ningun_lado():
    original = _tabla()
    publicada = suprimir_tabla(original, columnas_de_cuenta=[0, 1], columna_total=2)
    # Interior [[1, 10], [7, 8], [30, 25]]: el 1 pide el 10, el 7 y el 8 (como el ejemplo).
    marcas = [[c.suprimida for c in r.celdas] for r in [*publicada.renglones, publicada.total]]
    assert marcas == [
        [S, S, P, S, S],  # los derivados del renglón se van con sus cuentas
        [S, S, P, S, S],
        [P, P, P, P, P],
        [P, P, P, P, P],
    ]
    for r in [*publicada.renglones, publicada.total]:
        for c in r.celdas:
            if c.suprimida:
                assert c.valor is None and c.enlace == ""
    # La original no cambia.
    assert _cifras(original)[0] == [1, 10, 11, 100.0, 12.0]
    assert not any(c.suprimida for r in original.renglones for c in r.celdas)


def test_suprimir_tabla_base_pequena_suprime_porcentajes():
    # Renglón con cuentas 3 y 1 (base 4): se suprimen cuentas, total y derivados. El renglón
    # de 20 y 0: el 0 es primario y arrastra sus derivados aunque la base sea 20.
    renglones = [
        _renglon("Vecinal", "vecinal", 3, 1, 66.7, 9.0),
        _renglon("Familiar", "familiar", 20, 0, 50.0, 10.0),
        _renglon("Comercial", "comercial", 30, 25, 40.0, 15.0),
        _renglon("Escolar", "escolar", 12, 9, 40.0, 15.0),
    ]
    total = _renglon("Total", "total", 65, 35, 45.0, 14.0)
    tabla = Tabla("t", "T", COLUMNAS, renglones, total)
    publicada = suprimir_tabla(tabla, columna_total=2)
    assert [c.suprimida for c in publicada.renglones[0].celdas] == [S, S, S, S, S]
    assert publicada.renglones[1].celdas[1].suprimida
    assert publicada.renglones[1].celdas[3].valor is None
    assert publicada.renglones[1].celdas[4].valor is None
    for r in [*publicada.renglones, publicada.total]:
        for c in r.celdas:
            assert (c.valor is None) == c.suprimida
            if isinstance(c.valor, int):
                assert c.valor >= 5
    cuenta = [[r.celdas[0].valor, r.celdas[1].valor] for r in renglones]
    assert recuperables(cuenta, proteger(cuenta)) == []


def test_suprimir_tabla_exige_totales_que_sumen():
    tabla = _tabla()
    tabla.total.celdas[0].valor = 99
    with pytest.raises(ValueError):
        suprimir_tabla(tabla, columna_total=2)
    tabla = _tabla()
    tabla.renglones[0].celdas[2].valor = 12
    with pytest.raises(ValueError):
        suprimir_tabla(tabla, columna_total=2)


def test_suprimir_tabla_sin_renglon_total_protege_igual_los_margenes():
    tabla = _tabla()
    tabla.total = None
    publicada = suprimir_tabla(tabla, columna_total=2)
    assert publicada.total is None
    assert [c.suprimida for c in publicada.renglones[0].celdas][:2] == [S, S]


# --- Categorías sensibles ------------------------------------------------------------------


def _r(clave, n, pct=50.0):
    return Renglon(clave.capitalize(), [Celda(n), Celda(pct)], clave)


def test_agrupar_sensibles_con_el_renglon_mas_pequeno():
    renglones = [_r("vecinal", 30), _r("violencia", 3), _r("familiar", 12), _r("escolar", 9)]
    agrupados = agrupar_sensibles(renglones, {"violencia"})
    assert [r.clave for r in agrupados] == ["vecinal", "familiar", "otras"]
    otras = agrupados[-1]
    assert otras.etiqueta == "Otras materias"
    assert otras.celdas[0].valor == 12  # 3 de violencia + 9 del escolar, el más pequeño
    assert otras.celdas[1].valor is None  # el porcentaje no se suma
    assert sum(r.celdas[0].valor for r in agrupados) == 54


def test_agrupar_sensibles_varias_y_empate():
    renglones = [
        _r("penal", 2),
        _r("vecinal", 8),
        _r("violencia", 1),
        _r("familiar", 8),
        _r("vacio", 0),
    ]
    agrupados = agrupar_sensibles(renglones, {"violencia", "penal"}, etiqueta="Otras")
    # El vacío no cuenta como compañero (el grupo sería solo sensibles); empate en 8: el primero.
    assert [r.clave for r in agrupados] == ["familiar", "vacio", "otras"]
    assert agrupados[-1].celdas[0].valor == 11


def test_agrupar_sensibles_sin_otros_renglones_los_quita():
    renglones = [_r("violencia", 7), _r("penal", 4)]
    assert agrupar_sensibles(renglones, {"violencia", "penal"}) == []
    solo_vacios = [_r("violencia", 7), _r("vecinal", 0)]
    assert [r.clave for r in agrupar_sensibles(solo_vacios, {"violencia"})] == ["vecinal"]


def test_agrupar_sensibles_sin_sensibles_no_cambia_nada():
    renglones = [_r("vecinal", 30), _r("familiar", 12)]
    agrupados = agrupar_sensibles(renglones, {"violencia"})
    assert agrupados == renglones and agrupados[0] is not renglones[0]


def test_agrupar_sensibles_columnas_explicitas():
    renglones = [_r("vecinal", 30), _r("violencia", 3), _r("familiar", 12)]
    agrupados = agrupar_sensibles(renglones, ["violencia"], columnas_de_cuenta=[0])
    assert agrupados[-1].celdas[0].valor == 15


def test_suprimir_tabla_sin_renglones_oculta_el_total():
    total = _renglon("Total", "total", 0, 0, 0.0, 0.0)
    publicada = suprimir_tabla(Tabla("t", "T", COLUMNAS, [], total), columna_total=2)
    assert all(c.suprimida and c.valor is None for c in publicada.total.celdas)

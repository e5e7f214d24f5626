"""Datos abiertos: JSON, CSV largo y diccionario de datos de las tablas ya suprimidas."""

import csv
import io
import json
from datetime import date

import pytest

from estadistica.datos_abiertos import (
    ENCABEZADO_CSV,
    METADATOS,
    a_csv_largo,
    a_json,
    diccionario_csv,
    diccionario_de_datos,
)
from estadistica.supresion import suprimir_tabla
from estadistica.tablas import Celda, Columna, Renglon, Tabla

COLUMNAS = [
    Columna("canal", "Canal", "t"),
    Columna("mediaciones", "Mediaciones"),
    Columna("asesorias", "Asesorías"),
    Columna("total", "Total"),
    Columna("convenio", "% con convenio", "%"),
]

META = {
    "titulo": "Cifras de mediación",
    "publicado_por": "Centro Municipal de Mediación",
    "periodo": "2026-11",
    "datos_al": date(2026, 11, 30),
    "licencia": "CC BY 4.0",
    "url": "https://ejemplo.gob.mx/transparencia/",
}

# Las cifras que _publicada() oculta y que no coinciden con ninguna publicada (el 11 de
# asesorías por teléfono se oculta, pero el total de «Presencial» también es 11).
OCULTAS = {1, 10, 7, 81.8, 61.1}


def _renglon(etiqueta, clave, med, ase, pct):
    return Renglon(etiqueta, [Celda(med), Celda(ase), Celda(med + ase), Celda(pct)], clave)


def _publicada():
    # Interior [[1, 10], [7, 11], [30, 25]]: el 1 pide el 10, el 7 y el 11.
    renglones = [
        _renglon("Presencial", "presencial", 1, 10, 81.8),
        _renglon("Teléfono", "telefono", 7, 11, 61.1),
        _renglon("Sitio «web»", "web", 30, 25, 40.0),
    ]
    total = _renglon("Total", "total", 38, 46, 50.0)
    tabla = Tabla("canales", "Casos por canal", COLUMNAS, renglones, total, "Casos abiertos.")
    return suprimir_tabla(tabla, columna_total=2)


def _sin_supresion():
    renglones = [_renglon("Vecinal", "", 40, 60, 33.3), _renglon("Familiar", "familiar", 9, 8, 0)]
    return Tabla("materias", "Por materia", COLUMNAS, renglones)


def test_json_parsea_y_no_trae_cifras_suprimidas():
    documento = json.loads(a_json([_publicada(), _sin_supresion()], META).decode("utf-8"))
    assert list(documento["metadatos"])[:6] == list(METADATOS)
    assert documento["metadatos"]["datos_al"] == "2026-11-30"
    canales = documento["tablas"][0]
    assert [c["clave"] for c in canales["columnas"]] == [
        "mediaciones",
        "asesorias",
        "total",
        "convenio",
    ]
    assert [c["tipo"] for c in canales["columnas"]] == ["entero", "entero", "entero", "porcentaje"]
    presencial = canales["renglones"][0]
    assert presencial["valores"] == {
        "mediaciones": None,
        "asesorias": None,
        "total": 11,
        "convenio": None,
    }
    assert presencial["suprimidas"] == ["mediaciones", "asesorias", "convenio"]
    assert canales["total"]["clave"] == "total"
    # Ninguna cifra oculta en ningún lado del documento.
    numeros = set()

    def recorre(x):
        if isinstance(x, dict):
            for v in x.values():
                recorre(v)
        elif isinstance(x, list):
            for v in x:
                recorre(v)
        elif isinstance(x, int | float) and not isinstance(x, bool):
            numeros.add(x)

    recorre(canales)
    assert numeros.isdisjoint(OCULTAS)
    # Renglón sin clave: la clave sale de la etiqueta.
    assert documento["tablas"][1]["renglones"][0]["clave"] == "vecinal"
    assert documento["tablas"][1]["total"] is None


def test_json_estable_y_en_utf8():
    uno = a_json([_publicada()], META)
    assert uno == a_json([_publicada()], dict(reversed(list(META.items()))))
    assert "Teléfono".encode() in uno  # sin escapes \\u
    assert json.loads(a_json([], {}))["metadatos"] == dict.fromkeys(METADATOS)
    extra = json.loads(a_json([], {**META, "zeta": 1, "alfa": 2}))["metadatos"]
    assert list(extra)[6:] == ["alfa", "zeta"]


def test_celda_marcada_nunca_sale_aunque_traiga_valor():
    tabla = _sin_supresion()
    tabla.renglones[1].celdas[0] = Celda(3, suprimida=True)
    documento = json.loads(a_json([tabla], META))
    assert documento["tablas"][0]["renglones"][1]["valores"]["mediaciones"] is None
    filas = list(csv.DictReader(io.StringIO(a_csv_largo(tabla).decode("utf-8-sig"))))
    celda = next(
        f for f in filas if f["renglon_clave"] == "familiar" and f["columna"] == "mediaciones"
    )
    assert celda["valor"] == "" and celda["suprimida"] == "1"


def test_csv_largo_da_los_mismos_valores_que_el_json():
    tabla = _publicada()
    crudo = a_csv_largo(tabla)
    assert crudo.startswith(b"\xef\xbb\xbf")
    filas = list(csv.reader(io.StringIO(crudo.decode("utf-8-sig"), newline="")))
    assert filas[0] == ENCABEZADO_CSV
    assert len(filas) == 1 + 4 * 4  # tres renglones y el total, cuatro columnas
    documento = json.loads(a_json([tabla], META))["tablas"][0]
    esperados = {}
    for r in [*documento["renglones"], documento["total"]]:
        for col, v in r["valores"].items():
            esperados[(r["clave"], col)] = (v, col in r["suprimidas"], r["etiqueta"])
    for t, clave, etiqueta, col, valor, suprimida in filas[1:]:
        v, oculta, etiqueta_json = esperados.pop((clave, col))
        assert t == "canales" and etiqueta == etiqueta_json
        assert suprimida == ("1" if oculta else "0")
        assert (None if valor == "" else float(valor)) == v
        if oculta:
            assert valor == ""
    assert esperados == {}
    assert "Sitio «web»" in crudo.decode("utf-8-sig")


def test_diccionario_lista_cada_columna():
    tablas = [_publicada(), _sin_supresion()]
    registros = diccionario_de_datos(tablas)
    campos = {(r["tabla"], r["campo"]) for r in registros}
    for campo in ENCABEZADO_CSV:
        assert ("", campo) in campos
    for t in tablas:
        for c in t.columnas[1:]:
            assert (t.clave, c.clave) in campos
    for r in registros:
        assert set(r) == {"tabla", "campo", "titulo", "tipo", "unidad", "descripcion", "supresion"}
        assert r["descripcion"]
    convenio = next(r for r in registros if r["campo"] == "convenio")
    assert convenio["unidad"].startswith("por ciento") and "< 5" in convenio["supresion"]
    crudo = diccionario_csv(tablas)
    leidos = list(csv.DictReader(io.StringIO(crudo.decode("utf-8-sig"), newline="")))
    assert len(leidos) == len(registros) and leidos[0]["campo"] == "tabla"


def test_claves_de_columna_repetidas():
    columnas = [Columna("a", "A", "t"), Columna("x", "X"), Columna("x", "Y")]
    tabla = Tabla("t", "T", columnas, [Renglon("r", [Celda(5), Celda(6)], "r")])
    with pytest.raises(ValueError):
        a_json([tabla], META)

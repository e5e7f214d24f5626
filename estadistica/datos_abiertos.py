"""Datos abiertos de la página de transparencia: JSON, CSV largo y diccionario de datos.

Funciones puras sobre tablas ya publicables (pasadas por ``supresion.suprimir_tabla``). Una
celda con ``suprimida=True`` sale siempre como ``null`` (JSON) o vacía (CSV), diga lo que diga
su ``valor``: la cifra oculta nunca llega al archivo. El orden de todo es fijo (el de las
tablas, sus columnas y sus renglones) para que los programas de quien reutiliza los datos no
se rompan de un mes a otro.
"""

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from django.utils.text import slugify

from .tablas import Celda, Columna, Renglon, Tabla

METADATOS = ("titulo", "publicado_por", "periodo", "datos_al", "licencia", "url")

TIPOS = {"n": "entero", "%": "porcentaje", "d": "dias", "t": "texto"}
UNIDADES = {"n": "casos", "%": "por ciento (0 a 100)", "d": "días naturales", "t": ""}
CLAVE_TOTAL = "total"

ENCABEZADO_CSV = ["tabla", "renglon_clave", "renglon", "columna", "valor", "suprimida"]
SUPRESION_JSON = "null en «valores» y la clave de la columna en «suprimidas»; se muestra «< 5»"
SUPRESION_CSV = "«valor» vacío y «suprimida» = 1; se muestra «< 5»"


def _escalar(v):
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def _valor(celda: Celda, columna: Columna):
    """La cifra que se publica: ``None`` si está suprimida; porcentajes y días a un decimal."""
    if celda.suprimida or celda.valor is None:
        return None
    v = _escalar(celda.valor)
    if columna.formato in ("%", "d") and isinstance(v, int | float) and not isinstance(v, bool):
        return round(float(v), 1)
    return v


def _clave_renglon(renglon: Renglon) -> str:
    return renglon.clave or slugify(renglon.etiqueta)


def _datos(tabla: Tabla) -> list[Columna]:
    columnas = tabla.columnas[1:]
    claves = [c.clave for c in columnas]
    if len(set(claves)) != len(claves):
        raise ValueError(f"{tabla.clave}: claves de columna repetidas.")
    for r in [*tabla.renglones, *([tabla.total] if tabla.total else [])]:
        if len(r.celdas) != len(columnas):
            raise ValueError(f"{tabla.clave}: «{r.etiqueta}» no tiene una celda por columna.")
    return columnas


def _renglones(tabla: Tabla) -> list[tuple[Renglon, str]]:
    filas = [(r, _clave_renglon(r)) for r in tabla.renglones]
    if tabla.total is not None:
        filas.append((tabla.total, tabla.total.clave or CLAVE_TOTAL))
    return filas


def _renglon_json(renglon: Renglon, clave: str, columnas: list[Columna]) -> dict:
    return {
        "clave": clave,
        "etiqueta": renglon.etiqueta,
        "valores": {c.clave: _valor(x, c) for c, x in zip(columnas, renglon.celdas, strict=True)},
        "suprimidas": [
            c.clave for c, x in zip(columnas, renglon.celdas, strict=True) if x.suprimida
        ],
    }


def _tabla_json(tabla: Tabla) -> dict:
    columnas = _datos(tabla)
    renglones = [_renglon_json(r, _clave_renglon(r), columnas) for r in tabla.renglones]
    total = None
    if tabla.total is not None:
        total = _renglon_json(tabla.total, tabla.total.clave or CLAVE_TOTAL, columnas)
    return {
        "clave": tabla.clave,
        "titulo": tabla.titulo,
        "nota": tabla.nota,
        "etiqueta_renglones": tabla.columnas[0].titulo if tabla.columnas else "",
        "columnas": [
            {"clave": c.clave, "titulo": c.titulo, "tipo": TIPOS.get(c.formato, c.formato)}
            for c in columnas
        ],
        "renglones": renglones,
        "total": total,
    }


def a_json(tablas: Sequence[Tabla], metadatos: dict) -> bytes:
    """Las tablas y sus metadatos en JSON (UTF-8, sangría de 2, orden fijo). Los seis
    metadatos de ``METADATOS`` salen siempre y en ese orden (``null`` si faltan); los demás
    que traiga ``metadatos`` van después, en orden alfabético."""
    meta = {k: _escalar(metadatos.get(k)) for k in METADATOS}
    meta |= {k: _escalar(metadatos[k]) for k in sorted(metadatos) if k not in METADATOS}
    documento = {
        "metadatos": meta,
        "supresion": SUPRESION_JSON,
        "tablas": [_tabla_json(t) for t in tablas],
    }
    return (json.dumps(documento, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode()


def _texto_csv(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.1f}"
    return str(v)


def _csv(renglones: list[list]) -> bytes:
    salida = io.StringIO(newline="")
    escritor = csv.writer(salida, lineterminator="\r\n")
    escritor.writerows(renglones)
    return salida.getvalue().encode("utf-8-sig")


def a_csv_largo(tabla: Tabla) -> bytes:
    """La tabla en formato largo: un renglón por (renglón, columna), con las columnas de
    ``ENCABEZADO_CSV``. UTF-8 con BOM (Excel lo abre sin romper acentos), punto decimal y fin
    de línea CRLF. Una cifra suprimida deja ``valor`` vacío y ``suprimida`` en 1."""
    columnas = _datos(tabla)
    filas: list[list] = [list(ENCABEZADO_CSV)]
    for renglon, clave in _renglones(tabla):
        for c, celda in zip(columnas, renglon.celdas, strict=True):
            filas.append(
                [
                    tabla.clave,
                    clave,
                    renglon.etiqueta,
                    c.clave,
                    _texto_csv(_valor(celda, c)),
                    "1" if celda.suprimida else "0",
                ]
            )
    return _csv(filas)


_CAMPOS_CSV = [
    ("tabla", "texto", "", "Clave de la tabla (la misma en el JSON)."),
    ("renglon_clave", "texto", "", "Clave estable del renglón; «total» es el renglón de total."),
    ("renglon", "texto", "", "Etiqueta del renglón como se muestra en la página."),
    ("columna", "texto", "", "Clave de la columna; su descripción está en este diccionario."),
    ("valor", "número", "según la columna", "La cifra; vacía si está suprimida."),
    ("suprimida", "entero (0 o 1)", "", "1 si la cifra no se publica por contar menos de 5."),
]


def diccionario_de_datos(tablas: Sequence[Tabla]) -> list[dict]:
    """Un registro por campo: primero los del CSV largo (``tabla`` vacía), después cada columna
    de cada tabla. Cada registro: tabla, campo, titulo, tipo, unidad, descripcion, supresion."""
    registros = [
        {
            "tabla": "",
            "campo": campo,
            "titulo": campo,
            "tipo": tipo,
            "unidad": unidad,
            "descripcion": descripcion,
            "supresion": SUPRESION_CSV if campo in ("valor", "suprimida") else "",
        }
        for campo, tipo, unidad, descripcion in _CAMPOS_CSV
    ]
    for t in tablas:
        for c in _datos(t):
            descripcion = f"{c.titulo}, por {t.columnas[0].titulo.lower()}" if t.columnas else ""
            if t.nota:
                descripcion += f". {t.nota}"
            registros.append(
                {
                    "tabla": t.clave,
                    "campo": c.clave,
                    "titulo": c.titulo,
                    "tipo": TIPOS.get(c.formato, c.formato),
                    "unidad": UNIDADES.get(c.formato, ""),
                    "descripcion": descripcion,
                    "supresion": f"JSON: {SUPRESION_JSON}. CSV: {SUPRESION_CSV}.",
                }
            )
    return registros


def diccionario_csv(tablas: Sequence[Tabla]) -> bytes:
    """El diccionario de datos como CSV (UTF-8 con BOM, CRLF)."""
    registros = diccionario_de_datos(tablas)
    campos = ["tabla", "campo", "titulo", "tipo", "unidad", "descripcion", "supresion"]
    return _csv([campos, *[[r[k] for k in campos] for r in registros]])

"""Una `Tabla` en CSV y en XLSX, con un encabezado de contexto (periodo, filtros, fecha de
corte) antes de las cifras.

- CSV: UTF-8 con BOM (Excel en México lo abre bien), separado por comas; los números sin
  separador de miles y los porcentajes como 45.2; una cifra suprimida es el texto «< 5».
- XLSX: cifras numéricas con formato (`#,##0`, `0.0`; los porcentajes se guardan como
  fracción, 0.452, con formato `0.0%`), encabezados en negritas y la nota al final.

En los dos, un texto que empieza con `=`, `+`, `-`, `@`, tabulador o retorno lleva un
apóstrofo delante (guía de OWASP contra la inyección de fórmulas): el nombre de una localidad
no puede volverse una fórmula en la hoja de quien lo abre."""

import csv
import io
import re
import unicodedata

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .graficas import SUPRIMIDA, redondear
from .tablas import Celda, Columna, Renglon, Tabla

TIPO_CSV = "text/csv; charset=utf-8"
TIPO_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_PELIGROSOS = ("=", "+", "-", "@", "\t", "\r")
_PROHIBIDOS_EN_HOJA = re.compile(r"[\[\]:*?/\\]")
FORMATOS_XLSX = {"n": "#,##0", "d": "0.0", "%": "0.0%"}
ANCHO_MAXIMO = 60


def texto_seguro(texto: str) -> str:
    """El texto con un apóstrofo delante si una hoja de cálculo lo tomaría por fórmula."""
    texto = str(texto)
    return f"'{texto}" if texto.startswith(_PELIGROSOS) else texto


def _es_numero(valor) -> bool:
    return isinstance(valor, int | float) and not isinstance(valor, bool)


def _numero_csv(valor: int | float, formato: str) -> int | float:
    """Como número simple: entero para «n», un decimal para «%» y «d»."""
    if formato == "n":
        return int(redondear(valor, 0))
    return float(redondear(valor, 1))


def _celda_csv(celda: Celda, columna: Columna):
    if celda.suprimida:
        return SUPRIMIDA
    valor = celda.valor
    if valor is None:
        return ""
    if _es_numero(valor) and columna.formato != "t":
        return _numero_csv(valor, columna.formato)
    return texto_seguro(valor)


def _columnas_de(tabla: Tabla) -> list[Columna]:
    return tabla.columnas[1:]


def _pares(renglon: Renglon, tabla: Tabla):
    columnas = _columnas_de(tabla)
    for i, celda in enumerate(renglon.celdas):
        yield celda, columnas[i] if i < len(columnas) else Columna("", "", "n")


def _renglones_de(tabla: Tabla) -> list[Renglon]:
    return [*tabla.renglones, *([tabla.total] if tabla.total else [])]


def tabla_a_csv(tabla: Tabla, encabezado: list[tuple[str, str]]) -> bytes:
    """La tabla en CSV (bytes UTF-8 con BOM): el encabezado (etiqueta, valor), un renglón
    vacío, los títulos de las columnas, los renglones, el total y, si hay, la nota."""
    salida = io.StringIO()
    escritor = csv.writer(salida, lineterminator="\r\n")
    for etiqueta, valor in encabezado:
        escritor.writerow([texto_seguro(etiqueta), texto_seguro(valor)])
    if encabezado:
        escritor.writerow([])
    escritor.writerow([texto_seguro(c.titulo) for c in tabla.columnas])
    for renglon in _renglones_de(tabla):
        escritor.writerow(
            [texto_seguro(renglon.etiqueta)]
            + [_celda_csv(celda, columna) for celda, columna in _pares(renglon, tabla)]
        )
    if tabla.nota:
        escritor.writerow([])
        escritor.writerow([texto_seguro(tabla.nota)])
    return salida.getvalue().encode("utf-8-sig")


def titulo_de_hoja(titulo: str) -> str:
    """Hasta 31 caracteres, sin los que Excel prohíbe en el nombre de una hoja."""
    limpio = _PROHIBIDOS_EN_HOJA.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", titulo or ""))
    limpio = re.sub(r"\s+", " ", limpio).strip().strip("'")
    return limpio[:31].strip() or "Datos"


def _texto_xlsx(texto) -> str:
    return texto_seguro(ILLEGAL_CHARACTERS_RE.sub("", str(texto)))


def _poner_texto(hoja, fila: int, columna: int, texto, negritas: bool = False):
    """Una celda de texto; nunca fórmula (openpyxl toma por fórmula lo que empieza con «=»)."""
    celda = hoja.cell(row=fila, column=columna)
    celda.value = _texto_xlsx(texto)
    celda.data_type = "s"
    if negritas:
        celda.font = Font(bold=True)
    return celda


def _poner_cifra(hoja, fila: int, columna: int, celda: Celda, formato: Columna, negritas: bool):
    if celda.suprimida:
        destino = _poner_texto(hoja, fila, columna, SUPRIMIDA, negritas)
        destino.alignment = Alignment(horizontal="right")
        return
    valor = celda.valor
    if valor is None:
        return
    if not _es_numero(valor) or formato.formato == "t":
        _poner_texto(hoja, fila, columna, valor, negritas)
        return
    destino = hoja.cell(row=fila, column=columna)
    destino.value = valor / 100 if formato.formato == "%" else valor
    destino.number_format = FORMATOS_XLSX.get(formato.formato, "#,##0")
    if negritas:
        destino.font = Font(bold=True)
    if celda.enlace and celda.enlace.startswith(("https://", "http://")):
        destino.hyperlink = celda.enlace


def _ajustar_anchos(hoja, tabla: Tabla, encabezado) -> None:
    anchos: dict[int, int] = {}

    def medir(columna: int, texto: str) -> None:
        anchos[columna] = max(anchos.get(columna, 0), len(texto))

    for etiqueta, valor in encabezado:
        medir(1, str(etiqueta))
        medir(2, str(valor))
    for i, columna in enumerate(tabla.columnas, start=1):
        medir(i, columna.titulo)
    for renglon in _renglones_de(tabla):
        medir(1, renglon.etiqueta)
        for i, celda in enumerate(renglon.celdas, start=2):
            valor = SUPRIMIDA if celda.suprimida else celda.valor
            texto = f"{valor:,.1f}" if _es_numero(valor) else str(valor or "")
            medir(i, texto)
    for columna, ancho in anchos.items():
        hoja.column_dimensions[get_column_letter(columna)].width = min(ancho + 2, ANCHO_MAXIMO)


def tabla_a_xlsx(tabla: Tabla, encabezado: list[tuple[str, str]]) -> bytes:
    """La tabla en un libro de Excel de una hoja, con el mismo orden que el CSV."""
    libro = Workbook()
    hoja = libro.active
    hoja.title = titulo_de_hoja(tabla.titulo)
    fila = 1
    for etiqueta, valor in encabezado:
        _poner_texto(hoja, fila, 1, etiqueta, negritas=True)
        _poner_texto(hoja, fila, 2, valor)
        fila += 1
    if encabezado:
        fila += 1
    for i, columna in enumerate(tabla.columnas, start=1):
        destino = _poner_texto(hoja, fila, i, columna.titulo, negritas=True)
        if i > 1 and columna.formato != "t":
            destino.alignment = Alignment(horizontal="right")
    fila += 1
    for renglon in _renglones_de(tabla):
        es_total = renglon is tabla.total
        _poner_texto(hoja, fila, 1, renglon.etiqueta, negritas=es_total)
        for i, (celda, columna) in enumerate(_pares(renglon, tabla), start=2):
            _poner_cifra(hoja, fila, i, celda, columna, es_total)
        fila += 1
    if tabla.nota:
        destino = _poner_texto(hoja, fila + 1, 1, tabla.nota)
        destino.alignment = Alignment(wrap_text=False)
    _ajustar_anchos(hoja, tabla, encabezado)
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def nombre_de_archivo(nombre: str, extension: str) -> str:
    """ASCII, sin espacios ni comillas: «Solicitudes por canal (2026)» →
    «Solicitudes-por-canal-2026.csv»."""
    ascii_ = unicodedata.normalize("NFKD", nombre or "").encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_).strip(".-_")[:100] or "datos"
    if base.lower().endswith(f".{extension}"):
        base = base[: -len(extension) - 1].rstrip(".-_") or "datos"
    return f"{base}.{extension}"


def _respuesta(contenido: bytes, tipo: str, nombre: str) -> HttpResponse:
    respuesta = HttpResponse(contenido, content_type=tipo)
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre}"'
    return respuesta


def respuesta_csv(tabla: Tabla, encabezado: list[tuple[str, str]], nombre: str) -> HttpResponse:
    return _respuesta(tabla_a_csv(tabla, encabezado), TIPO_CSV, nombre_de_archivo(nombre, "csv"))


def respuesta_xlsx(tabla: Tabla, encabezado: list[tuple[str, str]], nombre: str) -> HttpResponse:
    return _respuesta(tabla_a_xlsx(tabla, encabezado), TIPO_XLSX, nombre_de_archivo(nombre, "xlsx"))

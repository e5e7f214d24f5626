"""CSV y XLSX de una Tabla: se vuelven a leer con `csv` y `openpyxl` y se comparan con las
cifras de la tabla. Sin base de datos."""

import csv
import io

import pytest
from openpyxl import load_workbook

from estadistica.exportar import (
    TIPO_CSV,
    TIPO_XLSX,
    nombre_de_archivo,
    respuesta_csv,
    respuesta_xlsx,
    tabla_a_csv,
    tabla_a_xlsx,
    texto_seguro,
    titulo_de_hoja,
)
from estadistica.tablas import Celda, Columna, Renglon, Tabla

ENCABEZADO = [
    ("Periodo", "1/01/2026 a 30/11/2026"),
    ("Filtros", "Canal: Línea telefónica"),
    ("Datos al", "30/11/2026 23:00"),
]
FORMULA = '=HYPERLINK("http://malo.example","clic")'


def _tabla() -> Tabla:
    return Tabla(
        clave="localidad",
        titulo="Solicitudes por localidad [2026]: enero/noviembre*?",
        columnas=[
            Columna("localidad", "Localidad", "t"),
            Columna("n", "Solicitudes"),
            Columna("pct", "Porcentaje", "%"),
            Columna("dias", "Días promedio", "d"),
            Columna("obs", "Observación", "t"),
        ],
        renglones=[
            Renglon(
                "Centro",
                [Celda(1234, enlace="/casos/?l=1"), Celda(45.25), Celda(12.45), Celda("normal")],
                clave="centro",
            ),
            Renglon(FORMULA, [Celda(3, suprimida=True), Celda(None), Celda(None), Celda("-2+3")]),
            Renglon("+Norte", [Celda(1490), Celda(54.75), Celda(3.0), Celda("@SUMA(A1)")]),
            Renglon("Sur", [Celda(0), Celda(0.0), Celda(None), Celda("\tTab")]),
        ],
        total=Renglon("Total", [Celda(2727), Celda(100.0), Celda(None), Celda("")]),
        nota="Solicitudes recibidas en el periodo; «< 5»: menos de cinco casos.",
    )


def _leer_csv(contenido: bytes) -> list[list[str]]:
    assert contenido.startswith(b"\xef\xbb\xbf")  # BOM: Excel lo abre como UTF-8
    return list(csv.reader(io.StringIO(contenido.decode("utf-8-sig"), newline="")))


def test_texto_seguro():
    for peligroso in ("=1+1", "+52", "-3", "@A1", "\tx", "\rx"):
        assert texto_seguro(peligroso) == "'" + peligroso
    assert texto_seguro("Centro") == "Centro"
    assert texto_seguro("< 5") == "< 5"


def test_csv_encabezado_tabla_total_y_nota():
    filas = _leer_csv(tabla_a_csv(_tabla(), ENCABEZADO))
    assert filas[:4] == [
        ["Periodo", "1/01/2026 a 30/11/2026"],
        ["Filtros", "Canal: Línea telefónica"],
        ["Datos al", "30/11/2026 23:00"],
        [],
    ]
    assert filas[4] == ["Localidad", "Solicitudes", "Porcentaje", "Días promedio", "Observación"]
    assert filas[5] == ["Centro", "1234", "45.3", "12.5", "normal"]
    # La fórmula y los textos que empiezan con -, +, @ o tabulador llevan apóstrofo.
    assert filas[6] == ["'" + FORMULA, "< 5", "", "", "'-2+3"]
    assert filas[7] == ["'+Norte", "1490", "54.8", "3.0", "'@SUMA(A1)"]
    assert filas[8] == ["Sur", "0", "0.0", "", "'\tTab"]
    assert filas[9] == ["Total", "2727", "100.0", "", ""]
    assert filas[10:] == [[], ["Solicitudes recibidas en el periodo; «< 5»: menos de cinco casos."]]
    # Las cifras son números simples: sin separador de miles ni signo de por ciento.
    for fila in filas[5:10]:
        for valor in fila[1:4]:
            assert "," not in valor and "%" not in valor


def test_csv_sin_encabezado_ni_nota_y_sin_renglones():
    tabla = Tabla("t", "Vacía", [Columna("a", "A", "t"), Columna("b", "B")])
    assert _leer_csv(tabla_a_csv(tabla, [])) == [["A", "B"]]


def test_csv_separado_por_comas_con_comillas():
    tabla = Tabla(
        "t",
        "Comas",
        [Columna("a", "Localidad", "t"), Columna("b", "N")],
        [Renglon('San Juan, "El Alto"', [Celda(5)])],
    )
    contenido = tabla_a_csv(tabla, [("Filtros", "Canal: A, B")]).decode("utf-8-sig")
    assert '"San Juan, ""El Alto""",5' in contenido
    assert _leer_csv(tabla_a_csv(tabla, []))[1] == ['San Juan, "El Alto"', "5"]


def test_xlsx_cifras_formatos_y_encabezado():
    tabla = _tabla()
    libro = load_workbook(io.BytesIO(tabla_a_xlsx(tabla, ENCABEZADO)))
    hoja = libro.active
    assert hoja.title == "Solicitudes por localidad 2026"
    assert len(hoja.title) <= 31
    assert [
        [c.value for c in fila] for fila in hoja.iter_rows(min_row=1, max_row=3, max_col=2)
    ] == [[etiqueta, valor] for etiqueta, valor in ENCABEZADO]
    assert hoja["A1"].font.bold
    assert hoja["A4"].value is None
    titulos = [c.value for c in hoja[5]]
    assert titulos == [c.titulo for c in tabla.columnas]
    assert all(c.font.bold for c in hoja[5])

    centro = hoja[6]
    assert centro[0].value == "Centro"
    assert centro[1].value == 1234 and centro[1].number_format == "#,##0"
    assert centro[2].value == pytest.approx(0.4525) and centro[2].number_format == "0.0%"
    assert centro[3].value == pytest.approx(12.45) and centro[3].number_format == "0.0"
    assert centro[4].value == "normal"

    hostil = hoja[7]
    assert hostil[0].value == "'" + FORMULA and hostil[0].data_type == "s"
    assert hostil[1].value == "< 5" and hostil[1].data_type == "s"
    assert hostil[2].value is None and hostil[3].value is None
    assert hostil[4].value == "'-2+3"
    assert hoja["A8"].value == "'+Norte" and hoja["E8"].value == "'@SUMA(A1)"
    assert hoja["B9"].value == 0

    total = hoja[10]
    assert total[0].value == "Total" and total[0].font.bold
    assert total[1].value == 2727 and total[1].font.bold
    assert total[2].value == pytest.approx(1.0)
    assert hoja["A12"].value == tabla.nota

    # Ninguna celda es fórmula.
    for fila in hoja.iter_rows():
        for celda in fila:
            assert celda.data_type != "f"
    # Anchos razonables: la columna de las etiquetas cabe y nada pasa de 60.
    assert hoja.column_dimensions["A"].width >= len("Datos al")
    for letra in "ABCDE":
        assert 0 < hoja.column_dimensions[letra].width <= 60


def test_xlsx_compara_todas_las_cifras_con_la_tabla():
    tabla = _tabla()
    hoja = load_workbook(io.BytesIO(tabla_a_xlsx(tabla, []))).active
    assert [c.value for c in hoja[1]] == [c.titulo for c in tabla.columnas]
    for numero_fila, renglon in enumerate([*tabla.renglones, tabla.total], start=2):
        for celda, columna, leida in zip(
            renglon.celdas, tabla.columnas[1:], hoja[numero_fila][1:], strict=True
        ):
            if celda.suprimida:
                assert leida.value == "< 5"
            elif celda.valor in (None, ""):
                assert leida.value is None
            elif columna.formato == "%":
                assert leida.value == pytest.approx(celda.valor / 100)
            elif columna.formato == "t":
                assert leida.value == texto_seguro(celda.valor)
            else:
                assert leida.value == pytest.approx(celda.valor)


@pytest.mark.parametrize(
    ("titulo", "esperado"),
    [
        ("Por canal", "Por canal"),
        ("a[b]c:d*e?f/g\\h", "a b c d e f g h"),
        ("x" * 40, "x" * 31),
        ("[]:*?/\\", "Datos"),
        ("", "Datos"),
        ("'Citado'", "Citado"),
    ],
)
def test_titulo_de_hoja(titulo, esperado):
    assert titulo_de_hoja(titulo) == esperado


def test_xlsx_con_caracteres_de_control_no_falla():
    tabla = Tabla(
        "t",
        "Control\x07",
        [Columna("a", "A", "t"), Columna("b", "B")],
        [Renglon("A\x00B", [Celda(1)])],
    )
    hoja = load_workbook(io.BytesIO(tabla_a_xlsx(tabla, [("Nota", "x\x0by")]))).active
    assert hoja.title == "Control"
    assert hoja["A4"].value == "AB" and hoja["B1"].value == "xy"


@pytest.mark.parametrize(
    ("nombre", "extension", "esperado"),
    [
        ("Solicitudes por canal (2026)", "csv", "Solicitudes-por-canal-2026.csv"),
        ("Año 2026 – localidades", "xlsx", "Ano-2026-localidades.xlsx"),
        ('a"b\r\nc', "csv", "a-b-c.csv"),
        ("", "csv", "datos.csv"),
        ("ya.csv", "csv", "ya.csv"),
    ],
)
def test_nombre_de_archivo(nombre, extension, esperado):
    assert nombre_de_archivo(nombre, extension) == esperado


def test_respuestas(settings):
    tabla = _tabla()
    csv_ = respuesta_csv(tabla, ENCABEZADO, "Solicitudes por localidad")
    assert csv_["Content-Type"] == TIPO_CSV == "text/csv; charset=utf-8"
    assert csv_["Content-Disposition"] == 'attachment; filename="Solicitudes-por-localidad.csv"'
    assert csv_.content == tabla_a_csv(tabla, ENCABEZADO)

    xlsx = respuesta_xlsx(tabla, ENCABEZADO, "Solicitudes por localidad")
    assert xlsx["Content-Type"] == TIPO_XLSX
    assert xlsx["Content-Disposition"] == 'attachment; filename="Solicitudes-por-localidad.xlsx"'
    assert load_workbook(io.BytesIO(xlsx.content)).active["A6"].value == "Centro"


def test_la_tabla_de_una_grafica_se_exporta():
    from estadistica.graficas import barras

    grafica = barras("Por localidad", ["Centro", FORMULA], [12, None], "solicitudes")
    filas = _leer_csv(tabla_a_csv(grafica.tabla, []))
    assert filas == [["Concepto", "Solicitudes"], ["Centro", "12"], ["'" + FORMULA, "< 5"]]

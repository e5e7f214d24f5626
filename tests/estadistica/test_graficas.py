"""Las gráficas en SVG: XML válido, accesibles (role, title, desc), con las cifras a la
mexicana, el texto del usuario escapado, las cifras suprimidas como «< 5» y sin romperse con
datos vacíos o en cero. Sin base de datos."""

import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string

from estadistica import graficas
from estadistica.graficas import (
    SUPRIMIDA,
    Grafica,
    Serie,
    barras,
    cifra,
    cumplimiento,
    mes_largo,
    numero,
    parte_de,
    porcentaje,
    tendencia_mensual,
)
from estadistica.tablas import Celda, Columna, Renglon, Tabla
from estadistica.templatetags.cifras import celda_td, con_columnas, enlace_seguro

SVG = "{http://www.w3.org/2000/svg}"
HOSTIL = '<script>alert("x")</script> & \'comillas\' "dobles"'
MESES = [f"{m} 2026" for m in "ene feb mar abr may jun jul ago sep oct nov".split()]
RECIBIDAS = [100, 120, 180, 110, 100, 90, 95, 64, 100, 120, 155]


def _arbol(grafica: Grafica) -> ET.Element:
    return ET.fromstring(str(grafica.svg))


def _textos(raiz: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in raiz.iter(f"{SVG}text")]


def _de_clase(raiz: ET.Element, etiqueta: str, clase: str) -> list[ET.Element]:
    return [e for e in raiz.iter(f"{SVG}{etiqueta}") if e.get("class") == clase]


def _accesible(grafica: Grafica) -> ET.Element:
    raiz = _arbol(grafica)
    assert raiz.tag == f"{SVG}svg"
    assert raiz.get("role") == "img"
    assert raiz.get("aria-labelledby") == f"{grafica.id}-t {grafica.id}-d"
    assert raiz.get("width") == "100%"
    assert raiz.get("preserveAspectRatio") == "xMinYMin meet"
    ancho = float(raiz.get("viewBox").split()[2])
    assert 360 <= ancho <= 640
    titulo = raiz.find(f"{SVG}title")
    desc = raiz.find(f"{SVG}desc")
    assert titulo.get("id") == f"{grafica.id}-t" and titulo.text == grafica.titulo
    assert desc.get("id") == f"{grafica.id}-d" and desc.text == grafica.resumen
    # Todo texto mide al menos 12 px cuando la gráfica se pinta a 360 px de ancho.
    for texto in raiz.iter(f"{SVG}text"):
        assert float(texto.get("font-size")) * 360 / ancho >= 12
    # Ningún texto alineado a la izquierda se sale del viewBox (ancho estimado por letra).
    for texto in raiz.iter(f"{SVG}text"):
        if texto.get("text-anchor") is None:
            fin = float(texto.get("x")) + len("".join(texto.itertext())) * graficas.ANCHO_LETRA
            assert fin <= ancho + 1, "".join(texto.itertext())
    # Nada que WeasyPrint no pinte: ni foreignObject, ni textLength, ni variables de CSS.
    crudo = str(grafica.svg)
    assert "foreignObject" not in crudo and "textLength" not in crudo and "var(" not in crudo
    return raiz


# --- Cifras ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("valor", "formato", "esperado"),
    [
        (1234567, "n", "1,234,567"),
        (0, "n", "0"),
        (999, "n", "999"),
        (-1234, "n", "-1,234"),
        (1234.5, "n", "1,235"),
        (45.25, "%", "45.3 %"),
        (45.24, "%", "45.2 %"),
        (100, "%", "100.0 %"),
        (12.45, "d", "12.5"),
        (1234.56, "d", "1,234.6"),
        (None, "n", "—"),
        ("Centro", "t", "Centro"),
    ],
)
def test_cifras_a_la_mexicana(valor, formato, esperado):
    assert cifra(valor, formato) == esperado


def test_numero_porcentaje_y_parte():
    assert numero(1234567) == "1,234,567"
    assert numero(0.04, 1) == "0.0"
    assert numero(-0.04, 1) == "0.0"  # sin «-0.0»
    assert porcentaje(45.25) == "45.3 %"
    assert parte_de(1, 4) == 25
    assert parte_de(3, 0) is None
    assert cifra(Celda(3, suprimida=True)) == SUPRIMIDA == "< 5"
    assert cifra(Celda(1500, enlace="/casos/")) == "1,500"


def test_meses_en_espanol_y_en_minuscula():
    assert mes_largo("mar 2026") == "marzo"
    assert mes_largo("Sep 2026", con_anio=True) == "septiembre de 2026"
    assert mes_largo("dic 2025", con_anio=True) == "diciembre de 2025"
    assert mes_largo("Trimestre 1") == "Trimestre 1"


def test_la_paleta_tiene_contraste():
    def luminancia(color):
        canales = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lineales = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in canales]
        return 0.2126 * lineales[0] + 0.7152 * lineales[1] + 0.0722 * lineales[2]

    def contraste(a, b):
        claro, oscuro = sorted((luminancia(a), luminancia(b)), reverse=True)
        return (claro + 0.05) / (oscuro + 0.05)

    for color in (*graficas.SERIES, graficas.META, graficas.BARRA, *graficas.SEGMENTOS):
        assert contraste(color, "#FFFFFF") >= 3, color
    segmentos = graficas.SEGMENTOS
    for vecino_a, vecino_b in zip(segmentos, segmentos[1:], strict=False):
        assert contraste(vecino_a, vecino_b) >= 3, (vecino_a, vecino_b)
    for fondo, letra in zip(segmentos, graficas.TEXTO_SEGMENTO, strict=True):
        assert contraste(fondo, letra) >= 4.5, (fondo, letra)


# --- Tendencia mensual -------------------------------------------------------------------


def test_tendencia_resumen_exacto_y_tabla():
    grafica = tendencia_mensual(
        "Solicitudes recibidas",
        MESES,
        [Serie("Recibidas", RECIBIDAS, verbo="se recibieron")],
    )
    assert grafica.resumen == (
        "De enero a noviembre se recibieron 1,234 solicitudes; el mes con más fue marzo (180) "
        "y el de menos, agosto (64)."
    )
    raiz = _accesible(grafica)
    (serie,) = _de_clase(raiz, "g", "serie")
    assert len(serie.findall(f"{SVG}circle")) == len(MESES)
    tabla = grafica.tabla
    assert tabla.clave == grafica.id and tabla.titulo == "Solicitudes recibidas"
    assert [c.titulo for c in tabla.columnas] == ["Mes", "Recibidas"]
    assert [r.etiqueta for r in tabla.renglones] == MESES
    assert [r.celdas[0].valor for r in tabla.renglones] == RECIBIDAS
    assert tabla.total.celdas[0].valor == 1234
    # Las marcas del eje van con separador de miles.
    assert "0" in _textos(raiz)


def test_tendencia_con_meta_proyeccion_y_otra_serie():
    meses = [*MESES, "dic 2026"]
    meta = [110 * i for i in range(1, 13)]
    grafica = tendencia_mensual(
        "Avance contra la meta",
        meses,
        [
            Serie("Recibidas", [*RECIBIDAS, None], verbo="se recibieron"),
            Serie("Concluidas", [90] * 11 + [None]),
            Serie("Proyección", [None] * 10 + [1234, 1350], proyeccion=True),
        ],
        meta=meta,
    )
    assert grafica.resumen == (
        "De enero a noviembre se recibieron 1,234 solicitudes; el mes con más fue marzo (180) "
        "y el de menos, agosto (64). Concluidas: 990; meta acumulada a noviembre: 1,210 "
        "(avance: 102.0 %); Proyección a diciembre: 1,350 (102.3 % de la meta)."
    )
    raiz = _accesible(grafica)
    lineas = raiz.findall(f".//{SVG}polyline")
    # La meta va punteada y la proyección a rayas; las series reales, con trazo continuo.
    rayas = [linea.get("stroke-dasharray") for linea in lineas]
    assert rayas.count(None) == 2 and "2 4" in rayas and "7 5" in rayas
    assert [c.titulo for c in grafica.tabla.columnas] == [
        "Mes",
        "Recibidas",
        "Concluidas",
        "Proyección",
        "Meta acumulada",
    ]
    assert grafica.tabla.total.celdas[2].valor is None  # una proyección no se suma
    assert "1,500" in _textos(raiz)  # el tope del eje


def test_tendencia_sin_verbo_con_anios_distintos_y_acumulada():
    grafica = tendencia_mensual(
        "Acumulado",
        ["nov 2025", "dic 2025", "ene 2026"],
        [Serie("Recibidas", [1000, 2500, 2600])],
        unidad="casos",
        acumulado=True,
    )
    assert grafica.resumen == "De noviembre de 2025 a enero de 2026, Recibidas: 2,600 casos."
    assert grafica.tabla.total is None
    _accesible(grafica)


def test_tendencia_un_solo_mes_y_meses_iguales():
    uno = tendencia_mensual("Uno", ["mar 2026"], [Serie("Recibidas", [7], verbo="llegaron")])
    assert uno.resumen == "En marzo llegaron 7 solicitudes."
    iguales = tendencia_mensual("Iguales", MESES[:3], [Serie("Recibidas", [5, 5, 5])])
    assert iguales.resumen == "De enero a marzo, Recibidas: 15 solicitudes; todos los meses, 5."


@pytest.mark.parametrize(
    ("meses", "series"),
    [
        ([], []),
        (MESES, []),
        (MESES, [Serie("Recibidas", [None] * len(MESES))]),
        ([], [Serie("Recibidas", [1, 2])]),
    ],
)
def test_tendencia_sin_datos(meses, series):
    grafica = tendencia_mensual("Vacía", meses, series)
    assert grafica.resumen == "Sin datos en el periodo."
    raiz = _accesible(grafica)
    assert "Sin datos en el periodo" in _textos(raiz)


def test_tendencia_en_ceros_no_divide_entre_cero():
    grafica = tendencia_mensual(
        "Ceros", MESES, [Serie("Recibidas", [0] * len(MESES))], meta=[0] * 11
    )
    assert grafica.resumen == (
        "De enero a noviembre, Recibidas: 0 solicitudes; todos los meses, 0."
    )
    _accesible(grafica)


def test_tendencia_con_decimales_usa_un_decimal():
    grafica = tendencia_mensual(
        "Días promedio", MESES[:2], [Serie("Días", [12.25, 3.5])], unidad="días"
    )
    assert grafica.tabla.columnas[1].formato == "d"
    assert grafica.resumen.startswith("De enero a febrero, Días: 15.8 días")
    _accesible(grafica)


def test_tendencia_escapa_nombres_hostiles():
    grafica = tendencia_mensual(HOSTIL, [HOSTIL, "feb 2026"], [Serie(HOSTIL, [1, 2])])
    crudo = str(grafica.svg)
    assert "<script>" not in crudo
    raiz = _accesible(grafica)
    assert raiz.find(f"{SVG}title").text == HOSTIL


# --- Barras ------------------------------------------------------------------------------


def test_barras_una_por_renglon_con_suprimidas_y_resumen():
    etiquetas = ["Línea telefónica", "Presencial", "Portal", "Correo"]
    grafica = barras("Por canal", etiquetas, [600, 300, None, 100], "solicitudes")
    raiz = _accesible(grafica)
    assert len(_de_clase(raiz, "g", "renglon")) == len(etiquetas)
    assert len(_de_clase(raiz, "rect", "barra")) == 3  # la suprimida no lleva barra
    suprimidas = _de_clase(raiz, "text", "suprimida")
    assert [t.text for t in suprimidas] == ["< 5"]
    assert "&lt; 5" in str(grafica.svg)
    anchos = [float(r.get("width")) for r in _de_clase(raiz, "rect", "barra")]
    assert anchos[0] > anchos[1] > anchos[2] > 0
    assert anchos[0] == pytest.approx(2 * anchos[1])
    assert [t.text for t in _de_clase(raiz, "text", "cifra")] == ["600", "300", "100"]
    assert grafica.resumen == (
        "«Línea telefónica» tiene la cifra más alta (600) y «Correo», la más baja (100). "
        "Un renglón con menos de 5 casos no se publica."
    )
    tabla = grafica.tabla
    assert [r.etiqueta for r in tabla.renglones] == etiquetas
    assert [c.suprimida for r in tabla.renglones for c in r.celdas] == [False, False, True, False]
    assert tabla.renglones[2].celdas[0].valor is None
    assert tabla.total is None  # con suprimidas no se publica un total que las delate


def test_barras_con_total_porcentaje_del_total_y_enlaces():
    grafica = barras(
        "Por canal",
        ["Línea telefónica", "Presencial"],
        [1500, 500],
        "solicitudes",
        enlaces=["/casos/?canal=tel", "/casos/?canal=pre"],
        claves=["tel", "pre"],
        encabezado="Canal",
    )
    assert grafica.resumen == (
        "«Línea telefónica» tiene la cifra más alta (1,500, el 75.0 % del total) y "
        "«Presencial», la más baja (500, el 25.0 % del total). En total, 2,000 solicitudes."
    )
    tabla = grafica.tabla
    assert [c.titulo for c in tabla.columnas] == ["Canal", "Solicitudes"]
    assert tabla.renglones[0].celdas[0].enlace == "/casos/?canal=tel"
    assert tabla.renglones[1].clave == "pre"
    assert tabla.total.celdas[0].valor == 2000
    assert "1,500" in _textos(_arbol(grafica))


def test_barras_porcentaje_treinta_localidades_crece_hacia_abajo():
    etiquetas = [f"Localidad número {i} de un municipio con nombre largo" for i in range(30)]
    valores = [i * 3.3 for i in range(30)]
    grafica = barras("Por localidad", etiquetas, valores, "por ciento", formato="%")
    raiz = _accesible(grafica)
    assert len(_de_clase(raiz, "rect", "barra")) == 30
    alto = float(raiz.get("viewBox").split()[3])
    assert alto > 30 * 40
    assert "95.7 %" in _textos(raiz)
    assert grafica.tabla.columnas[1].formato == "%"
    # La etiqueta va encima de la barra, partida si no cabe, nunca más allá del viewBox.
    for texto in raiz.iter(f"{SVG}text"):
        contenido = "".join(texto.itertext())
        fin = float(texto.get("x")) + len(contenido) * graficas.ANCHO_LETRA
        assert texto.get("text-anchor") == "middle" or fin <= graficas.ANCHO + 1


def test_barras_escapa_etiquetas_hostiles():
    grafica = barras(HOSTIL, [HOSTIL, "A & B < C"], [3, 10], "casos")
    crudo = str(grafica.svg)
    assert "<script>" not in crudo and "&lt;script&gt;" in crudo
    raiz = _accesible(grafica)
    assert any("A & B < C" in t for t in _textos(raiz))
    assert HOSTIL in raiz.find(f"{SVG}desc").text


@pytest.mark.parametrize(
    ("etiquetas", "valores", "resumen"),
    [
        ([], [], "Sin datos en el periodo."),
        (["A", "B"], [None, None], "2 renglones con menos de 5 casos no se publican."),
        (["A", "B"], [0, 0], "Todos los renglones tienen 0 casos. En total, 0 casos."),
    ],
)
def test_barras_vacias_o_en_cero(etiquetas, valores, resumen):
    grafica = barras("Vacía", etiquetas, valores, "casos")
    assert grafica.resumen == resumen
    _accesible(grafica)


# --- Cumplimiento ------------------------------------------------------------------------


def test_cumplimiento_porcentajes_escritos_y_tabla():
    grafica = cumplimiento(
        "Cumplimiento de plazos",
        [
            ("Invitación dentro de 5 días hábiles (art. 69)", 120, 23, 7),
            ("Sesión dentro de 15 días hábiles", 40, 0, 10),
        ],
    )
    raiz = _accesible(grafica)
    textos = _textos(raiz)
    # La leyenda es texto y cada porcentaje está escrito (no solo en color).
    for nombre in ("A tiempo", "Fuera de plazo", "En plazo o sin dato"):
        assert nombre in textos
    assert any("A tiempo: 80.0 % (120)" in t for t in textos)
    assert any("Fuera de plazo: 15.3 % (23)" in t for t in textos)
    assert any("En plazo o sin dato: 4.7 % (7)" in t for t in textos)
    assert any("Fuera de plazo: 0.0 % (0)" in t for t in textos)
    # Los segmentos con casos (el de 0 no se pinta) y las tramas con ids propios.
    assert len(_de_clase(raiz, "rect", "segmento")) == 5
    ids = {p.get("id") for p in raiz.iter(f"{SVG}pattern")}
    assert ids == {f"{grafica.id}-rayas", f"{grafica.id}-puntos"}
    assert grafica.resumen == "Todos los plazos tienen 80.0 % a tiempo (200 casos)."
    tabla = grafica.tabla
    assert [c.titulo for c in tabla.columnas] == [
        "Plazo",
        "A tiempo",
        "A tiempo (%)",
        "Fuera de plazo",
        "Fuera de plazo (%)",
        "En plazo o sin dato",
        "En plazo o sin dato (%)",
        "Total",
    ]
    primera = [c.valor for c in tabla.renglones[0].celdas]
    assert primera[0::2] == [120, 23, 7, 150]
    assert primera[1::2] == pytest.approx([80.0, 15.333, 4.667], abs=1e-3)


def test_cumplimiento_resumen_de_un_renglon():
    grafica = cumplimiento("Plazo", [("Invitación (art. 69)", 120, 23, 8)])
    assert grafica.resumen == (
        "«Invitación (art. 69)»: 79.5 % a tiempo, 15.2 % fuera de plazo y 5.3 % en plazo o "
        "sin dato (151 casos)."
    )


def test_cumplimiento_mejor_y_peor():
    grafica = cumplimiento("Plazos", [("Uno", 9, 1, 0), ("Dos", 1, 1, 0)])
    assert grafica.resumen == (
        "El plazo que más se cumple a tiempo es «Uno» (90.0 %) y el que menos, «Dos» (50.0 %). "
        "En conjunto, 12 casos, 83.3 % a tiempo."
    )


def test_cumplimiento_sin_casos_y_vacio():
    sin_casos = cumplimiento("Plazos", [("Invitación", 0, 0, 0)])
    assert sin_casos.resumen == "Sin datos en el periodo."
    raiz = _accesible(sin_casos)
    assert "Sin casos" in _textos(raiz)
    assert [c.valor for c in sin_casos.tabla.renglones[0].celdas] == [0, None, 0, None, 0, None, 0]
    vacio = cumplimiento("Plazos", [])
    assert vacio.resumen == "Sin datos en el periodo."
    assert "Sin datos en el periodo" in _textos(_accesible(vacio))


def test_cumplimiento_escapa():
    grafica = cumplimiento(HOSTIL, [(HOSTIL, 1, 2, 3)])
    assert "<script>" not in str(grafica.svg)
    # La etiqueta larga se parte en renglones; juntos dicen lo mismo.
    assert HOSTIL.replace(" ", "") in "".join(_textos(_accesible(grafica))).replace(" ", "")


def test_ids_distintos_y_estables():
    una = barras("Por canal", ["A"], [1], "casos")
    otra = barras("Por canal", ["A"], [2], "casos")
    assert una.id != otra.id
    assert una.id == barras("Por canal", ["A"], [1], "casos").id
    assert barras("Por canal", ["A"], [1], "casos", clave="Canal 2026").id == "grafica-canal-2026"
    assert re.fullmatch(r"[a-z0-9-]+", una.id)


# --- Plantillas --------------------------------------------------------------------------


def _tabla_de_prueba() -> Tabla:
    return Tabla(
        clave="canal",
        titulo="Solicitudes por canal",
        columnas=[
            Columna("canal", "Canal", "t"),
            Columna("n", "Solicitudes"),
            Columna("pct", "Porcentaje", "%"),
            Columna("dias", "Días promedio", "d"),
        ],
        renglones=[
            Renglon(
                "Línea telefónica",
                [Celda(1234, enlace="/casos/?canal=tel"), Celda(45.25), Celda(12.45)],
            ),
            Renglon("<b>Portal</b>", [Celda(3, suprimida=True), Celda(None), Celda(None)]),
            Renglon("Malicioso", [Celda(7, enlace="javascript:alert(1)"), Celda(1.0), Celda(2)]),
        ],
        total=Renglon("Total", [Celda(1240), Celda(100.0), Celda(None)]),
        nota="Cuenta las solicitudes recibidas en el periodo.",
    )


def test_tabla_html_accesible(settings):
    html = render_to_string("estadistica/_tabla.html", {"tabla": _tabla_de_prueba()})
    assert (
        '<div class="tabla-desplazable" tabindex="0" role="region" '
        'aria-label="Solicitudes por canal">' in html
    )
    assert "<caption>Solicitudes por canal</caption>" in html
    assert html.count('<th scope="col"') == 4
    assert html.count('<th scope="row">') == 4
    assert '<a href="/casos/?canal=tel">1,234</a>' in html
    assert '<td class="num">45.3 %</td>' in html
    assert '<td class="num">12.5</td>' in html
    assert '<abbr title="Menos de 5 casos: no se publica">&lt; 5</abbr>' in html
    assert "&lt;b&gt;Portal&lt;/b&gt;" in html and "<b>" not in html
    assert "javascript:" not in html and '<td class="num">7</td>' in html
    tfoot = html[html.index("<tfoot>") : html.index("</tfoot>")]
    assert "Total" in tfoot and "1,240" in tfoot and "100.0 %" in tfoot
    assert '<p class="nota">Cuenta las solicitudes recibidas en el periodo.</p>' in html
    # El HTML es XML bien formado (sin etiquetas sueltas).
    ET.fromstring(f"<raiz>{html}</raiz>")


def test_tabla_html_sin_total_ni_nota(settings):
    tabla = Tabla("x", "Sin total", [Columna("a", "A", "t"), Columna("b", "B")], [])
    html = render_to_string("estadistica/_tabla.html", {"tabla": tabla})
    assert "<tfoot>" not in html and "nota" not in html


def test_filtros_de_cifras():
    tabla = _tabla_de_prueba()
    pares = con_columnas(tabla.renglones[0], tabla)
    assert [columna.formato for _celda, columna in pares] == ["n", "%", "d"]
    corto = Renglon("Corto", [Celda(1)])
    assert [c.valor for c, _col in con_columnas(corto, tabla)] == [1, None, None]
    assert con_columnas(None, tabla) == []
    assert enlace_seguro("https://ejemplo.mx/x") == "https://ejemplo.mx/x"
    assert enlace_seguro("//otro.sitio") == "" and enlace_seguro("data:text/html,x") == ""
    assert (
        celda_td(Celda(None), Columna("x", "X", "t")) == '<td><abbr title="Sin dato">—</abbr></td>'
    )


def test_grafica_html(settings):
    grafica = barras("Por canal <&>", ["Línea", "Portal"], [10, None], "solicitudes")
    html = render_to_string("estadistica/_grafica.html", {"grafica": grafica})
    assert html.strip().startswith(f'<figure class="grafica" id="{grafica.id}">')
    assert str(grafica.svg) in html  # el SVG va tal cual, sin escapar dos veces
    assert "<figcaption>" in html and "Por canal &lt;&amp;&gt;" in html
    assert "<details" in html and "<summary>Ver los datos de la gráfica</summary>" in html
    assert "<caption>Por canal &lt;&amp;&gt;</caption>" in html
    assert '<abbr title="Menos de 5 casos: no se publica">&lt; 5</abbr>' in html
    ET.fromstring(f"<raiz>{html}</raiz>")


def test_grafica_en_pdf_con_weasyprint(settings, tmp_path):
    weasyprint = pytest.importorskip("weasyprint")
    meses = MESES[:6]
    grafica = tendencia_mensual(
        "Solicitudes del semestre",
        meses,
        [Serie("Recibidas", RECIBIDAS[:6]), Serie("Proyección", [None] * 5 + [130], True)],
        meta=[100 * i for i in range(1, 7)],
    )
    apilada = cumplimiento("Plazos legales", [("Invitación", 8, 1, 1)])
    cuerpo = "".join(
        render_to_string("estadistica/_grafica.html", {"grafica": g}) for g in (grafica, apilada)
    )
    pdf = weasyprint.HTML(string=f"<html><body>{cuerpo}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    ruta = tmp_path / "grafica.pdf"
    ruta.write_bytes(pdf)
    try:
        texto = subprocess.run(
            ["pdftotext", str(ruta), "-"], capture_output=True, text=True, check=True
        ).stdout
    except FileNotFoundError:
        pytest.skip("sin pdftotext")
    assert "Solicitudes del semestre" in texto
    assert "Recibidas" in texto and "A tiempo: 80.0 % (8)" in texto

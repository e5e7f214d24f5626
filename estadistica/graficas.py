"""Gráficas en SVG armadas en el servidor: sin JavaScript ni bibliotecas de gráficas, para que
se vean igual en el tablero, en la página de transparencia y en el informe en PDF (WeasyPrint).

Cada gráfica trae su resumen en palabras (va en el `<desc>` y bajo la figura) y una `Tabla` con
las mismas cifras, que se muestra bajo la gráfica y se exporta. Los colores salen de la paleta
de Okabe e Ito (segura para daltonismo) y tienen al menos 3:1 de contraste con el blanco; las
series se distinguen además por el trazo y la forma de los marcadores, y los segmentos del
cumplimiento por tramas y por el porcentaje escrito, nunca solo por el color."""

import hashlib
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape as _escape_html

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from .tablas import Celda, Columna, Renglon, Tabla


def escape(texto) -> str:
    """Escapa texto para HTML/SVG (&, <, >, comillas); la del estándar, sin la envoltura
    perezosa de Django: aquí se llama por cada atributo de cada gráfica."""
    return _escape_html(str(texto), quote=True)


SIN_DATOS = "Sin datos en el periodo"
SUPRIMIDA = "< 5"

# El viewBox mide ANCHO unidades y se pinta al ancho del contenedor: a 360 px de pantalla,
# un texto de LETRA unidades mide LETRA * 360 / ANCHO = 12.6 px.
ANCHO = 400
LETRA = 14
RENGLON_TEXTO = 18
# Ancho medio estimado de una letra (sans-serif) para partir etiquetas y reservar lugar.
ANCHO_LETRA = 0.6 * LETRA
FUENTE = "Arial, Helvetica, sans-serif"
TEXTO = "#1A1A1A"
REJILLA = "#D0D0D0"
EJE = "#595959"

# Okabe–Ito, los que dan al menos 3:1 contra el blanco (azul 5.2, bermellón 3.9, verde azulado
# 3.4, púrpura rojizo 3.1).
SERIES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
META = "#333333"
BARRA = "#0072B2"
# Cumplimiento: oscuro, medio, oscuro, para que los segmentos vecinos se separen 3:1 entre sí
# (y cada uno del blanco); además, separación blanca, tramas y el porcentaje escrito.
CATEGORIAS = ("A tiempo", "Fuera de plazo", "En plazo o sin dato")
SEGMENTOS = ("#003F63", "#E07020", "#333333")
TEXTO_SEGMENTO = ("#FFFFFF", "#000000", "#FFFFFF")

MESES = {
    "ene": "enero",
    "feb": "febrero",
    "mar": "marzo",
    "abr": "abril",
    "may": "mayo",
    "jun": "junio",
    "jul": "julio",
    "ago": "agosto",
    "sep": "septiembre",
    "set": "septiembre",
    "oct": "octubre",
    "nov": "noviembre",
    "dic": "diciembre",
}


@dataclass(frozen=True)
class Serie:
    nombre: str
    valores: list[int | float | None]
    # La proyección (p. ej. al cierre del año) va punteada y con marcadores huecos.
    proyeccion: bool = False
    # Para el resumen: «se recibieron» → «De enero a marzo se recibieron 1,234 solicitudes».
    verbo: str = ""


@dataclass
class Grafica:
    id: str
    titulo: str
    svg: SafeString
    resumen: str
    tabla: Tabla


# --- Cifras a la mexicana ---------------------------------------------------------------


def redondear(valor: float, decimales: int) -> Decimal:
    """Redondeo comercial (45.25 → 45.3), no el del binario (que da 45.2)."""
    cuanto = Decimal(1).scaleb(-decimales)
    return Decimal(repr(float(valor))).quantize(cuanto, rounding=ROUND_HALF_UP)


def numero(valor: int | float, decimales: int = 0) -> str:
    """1234567 → «1,234,567»; con decimales, punto decimal: 1234.5 → «1,234.5»."""
    redondo = redondear(valor, decimales)
    if redondo == 0:
        redondo = abs(redondo)
    return f"{redondo:,.{decimales}f}"


def porcentaje(valor: int | float) -> str:
    """45.25 → «45.3 %» (el valor ya va de 0 a 100)."""
    return f"{numero(valor, 1)} %"


def cifra(valor, formato: str = "n") -> str:
    """El texto de una cifra según el formato de su columna («n», «%», «d», «t»)."""
    if isinstance(valor, Celda):
        if valor.suprimida:
            return SUPRIMIDA
        valor = valor.valor
    if valor is None or valor == "":
        return "—"
    if formato == "t" or isinstance(valor, str):
        return str(valor)
    if formato == "%":
        return porcentaje(valor)
    if formato == "d":
        return numero(valor, 1)
    return numero(valor)


def parte_de(parte: int | float, total: int | float) -> float | None:
    """El porcentaje (0 a 100) de `parte` en `total`; None si el total es cero."""
    return parte * 100 / total if total else None


def mes_largo(etiqueta: str, con_anio: bool = False) -> str:
    """«mar 2026» → «marzo» (o «marzo de 2026»); otra etiqueta queda como viene."""
    partes = etiqueta.split()
    if len(partes) == 2 and partes[1].isdigit():
        nombre = MESES.get(partes[0].lower().rstrip(".")[:3])
        if nombre:
            return f"{nombre} de {partes[1]}" if con_anio else nombre
    return etiqueta


# --- Piezas del SVG -----------------------------------------------------------------------


def _n(valor: float) -> str:
    """Coordenada corta: 12.0 → «12», 12.345 → «12.35»."""
    return f"{valor:.2f}".rstrip("0").rstrip(".")


def _atributos(atributos: dict) -> str:
    partes = []
    for nombre, valor in atributos.items():
        if valor is None:
            continue
        if isinstance(valor, float):
            valor = _n(valor)
        partes.append(f' {nombre.rstrip("_").replace("_", "-")}="{escape(str(valor))}"')
    return "".join(partes)


def _elemento(nombre: str, contenido: str = "", **atributos) -> str:
    """Un elemento SVG; `contenido` ya va escapado (o son otros elementos)."""
    if contenido:
        return f"<{nombre}{_atributos(atributos)}>{contenido}</{nombre}>"
    return f"<{nombre}{_atributos(atributos)}/>"


def _texto(x, y, texto: str, **atributos) -> str:
    atributos.setdefault("font_size", LETRA)
    atributos.setdefault("fill", TEXTO)
    return _elemento("text", escape(texto), x=x, y=y, **atributos)


def _partir(texto: str, ancho: float) -> list[str]:
    """Parte `texto` en renglones que quepan en `ancho` unidades (estimado)."""
    maximo = max(int(ancho // ANCHO_LETRA), 1)
    renglones, actual = [], ""
    for palabra in texto.split():
        while len(palabra) > maximo:
            if actual:
                renglones.append(actual)
                actual = ""
            renglones.append(palabra[:maximo])
            palabra = palabra[maximo:]
        if not actual:
            actual = palabra
        elif len(actual) + 1 + len(palabra) <= maximo:
            actual = f"{actual} {palabra}"
        else:
            renglones.append(actual)
            actual = palabra
    if actual or not renglones:
        renglones.append(actual)
    return renglones


def _partir_piezas(piezas: list[str], ancho: float, separador: str = " · ") -> list[str]:
    """Como `_partir`, pero sin cortar ninguna pieza (p. ej. «A tiempo: 80.0 % (120)»)."""
    maximo = max(int(ancho // ANCHO_LETRA), 1)
    renglones, actual = [], ""
    for pieza in piezas:
        if not actual:
            actual = pieza
        elif len(actual) + len(separador) + len(pieza) <= maximo:
            actual = f"{actual}{separador}{pieza}"
        else:
            renglones.append(actual)
            actual = pieza
    if actual:
        renglones.append(actual)
    return renglones


def _ancho_texto(texto: str) -> float:
    return len(texto) * ANCHO_LETRA


def _svg(ident: str, titulo: str, resumen: str, alto: float, cuerpo: str) -> SafeString:
    alto = math.ceil(alto)
    return mark_safe(  # todo el texto entra por escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{escape(ident)}-t {escape(ident)}-d" '
        f'viewBox="0 0 {ANCHO} {alto}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'font-family="{FUENTE}" class="grafica-svg">'
        f'<title id="{escape(ident)}-t">{escape(titulo)}</title>'
        f'<desc id="{escape(ident)}-d">{escape(resumen)}</desc>'
        f"{cuerpo}</svg>"
    )


def _vacia(ident: str, titulo: str, tabla: Tabla) -> Grafica:
    resumen = f"{SIN_DATOS}."
    alto = 80
    cuerpo = _elemento(
        "rect", x=0.5, y=0.5, width=ANCHO - 1, height=alto - 1, fill="none", stroke=REJILLA
    ) + _texto(ANCHO / 2, alto / 2 + LETRA / 3, SIN_DATOS, text_anchor="middle")
    return Grafica(ident, titulo, _svg(ident, titulo, resumen, alto, cuerpo), resumen, tabla)


def _identificador(titulo: str, clave: str, *datos) -> str:
    if clave:
        return "grafica-" + (slugify(clave) or "sin-clave")
    huella = hashlib.sha1(repr((titulo, datos)).encode("utf-8")).hexdigest()[:8]
    return f"grafica-{slugify(titulo)[:40] or 'sin-titulo'}-{huella}"


def _hay(valor) -> bool:
    return valor is not None


def _formato_de(valores) -> str:
    """«n» si todas las cifras son enteras; «d» (un decimal) si alguna no lo es."""
    enteras = all(float(v).is_integer() for v in valores if _hay(v))
    return "n" if enteras else "d"


def _escala(maximo: float) -> tuple[float, float, int]:
    """(tope, paso, decimales) de un eje que empieza en cero con 3 a 5 marcas redondas."""
    if maximo <= 0:
        return 4, 1, 0
    crudo = maximo / 4
    potencia = 10 ** math.floor(math.log10(crudo))
    for factor in (1, 2, 2.5, 5, 10):
        paso = factor * potencia
        if paso >= crudo:
            break
    if paso < 1 and maximo >= 1:
        paso = 1.0
    tope = math.ceil(maximo / paso - 1e-9) * paso
    decimales = max(0, -math.floor(math.log10(paso))) if paso < 1 else 0
    if paso < 1 and not float(paso * 10**decimales).is_integer():
        decimales += 1
    return tope, paso, decimales


# --- 1. Tendencia mensual ---------------------------------------------------------------

MARCADORES = ("circulo", "cuadro", "triangulo", "rombo")


def _marcador(forma: str, x: float, y: float, color: str, hueco: bool, nota: str) -> str:
    relleno = "#FFFFFF" if hueco else color
    comunes = {"fill": relleno, "stroke": color, "stroke_width": 2}
    titulo = _elemento("title", escape(nota))
    if forma == "circulo":
        return _elemento("circle", titulo, cx=x, cy=y, r=4.0, **comunes)
    if forma == "cuadro":
        return _elemento("rect", titulo, x=x - 4, y=y - 4, width=8, height=8, **comunes)
    if forma == "triangulo":
        puntos = f"{_n(x)},{_n(y - 5)} {_n(x + 5)},{_n(y + 4)} {_n(x - 5)},{_n(y + 4)}"
    else:
        puntos = f"{_n(x)},{_n(y - 5)} {_n(x + 5)},{_n(y)} {_n(x)},{_n(y + 5)} {_n(x - 5)},{_n(y)}"
    return _elemento("polygon", titulo, points=puntos, **comunes)


def _trazo(puntos: list[tuple[float, float] | None], color: str, rayas: str | None) -> str:
    """Una polilínea por tramo seguido de meses con dato (un mes sin dato corta la línea)."""
    tramos, actual = [], []
    for punto in [*puntos, None]:
        if punto is None:
            if len(actual) > 1:
                tramos.append(actual)
            actual = []
        else:
            actual.append(punto)
    return "".join(
        _elemento(
            "polyline",
            points=" ".join(f"{_n(x)},{_n(y)}" for x, y in tramo),
            fill="none",
            stroke=color,
            stroke_width=2.5,
            stroke_dasharray=rayas,
            stroke_linejoin="round",
        )
        for tramo in tramos
    )


def _etiquetas_meses(meses: list[str]) -> list[tuple[str, str]]:
    """(mes, año) de cada etiqueta «ene 2026»; el año solo al principio y al cambiar."""
    salida, anterior = [], None
    for etiqueta in meses:
        partes = etiqueta.split()
        if len(partes) == 2 and partes[1].isdigit():
            mes, anio = partes
            salida.append((mes, anio if anio != anterior else ""))
            anterior = anio
        else:
            salida.append((etiqueta, ""))
    return salida


def _leyenda_lineas(entradas: list[tuple[str, str, str | None, str, bool]]) -> tuple[str, float]:
    """Una entrada por renglón (el nombre largo se parte): muestra del trazo, marcador y
    nombre. Devuelve las piezas y el alto que ocupan."""
    piezas, y0 = [], 0.0
    for nombre, color, rayas, forma, hueco in entradas:
        y = y0 + RENGLON_TEXTO / 2
        piezas.append(
            _elemento(
                "line",
                x1=4,
                y1=y,
                x2=36,
                y2=y,
                stroke=color,
                stroke_width=2.5,
                stroke_dasharray=rayas,
            )
        )
        if forma:
            piezas.append(_marcador(forma, 20, y, color, hueco, nombre))
        renglones = _partir(nombre, ANCHO - 48)
        for j, renglon in enumerate(renglones):
            piezas.append(_texto(44, y + LETRA / 3 + j * RENGLON_TEXTO, renglon))
        y0 += len(renglones) * RENGLON_TEXTO + 4
    return "".join(piezas), y0


def _tabla_tendencia(ident, titulo, meses, series, meta, acumulado) -> Tabla:
    columnas = [Columna("mes", "Mes", "t")]
    columnas += [
        Columna(slugify(s.nombre) or f"serie-{i + 1}", s.nombre, _formato_de(s.valores))
        for i, s in enumerate(series)
    ]
    if meta is not None:
        columnas.append(Columna("meta", "Meta acumulada", _formato_de(meta)))

    def valor(valores, i):
        return valores[i] if i < len(valores) else None

    renglones = []
    for i, mes in enumerate(meses):
        celdas = [Celda(valor(s.valores, i)) for s in series]
        if meta is not None:
            celdas.append(Celda(valor(meta, i)))
        renglones.append(Renglon(mes, celdas, clave=mes))
    total = None
    if not acumulado and any(not s.proyeccion for s in series):
        celdas = [
            Celda(None if s.proyeccion else sum(v for v in s.valores if _hay(v))) for s in series
        ]
        if meta is not None:
            celdas.append(Celda(None))
        total = Renglon("Total", celdas, clave="total")
    return Tabla(ident, titulo, columnas, renglones, total)


def _con_dato(valores, cuantos: int) -> list[int]:
    """Los índices (dentro de los primeros `cuantos` meses) con cifra."""
    return [i for i, v in enumerate(valores[:cuantos]) if _hay(v)]


def _frase_principal(serie: Serie, indices: list[int], mes, unidad: str, acumulado: bool):
    """«De enero a noviembre se recibieron 1,234 solicitudes; el mes con más fue…»."""
    valores = [serie.valores[i] for i in indices]
    cantidad = valores[-1] if acumulado else sum(valores)
    formato = _formato_de(valores)
    primero, ultimo = indices[0], indices[-1]
    periodo = f"De {mes(primero)} a {mes(ultimo)}" if len(indices) > 1 else f"En {mes(primero)}"
    if serie.verbo:
        frase = f"{periodo} {serie.verbo} {cifra(cantidad, formato)} {unidad}"
    else:
        frase = f"{periodo}, {serie.nombre}: {cifra(cantidad, formato)} {unidad}"
    if not acumulado and len(indices) > 1:
        mayor = max(indices, key=lambda i: serie.valores[i])
        menor = min(indices, key=lambda i: serie.valores[i])
        if serie.valores[mayor] == serie.valores[menor]:
            frase += f"; todos los meses, {cifra(serie.valores[mayor], formato)}"
        else:
            frase += (
                f"; el mes con más fue {mes(mayor)} ({cifra(serie.valores[mayor], formato)}) "
                f"y el de menos, {mes(menor)} ({cifra(serie.valores[menor], formato)})"
            )
    return f"{frase}.", ultimo, cantidad


def _frase_proyeccion(serie: Serie, indices: list[int], meta, mes) -> str:
    j = indices[-1]
    valor = serie.valores[j]
    texto = f"{serie.nombre} a {mes(j)}: {cifra(valor, _formato_de([valor]))}"
    if meta is not None and j < len(meta) and meta[j]:
        texto += f" ({porcentaje(parte_de(valor, meta[j]))} de la meta)"
    return texto


def _resumen_tendencia(meses, series, meta, unidad, acumulado) -> str:
    cuantos = len(meses)
    con_anio = len({(m.split() or [""])[-1] for m in meses}) > 1

    def mes(i):
        return mes_largo(meses[i], con_anio)

    reales = [s for s in series if not s.proyeccion and _con_dato(s.valores, cuantos)]
    uno, ultimo, cantidad = "", None, None
    if reales:
        principal = reales[0]
        indices = _con_dato(principal.valores, cuantos)
        uno, ultimo, cantidad = _frase_principal(principal, indices, mes, unidad, acumulado)
    partes = []
    for otra in reales[1:]:
        valores = [otra.valores[i] for i in _con_dato(otra.valores, cuantos)]
        total = valores[-1] if acumulado else sum(valores)
        partes.append(f"{otra.nombre}: {cifra(total, _formato_de(valores))}")
    if meta is not None and ultimo is not None and ultimo < len(meta) and meta[ultimo]:
        objetivo = meta[ultimo]
        partes.append(
            f"meta acumulada a {mes(ultimo)}: {cifra(objetivo, _formato_de([objetivo]))} "
            f"(avance: {porcentaje(parte_de(cantidad, objetivo))})"
        )
    for proyeccion in (s for s in series if s.proyeccion):
        if indices := _con_dato(proyeccion.valores, cuantos):
            partes.append(_frase_proyeccion(proyeccion, indices, meta, mes))
    if partes:
        dos = "; ".join(partes)
        uno = f"{uno} {dos[0].upper()}{dos[1:]}.".strip()
    return uno or f"{SIN_DATOS}."


def tendencia_mensual(
    titulo: str,
    meses: list[str],
    series: list[Serie],
    meta: list[float | None] | None = None,
    unidad: str = "solicitudes",
    *,
    acumulado: bool = False,
    clave: str = "",
) -> Grafica:
    """Líneas de una o más series mensuales (recibidas, concluidas…), con la meta acumulada
    del POA punteada y, si alguna serie es `proyeccion`, su trazo a rayas.

    `acumulado=True` dice que las series ya vienen acumuladas: el resumen toma la última
    cifra en vez de sumar los meses."""
    ident = _identificador(titulo, clave, meses, series, meta)
    tabla = _tabla_tendencia(ident, titulo, meses, series, meta, acumulado)
    todos = [v for s in series for v in s.valores[: len(meses)] if _hay(v)]
    todos += [v for v in (meta or [])[: len(meses)] if _hay(v)]
    if not meses or not todos:
        return _vacia(ident, titulo, tabla)
    resumen = _resumen_tendencia(meses, series, meta, unidad, acumulado)

    entradas = []
    for i, serie in enumerate(series):
        color = SERIES[i % len(SERIES)]
        rayas = "7 5" if serie.proyeccion else None
        entradas.append(
            (serie.nombre, color, rayas, MARCADORES[i % len(MARCADORES)], serie.proyeccion)
        )
    if meta is not None:
        entradas.append(("Meta acumulada", META, "2 4", "", False))
    leyenda, alto_leyenda = _leyenda_lineas(entradas)
    alto_leyenda += 8

    tope, paso, decimales = _escala(max(todos))
    marcas = [paso * k for k in range(round(tope / paso) + 1)]
    ancho_marcas = max(_ancho_texto(numero(m, decimales)) for m in marcas)
    izquierda = ancho_marcas + 10
    arriba = alto_leyenda + LETRA
    alto_trazo = 200
    abajo = arriba + alto_trazo
    ancho_trazo = ANCHO - izquierda - 8
    hueco = ancho_trazo / len(meses)

    def x(i):
        return izquierda + (i + 0.5) * hueco

    def y(valor):
        return abajo - (valor / tope) * alto_trazo

    piezas = [leyenda]
    for marca in marcas:
        piezas.append(
            _elemento(
                "line",
                x1=izquierda,
                y1=y(marca),
                x2=ANCHO - 8,
                y2=y(marca),
                stroke=EJE if marca == 0 else REJILLA,
                stroke_width=1,
            )
        )
        piezas.append(
            _texto(izquierda - 6, y(marca) + LETRA / 3, numero(marca, decimales), text_anchor="end")
        )
    # Las etiquetas de los meses, salteadas si no caben («ene», «mar»…); el año abajo.
    etiquetas = _etiquetas_meses(meses)
    mas_ancha = max(_ancho_texto(mes) for mes, _anio in etiquetas) + 6
    cada = max(1, math.ceil(mas_ancha / hueco))
    for i, (mes, anio) in enumerate(etiquetas):
        if i % cada and not anio:
            continue
        piezas.append(_texto(x(i), abajo + LETRA + 4, mes, text_anchor="middle"))
        if anio:
            piezas.append(_texto(x(i), abajo + 2 * LETRA + 8, anio, text_anchor="middle"))

    if meta is not None:
        puntos = [(x(i), y(v)) if _hay(v) else None for i, v in enumerate(meta[: len(meses)])]
        piezas.append(_trazo(puntos, META, "2 4"))
    for i, serie in enumerate(series):
        _nombre, color, rayas, forma, hueco_marcador = entradas[i]
        valores = serie.valores[: len(meses)]
        puntos = [(x(k), y(v)) if _hay(v) else None for k, v in enumerate(valores)]
        grupo = [_trazo(puntos, color, rayas)]
        formato = _formato_de(valores)
        for k, v in enumerate(valores):
            if _hay(v):
                nota = f"{serie.nombre}, {meses[k]}: {cifra(v, formato)}"
                grupo.append(_marcador(forma, x(k), y(v), color, hueco_marcador, nota))
        piezas.append(_elemento("g", "".join(grupo), class_="serie"))
    alto = abajo + 2 * LETRA + 14
    svg = _svg(ident, titulo, resumen, alto, "".join(piezas))
    return Grafica(ident, titulo, svg, resumen, tabla)


# --- 2. Barras horizontales ---------------------------------------------------------------


def _resumen_barras(etiquetas, valores, unidad, formato, total) -> str:
    con_dato = [(e, v) for e, v in zip(etiquetas, valores, strict=False) if _hay(v)]
    suprimidas = sum(1 for v in valores if not _hay(v))
    formato_cifra = formato if formato == "%" else _formato_de(v for _e, v in con_dato)

    def dicho(v):
        texto = cifra(v, formato_cifra)
        if formato != "%" and total:
            texto += f", el {porcentaje(parte_de(v, total))} del total"
        return texto

    frases = []
    if len(con_dato) == 1:
        etiqueta, v = con_dato[0]
        frases.append(f"«{etiqueta}»: {cifra(v, formato_cifra)} {unidad}.")
    elif con_dato:
        mayor = max(con_dato, key=lambda par: par[1])
        menor = min(con_dato, key=lambda par: par[1])
        if mayor[1] == menor[1]:
            frases.append(f"Todos los renglones tienen {cifra(mayor[1], formato_cifra)} {unidad}.")
        else:
            frases.append(
                f"«{mayor[0]}» tiene la cifra más alta ({dicho(mayor[1])}) y «{menor[0]}», "
                f"la más baja ({dicho(menor[1])})."
            )
    if formato != "%" and total is not None:
        frases.append(f"En total, {cifra(total, formato_cifra)} {unidad}.")
    if suprimidas:
        cuantos = "Un renglón" if suprimidas == 1 else f"{suprimidas} renglones"
        frases.append(
            f"{cuantos} con menos de 5 casos no se publica{'n' if suprimidas > 1 else ''}."
        )
    return " ".join(frases)


def barras(
    titulo: str,
    etiquetas: list[str],
    valores: list[int | float | None],
    unidad: str,
    formato: str = "n",
    *,
    enlaces: list[str] | None = None,
    claves: list[str] | None = None,
    encabezado: str = "Concepto",
    total: int | float | None = None,
    clave: str = "",
) -> Grafica:
    """Barras horizontales, una por renglón, con la etiqueta encima y la cifra al final de
    la barra (caben a 360 px aunque sean 30 localidades: el alto crece con los renglones).

    Un valor None es una cifra suprimida (transparencia): sin barra y con «< 5». `total`,
    si no se da, es la suma cuando no hay suprimidas y el formato es «n»."""
    valores = list(valores)[: len(etiquetas)]
    valores += [None] * (len(etiquetas) - len(valores))
    ident = _identificador(titulo, clave, etiquetas, valores, formato)
    con_dato = [v for v in valores if _hay(v)]
    if total is None and formato == "n" and con_dato and len(con_dato) == len(valores):
        total = sum(con_dato)
    formato_tabla = formato if formato == "%" else _formato_de(con_dato)
    if formato == "d":
        formato_tabla = "d"

    renglones = []
    for i, (etiqueta, valor) in enumerate(zip(etiquetas, valores, strict=True)):
        enlace = enlaces[i] if enlaces and i < len(enlaces) else ""
        renglones.append(
            Renglon(
                etiqueta,
                [Celda(valor, enlace=enlace if _hay(valor) else "", suprimida=not _hay(valor))],
                clave=claves[i] if claves and i < len(claves) else "",
            )
        )
    columnas = [
        Columna("concepto", encabezado, "t"),
        Columna("valor", unidad.capitalize(), formato_tabla),
    ]
    fila_total = Renglon("Total", [Celda(total)], clave="total") if total is not None else None
    tabla = Tabla(ident, titulo, columnas, renglones, fila_total)
    if not etiquetas:
        return _vacia(ident, titulo, tabla)

    resumen = _resumen_barras(etiquetas, valores, unidad, formato, total) or f"{SIN_DATOS}."
    textos = [cifra(v, formato_tabla) if _hay(v) else SUPRIMIDA for v in valores]
    reserva = max(_ancho_texto(t) for t in textos) + 10
    izquierda = 4
    largo = ANCHO - izquierda - 4 - reserva
    maximo = max(con_dato, default=0)
    if formato == "%" and maximo <= 100:
        maximo = 100
    alto_barra = 18

    piezas, y = [], 4.0
    for etiqueta, valor, texto in zip(etiquetas, valores, textos, strict=True):
        grupo = []
        for renglon in _partir(etiqueta, ANCHO - 8):
            y += RENGLON_TEXTO
            grupo.append(_texto(izquierda, y - 4, renglon))
        y += 2
        ancho = (max(valor, 0) / maximo * largo) if _hay(valor) and maximo > 0 else 0
        if _hay(valor):
            grupo.append(
                _elemento(
                    "rect",
                    _elemento("title", escape(f"{etiqueta}: {texto}")),
                    x=izquierda,
                    y=y,
                    width=ancho,
                    height=alto_barra,
                    fill=BARRA,
                    class_="barra",
                )
            )
        grupo.append(
            _texto(
                izquierda + ancho + 6,
                y + alto_barra / 2 + LETRA / 3,
                texto,
                font_weight="bold",
                class_="cifra" if _hay(valor) else "suprimida",
            )
        )
        y += alto_barra + 12
        piezas.append(_elemento("g", "".join(grupo), class_="renglon"))
    piezas.append(
        _elemento("line", x1=izquierda, y1=4, x2=izquierda, y2=y - 10, stroke=EJE, stroke_width=1)
    )
    svg = _svg(ident, titulo, resumen, y, "".join(piezas))
    return Grafica(ident, titulo, svg, resumen, tabla)


# --- 3. Cumplimiento de plazos ------------------------------------------------------------


def _tramas(ident: str) -> str:
    """Rayas diagonales (fuera de plazo) y puntos (en plazo o sin dato), en blanco."""
    rayas = _elemento(
        "pattern",
        _elemento("rect", width=8, height=8, fill=SEGMENTOS[1])
        + _elemento(
            "path", d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4", stroke="#FFFFFF", stroke_width=1.5
        ),
        id=f"{ident}-rayas",
        patternUnits="userSpaceOnUse",
        width=8,
        height=8,
    )
    puntos = _elemento(
        "pattern",
        _elemento("rect", width=6, height=6, fill=SEGMENTOS[2])
        + _elemento("circle", cx=3, cy=3, r=1.2, fill="#FFFFFF"),
        id=f"{ident}-puntos",
        patternUnits="userSpaceOnUse",
        width=6,
        height=6,
    )
    return _elemento("defs", rayas + puntos)


def _rellenos(ident: str) -> tuple[str, str, str]:
    return (SEGMENTOS[0], f"url(#{ident}-rayas)", f"url(#{ident}-puntos)")


def _tabla_cumplimiento(ident, titulo, renglones) -> Tabla:
    columnas = [Columna("concepto", "Plazo", "t")]
    for nombre in CATEGORIAS:
        base = slugify(nombre)
        columnas += [Columna(base, nombre, "n"), Columna(f"{base}-pct", f"{nombre} (%)", "%")]
    columnas.append(Columna("total", "Total", "n"))
    filas = []
    for etiqueta, *cuentas in renglones:
        total = sum(cuentas)
        celdas = []
        for cuenta in cuentas:
            celdas += [Celda(cuenta), Celda(parte_de(cuenta, total))]
        celdas.append(Celda(total))
        filas.append(Renglon(etiqueta, celdas))
    return Tabla(ident, titulo, columnas, filas)


def _resumen_cumplimiento(renglones) -> str:
    con_casos = [(e, a, f, p) for e, a, f, p in renglones if a + f + p]
    if not con_casos:
        return f"{SIN_DATOS}."
    if len(con_casos) == 1:
        etiqueta, a, f, p = con_casos[0]
        total = a + f + p
        return (
            f"«{etiqueta}»: {porcentaje(parte_de(a, total))} a tiempo, "
            f"{porcentaje(parte_de(f, total))} fuera de plazo y "
            f"{porcentaje(parte_de(p, total))} en plazo o sin dato ({numero(total)} casos)."
        )
    pct = [(e, parte_de(a, a + f + p)) for e, a, f, p in con_casos]
    mejor = max(pct, key=lambda par: par[1])
    peor = min(pct, key=lambda par: par[1])
    total = sum(a + f + p for _e, a, f, p in con_casos)
    a_tiempo = sum(a for _e, a, _f, _p in con_casos)
    if porcentaje(mejor[1]) == porcentaje(peor[1]):
        return f"Todos los plazos tienen {porcentaje(mejor[1])} a tiempo ({numero(total)} casos)."
    else:
        uno = (
            f"El plazo que más se cumple a tiempo es «{mejor[0]}» ({porcentaje(mejor[1])}) y "
            f"el que menos, «{peor[0]}» ({porcentaje(peor[1])})."
        )
    conjunto = porcentaje(parte_de(a_tiempo, total))
    return f"{uno} En conjunto, {numero(total)} casos, {conjunto} a tiempo."


def _barra_apilada(ident: str, etiqueta: str, cuentas, y: float) -> tuple[str, float]:
    """Un renglón: etiqueta, barra al 100 % y los porcentajes escritos debajo."""
    piezas = []
    for renglon in _partir(etiqueta, ANCHO - 8):
        y += RENGLON_TEXTO
        piezas.append(_texto(4, y - 4, renglon, font_weight="bold"))
    y += 2
    total = sum(cuentas)
    largo, alto_barra, x = ANCHO - 8, 24, 4.0
    if not total:
        piezas.append(
            _elemento(
                "rect",
                x=4,
                y=y,
                width=largo,
                height=alto_barra,
                fill="#FFFFFF",
                stroke=EJE,
                stroke_dasharray="3 3",
            )
        )
        piezas.append(_texto(12, y + alto_barra / 2 + LETRA / 3, "Sin casos"))
        return "".join(piezas), y + alto_barra + 14
    rellenos = _rellenos(ident)
    descripcion = []
    ultimo = max(k for k, cuenta in enumerate(cuentas) if cuenta)
    for k, cuenta in enumerate(cuentas):
        pct = parte_de(cuenta, total)
        texto = porcentaje(pct)
        descripcion.append(f"{CATEGORIAS[k]}: {texto} ({numero(cuenta)})")
        if not cuenta:
            continue
        ancho = cuenta / total * largo
        # Separación blanca de 2 unidades entre segmentos vecinos.
        piezas.append(
            _elemento(
                "rect",
                _elemento("title", escape(descripcion[-1])),
                x=x,
                y=y,
                width=ancho if k == ultimo else max(ancho - 2, 0.5),
                height=alto_barra,
                fill=rellenos[k],
                class_="segmento",
            )
        )
        if ancho >= _ancho_texto(texto) + 10:
            # Sobre la trama, una placa del color liso para que el texto se lea.
            placa = _ancho_texto(texto) + 6
            if k:
                piezas.append(
                    _elemento(
                        "rect",
                        x=x + ancho / 2 - placa / 2,
                        y=y + 4,
                        width=placa,
                        height=alto_barra - 8,
                        fill=SEGMENTOS[k],
                    )
                )
            piezas.append(
                _texto(
                    x + ancho / 2,
                    y + alto_barra / 2 + LETRA / 3,
                    texto,
                    text_anchor="middle",
                    fill=TEXTO_SEGMENTO[k],
                )
            )
        x += ancho
    y += alto_barra
    for renglon in _partir_piezas(descripcion, ANCHO - 8):
        y += RENGLON_TEXTO
        piezas.append(_texto(4, y - 2, renglon))
    return "".join(piezas), y + 14


def cumplimiento(
    titulo: str, renglones: list[tuple[str, int, int, int]], *, clave: str = ""
) -> Grafica:
    """Cumplimiento de plazos legales: por renglón (p. ej. «Invitación dentro de 5 días
    hábiles (art. 69)»), los casos a tiempo, fuera de plazo y aún en plazo o sin dato, en una
    barra apilada al 100 % con los porcentajes escritos."""
    renglones = [(e, int(a or 0), int(f or 0), int(p or 0)) for e, a, f, p in renglones]
    ident = _identificador(titulo, clave, renglones)
    tabla = _tabla_cumplimiento(ident, titulo, renglones)
    if not renglones:
        return _vacia(ident, titulo, tabla)
    resumen = _resumen_cumplimiento(renglones)
    piezas = [_tramas(ident)]
    rellenos = _rellenos(ident)
    y = 0.0
    for k, nombre in enumerate(CATEGORIAS):
        piezas.append(_elemento("rect", x=4, y=y + 3, width=28, height=14, fill=rellenos[k]))
        piezas.append(_texto(40, y + 15, nombre))
        y += RENGLON_TEXTO + 4
    y += 6
    for etiqueta, *cuentas in renglones:
        pieza, y = _barra_apilada(ident, etiqueta, cuentas, y)
        piezas.append(_elemento("g", pieza, class_="renglon"))
    svg = _svg(ident, titulo, resumen, y, "".join(piezas))
    return Grafica(ident, titulo, svg, resumen, tabla)

"""Transparencia activa: la estadística pública, sin cuenta. Solo cifras agregadas del
resumen diario, nunca datos de una persona ni de sesiones; toda celda que cuenta menos de 5
casos se publica como «< 5» y la supresión complementaria (`estadistica.supresion`) impide
despejarla de los totales. Las materias no mediables (violencia, penal) no tienen renglón
propio: la canalización se publica junto con la no admisión."""

from datetime import date

from django.utils.translation import gettext as _

from casos.models import Canal

from . import resumen, supresion
from .definiciones import CON_CONVENIO, MEDIACIONES_CONCLUIDAS, NOTAS
from .forms import mes_corto, mes_y_anio
from .selectors import ASE, MED, etiquetas_de, mediana, porcentaje, sumar
from .tablas import Celda, Columna, Renglon, Tabla

NOTA_SUPRESION = _(
    "Una celda con menos de 5 casos se publica como «< 5»; otras celdas se ocultan también "
    "cuando con los totales permitirían despejarla. Los porcentajes y medianas de menos de 5 "
    "casos tampoco se publican."
)
LICENCIA = "Términos de Libre Uso MX (datos.gob.mx)"

_POR_TIPO = [
    Columna("mediacion", _("Mediación"), "n"),
    Columna("asesoria", _("Asesoría"), "n"),
    Columna("total", _("Total"), "n"),
]


def _por_tipo(
    filas: list[tuple[str, str, int, int]], titulo, clave, encabezado, nota, ocultos=()
) -> Tabla:
    """Una tabla de conteos por tipo de caso, con su total, ya protegida (`ocultos`: las
    columnas cuyo total se oculta de antemano)."""
    renglones = [
        Renglon(etiqueta, [Celda(med), Celda(ase), Celda(med + ase)], clave_renglon)
        for clave_renglon, etiqueta, med, ase in filas
    ]
    total_med = sum(f[2] for f in filas)
    total_ase = sum(f[3] for f in filas)
    tabla = Tabla(
        clave,
        titulo,
        [Columna(clave, encabezado, "t"), *_POR_TIPO],
        renglones,
        Renglon(
            _("Total"), [Celda(total_med), Celda(total_ase), Celda(total_med + total_ase)], "total"
        ),
        nota=f"{nota} {NOTA_SUPRESION}".strip(),
    )
    return supresion.suprimir_tabla(
        tabla, columnas_de_cuenta=[0, 1], columna_total=2, totales_ocultos=ocultos
    )


def _meses(anio: int) -> list[date]:
    return [date(anio, m, 1) for m in range(1, 13)]


def tablas_publicas(anio: int, hasta: date) -> list[Tabla]:
    """Las tablas publicables de un año (hasta `hasta` si el año está en curso)."""
    desde = date(anio, 1, 1)
    fin = min(date(anio, 12, 31), hasta)
    cifras = resumen.desde_resumen([MED, ASE], desde, fin, ["canal", "localidad"])
    meses = [m for m in _meses(anio) if m <= fin]
    por_mes = {m: {t: cifras.por_mes.get((m, t), {}) for t in (MED, ASE)} for m in meses}

    def mensual(medida):
        return [
            (
                m.strftime("%Y-%m"),
                mes_y_anio(m),
                por_mes[m][MED].get(medida, 0),
                por_mes[m][ASE].get(medida, 0),
            )
            for m in meses
        ]

    definiciones = [
        (
            mensual("recibidas"),
            _("Solicitudes recibidas por mes"),
            "recibidas_por_mes",
            _("Mes"),
            NOTAS["recepcion"],
        ),
        (
            mensual("concluidas"),
            _("Casos concluidos por mes"),
            "concluidos_por_mes",
            _("Mes"),
            NOTAS["cierre"],
        ),
    ]
    for dimension, titulo, encabezado in (
        ("canal", _("Solicitudes recibidas por canal"), _("Canal")),
        ("localidad", _("Solicitudes recibidas por localidad"), _("Localidad")),
    ):
        definiciones.append(
            (
                _por_dimension(cifras, dimension),
                titulo,
                f"recibidas_por_{dimension}",
                encabezado,
                "",
            )
        )
    definiciones.append(
        (
            _filas_de_resultados(cifras),
            _("Casos concluidos por resultado"),
            "concluidos_por_resultado",
            _("Resultado"),
            NOTAS["cierre"],
        )
    )
    tablas = _con_totales_comunes(definiciones)
    tablas.append(tabla_cierre_mensual(cifras, meses))
    return tablas


def _por_dimension(cifras, dimension: str) -> list[tuple[str, str, int, int]]:
    valores = sorted({v for (d, v, _t) in cifras.por_dimension if d == dimension})
    if dimension == "canal":
        valores = [v for v in Canal.values if v in valores]
    nombres = etiquetas_de(dimension, valores)
    filas = [
        (
            v,
            nombres.get(v, v),
            cifras.por_dimension.get((dimension, v, MED), {}).get("recibidas", 0),
            cifras.por_dimension.get((dimension, v, ASE), {}).get("recibidas", 0),
        )
        for v in valores
    ]
    filas.sort(key=lambda f: f[1] if dimension == "localidad" else "")
    return filas


# Tablas que cortan de distinto modo los mismos casos: sus totales son las mismas cifras.
MISMOS_TOTALES = (
    ("recibidas_por_mes", "recibidas_por_canal", "recibidas_por_localidad"),
    ("concluidos_por_mes", "concluidos_por_resultado"),
)


def _grupo(clave: str) -> int | None:
    return next((i for i, grupo in enumerate(MISMOS_TOTALES) if clave in grupo), None)


def _con_totales_comunes(definiciones) -> list[Tabla]:
    """Las tablas de conteo, protegidas juntas: un total que una tabla oculta (para proteger
    una celda suya) no puede salir publicado en otra que cuenta los mismos casos; se oculta
    en todas y cada una se vuelve a proteger contando con ello, hasta que nada cambia."""
    ocultos: dict[int, frozenset] = {i: frozenset() for i in range(len(MISMOS_TOTALES))}
    while True:
        tablas = [
            _por_tipo(*d, ocultos=ocultos.get(_grupo(d[2]), frozenset())) for d in definiciones
        ]
        nuevos = {i: set(v) for i, v in ocultos.items()}
        for tabla in tablas:
            grupo = _grupo(tabla.clave)
            if grupo is not None:
                nuevos[grupo] |= {k for k, c in enumerate(tabla.total.celdas) if c.suprimida}
        nuevos = {i: frozenset(v) for i, v in nuevos.items()}
        if nuevos == ocultos:
            return tablas
        ocultos = nuevos


_RESULTADOS = [
    ("convenio_total", _("Convenio con acuerdo total"), ("convenio_total",), ()),
    ("convenio_parcial", _("Convenio con acuerdo parcial"), ("convenio_parcial",), ()),
    ("sin_acuerdo", _("Sin acuerdo"), ("sin_acuerdo",), ()),
    ("anticipada", _("Conclusión anticipada"), ("anticipadas",), ()),
    (
        "no_admitida_o_canalizada",
        _("No admitida o canalizada a otra instancia"),
        ("c_no_admitidas", "c_canalizadas"),
        (),
    ),
    ("asesoria_resuelta", _("Asesoría resuelta"), (), ("primer_contacto", "resueltas")),
    ("asesoria_convertida", _("Asesoría convertida en mediación"), (), ("convertidas",)),
    ("asesoria_canalizada", _("Asesoría canalizada a otra instancia"), (), ("c_canalizadas",)),
]


def _filas_de_resultados(cifras) -> list[tuple[str, str, int, int]]:
    med, ase = cifras.del_tipo(MED), cifras.del_tipo(ASE)
    return [
        (
            clave,
            etiqueta,
            sum(med.get(m, 0) for m in de_med),
            sum(ase.get(m, 0) for m in de_ase),
        )
        for clave, etiqueta, de_med, de_ase in _RESULTADOS
    ]


def tabla_cierre_mensual(cifras, meses: list[date]) -> Tabla:
    renglones, concluidos_por_mes = [], []
    for m in meses:
        med = cifras.por_mes.get((m, MED), {})
        ase = cifras.por_mes.get((m, ASE), {})
        base = sum(med.get(x, 0) for x in MEDIACIONES_CONCLUIDAS)
        con = sum(med.get(x, 0) for x in CON_CONVENIO)
        dias = sumar([{"d": med.get("dias_a_cierre", {})}, {"d": ase.get("dias_a_cierre", {})}])
        concluidos = med.get("concluidas", 0) + ase.get("concluidas", 0)
        renglones.append(
            Renglon(
                mes_y_anio(m),
                [Celda(base), Celda(porcentaje(con, base)), Celda(mediana(dias.get("d", {})))],
                m.strftime("%Y-%m"),
            )
        )
        concluidos_por_mes.append(concluidos)
    tabla = Tabla(
        "cierre_por_mes",
        _("Convenios y días a cierre por mes"),
        [
            Columna("mes", _("Mes"), "t"),
            Columna("mediaciones", _("Mediaciones concluidas tras la admisión"), "n"),
            Columna("con_convenio", _("% con convenio"), "%"),
            Columna("mediana_dias", _("Mediana de días hábiles a cierre"), "d"),
        ],
        renglones,
        nota=f"{NOTAS['con_convenio']} {NOTAS['dias']} {NOTA_SUPRESION}",
    )
    publicada = supresion.suprimir_tabla(tabla, columnas_de_cuenta=[0])
    # Cada derivada sigue a su propia base: el % a las mediaciones (lo hace la supresión);
    # la mediana, a los casos concluidos del mes (todos los tipos), que no se publican aquí.
    for original, renglon, casos in zip(
        tabla.renglones, publicada.renglones, concluidos_por_mes, strict=True
    ):
        mediana_del_mes = original.celdas[2].valor
        renglon.celdas[2] = (
            Celda(None, suprimida=True)
            if casos < supresion.UMBRAL or mediana_del_mes is None
            else Celda(mediana_del_mes)
        )
    return publicada


def graficas(tablas: list[Tabla]) -> dict:
    """Las gráficas públicas: tendencia mensual y canales, con las mismas celdas suprimidas."""
    from . import graficas as g

    por_clave = {t.clave: t for t in tablas}
    mensual = por_clave["recibidas_por_mes"]
    meses = [mes_corto(date.fromisoformat(f"{r.clave}-01")) for r in mensual.renglones]
    canal = por_clave["recibidas_por_canal"]
    return {
        "tendencia": g.tendencia_mensual(
            _("Solicitudes recibidas por mes"),
            meses,
            [
                g.Serie(
                    _("Recibidas"),
                    [r.celdas[2].valor for r in mensual.renglones],
                    verbo=_("se recibieron"),
                )
            ],
            clave="publica-tendencia",
        ),
        "canal": g.barras(
            _("Solicitudes recibidas por canal"),
            [r.etiqueta for r in canal.renglones],
            [r.celdas[2].valor for r in canal.renglones],
            _("solicitudes"),
            claves=[r.clave for r in canal.renglones],
            encabezado=_("Canal"),
            clave="publica-canal",
        ),
    }

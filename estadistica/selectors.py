"""Las cifras del tablero de la Dirección, armadas en tablas (`estadistica.tablas`).

Sin filtros de dimensión se lee el resumen diario (tres consultas por periodo); con un canal,
módulo, localidad, categoría o persona se cuenta sobre los hechos de los casos (una consulta
por fecha y dimensión). Las dos rutas usan las mismas definiciones y dan las mismas cifras
(una prueba lo revisa)."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from casos import acceso
from casos.models import (
    Canal,
    Caso,
    Categoria,
    CausaConclusion,
    Localidad,
    Modulo,
    Sesion,
    TipoCaso,
)
from casos.texto import nombre_de

from . import resumen
from .definiciones import (
    CON_CONVENIO,
    DIMENSIONES,
    MEDIACIONES_CONCLUIDAS,
    MEDIDAS,
    NOTAS,
    SESION,
)
from .forms import Filtros, mes_y_anio
from .models import AbiertoHoy, Cumplimiento, EstadoResumen, HechoCaso
from .resumen import CAMPO_DE_FECHA, Cifras, como_texto
from .tablas import Celda, Columna, Renglon, Tabla

VER = "casos.ver_estadistica"
MED, ASE = TipoCaso.MEDIACION, TipoCaso.ASESORIA
# Pseudomedidas de la lista de casos: lo que hay hoy, no lo de un periodo.
ABIERTOS, VENCIDOS_HOY = "abiertos", "vencidos_hoy"


def exigir_estadistica(usuario) -> None:
    if not (usuario and usuario.is_authenticated and usuario.has_perm(VER)):
        raise PermissionDenied


# --- Cálculos sobre lo contado ----------------------------------------------------------


def sumar(grupos: list[dict]) -> dict:
    total: dict = {}
    for g in grupos:
        resumen._sumar(total, g)
    return total


def porcentaje(parte: int, base: int) -> float | None:
    return round(100 * parte / base, 1) if base else None


def _valores(histograma: dict) -> list[tuple[int, int]]:
    return sorted((int(k), n) for k, n in histograma.items() if k not in ("", "None"))


def mediana(histograma: dict) -> float | None:
    """La mediana de {valor: casos}: el de en medio, o el promedio de los dos de en medio."""
    valores = _valores(histograma)
    n = sum(c for _v, c in valores)
    if not n:
        return None
    return (_kesimo(valores, (n + 1) // 2) + _kesimo(valores, n // 2 + 1)) / 2


def percentil_90(histograma: dict) -> float | None:
    """Percentil 90 por rango más cercano: el valor del caso número ⌈0.9·n⌉."""
    valores = _valores(histograma)
    n = sum(c for _v, c in valores)
    return float(_kesimo(valores, math.ceil(0.9 * n))) if n else None


def _kesimo(valores: list[tuple[int, int]], k: int) -> int:
    acumulado = 0
    for valor, casos in valores:
        acumulado += casos
        if acumulado >= k:
            return valor
    return valores[-1][0]


def con_convenio(cifras: dict) -> float | None:
    base = sum(cifras.get(m, 0) for m in MEDIACIONES_CONCLUIDAS)
    return porcentaje(sum(cifras.get(m, 0) for m in CON_CONVENIO), base)


# --- Contar el periodo ------------------------------------------------------------------


def _filtro_hechos(filtros: Filtros) -> Q:
    q = Q(tipo__in=filtros.tipos)
    for dimension, valor in filtros.por_dimension.items():
        q &= Q(**{DIMENSIONES[dimension].campo: valor})
    return q


def _filtro_sesiones(filtros: Filtros) -> Q:
    q = Q(caso__hecho__tipo__in=filtros.tipos)
    for dimension, valor in filtros.por_dimension.items():
        q &= Q(**{DIMENSIONES[dimension].campo_sesion: valor})
    return q


def contar_periodo(filtros: Filtros, *, desde_hechos: bool = False) -> Cifras:
    dimensiones = list(DIMENSIONES)
    if filtros.por_dimension or desde_hechos:
        return resumen.desde_hechos(
            _filtro_hechos(filtros),
            _filtro_sesiones(filtros),
            filtros.desde,
            filtros.hasta,
            dimensiones,
        )
    return resumen.desde_resumen(filtros.tipos, filtros.desde, filtros.hasta, dimensiones)


# --- Enlaces a la lista de casos ----------------------------------------------------------


def enlace(filtros: Filtros, medida: str, **extra) -> str:
    """La lista de casos de una cifra: los filtros del tablero más la cifra."""
    base = f"{reverse('estadistica:casos')}?{filtros.consulta}"
    propios = {"medida": medida, **{k: v for k, v in extra.items() if v not in (None, "")}}
    # Lo de la cifra (p. ej. «tipo») manda sobre el filtro del mismo nombre.
    if set(propios) & set(filtros.parametros):
        otros = {k: v for k, v in filtros.parametros.items() if k not in propios}
        return f"{reverse('estadistica:casos')}?{urlencode({**otros, **propios})}"
    separador = "&" if filtros.parametros else ""
    return f"{base}{separador}{urlencode(propios)}"


def _celda(cifra, filtros: Filtros, medida: str | None = None, **extra) -> Celda:
    if medida is None or not cifra:
        return Celda(cifra)
    return Celda(cifra, enlace(filtros, medida, **extra))


# --- Las tablas ---------------------------------------------------------------------------

_POR_TIPO = [
    Columna("concepto", _("Concepto"), "t"),
    Columna("med", _("Mediación"), "n"),
    Columna("ase", _("Asesoría"), "n"),
    Columna("total", _("Total"), "n"),
]


def _por_tipo(cifras: Cifras) -> dict[str, dict]:
    meses = cifras.por_mes
    return {tipo: sumar([v for (_m, t), v in meses.items() if t == tipo]) for tipo in (MED, ASE)}


def _renglon_por_tipo(etiqueta, medida, por_tipo, filtros, clave="") -> Renglon:
    med = por_tipo[MED].get(medida, 0)
    ase = por_tipo[ASE].get(medida, 0)
    return Renglon(
        etiqueta,
        [
            _celda(med, filtros, medida, tipo=MED),
            _celda(ase, filtros, medida, tipo=ASE),
            _celda(med + ase, filtros, medida),
        ],
        clave or medida,
    )


def tabla_resumen(cifras: Cifras, filtros: Filtros) -> Tabla:
    por_tipo = _por_tipo(cifras)
    renglones = [
        _renglon_por_tipo(MEDIDAS[m].etiqueta, m, por_tipo, filtros)
        for m in ("recibidas", "concluidas", "ses_celebradas")
    ]
    return Tabla(
        "resumen",
        _("Lo principal del periodo"),
        _POR_TIPO,
        renglones,
        nota=" ".join(str(NOTAS[n]) for n in ("recepcion", "cierre")),
    )


def tabla_tiempos(cifras: Cifras) -> Tabla:
    por_tipo = _por_tipo(cifras)
    dias = {t: por_tipo[t].get("dias_a_cierre", {}) for t in (MED, ASE)}
    todos = sumar([{"d": dias[MED]}, {"d": dias[ASE]}]).get("d", {})
    renglones = [
        Renglon(
            etiqueta,
            [Celda(funcion(dias[MED])), Celda(funcion(dias[ASE])), Celda(funcion(todos))],
            clave,
        )
        for etiqueta, funcion, clave in (
            (_("Mediana de días hábiles a cierre"), mediana, "mediana_dias"),
            (_("Percentil 90 de días hábiles a cierre"), percentil_90, "p90_dias"),
        )
    ]
    return Tabla(
        "tiempos",
        _("Días hábiles de la recepción al cierre"),
        [*_POR_TIPO[:1], *[Columna(c.clave, c.titulo, "d") for c in _POR_TIPO[1:]]],
        renglones,
        nota=str(NOTAS["dias"]),
    )


def tabla_convenio(cifras: Cifras, filtros: Filtros) -> Tabla:
    """Porcentaje de mediaciones con convenio, mes por mes."""

    def renglon(etiqueta, medidas, clave, **extra):
        base = sum(medidas.get(m, 0) for m in MEDIACIONES_CONCLUIDAS)
        con = sum(medidas.get(m, 0) for m in CON_CONVENIO)
        return Renglon(
            etiqueta,
            [Celda(base), Celda(con), Celda(porcentaje(con, base))],
            clave,
        )

    meses = sorted({m for (m, t) in cifras.por_mes if t == MED})
    renglones = [
        renglon(
            mes_y_anio(mes),
            cifras.por_mes.get((mes, MED), {}),
            mes.strftime("%Y-%m"),
        )
        for mes in meses
    ]
    total = renglon(_("Total"), cifras.del_tipo(MED), "total")
    return Tabla(
        "convenio",
        _("Mediaciones concluidas con convenio"),
        [
            Columna("mes", _("Mes"), "t"),
            Columna("concluidas", _("Mediaciones concluidas tras la admisión"), "n"),
            Columna("con_convenio", _("Con convenio (total o parcial)"), "n"),
            Columna("porcentaje", _("% con convenio"), "%"),
        ],
        renglones,
        total,
        nota=str(NOTAS["con_convenio"]),
    )


def tabla_admision(cifras: Cifras, filtros: Filtros) -> Tabla:
    por_tipo = _por_tipo(cifras)
    medidas = ("recibidas", "admitidas", "no_admitidas", "canalizadas", "en_revision")
    renglones = [
        Renglon(
            MEDIDAS[m].etiqueta,
            [
                _celda(por_tipo[MED].get(m, 0), filtros, m, tipo=MED),
                Celda(porcentaje(por_tipo[MED].get(m, 0), por_tipo[MED].get("recibidas", 0))),
            ],
            m,
        )
        for m in medidas
    ]
    return Tabla(
        "admision",
        _("Solicitudes de mediación recibidas y su admisión"),
        [
            Columna("concepto", _("Concepto"), "t"),
            Columna("casos", _("Casos"), "n"),
            Columna("porcentaje", _("% de las recibidas"), "%"),
        ],
        renglones,
        nota=str(NOTAS["recepcion"]),
    )


def tabla_resultados(cifras: Cifras, filtros: Filtros) -> Tabla:
    por_tipo = _por_tipo(cifras)
    medidas = [
        "convenio_total",
        "convenio_parcial",
        "sin_acuerdo",
        "anticipadas",
        "c_no_admitidas",
        "c_canalizadas",
        "primer_contacto",
        "resueltas",
        "convertidas",
    ]
    renglones = [_renglon_por_tipo(MEDIDAS[m].etiqueta, m, por_tipo, filtros) for m in medidas]
    renglones.append(
        _renglon_por_tipo(MEDIDAS["incumplidos"].etiqueta, "incumplidos", por_tipo, filtros)
    )
    total = _renglon_por_tipo(_("Concluidas"), "concluidas", por_tipo, filtros)
    return Tabla(
        "resultados",
        _("Concluidas por resultado"),
        _POR_TIPO,
        renglones,
        total,
        nota=str(NOTAS["cierre"]),
    )


def tabla_anticipadas(cifras: Cifras, filtros: Filtros) -> Tabla:
    causas = cifras.del_tipo(MED).get("causas", {})
    etiquetas = dict(CausaConclusion.choices)
    renglones = [
        Renglon(
            str(etiquetas.get(causa, causa)),
            [_celda(n, filtros, "anticipadas", causa=causa)],
            causa,
        )
        for causa, n in sorted(causas.items(), key=lambda par: (-par[1], par[0]))
    ]
    return Tabla(
        "anticipadas",
        _("Conclusiones anticipadas por causa"),
        [Columna("causa", _("Causa"), "t"), Columna("casos", _("Casos"), "n")],
        renglones,
        Renglon(_("Total"), [_celda(sum(causas.values()), filtros, "anticipadas")], "total"),
    )


_PLAZOS = [
    ("inv", _("Invitación a la otra parte (art. 69)")),
    ("reg", _("Convenio enviado a registro (art. 98)")),
    ("proc", _("Procedimiento dentro de su plazo (art. 64)")),
    ("res", _("Resolución de la asesoría (plazo interno)")),
]
_ESTADOS_DE_PLAZO = [
    ("a_tiempo", Cumplimiento.A_TIEMPO.label),
    ("fuera", Cumplimiento.FUERA.label),
    ("vencido", Cumplimiento.VENCIDO.label),
    ("en_plazo", Cumplimiento.EN_PLAZO.label),
]


def cumplimiento_de_plazos(cifras: Cifras) -> list[tuple[str, str, dict[str, int]]]:
    total = cifras.del_tipo()
    return [
        (prefijo, str(etiqueta), {e: total.get(f"{prefijo}_{e}", 0) for e, _l in _ESTADOS_DE_PLAZO})
        for prefijo, etiqueta in _PLAZOS
    ]


def tabla_plazos(cifras: Cifras, filtros: Filtros) -> Tabla:
    renglones = []
    for prefijo, etiqueta, cuentas in cumplimiento_de_plazos(cifras):
        decididos = cuentas["a_tiempo"] + cuentas["fuera"] + cuentas["vencido"]
        renglones.append(
            Renglon(
                etiqueta,
                [_celda(cuentas[e], filtros, f"{prefijo}_{e}") for e, _l in _ESTADOS_DE_PLAZO]
                + [Celda(porcentaje(cuentas["a_tiempo"], decididos))],
                prefijo,
            )
        )
    return Tabla(
        "plazos",
        _("Cumplimiento de los plazos"),
        [
            Columna("plazo", _("Plazo"), "t"),
            *[Columna(e, str(etiqueta), "n") for e, etiqueta in _ESTADOS_DE_PLAZO],
            Columna("porcentaje", _("% a tiempo de los ya vencidos"), "%"),
        ],
        renglones,
        nota=str(NOTAS["plazos"]),
    )


def tabla_sesiones(cifras: Cifras, filtros: Filtros) -> Tabla:
    total = cifras.del_tipo()
    medidas = ("ses_celebradas", "ses_diferidas", "ses_inasistencia")
    return Tabla(
        "sesiones",
        _("Sesiones de mediación"),
        [Columna("concepto", _("Concepto"), "t"), Columna("sesiones", _("Sesiones"), "n")],
        [Renglon(MEDIDAS[m].etiqueta, [_celda(total.get(m, 0), filtros, m)], m) for m in medidas],
        nota=str(NOTAS["sesiones"]),
    )


def tabla_satisfaccion(cifras: Cifras, filtros: Filtros) -> Tabla:
    total = cifras.del_tipo(ASE)
    cuentas = {n: total.get(f"satisf_{n}", 0) for n in range(1, 6)}
    respuestas = sum(cuentas.values())
    promedio = round(sum(n * c for n, c in cuentas.items()) / respuestas, 1) if respuestas else None
    renglones = [
        Renglon(
            _("%(n)d de 5") % {"n": n},
            [_celda(c, filtros, f"satisf_{n}"), Celda(porcentaje(c, respuestas))],
            str(n),
        )
        for n, c in sorted(cuentas.items(), reverse=True)
    ]
    return Tabla(
        "satisfaccion",
        _("Encuesta de satisfacción de la asesoría"),
        [
            Columna("respuesta", _("Respuesta"), "t"),
            Columna("casos", _("Respuestas"), "n"),
            Columna("porcentaje", _("%"), "%"),
        ],
        renglones,
        Renglon(
            _("Promedio: %(p)s de 5") % {"p": promedio} if promedio else _("Sin respuestas"),
            [Celda(respuestas), Celda(100.0 if respuestas else None)],
            "total",
        ),
        nota=str(NOTAS["satisfaccion"]),
    )


ESTADOS_ARCO = ("a_tiempo", "fuera", "en_plazo", "vencidas", "en_pausa", "no_presentadas")


def cuenta_arco(solicitudes, hoy: date) -> dict[str, int]:
    """Cómo va cada solicitud ARCO contra su plazo de respuesta (el que rige a la solicitud,
    con la pausa del requerimiento y la ampliación): respondida a tiempo o fuera de plazo,
    abierta en plazo o vencida, en pausa esperando a la persona, o no presentada."""
    from casos import plazos as plazos_de_casos
    from casos.calendario import Calendario
    from casos.models import EstadoARCO

    calendario = Calendario()
    cuenta = dict.fromkeys(ESTADOS_ARCO, 0)
    for s in solicitudes:
        if s.estado == EstadoARCO.NO_PRESENTADA:
            cuenta["no_presentadas"] += 1
            continue
        vence = plazos_de_casos.arco_respuesta_vence_el(s, calendario)
        if vence is None:
            cuenta["en_pausa"] += 1
        elif s.respondida_en is not None:
            a_tiempo = plazos_de_casos.fecha_local(s.respondida_en) <= vence
            cuenta["a_tiempo" if a_tiempo else "fuera"] += 1
        else:
            cuenta["en_plazo" if hoy <= vence else "vencidas"] += 1
    return cuenta


def tabla_arco(filtros: Filtros) -> Tabla:
    """Solicitudes de derechos ARCO recibidas en el periodo, por derecho y por cómo van
    contra su plazo legal. No dependen de los filtros de casos (programa, tipo, localidad)."""
    from django.utils import timezone

    from casos.models import Derecho, SolicitudARCO

    inicio = timezone.make_aware(datetime.combine(filtros.desde, time.min))
    fin = timezone.make_aware(datetime.combine(filtros.hasta, time.max))
    solicitudes = list(
        SolicitudARCO.objects.filter(recibida_en__range=(inicio, fin)).only(
            "derecho",
            "estado",
            "recibida_en",
            "plazos_segun",
            "requerida_en",
            "desahogada_en",
            "ampliada_en",
            "respondida_en",
        )
    )
    hoy = timezone.localdate()
    renglones = []
    for derecho in Derecho:
        propias = [s for s in solicitudes if s.derecho == derecho]
        cuenta = cuenta_arco(propias, hoy)
        renglones.append(
            Renglon(
                derecho.label,
                [Celda(len(propias)), *[Celda(cuenta[e]) for e in ESTADOS_ARCO]],
                derecho.value,
            )
        )
    total = cuenta_arco(solicitudes, hoy)
    return Tabla(
        "arco",
        _("Solicitudes de derechos ARCO"),
        [
            Columna("derecho", _("Derecho"), "t"),
            Columna("recibidas", _("Recibidas"), "n"),
            Columna("a_tiempo", _("Respondidas en plazo"), "n"),
            Columna("fuera", _("Respondidas fuera de plazo"), "n"),
            Columna("en_plazo", _("Abiertas en plazo"), "n"),
            Columna("vencidas", _("Abiertas con el plazo vencido"), "n"),
            Columna("en_pausa", _("En pausa (se pidió información)"), "n"),
            Columna("no_presentadas", _("No presentadas"), "n"),
        ],
        renglones,
        Renglon(
            _("Total"),
            [Celda(len(solicitudes)), *[Celda(total[e]) for e in ESTADOS_ARCO]],
            "total",
        ),
        nota=str(NOTAS["arco"]),
    )


def tabla_mensual(cifras: Cifras, filtros: Filtros) -> Tabla:
    meses = sorted({m for (m, _t) in cifras.por_mes})
    medidas = ("recibidas", "concluidas", "ses_celebradas")
    renglones = []
    for mes in meses:
        total = sumar([v for (m, _t), v in cifras.por_mes.items() if m == mes])
        renglones.append(
            Renglon(
                mes_y_anio(mes),
                [_celda(total.get(m, 0), filtros, m, mes=mes.strftime("%Y-%m")) for m in medidas]
                + [Celda(total.get("convenio_total", 0) + total.get("convenio_parcial", 0))],
                mes.strftime("%Y-%m"),
            )
        )
    general = cifras.del_tipo()
    return Tabla(
        "mensual",
        _("Mes por mes"),
        [
            Columna("mes", _("Mes"), "t"),
            *[Columna(m, MEDIDAS[m].etiqueta, "n") for m in medidas],
            Columna("convenios", _("Convenios firmados"), "n"),
        ],
        renglones,
        Renglon(
            _("Total"),
            [_celda(general.get(m, 0), filtros, m) for m in medidas]
            + [Celda(general.get("convenio_total", 0) + general.get("convenio_parcial", 0))],
            "total",
        ),
    )


# --- Por dimensión ----------------------------------------------------------------------


def etiquetas_de(dimension: str, valores: list[str]) -> dict[str, str]:
    """El nombre de cada valor de una dimensión (una consulta por dimensión de catálogo)."""
    ids = [int(v) for v in valores if v.isdigit()]
    if dimension == "canal":
        return {v: str(Canal(v).label) if v in Canal.values else v for v in valores}
    if dimension == "localidad":
        return {str(x.pk): x.nombre for x in Localidad.objects.filter(pk__in=ids)}
    if dimension == "categoria":
        return {str(x.pk): x.nombre for x in Categoria.objects.filter(pk__in=ids)}
    if dimension == "modulo":
        return {
            str(x.pk): f"{x.fecha:%d/%m/%Y} · {x.nombre}, {x.localidad}"
            for x in Modulo.objects.filter(pk__in=ids).select_related("localidad")
        }
    if dimension == "persona":
        return {str(x.pk): nombre_de(x) for x in get_user_model().objects.filter(pk__in=ids)}
    return {v: v for v in valores}


def _de_dimension(cifras: Cifras, dimension: str) -> dict[str, dict]:
    grupos: dict[str, list] = {}
    for (d, valor, _tipo), medidas in cifras.por_dimension.items():
        if d == dimension:
            grupos.setdefault(valor, []).append(medidas)
    return {valor: sumar(lista) for valor, lista in grupos.items()}


_COLUMNAS_DIMENSION = {
    "canal": ("recibidas", "concluidas"),
    "localidad": ("recibidas", "concluidas", "convenio_total", "convenio_parcial"),
    "categoria": ("recibidas", "concluidas"),
    "modulo": ("recibidas",),
    "dependencia": ("ase_canalizadas",),
}
_TITULOS_DIMENSION = {
    "canal": _("Solicitudes por canal"),
    "localidad": _("Solicitudes por localidad"),
    "categoria": _("Solicitudes por categoría"),
    "modulo": _("Casos por jornada de módulo itinerante"),
    "dependencia": _("Asesorías canalizadas, por dependencia"),
}


def tabla_dimension(cifras: Cifras, filtros: Filtros, dimension: str) -> Tabla:
    por_valor = _de_dimension(cifras, dimension)
    medidas = _COLUMNAS_DIMENSION[dimension]
    nombres = etiquetas_de(dimension, list(por_valor))
    filas = sorted(
        por_valor.items(), key=lambda par: (-par[1].get(medidas[0], 0), nombres.get(par[0], ""))
    )
    renglones = [
        Renglon(
            nombres.get(valor, valor) or _("(sin dato)"),
            [_celda(cifras_.get(m, 0), filtros, m, dim=dimension, valor=valor) for m in medidas],
            valor,
        )
        for valor, cifras_ in filas
        if any(cifras_.get(m, 0) for m in medidas)
    ]
    total = sumar([c for _v, c in filas])
    return Tabla(
        dimension,
        str(_TITULOS_DIMENSION[dimension]),
        [
            Columna(dimension, str(DIMENSIONES[dimension].etiqueta), "t"),
            *[Columna(m, MEDIDAS[m].etiqueta, "n") for m in medidas],
        ],
        renglones,
        None
        if dimension in ("modulo", "dependencia")
        else Renglon(_("Total"), [_celda(total.get(m, 0), filtros, m) for m in medidas], "total"),
        nota=str(NOTAS["asesoria"]) if dimension == "dependencia" else "",
    )


def _abiertos_por_persona(filtros: Filtros) -> dict[str, dict[str, int]]:
    """Casos abiertos hoy por persona: sin filtros de dimensión, los contados en el último
    refresco; con filtros, directo sobre los hechos."""
    if not filtros.por_dimension:
        salida: dict[str, dict[str, int]] = {}
        for fila in AbiertoHoy.objects.filter(tipo__in=filtros.tipos).values(
            "responsable_id", "abiertos", "vencidos"
        ):
            propio = salida.setdefault(
                como_texto(fila["responsable_id"]), {"abiertos": 0, "vencidos": 0}
            )
            propio["abiertos"] += fila["abiertos"]
            propio["vencidos"] += fila["vencidos"]
        return salida
    filas = (
        HechoCaso.objects.filter(_filtro_hechos(filtros), abierto=True)
        .values("responsable_id")
        .annotate(
            abiertos=Count("pk"),
            vencidos=Count("pk", filter=Q(procedimiento=Cumplimiento.VENCIDO)),
        )
        .order_by()
    )
    return {como_texto(f["responsable_id"]): f for f in filas}


def tabla_carga(cifras: Cifras, filtros: Filtros, abiertos: dict) -> Tabla:
    por_valor = _de_dimension(cifras, "persona")
    personas = sorted(set(por_valor) | {p for p in abiertos if p})
    nombres = etiquetas_de("persona", personas)
    medidas = ("recibidas", "concluidas", "ses_celebradas")
    renglones = []
    for persona in sorted(personas, key=lambda p: nombres.get(p, p)):
        c = por_valor.get(persona, {})
        hoy = abiertos.get(persona, {})
        renglones.append(
            Renglon(
                nombres.get(persona, persona),
                [
                    _celda(hoy.get("abiertos", 0), filtros, ABIERTOS, dim="persona", valor=persona),
                    _celda(
                        hoy.get("vencidos", 0), filtros, VENCIDOS_HOY, dim="persona", valor=persona
                    ),
                    *[
                        _celda(c.get(m, 0), filtros, m, dim="persona", valor=persona)
                        for m in medidas
                    ],
                ],
                persona,
            )
        )
    return Tabla(
        "carga",
        _("Carga de trabajo por persona"),
        [
            Columna("persona", _("Persona"), "t"),
            Columna("abiertos", _("Casos abiertos hoy"), "n"),
            Columna("vencidos", _("Abiertos con el plazo del art. 64 vencido"), "n"),
            Columna("recibidas", _("Recibidos a su cargo en el periodo"), "n"),
            Columna("concluidas", _("Concluidos en el periodo"), "n"),
            Columna("ses_celebradas", _("Sesiones facilitadas"), "n"),
        ],
        renglones,
        nota=str(NOTAS["carga"]),
    )


# --- El tablero -------------------------------------------------------------------------


@dataclass
class Tablero:
    filtros: Filtros
    cifras: Cifras
    tablas: dict[str, Tabla] = field(default_factory=dict)
    abiertos_vencidos: int = 0
    datos_al: object = None
    fuente: str = ""


def datos_al():
    estado = EstadoResumen.objects.filter(pk=1).first()
    return estado.datos_al if estado else None


def tablero(*, usuario, filtros: Filtros, desde_hechos: bool = False) -> Tablero:
    exigir_estadistica(usuario)
    return armar_tablero(filtros, desde_hechos=desde_hechos)


def armar_tablero(filtros: Filtros, *, desde_hechos: bool = False) -> Tablero:
    """Las tablas del periodo (sin revisar permisos: también las usa el informe mensual)."""
    cifras = contar_periodo(filtros, desde_hechos=desde_hechos)
    abiertos = _abiertos_por_persona(filtros)
    t = Tablero(
        filtros=filtros,
        cifras=cifras,
        datos_al=datos_al(),
        fuente="hechos" if (filtros.por_dimension or desde_hechos) else "resumen",
    )
    t.abiertos_vencidos = sum(f["vencidos"] for f in abiertos.values())
    for tabla in (
        tabla_resumen(cifras, filtros),
        tabla_tiempos(cifras),
        tabla_convenio(cifras, filtros),
        tabla_mensual(cifras, filtros),
        tabla_admision(cifras, filtros),
        tabla_resultados(cifras, filtros),
        tabla_anticipadas(cifras, filtros),
        tabla_plazos(cifras, filtros),
        tabla_sesiones(cifras, filtros),
        *[tabla_dimension(cifras, filtros, d) for d in ("canal", "localidad", "categoria")],
        tabla_dimension(cifras, filtros, "modulo"),
        tabla_dimension(cifras, filtros, "dependencia"),
        tabla_satisfaccion(cifras, filtros),
        tabla_carga(cifras, filtros, abiertos),
        tabla_arco(filtros),
    ):
        t.tablas[tabla.clave] = tabla
    return t


# --- La lista de casos detrás de una cifra --------------------------------------------


def _mes_acotado(filtros: Filtros, mes: str) -> tuple[date, date]:
    import calendar

    try:
        anio, numero = (int(x) for x in mes.split("-"))
        inicio = date(anio, numero, 1)
    except ValueError:
        return filtros.desde, filtros.hasta
    fin = date(anio, numero, calendar.monthrange(anio, numero)[1])
    return max(inicio, filtros.desde), min(fin, filtros.hasta)


def hechos_de_la_cifra(
    filtros: Filtros,
    *,
    medida: str,
    tipo: str = "",
    dim: str = "",
    valor: str = "",
    mes: str = "",
    causa: str = "",
) -> QuerySet[HechoCaso]:
    """Los hechos de los casos que cuenta una cifra del tablero (la misma definición)."""
    desde, hasta = _mes_acotado(filtros, mes) if mes else (filtros.desde, filtros.hasta)
    tipos = [tipo] if tipo in (MED, ASE) and tipo in filtros.tipos else filtros.tipos
    hechos = HechoCaso.objects.filter(_filtro_hechos(filtros), tipo__in=tipos)
    dimension = DIMENSIONES.get(dim)
    if medida in (ABIERTOS, VENCIDOS_HOY):
        hechos = hechos.filter(abierto=True)
        if medida == VENCIDOS_HOY:
            hechos = hechos.filter(procedimiento=Cumplimiento.VENCIDO)
    elif medida in MEDIDAS and MEDIDAS[medida].fecha == SESION:
        sesiones = Sesion.objects.filter(
            MEDIDAS[medida].filtro, _filtro_sesiones(filtros), resumen.inicio_entre(desde, hasta)
        )
        if dimension:
            sesiones = sesiones.filter(**{dimension.campo_sesion: valor})
            dimension = None
        hechos = hechos.filter(pk__in=sesiones.values("caso_id"))
    elif medida in MEDIDAS:
        campo = CAMPO_DE_FECHA[MEDIDAS[medida].fecha]
        hechos = hechos.filter(MEDIDAS[medida].filtro, **{f"{campo}__range": (desde, hasta)})
        if causa:
            hechos = hechos.filter(causa=causa)
    else:
        return hechos.none()
    if dimension:
        hechos = hechos.filter(**{dimension.campo: valor})
    return hechos


def casos_de_la_cifra(*, usuario, filtros: Filtros, **cifra) -> QuerySet[Caso]:
    """Los casos detrás de una cifra que la persona puede ver (política de acceso)."""
    exigir_estadistica(usuario)
    hechos = hechos_de_la_cifra(filtros, **cifra)
    return (
        acceso.casos_visibles(usuario, Caso.objects.filter(pk__in=hechos.values("pk")))
        .select_related("categoria", "localidad", "responsable")
        .prefetch_related("partes")
        .order_by("-recibido_en")
    )


def titulo_de_la_cifra(medida: str) -> str:
    if medida == ABIERTOS:
        return _("Casos abiertos hoy")
    if medida == VENCIDOS_HOY:
        return _("Casos abiertos con el plazo del art. 64 vencido")
    return str(MEDIDAS[medida].etiqueta) if medida in MEDIDAS else ""

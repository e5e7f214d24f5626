"""Dónde se va el tiempo de una página: cProfile de N peticiones en proceso (cliente de pruebas
de Django), con el tiempo propio de cada función agrupado por capa. Lo usan los benchmarks
para el resumen de perfil de cada ruta (README, «Dónde se va el tiempo»)."""

import cProfile
import pstats
import time
from collections.abc import Callable
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent

# Capa de cada función, por la ruta de su archivo (la primera que coincide).
# Funciones de C que son la espera o el envío por la red (el servidor de la base).
_DE_LA_RED = ("socket", "select", "poll", "wait_c", "PGconn", "pgconn")
CAPAS = (
    ("base de datos", ("/psycopg/", "/psycopg_", "selectors.py")),
    ("ORM", ("/django/db/",)),
    ("plantillas", ("/django/template/", "/templatetags/", "/django/forms/")),
    ("traducciones", ("gettext.py", "/django/utils/translation/")),
    (
        # El resto de Django (manejador, middleware, ajustes, URL, señales) y el middleware de
        # terceros que lleva cada petición.
        "petición y middleware",
        ("/django/", "/csp/", "/whitenoise/", "/axes/", "/django_otp/", "/simple_history/")
        + ("/asgiref/",),
    ),
)


def _capa(archivo: str) -> str:
    for nombre, marcas in CAPAS:
        if any(m in archivo for m in marcas):
            return nombre
    if archivo.startswith(str(RAIZ)) and "/.venv/" not in archivo:
        return "código del sistema"
    return "resto (biblioteca estándar)"


def perfilar(peticion: Callable[[], object], veces: int = 200) -> dict:
    """ms por petición sin perfilador, y el reparto del tiempo por capa (%) con él."""
    for _ in range(5):
        peticion()
    inicio = time.perf_counter()
    for _ in range(veces):
        peticion()
    ms = (time.perf_counter() - inicio) / veces * 1000
    perfilador = cProfile.Profile()
    perfilador.enable()
    for _ in range(veces):
        peticion()
    perfilador.disable()
    estadisticas = pstats.Stats(perfilador).stats
    por_capa: dict[str, float] = {}
    propias: list[tuple[float, str]] = []
    for (archivo, linea, funcion), (_, _, propio, _, llamadores) in estadisticas.items():
        if archivo == "~":
            # Una función de C (dict.get, getattr, el envío por el socket): su tiempo cuenta en
            # la capa de quien la llamó, salvo la espera de la red, que es de la base.
            if any(m in funcion for m in _DE_LA_RED):
                por_capa["base de datos"] = por_capa.get("base de datos", 0.0) + propio
                continue
            for (archivo_llamador, _l, _f), (_, _, de_este, _) in llamadores.items():
                capa = _capa(archivo_llamador)
                por_capa[capa] = por_capa.get(capa, 0.0) + de_este
            continue
        capa = _capa(archivo)
        por_capa[capa] = por_capa.get(capa, 0.0) + propio
        if capa == "código del sistema":
            relativo = Path(archivo).resolve().relative_to(RAIZ)
            propias.append((propio, f"{relativo}:{linea} {funcion}"))
    total = sum(por_capa.values()) or 1.0
    propias.sort(reverse=True)
    return {
        "ms": ms,
        "capas": {
            c: round(t / total * 100, 1) for c, t in sorted(por_capa.items(), key=lambda x: -x[1])
        },
        "del_sistema": [f"{n} ({t / total * 100:.1f} %)" for t, n in propias[:3]],
    }


def resumen(perfil: dict) -> str:
    """Una línea: «ms en proceso; capa %, capa %…»."""
    capas = ", ".join(f"{c} {p:.0f} %" for c, p in perfil["capas"].items() if p >= 1)
    return f"{perfil['ms']:.2f} ms en proceso; {capas}"

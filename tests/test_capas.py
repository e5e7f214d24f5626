"""Capas sin ciclos: cada app del proyecto importa solo las que están debajo de ella.

Se lee el código con `ast` (también los `import` dentro de funciones), así que una
dependencia escondida en una importación tardía cuenta igual."""

import ast
from collections import defaultdict
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent

# De abajo hacia arriba. `nucleo` no sabe de ninguna app; `casos` es el expediente y no
# importa ninguna otra; `config` es el techo (ajustes, URLs, Celery, WSGI).
CAPAS = [
    "nucleo",
    "casos",
    "cuentas",
    "plantillas",
    "oficina",
    "flujos",
    "notificaciones",
    "agenda",
    "comunidad",
    "operacion",
    "estadistica",
    "importacion",
    "modulos",
    "privacidad",
    "portal",
    "api",
    "open311",
    "demo",
    "config",
]


def _importaciones(app: str):
    """(archivo, línea, app importada) de cada importación de otra app del proyecto."""
    for archivo in sorted((RAIZ / app).rglob("*.py")):
        if "migrations" in archivo.parts:
            continue
        arbol = ast.parse(archivo.read_text(encoding="utf-8"), filename=str(archivo))
        for nodo in ast.walk(arbol):
            if isinstance(nodo, ast.Import):
                modulos = [alias.name for alias in nodo.names]
            elif isinstance(nodo, ast.ImportFrom) and nodo.level == 0 and nodo.module:
                modulos = [nodo.module]
            else:
                continue
            for modulo in modulos:
                destino = modulo.split(".")[0]
                if destino in CAPAS and destino != app:
                    yield archivo.relative_to(RAIZ), nodo.lineno, destino


def _grafo() -> dict[str, set[str]]:
    grafo = defaultdict(set)
    for app in CAPAS:
        for _archivo, _linea, destino in _importaciones(app):
            grafo[app].add(destino)
    return grafo


def test_cada_app_importa_solo_capas_de_abajo():
    hacia_arriba = [
        f"{archivo}:{linea} ({app} importa {destino})"
        for app in CAPAS
        for archivo, linea, destino in _importaciones(app)
        if CAPAS.index(destino) > CAPAS.index(app)
    ]
    assert not hacia_arriba, "Importaciones hacia arriba:\n" + "\n".join(hacia_arriba)


def test_no_hay_ciclos_entre_apps():
    grafo = _grafo()
    ciclos = []

    def visitar(app, camino):
        for destino in sorted(grafo[app]):
            if destino in camino:
                ciclos.append(" -> ".join([*camino[camino.index(destino) :], destino]))
            else:
                visitar(destino, [*camino, destino])

    for app in CAPAS:
        visitar(app, [app])
    assert not ciclos, "Ciclos de importación:\n" + "\n".join(sorted(set(ciclos)))


def test_casos_no_importa_ninguna_otra_app():
    assert not _grafo()["casos"] - {"nucleo"}


def test_la_lista_de_capas_tiene_todas_las_apps_del_proyecto():
    apps = {
        carpeta.name
        for carpeta in RAIZ.iterdir()
        if (carpeta / "__init__.py").exists() and carpeta.name != "tests"
    }
    assert apps == set(CAPAS), "Ponga la app nueva en CAPAS, en su lugar"


def test_config_solo_tiene_ajustes_urls_celery_y_wsgi():
    modulos = {archivo.name for archivo in (RAIZ / "config").glob("*.py")}
    assert modulos <= {"__init__.py", "settings.py", "urls.py", "celery.py", "wsgi.py", "asgi.py"}

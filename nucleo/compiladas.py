"""Consultas del ORM pasadas a SQL una sola vez por proceso.

Las rutas públicas más pedidas (una solicitud de Open311, la página de estado) y el envío de
cada aviso repiten la misma consulta con otro folio o con otra llave. Armar el queryset
(filtros, subconsultas, uniones con `select_related`) y pasarlo a SQL le cuesta a Django
varias veces lo que tarda la base en responder. Aquí se arma una vez, con valores marcadores
en lugar de los de cada petición, y después solo se ejecuta el mismo SQL con los valores
verdaderos en el lugar de los marcadores.

Lo que sale es lo mismo que daría el queryset: renglones convertidos por los conversores del
ORM (fechas con zona en SQLite, JSON) en el orden de `values_list` (`filas`), o modelos con
sus relaciones de `select_related`, sus anotaciones y sus campos diferidos (`modelos`). El SQL
se guarda por conexión (cada motor escribe el suyo) y solo depende del código: no hay nada
que olvidar cuando cambian los datos.

En PostgreSQL se ejecutan con los parámetros aparte (binding del lado del servidor), así que
psycopg prepara cada consulta en la conexión a partir de su quinta ejecución (si
`BD_SENTENCIAS_PREPARADAS` no lo apaga, `config/settings.py`): la base deja de planearla cada
vez, y planear estas lecturas le cuesta más que ejecutarlas. Las conexiones persistentes
(`CONN_MAX_AGE`) conservan lo preparado. El resto del ORM sigue con los parámetros en el
texto (lo de Django por omisión), que nunca se prepara. Las consultas pasan por el envoltorio de
cursor de Django: sus errores son los de Django (una base caída da el 503 de siempre) y cuentan
en `CaptureQueriesContext` y en los registros como cualquier otra.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, get_related_populators

# Marcadores de uso general: no coinciden con ningún folio, texto ni llave verdaderos. Una
# consulta con dos valores del mismo tipo necesita un segundo marcador distinto.
TEXTO = "\x00marcador\x00"
ENTERO = -(2**62) + 311


@contextmanager
def cursor_preparable(alias: str = DEFAULT_DB_ALIAS) -> Iterator:
    """Un cursor de Django para SQL que se repite: en PostgreSQL, con los parámetros aparte
    (psycopg lo prepara tras unas ejecuciones, si la conexión lo permite); en otro motor, el
    de siempre."""
    conexion = connections[alias]
    if conexion.vendor != "postgresql":
        with conexion.cursor() as cursor:
            yield cursor
        return
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID, ServerBindingCursor
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    conexion.close_if_health_check_failed()
    conexion.ensure_connection()
    conexion.validate_thread_sharing()
    with conexion.wrap_database_errors:
        crudo = ServerBindingCursor(conexion.connection)
    # Como los cursores de Django: las fechas, en la zona de la conexión.
    if conexion.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT).timezone != (
        conexion.timezone
    ):
        register_tzloader(conexion.timezone, crudo)
    envuelto = (
        conexion.make_debug_cursor(crudo)
        if conexion.queries_logged
        else conexion.make_cursor(crudo)
    )
    with envuelto as cursor:
        yield cursor


def _plan_viejo(error: Exception) -> bool:
    """PostgreSQL no reutiliza una sentencia preparada cuyo resultado cambió de tipo: otro
    proceso migró una de sus columnas mientras esta conexión la tenía preparada."""
    causa = error.__cause__
    return getattr(causa, "sqlstate", None) == "0A000" and "cached plan" in str(causa)


def ejecutar_preparado(sql: str, parametros: list, *, alias: str = DEFAULT_DB_ALIAS) -> list:
    """Ejecuta en `cursor_preparable` y devuelve los renglones (lista vacía si el enunciado
    no devuelve ninguno). Si la sentencia preparada quedó vieja por una migración hecha desde
    otro proceso, se sueltan las preparadas de la conexión y se ejecuta otra vez (fuera de una
    transacción: dentro, el error ya la abortó y se propaga como cualquier otro)."""
    for intento in (1, 2):
        try:
            with cursor_preparable(alias) as cursor:
                cursor.execute(sql, parametros)
                return cursor.fetchall() if cursor.description is not None else []
        except NotSupportedError as error:
            conexion = connections[alias]
            repetible = conexion.vendor == "postgresql" and not conexion.in_atomic_block
            if intento == 2 or not repetible or not _plan_viejo(error):
                raise
            with cursor_preparable(alias) as cursor:
                cursor.execute("DEALLOCATE ALL")  # psycopg también olvida las suyas
    raise AssertionError("inalcanzable")


class MarcadorAusente(Exception):
    """Un marcador no quedó como parámetro del SQL (p. ej. el ORM lo convirtió o lo
    descartó): la consulta no podría recibir el valor verdadero."""


class _Compilado:
    """El SQL de una conexión, sus parámetros fijos, dónde van los valores y cómo se arma
    cada renglón."""

    def __init__(self, consulta: QuerySet, alias: str, marcadores: tuple):
        self.compilador = consulta.query.get_compiler(using=alias)
        try:
            self.sql, parametros = self.compilador.as_sql()
        except (EmptyResultSet, FullResultSet) as error:
            raise MarcadorAusente("el ORM resolvió el filtro sin el SQL") from error
        self.parametros = tuple(parametros)
        self.lugares = []
        for marcador in marcadores:
            posiciones = [i for i, p in enumerate(parametros) if p == marcador]
            if not posiciones:
                raise MarcadorAusente(repr(marcador))
            self.lugares.append(posiciones)
        self.columnas = self.compilador.col_count
        self.modelo = None
        info = self.compilador.klass_info
        if consulta._iterable_class is ModelIterable:  # de modelos, no de `values_list`
            propias = info["select_fields"]
            self.desde, self.hasta = propias[0], propias[-1] + 1
            self.modelo = info["model"]
            self.nombres = [
                c[0].target.attname for c in self.compilador.select[self.desde : self.hasta]
            ]
            self.relacionados = get_related_populators(info, self.compilador.select, alias)
            self.anotaciones = dict(self.compilador.annotation_col_map or {})


class Compilada:
    """`armar(*marcadores)` da el queryset; `filas(*valores)` o `modelos(*valores)` ejecutan
    su SQL con cada valor en el lugar de su marcador.

    Cada marcador debe ser un valor que el ORM pase tal cual como parámetro en todos los
    motores (una cadena o un entero que no pueda coincidir con otra constante de la consulta;
    no una fecha, que SQLite recibe convertida en texto) y del mismo tipo que el valor que lo
    reemplaza."""

    def __init__(self, armar: Callable[..., QuerySet], *marcadores: Any):
        self._armar = armar
        self._marcadores = marcadores
        self._por_base: dict[tuple[str, str], _Compilado] = {}

    def _compilado(self, alias: str) -> _Compilado:
        clave = (alias, connections[alias].vendor)
        compilado = self._por_base.get(clave)
        if compilado is None:
            compilado = _Compilado(self._armar(*self._marcadores), alias, self._marcadores)
            self._por_base[clave] = compilado
        return compilado

    def sql(self, alias: str = DEFAULT_DB_ALIAS) -> str:
        """El SQL guardado para esa conexión (para explicarlo o revisarlo)."""
        return self._compilado(alias).sql

    def _renglones(self, compilado: _Compilado, valores: tuple, alias: str):
        parametros = list(compilado.parametros)
        for posiciones, valor in zip(compilado.lugares, valores, strict=True):
            for posicion in posiciones:
                parametros[posicion] = valor
        crudos = ejecutar_preparado(compilado.sql, parametros, alias=alias)
        if crudos and len(crudos[0]) != compilado.columnas:  # columnas añadidas para ordenar
            crudos = [renglon[: compilado.columnas] for renglon in crudos]
        return compilado.compilador.results_iter([crudos]) if crudos else ()

    def filas(self, *valores: Any, alias: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        """Los renglones, como los da un queryset de `values_list`."""
        compilado = self._compilado(alias)
        return [tuple(r) for r in self._renglones(compilado, valores, alias)]

    def modelos(self, *valores: Any, alias: str = DEFAULT_DB_ALIAS) -> list:
        """Los modelos, como los da iterar el queryset: con lo de `select_related` ya puesto,
        las anotaciones como atributos y lo que `only()` dejó fuera, diferido."""
        compilado = self._compilado(alias)
        if compilado.modelo is None:
            raise TypeError("modelos() pide un queryset de modelos, no de values_list")
        resultado = []
        for renglon in self._renglones(compilado, valores, alias):
            obj = compilado.modelo.from_db(
                alias, compilado.nombres, renglon[compilado.desde : compilado.hasta]
            )
            for relacionado in compilado.relacionados:
                relacionado.populate(renglon, obj)
            for nombre, posicion in compilado.anotaciones.items():
                setattr(obj, nombre, renglon[posicion])
            resultado.append(obj)
        return resultado

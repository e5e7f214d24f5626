"""La base de datos de un juego de respaldo, con las herramientas de cada motor.

PostgreSQL: `pg_dump --format=custom` sin dueños ni permisos (se restaura con otro rol) y
`pg_restore --single-transaction` (o todo o nada). La conexión sale de settings.DATABASES; la
contraseña viaja en PGPASSWORD, nunca en la línea de comandos. Una transacción REPEATABLE READ
exporta su foto de los datos (`pg_export_snapshot`) y pg_dump trabaja sobre esa misma foto:
los renglones que anota el manifiesto y las migraciones son exactamente los del respaldo
aunque la web siga escribiendo mientras tanto.

SQLite: la API de respaldo en línea de sqlite3 en un solo paso, que copia una foto de un
instante aunque otra conexión esté escribiendo (la base va en modo WAL); se cuenta en la copia.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError
from django.db.backends.postgresql.client import DatabaseClient

from .errores import Error

# El cliente que trae Debian 12 (bookworm) es el 15; el servidor de docker compose es el 16.
REPOSITORIO_PGDG = "apt.postgresql.org"


@dataclass(frozen=True)
class Foto:
    """Lo que el manifiesto anota de la base respaldada, tomado de la misma foto de datos."""

    servidor: str
    herramienta: str
    tablas: dict[str, int]
    migraciones: dict[str, str]


def comillas(nombre: str) -> str:
    """Identificador SQL entre comillas dobles (igual en PostgreSQL y en SQLite)."""
    return '"' + nombre.replace('"', '""') + '"'


def contar(cursor, tablas: list[str]) -> dict[str, int]:
    conteos = {}
    for tabla in tablas:
        cursor.execute(f"SELECT COUNT(*) FROM {comillas(tabla)}")
        conteos[tabla] = cursor.fetchone()[0]
    return conteos


def ultimas_migraciones(cursor, tablas: list[str]) -> dict[str, str]:
    """La última migración aplicada de cada app, en el orden en que se aplicaron."""
    if "django_migrations" not in tablas:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return {app: nombre for app, nombre in cursor.fetchall()}


def version_mayor(texto: str) -> int:
    """15 de «pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)»; 0 si no trae número."""
    encontrado = re.search(r"\d+", texto)
    return int(encontrado.group()) if encontrado else 0


class Motor(ABC):
    """Lo común: abrir la base configurada y leer su estado (tablas, renglones, migraciones)."""

    nombre = ""
    archivo = ""

    def __init__(self, conexion):
        self.conexion = conexion

    @abstractmethod
    def descripcion(self) -> str:
        """Qué base es, para los mensajes (sin contraseña)."""

    @abstractmethod
    def tablas(self, cursor) -> list[str]:
        """Las tablas de la base, en orden alfabético."""

    @abstractmethod
    def respaldar(self, destino: Path) -> Foto:
        """Copia la base a `destino` y devuelve lo que el manifiesto anota de esa copia."""

    @abstractmethod
    def restaurar(self, archivo: Path) -> None:
        """Carga la copia `archivo` en la base configurada (que está vacía)."""

    def conectar(self) -> None:
        try:
            self.conexion.ensure_connection()
        except DatabaseError as error:
            raise Error(f"No se pudo abrir la base {self.descripcion()}: {error}".strip()) from None

    def estado(self) -> tuple[dict[str, int], dict[str, str]]:
        """Renglones por tabla y última migración por app de la base configurada."""
        self.conectar()
        with self.conexion.cursor() as cursor:
            tablas = self.tablas(cursor)
            return contar(cursor, tablas), ultimas_migraciones(cursor, tablas)

    def comprobar_respaldo(self) -> None:
        self.conectar()

    def comprobar_restauracion(self, manifiesto: dict) -> None:
        self.conectar()


class Postgres(Motor):
    nombre = "postgresql"
    archivo = "base.dump"

    def descripcion(self) -> str:
        datos = self.conexion.settings_dict
        donde = datos["HOST"] or "el socket local"
        return f"PostgreSQL «{datos['NAME']}» en {donde}:{datos['PORT'] or 5432}"

    def tablas(self, cursor) -> list[str]:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY c.relname"
        )
        return [fila[0] for fila in cursor.fetchall()]

    def _mayor_del_servidor(self) -> int | None:
        try:
            self.conexion.ensure_connection()
        except DatabaseError:
            return None
        return self.conexion.pg_version // 10000

    def programa(self, nombre: str) -> tuple[str, str]:
        """Ruta y versión de pg_dump o pg_restore, que no puede ser más viejo que el servidor
        (pg_dump se niega a respaldar un servidor más nuevo que él)."""
        servidor = self._mayor_del_servidor()
        paquete = (
            f"postgresql-client-{servidor}"
            if servidor
            else "postgresql-client-NN (NN: la versión mayor del servidor, p. ej. 16)"
        )
        como_instalar = (
            f"Instale el cliente de PostgreSQL: en Debian o Ubuntu, el paquete {paquete} del "
            f"repositorio {REPOSITORIO_PGDG} (el postgresql-client de Debian 12 es el 15). "
            "La imagen de Docker del proyecto ya lo trae."
        )
        ruta = shutil.which(nombre)
        if ruta is None:
            raise Error(
                f"No se encontró el programa {nombre} (se buscó en PATH="
                f"{os.environ.get('PATH', '')}). {como_instalar}"
            )
        texto = subprocess.run(
            [ruta, "--version"], capture_output=True, text=True, timeout=60, check=False
        ).stdout.strip()
        if servidor and version_mayor(texto) < servidor:
            raise Error(
                f"{ruta} es de la versión {version_mayor(texto)} y el servidor es PostgreSQL "
                f"{servidor}: {nombre} debe ser de la misma versión mayor o más nueva. "
                f"{como_instalar}"
            )
        return ruta, texto

    def _cliente(self) -> tuple[list[str], dict[str, str]]:
        """Argumentos de conexión y entorno para pg_dump/pg_restore: la contraseña y los
        ajustes SSL van en el entorno (PGPASSWORD, PGSSLMODE...), como los arma Django para
        `dbshell`; nunca se pregunta por una contraseña (corre desde cron)."""
        datos = self.conexion.settings_dict
        _, entorno = DatabaseClient.settings_to_cmd_args_env(datos, [])
        argumentos = ["--no-password", f"--dbname={datos['NAME']}"]
        if datos["USER"]:
            argumentos.append(f"--username={datos['USER']}")
        if datos["HOST"]:
            argumentos.append(f"--host={datos['HOST']}")
        if datos["PORT"]:
            argumentos.append(f"--port={datos['PORT']}")
        return argumentos, {**os.environ, "PGCONNECT_TIMEOUT": "20", **(entorno or {})}

    def _correr(self, argumentos: list[str], entorno: dict[str, str]) -> None:
        hecho = subprocess.run(argumentos, env=entorno, capture_output=True, text=True, check=False)
        if hecho.returncode != 0:
            programa = Path(argumentos[0]).name
            raise Error(
                f"{programa} terminó con error (código {hecho.returncode}):\n"
                + hecho.stderr.strip()[-3000:]
            )

    def comprobar_respaldo(self) -> None:
        self._pg_dump = self.programa("pg_dump")
        self.conectar()

    def respaldar(self, destino: Path) -> Foto:
        import psycopg

        pg_dump, herramienta = self._pg_dump
        argumentos, entorno = self._cliente()
        with self.conexion.cursor() as cursor:
            cursor.execute("SHOW server_version")
            servidor = f"PostgreSQL {cursor.fetchone()[0]}"
        # Los mismos parámetros con que Django abre sus conexiones, en una aparte.
        foto = psycopg.connect(**self.conexion.get_connection_params())
        try:
            foto.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            foto.read_only = True
            with foto.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                instantanea = cursor.fetchone()[0]
                self._correr(
                    [
                        pg_dump,
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={instantanea}",
                        f"--file={destino}",
                        *argumentos,
                    ],
                    entorno,
                )
                tablas = self.tablas(cursor)
                conteos = contar(cursor, tablas)
                migraciones = ultimas_migraciones(cursor, tablas)
        finally:
            foto.close()
        return Foto(servidor, herramienta, conteos, migraciones)

    def comprobar_restauracion(self, manifiesto: dict) -> None:
        self._pg_restore, texto = self.programa("pg_restore")
        de_respaldo = version_mayor(manifiesto.get("herramienta", ""))
        if version_mayor(texto) < de_respaldo:
            raise Error(
                f"El respaldo se hizo con pg_dump {de_respaldo} y {self._pg_restore} es de la "
                f"versión {version_mayor(texto)}, que no lee ese formato. Instale el paquete "
                f"postgresql-client-{de_respaldo} (o más nuevo) del repositorio "
                f"{REPOSITORIO_PGDG}. No se restauró nada."
            )
        self.conectar()

    def restaurar(self, archivo: Path) -> None:
        argumentos, entorno = self._cliente()
        self.conexion.close()
        self._correr(
            [
                self._pg_restore,
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *argumentos,
                str(archivo),
            ],
            entorno,
        )
        # pg_restore no trae las estadísticas del planificador: sin ANALYZE, las primeras
        # consultas sobre tablas grandes irían a ciegas hasta que pase el autovacuum.
        with self.conexion.cursor() as cursor:
            cursor.execute("ANALYZE")


class SQLite(Motor):
    nombre = "sqlite"
    archivo = "base.sqlite3"

    def descripcion(self) -> str:
        return f"SQLite {self.conexion.settings_dict['NAME']}"

    def tablas(self, cursor) -> list[str]:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
        return [fila[0] for fila in cursor.fetchall()]

    def respaldar(self, destino: Path) -> Foto:
        self.conectar()
        if self.conexion.in_atomic_block:
            # SQLite no copia desde una conexión con una escritura a medias: esperaría sin fin.
            raise Error("El respaldo de SQLite no se hace desde dentro de una transacción.")
        copia = sqlite3.connect(destino)
        try:
            # Un solo paso (todas las páginas de una vez): la copia es la foto de un instante,
            # aunque la web escriba mientras tanto.
            self.conexion.connection.backup(copia)
            # La copia, en un solo archivo (sin el -wal al lado) y revisada.
            copia.execute("PRAGMA journal_mode=DELETE")
            revision = copia.execute("PRAGMA quick_check").fetchone()[0]
            if revision != "ok":
                raise Error(f"La copia de la base no pasó la revisión de SQLite: {revision}")
            cursor = copia.cursor()
            tablas = self.tablas(cursor)
            conteos = contar(cursor, tablas)
            migraciones = ultimas_migraciones(cursor, tablas)
        finally:
            copia.close()
        version = f"SQLite {sqlite3.sqlite_version}"
        return Foto(
            version, f"API de respaldo en línea de sqlite3 ({version})", conteos, migraciones
        )

    def restaurar(self, archivo: Path) -> None:
        origen = sqlite3.connect(archivo.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            self.conectar()
            origen.backup(self.conexion.connection)
        finally:
            origen.close()
        self.conexion.close()


def motor_de(conexion) -> Motor:
    if conexion.vendor == "postgresql":
        return Postgres(conexion)
    if conexion.vendor == "sqlite":
        return SQLite(conexion)
    raise Error(f"Solo se respaldan PostgreSQL y SQLite; la base configurada es {conexion.vendor}.")

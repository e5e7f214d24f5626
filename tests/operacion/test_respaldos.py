"""Respaldo y restauración: un juego consistente (base, archivos y manifiesto) que se restaura
en una base vacía con los mismos renglones por tabla y los mismos archivos (SHA-256), en
SQLite y en PostgreSQL; y cada negativa con su explicación."""

import json
import os
import re
import sqlite3
import threading
import time
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader

from casos.models import Caso, Evento, TipoEvento
from operacion import respaldos
from operacion.errores import Error
from operacion.version import version_de_la_app
from scripts import procesos

from .conftest import RAIZ, huellas, manage

BASE_DE_PRUEBA = "expedientes_respaldo_prueba"


def respaldar(destino: Path, **opciones) -> Path:
    salida = StringIO()
    call_command("respaldar", destino=destino, stdout=salida, **opciones)
    return Path(re.search(r"Respaldo listo: (.+)", salida.getvalue()).group(1))


def conteos_sqlite(ruta: Path) -> dict[str, int]:
    with sqlite3.connect(ruta) as base:
        tablas = [
            fila[0]
            for fila in base.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            )
        ]
        return {t: base.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tablas}


def penultima_migracion(app: str) -> tuple[str, str]:
    """(última, anterior) de las migraciones de `app` en el código."""
    grafo = MigrationLoader(None, ignore_no_migrations=True).graph
    ultima = grafo.leaf_nodes(app)[0]
    anterior = next(p.key for p in grafo.node_map[ultima].parents if p.key[0] == app)
    return ultima[1], anterior[1]


class Escritor(threading.Thread):
    """Escribe sin parar en otra conexión, como la web, mientras se hace el respaldo."""

    def __init__(self, escribir, al_terminar=None):
        super().__init__(daemon=True)
        self.escribir = escribir
        self.al_terminar = al_terminar
        self.alto = threading.Event()
        self.escritos = 0
        self.errores = []

    def run(self):
        try:
            while not self.alto.is_set():
                self.escribir(self.escritos)
                self.escritos += 1
                time.sleep(0.002)
        except Exception as error:  # se revisa en la prueba
            self.errores.append(error)
        finally:
            if self.al_terminar:
                self.al_terminar()

    def detener(self) -> int:
        self.alto.set()
        self.join(30)
        assert not self.errores, self.errores
        return self.escritos


# --- De punta a punta ---


@pytest.fixture
def origen_sqlite(transactional_db, expedientes, tmp_path):
    """La base de la prueba, con sus expedientes, copiada a un archivo como el de una
    instalación embebida (modo WAL)."""
    if connection.vendor != "sqlite":
        pytest.skip("prueba de SQLite (la de PostgreSQL está abajo)")
    origen = tmp_path / "origen.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(origen) as copia:
        connection.connection.backup(copia)
        copia.execute("PRAGMA journal_mode=WAL")
    return origen, {"DATABASE_URL": f"sqlite:///{origen}", "MEDIA_ROOT": str(expedientes)}


def _destino_sqlite(tmp_path) -> tuple[Path, Path, dict]:
    """«Borrar la base»: un archivo que todavía no existe y otra carpeta de medios."""
    destino = tmp_path / "nueva" / "expedientes.sqlite3"
    destino.parent.mkdir()
    medios = tmp_path / "medios-restaurados"
    return destino, medios, {"DATABASE_URL": f"sqlite:///{destino}", "MEDIA_ROOT": str(medios)}


def test_sqlite_respaldo_con_la_web_escribiendo_y_restauracion_en_un_archivo_nuevo(
    origen_sqlite, expedientes, tmp_path
):
    origen, de_origen = origen_sqlite
    web = sqlite3.connect(origen, timeout=20, check_same_thread=False)
    web.execute("PRAGMA journal_mode=WAL")

    def nueva_sesion(n):
        web.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES (?, 'datos', '2030-01-01 00:00:00')",
            (f"sesion-de-prueba-{n}",),
        )
        web.commit()

    escritor = Escritor(nueva_sesion)
    escritor.start()
    hecho = manage("respaldar", "--destino", str(tmp_path / "respaldos"), entorno=de_origen)
    time.sleep(0.2)  # y sigue escribiendo después del respaldo
    escritas = escritor.detener()
    web.close()
    assert hecho.returncode == 0, hecho.stderr
    assert escritas > 0
    carpeta = Path(re.search(r"Respaldo listo: (.+)", hecho.stdout).group(1))
    manifiesto = json.loads((carpeta / "manifiesto.json").read_text())
    assert manifiesto["motor"] == "sqlite" and manifiesto["tablas"]["casos_caso"] == 5
    assert len(manifiesto["medios"]) == 7  # 5 acuses, el escaneo firmado y el logotipo

    destino, medios_nuevos, al_destino = _destino_sqlite(tmp_path)
    hecho = manage("restaurar", str(carpeta), entorno=al_destino, entrada="no\n")
    assert hecho.returncode == 1 and "No se restauró nada" in hecho.stderr
    assert conteos_sqlite(destino) == {}
    hecho = manage("restaurar", str(carpeta), entorno=al_destino, entrada="si\n")
    assert hecho.returncode == 0, hecho.stderr
    assert "iguales al manifiesto" in hecho.stdout
    assert "migraciones: las mismas que las del código" in hecho.stdout

    restaurada = conteos_sqlite(destino)
    assert restaurada == manifiesto["tablas"]
    # Y lo mismo que el origen, salvo las sesiones que la «web» siguió escribiendo.
    del_origen = conteos_sqlite(origen)
    assert del_origen.pop("django_session") > restaurada.pop("django_session")
    assert restaurada == del_origen
    with sqlite3.connect(destino) as base:
        assert base.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        folios = base.execute("SELECT folio FROM casos_caso ORDER BY folio").fetchall()
    assert [f[0] for f in folios] == sorted(Caso.objects.values_list("folio", flat=True))
    assert huellas(medios_nuevos) == huellas(expedientes) and len(huellas(expedientes)) == 7


def test_un_respaldo_de_una_version_anterior_se_migra_al_restaurar(origen_sqlite, tmp_path):
    _, de_origen = origen_sqlite
    # Le falta la última migración de api (y, con ella, las que dependen de esa).
    ultima, anterior = penultima_migracion("api")
    hecho = manage("migrate", "api", anterior, "-v", "0", entorno=de_origen)
    assert hecho.returncode == 0, hecho.stderr
    hecho = manage("respaldar", "--destino", str(tmp_path / "respaldos"), entorno=de_origen)
    assert hecho.returncode == 0, hecho.stderr
    (carpeta,) = respaldos.juegos_en(tmp_path / "respaldos")
    manifiesto = json.loads((carpeta / "manifiesto.json").read_text())
    assert manifiesto["migraciones"]["api"] == anterior

    destino, _, al_destino = _destino_sqlite(tmp_path)
    hecho = manage("restaurar", str(carpeta), "--si", entorno=al_destino)
    assert hecho.returncode == 0, hecho.stderr
    # Los renglones se compararon antes de migrar; después, el código y la base coinciden.
    assert "iguales al manifiesto" in hecho.stdout
    aplicadas = re.search(r"se aplicaron (\d+): (.+)", hecho.stdout)
    assert aplicadas and f"api.{ultima}" in aplicadas.group(2).split(", "), hecho.stdout
    with sqlite3.connect(destino) as base:
        aplicadas_en_la_base = set(base.execute("SELECT app, name FROM django_migrations"))
    en_el_codigo = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    assert en_el_codigo <= aplicadas_en_la_base


@pytest.fixture
def base_nueva():
    """Una base vacía en el mismo servidor PostgreSQL de las pruebas; se borra al final."""
    import psycopg

    datos = connection.settings_dict
    servidor = {
        "host": datos["HOST"],
        "port": datos["PORT"] or 5432,
        "user": datos["USER"],
        "password": datos["PASSWORD"],
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **servidor) as conexion:
        conexion.execute(f"DROP DATABASE IF EXISTS {BASE_DE_PRUEBA} WITH (FORCE)")
        conexion.execute(f"CREATE DATABASE {BASE_DE_PRUEBA}")
    clave = f":{quote(datos['PASSWORD'], safe='')}" if datos["PASSWORD"] else ""
    url = (
        f"postgres://{quote(datos['USER'], safe='')}{clave}@{datos['HOST']}:"
        f"{servidor['port']}/{BASE_DE_PRUEBA}"
    )
    yield url, lambda: psycopg.connect(dbname=BASE_DE_PRUEBA, **servidor)
    with psycopg.connect(dbname="postgres", autocommit=True, **servidor) as conexion:
        conexion.execute(f"DROP DATABASE IF EXISTS {BASE_DE_PRUEBA} WITH (FORCE)")


def conteos_pg(conexion) -> dict[str, int]:
    tablas = [
        fila[0]
        for fila in conexion.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )
    ]
    return {t: conexion.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tablas}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_respaldo_con_la_web_escribiendo_y_restauracion_en_una_base_nueva(
    expedientes, tmp_path, base_nueva
):
    url, abrir = base_nueva
    caso = Caso.objects.order_by("pk").first()

    def nuevo_evento(n):
        Evento.objects.create(caso=caso, tipo=TipoEvento.CONTACTO, descripcion=f"Llamada {n}")

    escritor = Escritor(nuevo_evento, al_terminar=connections.close_all)
    escritor.start()
    time.sleep(0.3)
    antes = escritor.escritos
    carpeta = respaldar(tmp_path / "respaldos")
    durante = escritor.escritos - antes
    escritor.detener()
    assert durante > 0, "la «web» no escribió mientras se hacía el respaldo"
    manifiesto = json.loads((carpeta / "manifiesto.json").read_text())
    assert manifiesto["motor"] == "postgresql" and "base.dump" in manifiesto["archivos"]
    # La contraseña no queda en el manifiesto.
    clave = connection.settings_dict["PASSWORD"]
    assert not clave or clave not in (carpeta / "manifiesto.json").read_text()

    medios_nuevos = tmp_path / "medios-restaurados"
    hecho = manage(
        "restaurar",
        str(carpeta),
        "--si",
        entorno={"DATABASE_URL": url, "MEDIA_ROOT": str(medios_nuevos)},
    )
    assert hecho.returncode == 0, hecho.stdout + hecho.stderr
    assert "migraciones: las mismas que las del código" in hecho.stdout
    with abrir() as conexion:
        restaurada = conteos_pg(conexion)
        folios = [f[0] for f in conexion.execute("SELECT folio FROM casos_caso ORDER BY folio")]
    # Los renglones de la foto del respaldo: ni uno de los que la «web» escribió después.
    assert restaurada == manifiesto["tablas"]
    assert restaurada["casos_evento"] < Evento.objects.count()
    assert folios == sorted(Caso.objects.values_list("folio", flat=True)) and len(folios) == 5
    assert huellas(medios_nuevos) == huellas(expedientes) and len(huellas(expedientes)) == 7


# --- El juego y su manifiesto ---


@pytest.mark.django_db(transaction=True)
def test_el_manifiesto_anota_version_migraciones_renglones_y_sha256(nuevo_caso, medios, tmp_path):
    nuevo_caso()
    (medios / "documentos").mkdir(parents=True)
    (medios / "documentos" / "acuse-ñandú.pdf").write_bytes(b"%PDF-1.4 acuse")
    (medios / "centro").mkdir()
    (medios / "centro" / "escudo.png").write_bytes(b"\x89PNG logotipo")
    carpeta = respaldar(tmp_path / "respaldos")

    assert re.fullmatch(r"respaldo-\d{8}-\d{6}", carpeta.name)
    manifiesto = json.loads((carpeta / "manifiesto.json").read_text())
    assert manifiesto["version"] == version_de_la_app()
    assert manifiesto["motor"] == connection.vendor
    assert manifiesto["tablas"]["casos_caso"] == Caso.objects.count() == 1
    assert manifiesto["tablas"]["casos_evento"] == Evento.objects.count()
    grafo = MigrationLoader(None, ignore_no_migrations=True).graph
    assert manifiesto["migraciones"]["casos"] == grafo.leaf_nodes("casos")[0][1]
    assert sorted(p.name for p in carpeta.iterdir()) == sorted(
        [*manifiesto["archivos"], "manifiesto.json"]
    )
    for nombre, datos in manifiesto["archivos"].items():
        assert datos["bytes"] == (carpeta / nombre).stat().st_size
        assert datos["sha256"] == respaldos.sha256_de(carpeta / nombre)
    assert {k: v["sha256"] for k, v in manifiesto["medios"].items()} == huellas(medios)
    # Solo el dueño entra a la carpeta: lleva datos personales.
    assert carpeta.stat().st_mode & 0o077 == 0


@pytest.mark.django_db(transaction=True)
def test_conservar_deja_los_n_juegos_mas_recientes_y_no_toca_lo_demas(medios, tmp_path):
    destino = tmp_path / "respaldos"
    (destino / "notas").mkdir(parents=True)
    (destino / "respaldo-20200101-000000").mkdir()  # sin manifiesto: no es un juego
    muerto = destino / ".respaldo-x1-incompleto"
    muerto.mkdir()
    os.utime(muerto, (time.time() - 2 * 86400,) * 2)
    hechos = [respaldar(destino, conservar=2) for _ in range(3)]

    assert respaldos.juegos_en(destino) == hechos[1:]
    assert (destino / "notas").is_dir() and (destino / "respaldo-20200101-000000").is_dir()
    assert not muerto.exists() and not hechos[0].exists()


# --- Negativas ---


@pytest.fixture
def juego(transactional_db, medios, tmp_path):
    """Un juego de la base de la prueba (sin transacción abierta: así se respalda SQLite)."""
    medios.mkdir(parents=True)
    (medios / "acuse.pdf").write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 40)
    return respaldar(tmp_path / "respaldos")


def _voltear_un_byte(ruta: Path) -> None:
    datos = bytearray(ruta.read_bytes())
    datos[len(datos) // 2] ^= 0xFF
    ruta.write_bytes(bytes(datos))


@pytest.mark.parametrize("danar", ["base", "medios.tar", "borrar medios.tar"])
def test_un_archivo_danado_o_faltante_se_rechaza_y_se_nombra(juego, danar):
    manifiesto = json.loads((juego / "manifiesto.json").read_text())
    nombre = (
        next(n for n in manifiesto["archivos"] if n.startswith("base."))
        if danar == "base"
        else "medios.tar"
    )
    if danar.startswith("borrar"):
        (juego / nombre).unlink()
        esperado = rf"Falta el archivo {re.escape(nombre)}"
    else:
        _voltear_un_byte(juego / nombre)
        esperado = rf"El archivo {re.escape(nombre)} del respaldo está dañado"
    casos = Caso.objects.count()
    with pytest.raises(Error, match=esperado) as error:
        call_command("restaurar", juego, si=True)
    assert "No se restauró nada" in str(error.value)
    assert Caso.objects.count() == casos


def test_no_restaura_en_una_base_que_ya_tiene_datos(juego, nuevo_caso, medios):
    nuevo_caso()
    antes = (Caso.objects.count(), huellas(medios))
    with pytest.raises(
        Error, match=r"no está vacía: tiene \d+ tablas con [\d,]+ renglones \(1 caso\)"
    ):
        call_command("restaurar", juego, si=True)
    assert (Caso.objects.count(), huellas(medios)) == antes


def test_un_respaldo_de_una_version_mas_nueva_se_rechaza(juego):
    ruta = juego / "manifiesto.json"
    manifiesto = json.loads(ruta.read_text())
    manifiesto["migraciones"]["casos"] = "9999_de_una_version_futura"
    ruta.write_text(json.dumps(manifiesto))
    with pytest.raises(Error, match=r"versión más nueva .*\(casos\.9999_de_una_version_futura\)"):
        call_command("restaurar", juego, si=True)


def test_un_respaldo_de_otro_motor_se_rechaza(juego):
    ruta = juego / "manifiesto.json"
    manifiesto = json.loads(ruta.read_text())
    manifiesto["motor"] = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    ruta.write_text(json.dumps(manifiesto))
    with pytest.raises(Error, match=rf"la base configurada es {connection.vendor}"):
        call_command("restaurar", juego, si=True)


def test_los_archivos_que_pisarian_otros_distintos_se_detectan(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"otro contenido")
    (tmp_path / "b.pdf").write_bytes(b"igual")
    medios = {
        "a.pdf": {"bytes": 5, "sha256": "0" * 64},
        "b.pdf": {"bytes": 5, "sha256": respaldos.sha256_de(tmp_path / "b.pdf")},
        "c.pdf": {"bytes": 5, "sha256": "0" * 64},
    }
    assert respaldos.medios_en_conflicto(tmp_path, medios) == ["a.pdf"]


def test_sin_pg_dump_lo_dice_con_el_paquete_a_instalar(tmp_path):
    """Sin pg_dump en PATH (una máquina sin el cliente de PostgreSQL): error claro, código ≠ 0,
    ninguna carpeta a medias y la contraseña en ningún lado."""
    sin_programas = tmp_path / "bin"
    sin_programas.mkdir()
    hecho = manage(
        "respaldar",
        "--destino",
        str(tmp_path / "respaldos"),
        entorno={
            "PATH": str(sin_programas),
            "DATABASE_URL": (
                f"postgres://expedientes:clave-muy-secreta@127.0.0.1:{procesos.puerto_libre()}/x"
            ),
        },
    )
    assert hecho.returncode == 1
    assert "Error: No se encontró el programa pg_dump" in hecho.stderr
    assert "postgresql-client-" in hecho.stderr and "apt.postgresql.org" in hecho.stderr
    assert "clave-muy-secreta" not in hecho.stdout + hecho.stderr
    assert not (tmp_path / "respaldos").exists()


@pytest.mark.postgres
def test_un_pg_dump_mas_viejo_que_el_servidor_se_rechaza(db, medios, tmp_path, monkeypatch):
    carpeta = tmp_path / "bin"
    carpeta.mkdir()
    falso = carpeta / "pg_dump"
    falso.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    falso.chmod(0o755)
    monkeypatch.setenv("PATH", str(carpeta))
    servidor = connection.pg_version // 10000
    with pytest.raises(
        Error,
        match=rf"versión 9 y el servidor es PostgreSQL {servidor}.*postgresql-client-{servidor}",
    ):
        call_command("respaldar", destino=tmp_path / "respaldos")


def test_una_carpeta_donde_no_se_puede_escribir_se_explica(db, medios, tmp_path):
    estorbo = tmp_path / "un-archivo"
    estorbo.write_text("no es carpeta")
    with pytest.raises(Error, match=r"No se puede escribir en la carpeta de respaldos"):
        call_command("respaldar", destino=estorbo / "respaldos")


def test_la_carpeta_de_respaldos_no_puede_estar_dentro_de_media_root(db, medios):
    with pytest.raises(Error, match="está dentro de MEDIA_ROOT"):
        call_command("respaldar", destino=medios / "respaldos")


def test_conservar_cero_se_rechaza(db, medios, tmp_path):
    with pytest.raises(Error, match="al menos 1"):
        call_command("respaldar", destino=tmp_path, conservar=0)


# --- La imagen de Docker ---


def test_la_imagen_trae_pg_dump_de_la_version_del_servidor_de_compose():
    """pg_dump debe ser de la versión mayor del servidor o más nuevo; Debian 12 trae el 15."""
    compose = (RAIZ / "docker-compose.yml").read_text()
    dockerfile = (RAIZ / "Dockerfile").read_text()
    mayor = re.search(r"image: postgres:(\d+)", compose).group(1)
    assert f"postgresql-client-{mayor}" in dockerfile
    assert "apt.postgresql.org.sh" in dockerfile
    assert "respaldos:/app/var/respaldos" in compose

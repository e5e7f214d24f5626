"""Con procesos reales: /salud/ servida por gunicorn sobre PostgreSQL, un Redis propio y un
worker de Celery con el beat embebido. Sana, da 200; con Redis detenido, 503 que nombra al
broker; al volver Redis, 200 otra vez; con el worker muerto (SIGKILL), 503 que nombra sus
colas y el beat. Y `manage.py puesta_en_marcha` en una base de PostgreSQL vacía, en otro
proceso como en el servidor, seguido de la lista de lo que falta."""

import json
import os
import shutil
import signal
import time
import urllib.error
import urllib.request

import psycopg
import pytest
from django.db import connection

from notificaciones.selectors import colas_vigiladas
from scripts import procesos
from tests.operacion.conftest import manage

pytestmark = pytest.mark.postgres

LATIDO = 1
UMBRAL = 3


def _base_url(nombre: str | None = None) -> str:
    datos = connection.settings_dict
    return f"postgres://{datos['USER']}@{datos['HOST']}:{datos['PORT']}/{nombre or datos['NAME']}"


class Instalacion:
    """gunicorn, Redis y un worker (colas celery y pdf, con beat) contra la base de pruebas."""

    def __init__(self, carpeta):
        self.carpeta = carpeta
        self.redis = procesos.Redis(carpeta).iniciar()
        self.puerto = procesos.puerto_libre()
        self.entorno = {
            **os.environ,
            "DATABASE_URL": _base_url(),
            "CELERY_BROKER_URL": self.redis.url,
            "MEDIA_ROOT": str(carpeta / "media"),
            "TRABAJADOR_LATIDO_SEGUNDOS": str(LATIDO),
            "TRABAJADOR_SIN_LATIDO_SEGUNDOS": str(UMBRAL),
            "TRABAJADOR_REVISION_SEGUNDOS": str(LATIDO),
            "SALUD_BEAT_MAX_SEGUNDOS": str(UMBRAL + 2),
        }
        self.web = procesos.web(self.entorno, carpeta / "web.log", self.puerto)
        self.worker = procesos.worker(self.entorno, carpeta / "worker.log")

    def salud(self) -> tuple[int, dict]:
        url = f"http://127.0.0.1:{self.puerto}/salud/"
        try:
            with urllib.request.urlopen(url, timeout=10) as respuesta:
                return respuesta.status, json.loads(respuesta.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def esperar(self, condicion, segundos=60):
        limite = time.monotonic() + segundos
        while time.monotonic() < limite:
            estado, cuerpo = self.salud()
            if condicion(estado, cuerpo):
                return estado, cuerpo
            time.sleep(0.5)
        pytest.fail(f"/salud/ no llegó a lo esperado: {estado} {cuerpo}\n{self.bitacoras()}")

    def bitacoras(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.carpeta.glob("*.log"))
        )

    def detener(self):
        for proceso in (self.web, self.worker):
            procesos.detener(proceso)
        self.redis.detener()


@pytest.fixture
def instalacion(transactional_db, catalogos, tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("sin redis-server")
    reales = Instalacion(tmp_path)
    yield reales
    reales.detener()


def test_salud_sana_y_503_que_nombra_al_broker_y_a_las_colas_del_worker_muerto(instalacion):
    colas = {f"cola:{c}" for c in colas_vigiladas()}
    estado, cuerpo = instalacion.esperar(lambda e, c: e == 200)
    assert cuerpo["estado"] == "ok"
    assert {c: v["estado"] for c, v in cuerpo["partes"]["colas"].items()} == dict.fromkeys(
        colas_vigiladas(), "ok"
    )
    assert cuerpo["partes"]["broker"] == {"estado": "ok", "tipo": "redis"}

    # Redis detenido: el broker falla; la base y el worker (que sigue latiendo) no.
    instalacion.redis.detener()
    estado, cuerpo = instalacion.esperar(lambda e, c: e == 503)
    assert "broker" in cuerpo["fallan"]
    assert "base_de_datos" not in cuerpo["fallan"]
    texto = json.dumps(cuerpo)
    assert instalacion.redis.url not in texto and "127.0.0.1" not in texto  # sin direcciones

    # Redis de vuelta en el mismo puerto: el worker se reconecta y todo vuelve a estar sano.
    instalacion.redis.iniciar()
    bitacora = instalacion.carpeta / "worker.log"
    limite = time.monotonic() + 90
    while bitacora.read_text(errors="replace").count("Connected to redis") < 2:
        assert time.monotonic() < limite, instalacion.bitacoras()
        time.sleep(0.5)
    instalacion.esperar(lambda e, c: e == 200, segundos=30)

    # El worker muerto sin aviso, con su beat embebido (como al matar su contenedor): sus
    # colas y el beat, por nombre.
    os.killpg(instalacion.worker.pid, signal.SIGKILL)
    instalacion.worker.wait(timeout=10)
    estado, cuerpo = instalacion.esperar(
        lambda e, c: e == 503 and colas <= set(c.get("fallan", [])) and "beat" in c["fallan"]
    )
    assert "broker" not in cuerpo["fallan"] and "base_de_datos" not in cuerpo["fallan"]
    assert {v["estado"] for v in cuerpo["partes"]["colas"].values()} == {"sin_workers_vivos"}


@pytest.fixture
def base_vacia(transactional_db):
    """Una base de PostgreSQL recién creada en el mismo servidor de las pruebas."""
    nombre = f"puesta_{os.getpid()}"
    with psycopg.connect(_base_url("postgres"), autocommit=True) as conexion:
        conexion.execute(f'DROP DATABASE IF EXISTS "{nombre}"')
        conexion.execute(f'CREATE DATABASE "{nombre}"')
    yield _base_url(nombre)
    with psycopg.connect(_base_url("postgres"), autocommit=True) as conexion:
        conexion.execute(f'DROP DATABASE IF EXISTS "{nombre}" WITH (FORCE)')


def test_puesta_en_marcha_en_una_base_vacia_y_luego_la_lista(base_vacia, tmp_path):
    entorno = {
        "DATABASE_URL": base_vacia,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "URL_PUBLICA": "https://mediacion.atotonilco.gob.mx",
    }
    corrida = manage(
        "puesta_en_marcha",
        "--no-interactivo",
        "--centro=Dirección de Vinculación Ciudadana",
        "--municipio=Atotonilco el Alto",
        "--entidad=Jalisco",
        "--domicilio=Hidalgo 1, Centro",
        "--telefono=378 827 0101",
        "--horario=Lunes a viernes de 9:00 a 15:00",
        "--coordinador=marisol",
        "--nombre-coordinador=Marisol Gómez Pérez",
        "--correo=marisol@atotonilco.gob.mx",
        entorno=entorno,
    )
    assert corrida.returncode == 0, corrida.stderr[-3000:]
    salida = corrida.stdout
    assert "(cuenta nueva)" in salida
    assert "https://mediacion.atotonilco.gob.mx/cuentas/recuperar/" in salida
    assert "Aviso de privacidad vigente" in salida
    # La lista de lo que falta, en el orden de la página: primero lo que impide trabajar.
    lista = salida.split("Falta, para atender bien", 1)[1]
    assert "https://mediacion.atotonilco.gob.mx/oficina/puesta-en-marcha/" in lista
    renglones = [r.strip() for r in lista.splitlines()[1:] if r.strip().startswith("- ")]
    assert renglones[0].startswith("- [impide trabajar] No hay ninguna sala activa")
    assert any("No hay ninguna persona mediadora con certificación vigente" in r for r in renglones)
    assert any("marisol" in r and "dos pasos" in r for r in renglones)
    assert not any("datos del centro" in r for r in renglones)  # teléfono y horario, dados

    with psycopg.connect(base_vacia) as conexion:
        uno = conexion.execute
        assert uno("SELECT nombre, telefono FROM casos_centro").fetchall() == [
            ("Dirección de Vinculación Ciudadana", "378 827 0101")
        ]
        assert uno(
            "SELECT u.username, u.is_superuser, u.is_staff FROM auth_user u "
            "JOIN auth_user_groups ug ON ug.user_id = u.id "
            "JOIN auth_group g ON g.id = ug.group_id WHERE g.name = 'coordinador'"
        ).fetchall() == [("marisol", False, False)]
        anio = time.localtime().tm_year
        assert (
            uno(
                "SELECT count(*) FROM casos_diainhabil WHERE extract(year FROM fecha_inicio) = %s",
                [anio],
            ).fetchone()[0]
            >= 4
        )
        assert uno("SELECT count(*) FROM casos_avisoprivacidad").fetchone()[0] >= 1

    # Otra vez: nada nuevo, y la misma lista.
    otra = manage(
        "puesta_en_marcha",
        "--no-interactivo",
        "--no-migrar",
        "--centro=Dirección de Vinculación Ciudadana",
        "--municipio=Atotonilco el Alto",
        "--entidad=Jalisco",
        "--coordinador=marisol",
        entorno=entorno,
    )
    assert otra.returncode == 0, otra.stderr[-3000:]
    assert "(ya existía)" in otra.stdout and "0 nuevos" in otra.stdout

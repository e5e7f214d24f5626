"""El broker en archivos de la demo (nucleo/cola_archivos.py): ningún archivo a medias llega
al worker y un archivo dañado se aparta en vez de detenerlo."""

import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from kombu import Connection
from kombu.transport import virtual

from nucleo import cola_archivos

RAIZ = Path(__file__).resolve().parent.parent


def opciones(carpeta: Path) -> dict:
    return {
        "data_folder_in": str(carpeta),
        "data_folder_out": str(carpeta),
        "control_folder": str(carpeta / "control"),
        "apartados_folder": str(carpeta / "apartados"),
    }


def conexion(carpeta: Path) -> Connection:
    return Connection(
        "filesystem://", transport=cola_archivos.Transport, transport_options=opciones(carpeta)
    )


def mensajes(carpeta: Path) -> list[str]:
    return sorted(p.name for p in carpeta.iterdir() if p.is_file())


@pytest.fixture
def estado_propio(monkeypatch):
    """Un proceso nuevo: sin las colas que otras pruebas declararon en este."""
    monkeypatch.setattr(cola_archivos.Transport, "global_state", virtual.BrokerState())


def test_ida_y_vuelta_sin_dejar_archivos(tmp_path, estado_propio):
    with conexion(tmp_path) as c:
        cola = c.SimpleQueue("prueba")
        for n in range(3):
            cola.put({"n": n})
        recibidos = []
        for _ in range(3):
            mensaje = cola.get(timeout=1)
            recibidos.append(mensaje.payload["n"])
            mensaje.ack()
        with pytest.raises(cola.Empty):
            cola.get(timeout=0.2)
    assert recibidos == [0, 1, 2]
    assert mensajes(tmp_path) == []  # ni temporales ni procesados


DANADOS = {
    "vacio": b"",
    "basura": bytes(range(256)) * 4,
    "truncado": b'{"body": "eyJhIjog", "properties": {"delivery_ta',
    "otra_forma": b"[1, 2, 3]",
    "sin_propiedades": b'{"body": ""}',
}


def test_un_mensaje_danado_se_aparta_con_aviso_y_el_siguiente_llega(
    tmp_path, caplog, estado_propio
):
    for n, (nombre, contenido) in enumerate(DANADOS.items()):
        (tmp_path / f"{n:04d}_{nombre}.prueba.msg").write_bytes(contenido)
    (tmp_path / "9999_ajeno.otra.msg").write_bytes(b"")  # de otra cola: no se toca
    with caplog.at_level(logging.WARNING, logger="nucleo.cola_archivos"), conexion(tmp_path) as c:
        cola = c.SimpleQueue("prueba")
        cola.put({"bueno": True})
        mensaje = cola.get(timeout=1)
        assert mensaje.payload == {"bueno": True}
        mensaje.ack()
    apartados = sorted(p.name for p in (tmp_path / "apartados").iterdir())
    esperados = sorted(f"{n:04d}_{nombre}.prueba.msg" for n, nombre in enumerate(DANADOS))
    assert apartados == esperados
    for nombre in esperados:
        assert any(nombre in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)
    assert mensajes(tmp_path) == ["9999_ajeno.otra.msg"]


def test_un_productor_muerto_a_media_escritura_no_deja_nada_legible(tmp_path):
    """El proceso muere (SIGKILL) con el mensaje escrito y antes de ponerlo en su lugar: el
    consumidor no ve nada; con kombu tal cual, el archivo existe vacío desde el principio."""
    codigo = f"""
import os, signal
from kombu import Connection
from nucleo import cola_archivos
with Connection("filesystem://", transport=cola_archivos.Transport,
                transport_options={json.dumps(opciones(tmp_path))}) as c:
    cola = c.SimpleQueue("prueba")
    cola_archivos.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
    cola.put({{"x": "y" * 100000}})
"""
    hecho = subprocess.run([sys.executable, "-c", codigo], cwd=RAIZ, timeout=60)
    assert hecho.returncode == -9
    with conexion(tmp_path) as c:
        with pytest.raises(c.SimpleQueue("prueba").Empty):
            c.SimpleQueue("prueba").get(timeout=0.2)
    assert not (tmp_path / "apartados").exists()
    restos = mensajes(tmp_path)
    assert len(restos) == 1 and restos[0].startswith(".")  # el temporal, que nadie busca


def test_consumidor_y_productor_a_la_vez_sin_archivos_a_medias(tmp_path, estado_propio):
    """Con el transporte de kombu tal cual esta carrera suele acabar en JSONDecodeError: el
    consumidor abre un archivo que el productor aún no termina de escribir."""
    total, relleno = 40, "x" * 1_000_000

    def producir():
        with conexion(tmp_path) as c:
            cola = c.SimpleQueue("carrera")
            for n in range(total):
                cola.put({"n": n, "relleno": relleno})

    recibidos = []
    with conexion(tmp_path) as c:
        cola = c.SimpleQueue("carrera")
        productor = threading.Thread(target=producir)
        productor.start()
        while len(recibidos) < total:
            mensaje = cola.get(timeout=30)
            recibidos.append(mensaje.payload["n"])
            mensaje.ack()
        productor.join()
    assert recibidos == list(range(total))
    assert not (tmp_path / "apartados").exists()


@pytest.mark.parametrize("contenido", [b"", b"\x00\xff basura", b'[["celery", "", "cel'])
def test_una_tabla_de_intercambio_danada_se_aparta_y_se_rehace(
    tmp_path, caplog, estado_propio, contenido
):
    """Al arrancar, el worker declara sus colas y lee la tabla del intercambio: vacía o
    truncada, lo detenía («Unrecoverable error: JSONDecodeError»)."""
    (tmp_path / "control").mkdir()
    tabla = tmp_path / "control" / "celery.exchange"
    tabla.write_bytes(contenido)
    with caplog.at_level(logging.WARNING, logger="nucleo.cola_archivos"), conexion(tmp_path) as c:
        cola = c.SimpleQueue("celery")  # declara la cola y la liga al intercambio
        cola.put({"n": 1})
        mensaje = cola.get(timeout=1)
        assert mensaje.payload == {"n": 1}
        mensaje.ack()
    assert json.loads(tabla.read_text()) == [["celery", "", "celery"]]
    assert (tmp_path / "apartados" / "celery.exchange").read_bytes() == contenido
    assert any("celery.exchange" in r.getMessage() for r in caplog.records)


def test_una_tabla_danada_con_la_cola_ya_declarada_se_rehace_al_publicar(tmp_path, estado_propio):
    with conexion(tmp_path) as c:
        cola = c.SimpleQueue("celery")
        tabla = tmp_path / "control" / "celery.exchange"
        tabla.write_bytes(b"")  # otro proceso murió a media escritura (kombu tal cual)
        cola.put({"n": 2})  # este proceso ya no vuelve a declarar: la rehace de memoria
        assert cola.get(timeout=1).payload == {"n": 2}
    assert json.loads(tabla.read_text()) == [["celery", "", "celery"]]


def test_la_configuracion_elige_este_transporte_y_todo_va_a_datos_dir(tmp_path):
    """Sin CELERY_BROKER_URL la demo usa este transporte; DATOS_DIR (aquí relativa, como se
    toma: desde la raíz del proyecto) mueve base, cola, archivos y estáticos."""
    quitar = ("DATABASE_URL", "CELERY_BROKER_URL", "MEDIA_ROOT")
    entorno = {k: v for k, v in os.environ.items() if k not in quitar}
    entorno["DATOS_DIR"] = os.path.relpath(tmp_path / "datos", RAIZ)
    codigo = """
import json, django
django.setup()
from django.conf import settings
from config.celery import app
with app.connection_for_write() as c:
    transporte = type(c.transport)
print(json.dumps({
    "transporte": f"{transporte.__module__}.{transporte.__name__}",
    "base": str(settings.DATABASES["default"]["NAME"]),
    "media": str(settings.MEDIA_ROOT),
    "estaticos": str(settings.STATIC_ROOT),
    "datos": str(settings.DATOS_DIR),
    "cola": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
}))
"""
    hecho = subprocess.run(
        [sys.executable, "-c", codigo],
        cwd=RAIZ,
        env={**entorno, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert hecho.returncode == 0, hecho.stderr[-3000:]
    valores = json.loads(hecho.stdout.strip().splitlines()[-1])
    datos = (tmp_path / "datos").resolve()
    assert valores["transporte"] == "nucleo.cola_archivos.Transport"
    assert Path(valores["datos"]).resolve() == datos
    assert Path(valores["base"]).resolve() == datos / "db.sqlite3"
    assert Path(valores["media"]).resolve() == datos / "media"
    assert Path(valores["estaticos"]).resolve() == datos / "static"
    carpetas = {k: Path(v).resolve() for k, v in valores["cola"].items() if "folder" in k}
    assert carpetas["data_folder_in"] == datos / "cola"
    assert carpetas["apartados_folder"] == datos / "cola" / "apartados"
    assert all(datos in carpeta.parents for carpeta in carpetas.values())
    assert (datos / "cola" / "apartados").is_dir()  # config/celery.py crea las carpetas

"""`make demo` de verdad: scripts/demo.py con su servidor, su worker y su beat, sobre SQLite y
el broker en archivos de una carpeta de datos temporal (DATOS_DIR) y en un puerto libre.

- Cerrar la terminal (SIGHUP), Ctrl+C (SIGINT) o SIGTERM no deja ningún proceso suelto.
- El puerto ocupado por otro programa se explica en español, sin traceback.
- Una demostración anterior que sigue en marcha (entera, o solo su servidor y su worker) se
  detiene; un demo.pid viejo se ignora sin tocar al proceso que heredó su PID.
- Archivos dañados en la cola y el worker muerto con SIGKILL: el worker vuelve solo, aparta
  lo dañado y el aviso y el documento pendientes salen una sola vez.
"""

import fcntl
import json
import os
import pty
import select
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import termios
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from scripts import procesos
from tests.conftest import copiar_sqlite

RAIZ = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.demo,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="necesita /proc (Linux)"),
]


def entorno(datos: Path, puerto: int, **extra: str) -> dict[str, str]:
    """Como `make demo` en una máquina sin variables: SQLite y broker en archivos en `datos`
    (entorno_pruebas.py define DATABASE_URL y CELERY_BROKER_URL=memory:// para pytest)."""
    quitar = ("DATABASE_URL", "CELERY_BROKER_URL", "MEDIA_ROOT", "URL_PUBLICA")
    base = {k: v for k, v in os.environ.items() if k not in quitar}
    # Sin horario de silencio: lo que revisan estas pruebas no depende de la hora del día.
    return {
        **base,
        "DATOS_DIR": str(datos),
        "PORT": str(puerto),
        "PYTHONUNBUFFERED": "1",
        "AVISOS_SILENCIO": "",
        **extra,
    }


def manage(datos: Path, *argumentos: str) -> str:
    hecho = subprocess.run(
        [sys.executable, "manage.py", *argumentos],
        cwd=RAIZ,
        env=entorno(datos, 0),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert hecho.returncode == 0, hecho.stdout[-2000:] + hecho.stderr[-3000:]
    return hecho.stdout


# Sobre la base ya migrada: sembrar y generar los PDF en un solo proceso (cada arranque de
# Django cuesta).
PREPARAR_PLANTILLA = """
from django.core.management import call_command
from plantillas.models import Documento, EstadoDocumento
from plantillas.services import generar
call_command("sembrar_demo", casos=2)
for pk in Documento.objects.filter(estado=EstadoDocumento.PENDIENTE).values_list("pk", flat=True):
    generar(pk)
"""


@pytest.fixture(scope="module")
def plantilla(tmp_path_factory, sqlite_migrada):
    """Una base migrada y sembrada (pocos casos: la siembra completa tarda cerca de un minuto)
    que cada prueba copia. Sus PDF ya generados y la cola vacía: el worker de cada prueba no
    arranca con trabajo atrasado."""
    datos = tmp_path_factory.mktemp("demo-plantilla")
    copiar_sqlite(sqlite_migrada, datos / "db.sqlite3")
    inicio = time.monotonic()
    manage(datos, "shell", "-c", PREPARAR_PLANTILLA)
    for mensaje in (datos / "cola").glob("*.msg"):
        mensaje.unlink()
    print(f"\nplantilla de la demo: {time.monotonic() - inicio:.1f} s")
    return datos


@pytest.fixture
def datos(plantilla, tmp_path):
    carpeta = tmp_path / "datos"
    shutil.copytree(plantilla, carpeta)
    yield carpeta
    # Pase lo que pase en la prueba, nada suyo queda corriendo.
    for pid in procesos_con(carpeta):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def procesos_con(datos: Path) -> list[int]:
    """Los procesos vivos cuyo entorno trae DATOS_DIR=datos: la demo y todo lo que arrancó."""
    buscado = f"DATOS_DIR={datos}\0".encode()
    encontrados = []
    for entrada in Path("/proc").iterdir():
        if not entrada.name.isdigit():
            continue
        try:
            if buscado in (entrada / "environ").read_bytes():
                if procesos.inicio_de(int(entrada.name)) is not None:  # no los zombis
                    encontrados.append(int(entrada.name))
        except OSError:
            continue
    return encontrados


hijos_de = procesos.hijos_de


def vivo(pid: int) -> bool:
    return procesos.inicio_de(pid) is not None


def pagina(puerto: int, ruta: str) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{puerto}{ruta}", timeout=5) as r:
            return r.read().decode()
    except OSError:
        return None


def esperar(condicion, segundos: float, explicacion=lambda: "") -> float:
    """Espera a que se cumpla; devuelve cuánto tardó."""
    inicio = time.monotonic()
    while time.monotonic() - inicio < segundos:
        if condicion():
            return time.monotonic() - inicio
        time.sleep(0.2)
    raise AssertionError(f"No se cumplió en {segundos} s.\n{explicacion()}")


class Demo:
    """scripts/demo.py en su propia sesión, como lo arranca una terminal. Con `terminal`, su
    entrada y salida son una terminal (pty) que la prueba puede cerrar."""

    def __init__(
        self, datos: Path, puerto: int, bitacora: Path, terminal=False, lider=False, **extra
    ):
        self.datos, self.puerto, self.bitacora = datos, puerto, bitacora
        comando = [sys.executable, "scripts/demo.py"]
        if lider:
            # Encabeza la sesión un proceso que no le pasa el SIGHUP a la demo (como make
            # arrancado sin shell): la demo debe notar sola que perdió su terminal.
            comando = ["sh", "-c", 'trap "" HUP; "$0" scripts/demo.py', sys.executable]
        opciones = {"cwd": RAIZ, "env": entorno(datos, puerto, **extra), "start_new_session": True}
        self.maestro = None
        if terminal:
            self.maestro, esclavo = pty.openpty()
            self.proceso = subprocess.Popen(
                comando,
                stdin=esclavo,
                stdout=esclavo,
                stderr=esclavo,
                # La terminal es la de control de su sesión: al cerrarla, el sistema le manda
                # SIGHUP (y sus escrituras fallan), como al cerrar la ventana.
                preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
                **opciones,
            )
            os.close(esclavo)
            self.leyendo = True
            self.lector = threading.Thread(target=self._leer_terminal, daemon=True)
            self.lector.start()
        else:
            with open(bitacora, "ab") as salida:
                self.proceso = subprocess.Popen(
                    comando, stdin=subprocess.DEVNULL, stdout=salida, stderr=salida, **opciones
                )

    def _leer_terminal(self):
        with open(self.bitacora, "ab") as salida:
            while self.leyendo:
                listo, _, _ = select.select([self.maestro], [], [], 0.2)
                if not listo:
                    continue
                try:
                    salida.write(os.read(self.maestro, 65536))
                except OSError:
                    return
                salida.flush()

    def cerrar_terminal(self):
        self.leyendo = False
        self.lector.join(timeout=5)
        os.close(self.maestro)

    def texto(self) -> str:
        return self.bitacora.read_text(errors="replace") if self.bitacora.exists() else ""

    def registro(self) -> dict:
        try:
            return json.loads((self.datos / "demo.pid").read_text())
        except (OSError, ValueError):
            return {}

    def esperar_lista(self, segundos: float = 150) -> dict:
        """El servidor sirve la página de entrada y el worker ya arrancó su beat (un hijo)."""

        def lista():
            assert self.proceso.poll() is None, "La demo terminó:\n" + self.texto()[-4000:]
            registro = self.registro()
            if registro.get("demo", {}).get("pid") != self.proceso.pid:
                return False  # aún no escribe el suyo (o es el de la demo anterior)
            worker = registro.get("worker", {}).get("pid")
            if not worker or not hijos_de(worker):
                return False
            html = pagina(self.puerto, "/cuentas/entrar/")
            return html is not None and "Entrar" in html

        esperar(lista, segundos, lambda: self.texto()[-4000:])
        return self.registro()


def test_una_demo_anterior_se_detiene_y_un_pid_viejo_se_ignora(datos, tmp_path):
    puerto = procesos.puerto_libre()
    # Un demo.pid viejo: un PID que ya no existe y otro que heredó un proceso ajeno.
    ajeno = subprocess.Popen(["sleep", "600"])
    terminado = subprocess.Popen(["true"])
    terminado.wait()
    sistema = procesos.arranque()
    (datos / "demo.pid").write_text(
        json.dumps(
            {
                "demo": {"pid": terminado.pid, "inicio": "1", "sistema": sistema},
                "worker": {"pid": ajeno.pid, "inicio": "1", "sistema": sistema},
            }
        )
    )
    try:
        primera = Demo(datos, puerto, tmp_path / "primera.log")
        anterior = primera.esperar_lista()
        assert "demostración anterior" not in primera.texto()
        assert ajeno.poll() is None

        # La primera sigue abierta (otra terminal) y se vuelve a ejecutar make demo.
        segunda = Demo(datos, puerto, tmp_path / "segunda.log")
        suelta = segunda.esperar_lista()
        assert primera.proceso.wait(timeout=30) == 0
        texto = segunda.texto()
        assert "Una demostración anterior sigue en marcha" in texto, texto[-3000:]
        assert "Demostración anterior detenida." in texto
        for nombre in ("servidor", "worker"):
            assert not procesos.grupo_vivo(anterior[nombre]["pid"]), nombre

        # La segunda muere de golpe: su servidor y su worker quedan sueltos, con el puerto.
        os.kill(segunda.proceso.pid, signal.SIGKILL)
        segunda.proceso.wait(timeout=10)
        assert vivo(suelta["servidor"]["pid"]) and vivo(suelta["worker"]["pid"])
        tercera = Demo(datos, puerto, tmp_path / "tercera.log")
        tercera.esperar_lista()
        assert "Una demostración anterior sigue en marcha" in tercera.texto()
        for nombre in ("servidor", "worker"):
            assert not procesos.grupo_vivo(suelta[nombre]["pid"]), nombre
        assert ajeno.poll() is None  # el proceso ajeno del PID viejo, intacto

        # Ctrl+C en la terminal de la tercera: SIGINT a todo su grupo.
        os.killpg(tercera.proceso.pid, signal.SIGINT)
        assert tercera.proceso.wait(timeout=60) == 0
        esperar(lambda: not procesos_con(datos), 10, lambda: str(procesos_con(datos)))
        assert "Ctrl+C (SIGINT): se detienen el servidor y el worker." in tercera.texto()
    finally:
        ajeno.kill()
        ajeno.wait()


def test_la_terminal_cerrada_detiene_la_demo_aunque_no_le_llegue_el_sighup(tmp_path):
    """Mientras prepara la base (aquí, una carpeta vacía: migra desde cero)."""
    datos = tmp_path / "datos"
    demo = Demo(datos, procesos.puerto_libre(), tmp_path / "demo.log", terminal=True, lider=True)
    try:
        esperar(
            lambda: demo.registro().get("demo", {}).get("pid") in hijos_de(demo.proceso.pid),
            60,
            demo.texto,
        )
        esperar(lambda: len(procesos_con(datos)) >= 3, 60, demo.texto)  # sh, demo y migrate
        demo.cerrar_terminal()
        assert demo.proceso.wait(timeout=30) == 0
        esperar(lambda: not procesos_con(datos), 10, lambda: str(procesos_con(datos)))
        assert not (datos / "demo.pid").exists()
    finally:
        for pid in procesos_con(datos):
            os.kill(pid, signal.SIGKILL)


def test_el_puerto_ocupado_por_otro_programa_se_explica(tmp_path):
    with socket.socket() as ocupado:
        ocupado.bind(("127.0.0.1", 0))
        ocupado.listen()
        puerto = ocupado.getsockname()[1]
        hecho = subprocess.run(
            [sys.executable, "scripts/demo.py"],
            cwd=RAIZ,
            env=entorno(tmp_path, puerto),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert hecho.returncode == 1
    assert f"El puerto {puerto} ya está ocupado por otro programa" in hecho.stdout
    assert "PORT=8080 make demo" in hecho.stdout
    assert "Traceback" not in hecho.stdout + hecho.stderr
    assert not (tmp_path / "demo.pid").exists()


CREAR_PENDIENTES = """
import json
from casos.models import Caso
from notificaciones.services import avisar
from plantillas.services import solicitar_documento
caso = Caso.objects.order_by("pk").first()
mensaje = avisar(
    plantilla="codigo_nuevo", llave="prueba-demo:aviso", canal="correo",
    destino="persona@ejemplo.mx", caso=caso, parte=caso.solicitante,
)
documento = solicitar_documento(caso=caso, tipo="acuse")
print(json.dumps({"mensaje": mensaje.pk, "documento": documento.pk}))
"""


def mensajes_de(cola: Path, tarea: str, pk: int) -> list[Path]:
    """Los archivos de la cola que piden `tarea(pk)`."""
    encontrados = []
    for archivo in cola.glob("*.msg"):
        cabeceras = json.loads(archivo.read_text())["headers"]
        if cabeceras["task"] == tarea and cabeceras["argsrepr"] == f"({pk},)":
            encontrados.append(archivo)
    return encontrados


def test_cola_danada_y_worker_muerto_el_trabajo_sale_una_vez_y_cerrar_la_terminal_detiene_todo(
    datos, tmp_path
):
    """Una sola demo para las dos cosas (arrancarla cuesta): primero el worker muerto y la cola
    dañada; al final se cierra su terminal."""
    puerto = procesos.puerto_libre()
    # Barridos cortos para no esperar minutos: lo apartado vuelve a la cola por el barrido.
    demo = Demo(
        datos,
        puerto,
        tmp_path / "demo.log",
        terminal=True,
        AVISOS_BARRIDO_SEGUNDOS="2",
        AVISOS_RECLAMO_SEGUNDOS="8",
        AVISOS_TIMEOUT_SEGUNDOS="5",
        DOCUMENTOS_BARRIDO_SEGUNDOS="3",
    )
    registro = demo.esperar_lista()
    worker = registro["worker"]["pid"]
    (beat,) = hijos_de(worker)
    # La demo, el servidor con sus dos workers y el worker de Celery con su beat.
    assert len(hijos_de(registro["servidor"]["pid"])) == 2
    assert len(procesos_con(datos)) == 6

    # La demo se pausa (SIGSTOP) para que el worker siga muerto mientras se crea trabajo.
    os.kill(demo.proceso.pid, signal.SIGSTOP)
    try:
        os.kill(worker, signal.SIGKILL)
        esperar(lambda: not vivo(worker), 10)
        creados = json.loads(
            manage(datos, "shell", "-c", CREAR_PENDIENTES).strip().splitlines()[-1]
        )
        cola = datos / "cola"
        # Sus mensajes, truncados como los deja un proceso muerto a media escritura; más un
        # archivo vacío y otro de basura.
        del_aviso = mensajes_de(cola, "notificaciones.tasks.enviar_aviso", creados["mensaje"])
        del_documento = mensajes_de(
            cola, "plantillas.tasks.generar_documento", creados["documento"]
        )
        assert del_aviso and del_documento
        danados = del_aviso + del_documento
        for archivo in danados:
            archivo.write_bytes(archivo.read_bytes()[: archivo.stat().st_size // 2])
        (cola / "00000000000000000001_vacio.celery.msg").write_bytes(b"")
        (cola / "00000000000000000002_basura.pdf.msg").write_bytes(os.urandom(300))
        nombres = [a.name for a in danados] + [
            "00000000000000000001_vacio.celery.msg",
            "00000000000000000002_basura.pdf.msg",
        ]
    finally:
        os.kill(demo.proceso.pid, signal.SIGCONT)
    reanudada = time.monotonic()

    base = sqlite3.connect(f"file:{datos / 'db.sqlite3'}?mode=ro", uri=True, timeout=20)

    def listos():
        aviso = base.execute(
            "SELECT estado, intentos FROM notificaciones_mensaje WHERE id = ?",
            [creados["mensaje"]],
        ).fetchone()
        documento = base.execute(
            "SELECT estado, intentos, archivo FROM plantillas_documento WHERE id = ?",
            [creados["documento"]],
        ).fetchone()
        return aviso[0] == "enviado" and documento[0] == "listo" and (aviso, documento)

    esperar(listos, 60, lambda: demo.texto()[-5000:])
    tardo = time.monotonic() - reanudada
    print(f"\nworker muerto: aviso y documento listos {tardo:.1f} s después de reanudar")
    aviso, documento = listos()
    assert aviso == ("enviado", 1)  # un solo reclamo: salió una vez
    assert documento[:2] == ("listo", 1) and (datos / "media" / documento[2]).is_file()

    texto = demo.texto()
    assert "El worker de Celery terminó (código -9)" in texto
    assert "Worker de Celery en marcha de nuevo" in texto
    nuevo = demo.registro()["worker"]["pid"]
    assert nuevo != worker and vivo(nuevo)
    assert not vivo(beat)  # el beat del worker muerto no quedó suelto
    apartados = {a.name for a in (datos / "cola" / "apartados").iterdir()}
    for nombre in nombres:
        assert nombre in apartados, nombre
        assert f"Archivo dañado en la cola: {nombre}" in texto, nombre
    assert "Unrecoverable error" not in texto
    base.close()

    # Se cierra la terminal: el sistema manda SIGHUP a la demo y nada de ella queda corriendo.
    cerrada = time.monotonic()
    demo.cerrar_terminal()
    assert demo.proceso.wait(timeout=60) == 0  # se detuvo ella misma (sin manejar: -1)
    esperar(lambda: not procesos_con(datos), 10, lambda: str(procesos_con(datos)))
    print(f"terminal cerrada: sin procesos de la demo en {time.monotonic() - cerrada:.1f} s")
    assert not (datos / "demo.pid").exists()
    assert not procesos.puerto_en_uso(puerto)

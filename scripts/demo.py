#!/usr/bin/env python3
"""Arranca la demostración completa en el modo embebido (SQLite, sin servidores externos).

Vigila a sus dos procesos: si el worker de Celery termina (una falla, SIGKILL), lo vuelve a
arrancar tras una espera corta; si el servidor web termina, la demostración termina. Ctrl+C
(SIGINT), SIGTERM y cerrar la terminal (SIGHUP) detienen a ambos.

En DATOS_DIR (por omisión var/) deja `demo.pid` con su PID y los de sus procesos. Al arrancar
lo lee: si una demostración anterior sigue en marcha (o dejó a su servidor y a su worker
sueltos), la detiene antes de empezar; un archivo viejo, de procesos que ya no existen, se
ignora.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import procesos

RAIZ = Path(__file__).resolve().parent.parent
# El mismo lugar que calcula config/settings.py.
DATOS = RAIZ / (os.getenv("DATOS_DIR") or "var")
ARCHIVO_PID = DATOS / "demo.pid"
SENALES = (signal.SIGHUP, signal.SIGINT, signal.SIGTERM)
# Espera antes de volver a arrancar el worker: se duplica si muere al poco de arrancar.
ESPERA_INICIAL, ESPERA_MAXIMA, VIDA_SANA = 1.0, 30.0, 60.0


class Detenerse(Exception):
    """Llegó SIGHUP, SIGINT o SIGTERM."""


MOTIVOS = {
    signal.SIGHUP: "Se cerró la terminal (SIGHUP)",
    signal.SIGINT: "Ctrl+C (SIGINT)",
    signal.SIGTERM: "Se recibió SIGTERM",
}


def decir(texto: str) -> None:
    """Escribe en la consola; con la terminal ya cerrada no hay dónde, y no es un error."""
    try:
        print(texto, flush=True)
    except OSError:
        pass


def manage(*argumentos: str) -> None:
    subprocess.run([sys.executable, "manage.py", *argumentos], cwd=RAIZ, check=True)


def ficha(pid: int) -> dict:
    """Lo que identifica a un proceso en demo.pid: el PID solo se reutiliza, pero PID, hora de
    arranque del proceso y arranque del sistema juntos no se repiten."""
    return {"pid": pid, "inicio": procesos.inicio_de(pid), "sistema": procesos.arranque()}


def sigue_vivo(dato: dict) -> bool | None:
    """True si el proceso de la ficha sigue en marcha y es el mismo (no otro que heredó su
    PID); None si no se puede saber (sistema sin /proc)."""
    if not Path("/proc/self/stat").exists():
        return None
    pid = dato.get("pid")
    return (
        isinstance(pid, int)
        and dato.get("inicio") is not None
        and dato.get("sistema") == procesos.arranque()
        and procesos.inicio_de(pid) == dato["inicio"]
    )


def detener_anterior() -> bool:
    """Detiene lo que quede en marcha de una demostración anterior en esta carpeta de datos.
    False si no se pudo (y ya se explicó qué hacer)."""
    try:
        anterior = json.loads(ARCHIVO_PID.read_text())
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        anterior = {}
    fichas = {nombre: d for nombre, d in anterior.items() if isinstance(d, dict)}
    estados = {nombre: sigue_vivo(dato) for nombre, dato in fichas.items()}
    if None in estados.values():
        pids = ", ".join(str(d.get("pid")) for d in fichas.values())
        decir(
            f"Hay un {ARCHIVO_PID} de una demostración anterior (PID {pids}) y en este sistema "
            "no se puede comprobar si sigue en marcha. Si sigue abierta, ciérrela con Ctrl+C "
            f"en su terminal; si no, borre {ARCHIVO_PID}."
        )
        return True
    vivos = {nombre: fichas[nombre]["pid"] for nombre, vivo in estados.items() if vivo}
    if not vivos:
        return True  # un archivo viejo: sus procesos ya no existen
    lista = ", ".join(f"{nombre} {pid}" for nombre, pid in vivos.items())
    decir(f"Una demostración anterior sigue en marcha en {DATOS} ({lista}): se detiene.")
    if "demo" in vivos:
        try:
            os.kill(vivos["demo"], signal.SIGTERM)  # detiene a sus procesos y termina
        except (ProcessLookupError, PermissionError):
            pass
    hijos = [pid for nombre, pid in vivos.items() if nombre != "demo"]
    quedan = procesos.terminar_grupos(hijos, espera=20)
    limite = time.monotonic() + 20
    while "demo" in vivos and sigue_vivo(fichas["demo"]) and time.monotonic() < limite:
        time.sleep(0.1)
    if "demo" in vivos and sigue_vivo(fichas["demo"]):
        quedan.append(vivos["demo"])
    if quedan:
        pids = " ".join(str(p) for p in quedan)
        decir(
            f"No se pudieron detener los procesos {pids} de la demostración anterior (¿de otro "
            f"usuario?). Deténgalos (kill {pids}, o con sudo) y vuelva a ejecutar make demo."
        )
        return False
    decir("Demostración anterior detenida.")
    return True


class Demo:
    def __init__(self, puerto: int):
        self.puerto = puerto
        self.servidor: subprocess.Popen | None = None
        self.trabajador: subprocess.Popen | None = None
        self.arranque_trabajador = 0.0

    def guardar_pid(self) -> None:
        registro = {"datos": str(DATOS), "demo": ficha(os.getpid())}
        for nombre, proceso in (("servidor", self.servidor), ("worker", self.trabajador)):
            if proceso is not None:
                registro[nombre] = ficha(proceso.pid)
        temporal = ARCHIVO_PID.with_suffix(".pid.nuevo")
        temporal.write_text(json.dumps(registro, indent=2))
        os.replace(temporal, ARCHIVO_PID)

    def arrancar_trabajador(self) -> None:
        # Trabajo en segundo plano real: worker de Celery con beat embebido (temporizadores de
        # los flujos, avisos y recordatorios), sobre el broker en archivos de DATOS_DIR/cola.
        self.trabajador = procesos.worker(
            dict(os.environ), None, nivel="WARNING", agenda=DATOS / "celerybeat-schedule"
        )
        self.arranque_trabajador = time.monotonic()
        self.guardar_pid()

    def arrancar(self) -> None:
        self.arrancar_trabajador()
        self.servidor = procesos.web(dict(os.environ), None, self.puerto, 2, 4, esperar=False)
        self.guardar_pid()

    def vigilar(self) -> int:
        """Hasta que el servidor termine; el worker que termina se vuelve a arrancar."""
        espera = ESPERA_INICIAL
        while True:
            if self.servidor.poll() is not None:
                decir(
                    f"El servidor web terminó (código {self.servidor.returncode}); se detiene "
                    "la demostración."
                )
                return self.servidor.returncode or 1
            if self.trabajador.poll() is not None:
                if time.monotonic() - self.arranque_trabajador >= VIDA_SANA:
                    espera = ESPERA_INICIAL
                decir(
                    f"El worker de Celery terminó (código {self.trabajador.returncode}); "
                    f"se vuelve a arrancar en {espera:.0f} s."
                )
                # El beat embebido es un proceso hijo del worker: no debe quedar suelto.
                procesos.terminar_grupos([self.trabajador.pid], espera=5)
                time.sleep(espera)
                espera = min(espera * 2, ESPERA_MAXIMA)  # por si vuelve a morir enseguida
                self.arrancar_trabajador()
                decir(f"Worker de Celery en marcha de nuevo (PID {self.trabajador.pid}).")
            time.sleep(0.5)

    def detener(self) -> None:
        for senal in SENALES:  # un segundo Ctrl+C no deja la detención a medias
            signal.signal(senal, signal.SIG_IGN)
        # Cada uno es líder de su grupo: la señal llega también a sus hijos (los workers de
        # gunicorn, el beat embebido). SIGKILL a lo que no termine en 15 s.
        hijos = [p for p in (self.servidor, self.trabajador) if p is not None]
        procesos.terminar_grupos([p.pid for p in hijos], espera=15)
        for proceso in hijos:
            try:
                proceso.wait(timeout=10)
            except subprocess.TimeoutExpired:
                decir(f"El proceso {proceso.pid} no terminó ni con SIGKILL.")
        try:
            if json.loads(ARCHIVO_PID.read_text())["demo"]["pid"] == os.getpid():
                ARCHIVO_PID.unlink()
        except (OSError, ValueError, KeyError, TypeError):
            pass


def _al_recibir(senal, _marco):
    raise Detenerse(MOTIVOS[senal])


def vigilar_terminal() -> None:
    """Si la terminal de la demo se cierra pero quien encabeza su sesión no le pasa el SIGHUP
    (p. ej. make arrancado sin shell), la demo se lo manda a sí misma."""
    terminal = procesos.terminal_de()
    if not terminal:
        return

    def vigilar():
        while procesos.terminal_de() == terminal:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGHUP)

    threading.Thread(target=vigilar, daemon=True).start()


def aviso_inicial(puerto: int) -> None:
    password = os.getenv("DEMO_PASSWORD", "demo")
    url = f"http://127.0.0.1:{puerto}/"
    decir(
        f"""
==================================================================
  Demostración lista en {url}
  Personal (contraseña «{password}»):
    operadora    captura por teléfono / módulo
    coordinadora revisa y asigna (también administra catálogos)
    mediador     mediador certificado
    mediadora2   mediadora certificada
    asesor       asesorías y módulos itinerantes
    direccion    tablero e informes
    transparencia derechos ARCO (acceso, rectificación, cancelación, oposición)
    admin        administración del sistema
  coordinadora, direccion, transparencia y admin entran también con un código
  de dos pasos:
  agregue la clave MEDIACIONMUNICIPALDEMOSTRACION22 a su app de autenticación,
  o use un código de respaldo (demo-0001 a demo-0010).
  Ciudadano: {url}solicitud/  y  {url}consulta/  (arriba, folios y
  códigos de ejemplo para consultar); derechos ARCO en {url}arco/
  APIs: {url}open311/v2/discovery.json  y  {url}api/docs/
  Avisos (SMS, WhatsApp, correo) de la demostración: no salen del equipo; se
  ven en {url}avisos/ (coordinadora o direccion) y en cada expediente.
  En segundo plano: worker de Celery con beat (temporizadores, avisos y
  recordatorios cada minuto; documentos PDF); si termina, se vuelve a arrancar.
  Datos en {DATOS}.
  Ctrl+C (o cerrar la terminal) detiene todo.
==================================================================
"""
    )


def main() -> int:
    try:
        puerto = int(os.getenv("PORT", "8000"))
    except ValueError:
        decir(f"PORT debe ser un número de puerto; se recibió {os.getenv('PORT')!r}.")
        return 2
    # Enlaces de acuses, avisos y Open311 al puerto en que de verdad corre la demo.
    os.environ.setdefault("URL_PUBLICA", f"http://127.0.0.1:{puerto}")
    DATOS.mkdir(parents=True, exist_ok=True)
    for senal in SENALES:
        signal.signal(senal, _al_recibir)
    vigilar_terminal()
    demo = Demo(puerto)
    try:
        if not detener_anterior():
            return 1
        if procesos.puerto_en_uso(puerto):
            decir(
                f"El puerto {puerto} ya está ocupado por otro programa. Arranque la "
                f"demostración en otro (PORT=8080 make demo) o cierre el que lo usa (para "
                f"verlo: ss -ltnp 'sport = :{puerto}')."
            )
            return 1
        demo.guardar_pid()
        manage("migrate", "--noinput", "-v", "0")
        manage("sembrar_demo")
        aviso_inicial(puerto)
        demo.arrancar()
        return demo.vigilar()
    except Detenerse as motivo:
        decir(f"\n{motivo}: se detienen el servidor y el worker.")
        return 0
    except subprocess.CalledProcessError as error:
        decir(f"No se pudo preparar la base de la demostración (código {error.returncode}).")
        return 1
    finally:
        demo.detener()


if __name__ == "__main__":
    sys.exit(main())

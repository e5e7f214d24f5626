"""Procesos reales para pruebas y benchmarks: Redis propio, worker de Celery, servidor web.
Todos en 127.0.0.1 y en su propio grupo de procesos, para detenerlos (o matarlos) enteros."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent


def puerto_libre(preferido: int = 0) -> int:
    """Un puerto libre en 127.0.0.1: el preferido o uno cercano; con 0, el que dé el sistema."""
    candidatos = range(preferido, preferido + 50) if preferido else [0]
    for puerto in candidatos:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", puerto))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"No hay puertos libres cerca de {preferido}")


def esperar_puerto(puerto: int, segundos: float = 30) -> None:
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", puerto)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"El puerto {puerto} no respondió en {segundos} s")


def iniciar(comando: list[str], entorno: dict[str, str], bitacora: Path | None) -> subprocess.Popen:
    """Sin bitácora, la salida va a la consola de quien lo arranca."""
    salida = open(bitacora, "ab") if bitacora else None  # noqa: SIM115 (vive con el proceso)
    return subprocess.Popen(
        comando,
        cwd=RAIZ,
        env=entorno,
        stdout=salida,
        stderr=subprocess.STDOUT if salida else None,
        start_new_session=True,
    )


def detener(proceso: subprocess.Popen, senal: int = signal.SIGTERM, espera: float = 20) -> None:
    """Señal a todo el grupo del proceso; si no termina a tiempo, SIGKILL."""
    if proceso.poll() is not None:
        return
    try:
        os.killpg(proceso.pid, senal)
    except ProcessLookupError:
        return
    try:
        proceso.wait(timeout=espera)
    except subprocess.TimeoutExpired:
        os.killpg(proceso.pid, signal.SIGKILL)
        proceso.wait(timeout=10)


class Redis:
    """Un redis-server propio (sin persistencia) que se puede detener y volver a arrancar en
    el mismo puerto."""

    def __init__(self, carpeta: Path, puerto: int = 0):
        self.carpeta = carpeta
        self.puerto = puerto or puerto_libre()
        self.proceso: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.puerto}/0"

    @property
    def pid(self) -> int | None:
        return self.proceso.pid if self.proceso else None

    def iniciar(self) -> "Redis":
        comando = [
            "redis-server",
            "--port",
            str(self.puerto),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.carpeta),
        ]
        self.proceso = iniciar(comando, dict(os.environ), self.carpeta / "redis.log")
        esperar_puerto(self.puerto)
        return self

    def detener(self) -> None:
        if self.proceso is not None:
            detener(self.proceso)
            self.proceso = None


def worker(
    entorno: dict[str, str],
    bitacora: Path | None,
    *,
    beat: bool = True,
    colas: str = "celery,pdf",
    nivel: str = "INFO",
    agenda: Path | None = None,
) -> subprocess.Popen:
    """Worker de Celery (un proceso), con beat embebido si se pide (`agenda`: su archivo)."""
    comando = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool",
        "solo",
        "--queues",
        colas,
        "--loglevel",
        nivel,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    if beat:
        agenda = agenda or bitacora.with_suffix(".beat")
        comando += ["--beat", "--schedule", str(agenda)]
    return iniciar(comando, entorno, bitacora)


def web(
    entorno: dict[str, str],
    bitacora: Path | None,
    puerto: int,
    trabajadores: int = 1,
    hilos: int = 1,
    esperar: bool = True,
) -> subprocess.Popen:
    """gunicorn en 127.0.0.1:puerto."""
    comando = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{puerto}",
        "--workers",
        str(trabajadores),
        "--threads",
        str(hilos),
        "--log-level",
        "warning",
    ]
    proceso = iniciar(comando, entorno, bitacora)
    if esperar:
        esperar_puerto(puerto, 60)
    return proceso

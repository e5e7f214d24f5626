#!/usr/bin/env python3
"""Prepara lo que las pruebas necesitan y las ejecuta.

- Verifica los programas del sistema (PostgreSQL, Redis, Chromium, poppler, fuentes). Como
  root los instala con apt-get; sin root dice exactamente qué instalar.
- Arranca PostgreSQL y Redis propios en 127.0.0.1, en puertos no estándar y con datos bajo
  /tmp; al terminar los detiene por su PID y borra los datos.
- Ejecuta pytest (o el benchmark) con DATABASE_URL y REDIS_URL apuntando a ellos.

Uso: entorno_pruebas.py pytest [args de pytest] | entorno_pruebas.py bench [args]
"""

import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from procesos import Redis, esperar_puerto, puerto_libre

RAIZ = Path(__file__).resolve().parent.parent

# comando buscado -> paquete de Debian que lo trae
PROGRAMAS = {
    "postgres": "postgresql",
    "redis-server": "redis-server",
    "chromium": "chromium",
    "pdftoppm": "poppler-utils",
    "fc-list": "fontconfig",
}
# Solo para `bench`: la herramienta de carga.
PROGRAMAS_BENCH = {"wrk": "wrk"}
FUENTES = {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf": "fonts-dejavu-core"}


def aviso(texto: str) -> None:
    print(f"[entorno] {texto}", flush=True)


def bin_postgres() -> Path | None:
    for patron in ("/usr/lib/postgresql/*/bin",):
        for carpeta in sorted(glob.glob(patron), reverse=True):
            if Path(carpeta, "initdb").exists():
                return Path(carpeta)
    encontrado = shutil.which("initdb")
    return Path(encontrado).parent if encontrado else None


def faltantes(modo: str = "pytest") -> list[str]:
    paquetes = []
    programas = {**PROGRAMAS, **(PROGRAMAS_BENCH if modo == "bench" else {})}
    for comando, paquete in programas.items():
        if comando == "postgres":
            if bin_postgres() is None:
                paquetes.append(paquete)
        elif shutil.which(comando) is None:
            paquetes.append(paquete)
    for archivo, paquete in FUENTES.items():
        if not Path(archivo).exists():
            paquetes.append(paquete)
    return paquetes


def asegurar_programas(modo: str = "pytest") -> None:
    paquetes = faltantes(modo)
    if not paquetes:
        return
    comando = ["apt-get", "install", "-y", "--no-install-recommends", *paquetes]
    if os.geteuid() != 0:
        aviso("Faltan programas del sistema para las pruebas. Instálelos con:")
        aviso("    sudo apt-get update && sudo " + " ".join(comando))
        sys.exit(2)
    aviso("Instalando: " + ", ".join(paquetes))
    entorno = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=entorno)
    subprocess.run([*comando, "-qq"], check=True, env=entorno, stdout=subprocess.DEVNULL)
    # El paquete de Debian arranca su propio clúster/servicio; no los usamos.
    for servicio in ("postgresql", "redis-server"):
        subprocess.run(["service", servicio, "stop"], capture_output=True)
    if faltantes(modo):
        aviso("No se pudo instalar: " + ", ".join(faltantes(modo)))
        sys.exit(2)


class Servicios:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="expedientes-pruebas-"))
        self.pids: dict[str, int] = {}
        self.pg_puerto = puerto_libre(int(os.getenv("PRUEBAS_PG_PUERTO", "55432")))
        self.redis_puerto = puerto_libre(int(os.getenv("PRUEBAS_REDIS_PUERTO", "56379")))
        self.redis: Redis | None = None

    def _como_postgres(self, argumentos: list[str]) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *argumentos]
        return argumentos

    def iniciar_postgres(self) -> str:
        binarios = bin_postgres()
        datos = self.dir / "pg"
        datos.mkdir()
        if os.geteuid() == 0:
            os.chmod(self.dir, 0o755)
            shutil.chown(datos, "postgres", "postgres")
        subprocess.run(
            self._como_postgres(
                [
                    str(binarios / "initdb"),
                    "-D",
                    str(datos),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        opciones = (
            f"-p {self.pg_puerto} -c listen_addresses=127.0.0.1 -k {datos} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=60"
        )
        subprocess.run(
            self._como_postgres(
                [
                    str(binarios / "pg_ctl"),
                    "-D",
                    str(datos),
                    "-o",
                    opciones,
                    "-l",
                    str(datos / "servidor.log"),
                    "-w",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.pids["postgres"] = int((datos / "postmaster.pid").read_text().split()[0])
        esperar_puerto(self.pg_puerto)
        aviso(f"PostgreSQL en 127.0.0.1:{self.pg_puerto} (PID {self.pids['postgres']})")
        return f"postgres://postgres@127.0.0.1:{self.pg_puerto}/expedientes"

    def iniciar_redis(self) -> str:
        self.redis = Redis(self.dir, self.redis_puerto).iniciar()
        aviso(f"Redis en 127.0.0.1:{self.redis_puerto} (PID {self.redis.pid})")
        return self.redis.url

    def detener(self) -> None:
        if self.redis is not None:
            pid = self.redis.pid
            self.redis.detener()
            self.redis = None
            aviso(f"redis detenido (PID {pid})")
        # SIGINT a postgres = apagado rápido.
        for nombre, senal in (("postgres", signal.SIGINT),):
            pid = self.pids.pop(nombre, None)
            if pid is None:
                continue
            try:
                os.kill(pid, senal)
            except ProcessLookupError:
                continue
            for _ in range(100):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            else:
                os.kill(pid, signal.SIGKILL)
            aviso(f"{nombre} detenido (PID {pid})")
        shutil.rmtree(self.dir, ignore_errors=True)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("pytest", "bench"):
        print(__doc__)
        return 2
    modo, resto = argv[0], argv[1:]
    asegurar_programas(modo)
    servicios = Servicios()
    try:
        entorno = {
            **os.environ,
            "DATABASE_URL": servicios.iniciar_postgres(),
            "REDIS_URL": servicios.iniciar_redis(),
            "CHROMIUM": shutil.which("chromium") or "",
            "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
            # Las pruebas generan documentos llamando al servicio; los mensajes que se
            # encolan al confirmar una transacción no necesitan un broker real.
            "CELERY_BROKER_URL": os.getenv("CELERY_BROKER_URL", "memory://"),
            "PYTHONUNBUFFERED": "1",
        }
        if modo == "pytest":
            comando = [sys.executable, "-m", "pytest", *resto]
        else:
            comando = [sys.executable, str(RAIZ / "scripts" / "bench.py"), *resto]
        codigo = subprocess.call(comando, cwd=RAIZ, env=entorno)
    finally:
        servicios.detener()
    if modo == "pytest" and codigo == 5:
        aviso("pytest no encontró pruebas que ejecutar (código 5).")
        return 0
    return codigo


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

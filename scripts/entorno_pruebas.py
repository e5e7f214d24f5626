#!/usr/bin/env python3
"""Prepara lo que las pruebas necesitan y las ejecuta.

- Verifica los programas del sistema (PostgreSQL, Redis, Chromium, poppler, fuentes). Como
  root los instala con apt-get; sin root dice exactamente qué instalar.
- Arranca PostgreSQL y Redis propios en 127.0.0.1, en puertos no estándar y con datos bajo
  /tmp; al terminar los detiene por su PID y borra los datos.
- Ejecuta pytest (o el benchmark) con DATABASE_URL y REDIS_URL apuntando a ellos. pytest
  reparte las pruebas entre `PRUEBAS_PROCESOS` procesos (pytest-xdist; 2 por omisión, como
  los núcleos de la máquina de integración). Muchas pruebas esperan a procesos reales
  (workers, gunicorn, Chromium) y la otra mitad de la máquina corre otra prueba mientras
  tanto. Cada proceso tiene su propia base de prueba en PostgreSQL (`test_<base>_gw0`, …) y
  las pruebas con piezas reales arrancan su propio Redis en un puerto libre. Con
  `PRUEBAS_PROCESOS=1` corren en un solo proceso (para `--pdb` o `-s`).
- Las pruebas arrancan decenas de procesos de Python (manage.py, workers de Celery, gunicorn,
  la demo): el bytecode compilado se guarda fuera del código (PYTHONPYCACHEPREFIX, en la
  carpeta temporal) para que cada uno no vuelva a compilar Django y sus dependencias, aunque
  el entorno traiga PYTHONDONTWRITEBYTECODE (sin caché, cada arranque tarda ~2.5 s más).

Uso: entorno_pruebas.py pytest [args de pytest] | entorno_pruebas.py bench [args]
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from procesos import Postgres, Redis, bin_postgres, puerto_libre

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
        self.pg_puerto = puerto_libre(int(os.getenv("PRUEBAS_PG_PUERTO", "55432")))
        self.redis_puerto = puerto_libre(int(os.getenv("PRUEBAS_REDIS_PUERTO", "56379")))
        self.postgres: Postgres | None = None
        self.redis: Redis | None = None

    def iniciar_postgres(self) -> str:
        self.postgres = Postgres(self.dir, self.pg_puerto).iniciar()
        aviso(f"PostgreSQL en 127.0.0.1:{self.pg_puerto} (PID {self.postgres.pid})")
        return self.postgres.url

    def iniciar_redis(self) -> str:
        self.redis = Redis(self.dir, self.redis_puerto).iniciar()
        aviso(f"Redis en 127.0.0.1:{self.redis_puerto} (PID {self.redis.pid})")
        return self.redis.url

    def detener(self) -> None:
        for nombre, servicio in (("redis", self.redis), ("postgres", self.postgres)):
            if servicio is not None and servicio.pid is not None:
                pid = servicio.pid
                servicio.detener()
                aviso(f"{nombre} detenido (PID {pid})")
        self.redis = self.postgres = None
        shutil.rmtree(self.dir, ignore_errors=True)


def repartir(args: list[str]) -> list[str]:
    """Los argumentos de pytest con `-n PRUEBAS_PROCESOS`, salvo que ya digan cuántos."""
    ya = any(
        a in ("-n", "--numprocesses", "no:xdist")
        or a.startswith("--numprocesses=")
        or (a.startswith("-n") and (a[2:].isdigit() or a[2:] in ("auto", "logical")))
        for a in args
    )
    crudo = os.getenv("PRUEBAS_PROCESOS", "2").strip()
    try:
        procesos = int(crudo)
    except ValueError:
        aviso(f"PRUEBAS_PROCESOS debe ser un número entero de procesos (se recibió «{crudo}»).")
        sys.exit(2)
    if ya or procesos <= 1:
        return args
    return ["-n", str(procesos), *args]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("pytest", "bench"):
        print(__doc__)
        return 2
    modo, resto = argv[0], argv[1:]
    asegurar_programas(modo)
    servicios = Servicios()
    try:
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        entorno = {
            **base,
            "PYTHONPYCACHEPREFIX": os.getenv("PYTHONPYCACHEPREFIX") or str(servicios.dir / "pyc"),
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
            comando = [sys.executable, "-m", "pytest", *repartir(resto)]
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

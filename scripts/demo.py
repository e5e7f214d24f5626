#!/usr/bin/env python3
"""Arranca la demostración completa en el modo embebido (SQLite, sin servidores externos)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent


def manage(*argumentos: str) -> None:
    subprocess.run([sys.executable, "manage.py", *argumentos], cwd=RAIZ, check=True)


def main() -> int:
    puerto = os.getenv("PORT", "8000")
    (RAIZ / "var").mkdir(exist_ok=True)
    manage("migrate", "--noinput", "-v", "0")
    manage("sembrar_demo")
    password = os.getenv("DEMO_PASSWORD", "demo")
    url = f"http://127.0.0.1:{puerto}/"
    print(
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
    admin        administración del sistema
  Ciudadano: {url}solicitud/  y  {url}consulta/
  Ctrl+C para detener.
==================================================================
""",
        flush=True,
    )
    servidor = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{puerto}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=RAIZ,
    )
    try:
        return servidor.wait()
    except KeyboardInterrupt:
        servidor.send_signal(signal.SIGINT)
        return servidor.wait()


if __name__ == "__main__":
    sys.exit(main())

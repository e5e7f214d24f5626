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
  Avisos (SMS, WhatsApp, correo) de la demostración: no salen del equipo; se
  ven en {url}avisos/ (coordinadora o direccion) y en cada expediente.
  En segundo plano: worker de Celery con beat (temporizadores, avisos y
  recordatorios cada minuto; documentos PDF).
  Ctrl+C para detener.
==================================================================
""",
        flush=True,
    )
    # Trabajo en segundo plano real: worker de Celery con beat embebido (temporizadores de
    # los flujos cada minuto), sobre el broker en archivos de var/cola.
    trabajador = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--beat",
            "--queues",
            "celery,pdf",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--schedule",
            str(RAIZ / "var" / "celerybeat-schedule"),
        ],
        cwd=RAIZ,
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
        return 0
    finally:
        for proceso in (servidor, trabajador):
            if proceso.poll() is None:
                proceso.send_signal(signal.SIGTERM)
        for proceso in (servidor, trabajador):
            try:
                proceso.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proceso.kill()


if __name__ == "__main__":
    sys.exit(main())

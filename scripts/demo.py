#!/usr/bin/env python3
"""Arranca la demostración completa en el modo embebido (SQLite, sin servidores externos)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import procesos

RAIZ = Path(__file__).resolve().parent.parent


def manage(*argumentos: str) -> None:
    subprocess.run([sys.executable, "manage.py", *argumentos], cwd=RAIZ, check=True)


def main() -> int:
    puerto = os.getenv("PORT", "8000")
    # Enlaces de acuses, avisos y Open311 al puerto en que de verdad corre la demo.
    os.environ.setdefault("URL_PUBLICA", f"http://127.0.0.1:{puerto}")
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
  coordinadora, direccion y admin entran también con un código de dos pasos:
  agregue la clave MEDIACIONMUNICIPALDEMOSTRACION22 a su app de autenticación,
  o use un código de respaldo (demo-0001 a demo-0010).
  Ciudadano: {url}solicitud/  y  {url}consulta/  (arriba, folios y
  códigos de ejemplo para consultar)
  APIs: {url}open311/v2/discovery.json  y  {url}api/docs/
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
    # los flujos, avisos y recordatorios), sobre el broker en archivos de var/cola.
    trabajador = procesos.worker(
        dict(os.environ), None, nivel="WARNING", agenda=RAIZ / "var" / "celerybeat-schedule"
    )
    servidor = procesos.web(dict(os.environ), None, int(puerto), 2, 4, esperar=False)
    # SIGTERM (p. ej. de un supervisor) también detiene al servidor y al worker.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        return servidor.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for proceso in (servidor, trabajador):
            procesos.detener(proceso, espera=15)


if __name__ == "__main__":
    sys.exit(main())

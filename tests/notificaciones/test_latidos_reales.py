"""Con procesos reales: PostgreSQL, un Redis propio, dos workers de Celery (uno prefork que se
mata con SIGKILL y otro solo con el beat embebido, como en la demo) y un servidor SMTP en
127.0.0.1. Intervalos cortos por variables de entorno: latido cada 1 s, umbral de 3 s,
revisión cada 1 s."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.db import connection

from notificaciones.models import AlertaOperativa, LatidoTrabajador
from scripts import procesos
from scripts.simuladores import ServidorSMTP

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="sin redis-server"),
]

CORREO = "coordinacion@atotonilco.gob.mx"
UMBRAL = 3
REVISION = 1


class Piezas:
    def __init__(self, carpeta):
        self.carpeta = carpeta
        self.redis = procesos.Redis(carpeta).iniciar()
        self.smtp = ServidorSMTP().iniciar()
        self.maquina = socket.gethostname()
        self.procesos = []
        datos = connection.settings_dict
        base_url = f"postgres://{datos['USER']}@{datos['HOST']}:{datos['PORT']}/{datos['NAME']}"
        self.entorno = {
            **os.environ,
            "DATABASE_URL": base_url,
            "CELERY_BROKER_URL": self.redis.url,
            "MEDIA_ROOT": str(carpeta / "media"),
            "TRABAJADOR_LATIDO_SEGUNDOS": "1",
            "TRABAJADOR_SIN_LATIDO_SEGUNDOS": str(UMBRAL),
            "TRABAJADOR_REVISION_SEGUNDOS": str(REVISION),
            **self.smtp.entorno(),
        }

    def worker_de_avisos(self) -> subprocess.Popen:
        """Cola `celery`, pool prefork con un proceso hijo, nombre avisos@<máquina>."""
        comando = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--hostname",
            "avisos@%h",
            "--queues",
            "celery",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        proceso = procesos.iniciar(comando, self.entorno, self.carpeta / "avisos.log")
        self.procesos.append(proceso)
        return proceso

    def worker_pdf_con_beat(self) -> subprocess.Popen:
        """Cola `pdf` con el beat embebido (`worker --beat`, como la demo)."""
        proceso = procesos.worker(self.entorno, self.carpeta / "pdf.log", colas="pdf")
        self.procesos.append(proceso)
        return proceso

    def revisar(self, nombre: str) -> int:
        """El healthcheck del contenedor, como lo corre docker."""
        return subprocess.run(
            [sys.executable, "manage.py", "latido", "--revisar", "--nombre", nombre],
            cwd=procesos.RAIZ,
            env=self.entorno,
            capture_output=True,
            timeout=60,
        ).returncode

    def detener(self):
        for proceso in self.procesos:
            procesos.detener(proceso)
        self.redis.detener()
        self.smtp.detener()

    def bitacoras(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.carpeta.glob("*.log"))
        )


@pytest.fixture
def piezas(transactional_db, catalogos, coordinadora, tmp_path):
    coordinadora.email = CORREO
    coordinadora.save()
    reales = Piezas(tmp_path)
    yield reales
    reales.detener()


def esperar(condicion, piezas, segundos=45):
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        if condicion():
            return
        time.sleep(0.1)
    raise AssertionError("No se cumplió a tiempo.\n" + piezas.bitacoras())


def latido(nombre):
    return LatidoTrabajador.objects.filter(nombre=nombre).first()


def alerta(cola):
    return AlertaOperativa.objects.filter(cola=cola).order_by("-pk").first()


def test_worker_muerto_la_coordinacion_recibe_un_correo_y_otro_al_volver(piezas):
    avisos, pdf = f"avisos@{piezas.maquina}", f"celery@{piezas.maquina}"
    primero = piezas.worker_de_avisos()
    esperar(lambda: (latido(avisos) or LatidoTrabajador()).procesos_vivos == 1, piezas)
    vivo = latido(avisos)
    assert (vivo.pool, vivo.colas, vivo.pid) == ("prefork", "celery", primero.pid)
    piezas.worker_pdf_con_beat()
    esperar(lambda: latido(pdf) is not None, piezas)
    assert (latido(pdf).pool, latido(pdf).colas) == ("solo", "pdf")
    esperar(lambda: "Beat: revisa cada" in (piezas.carpeta / "pdf.log").read_text(), piezas)
    time.sleep(UMBRAL + 3 * REVISION)  # la primera revisión y dos más: todo vivo
    assert not AlertaOperativa.objects.exists() and piezas.smtp.correos == []
    assert piezas.revisar(avisos) == 0

    os.killpg(primero.pid, signal.SIGKILL)
    muerte = time.monotonic()
    primero.wait(timeout=10)
    esperar(lambda: alerta("celery") is not None, piezas)
    deteccion = time.monotonic() - muerte
    print(f"\nDe SIGKILL a la alerta: {deteccion:.1f} s (umbral {UMBRAL} s, revisión {REVISION} s)")
    assert deteccion < UMBRAL + REVISION + 3
    piezas.smtp.esperar(1)
    time.sleep(3 * REVISION)  # más revisiones: nada se repite
    ((destinos, correo),) = piezas.smtp.correos
    assert destinos == [CORREO]
    assert correo["Subject"].startswith("Trabajo en segundo plano detenido desde el ")
    cuerpo = correo.get_body(("plain",)).get_content()
    assert "(avisos, recordatorios y vencimientos de plazos) está detenido" in cuerpo
    assert alerta("pdf") is None  # el worker de PDF sigue vivo
    assert piezas.revisar(avisos) == 1 and piezas.revisar(pdf) == 0

    piezas.worker_de_avisos()
    esperar(lambda: alerta("celery").hasta is not None, piezas)
    piezas.smtp.esperar(2)
    time.sleep(3 * REVISION)
    assert len(piezas.smtp.correos) == 2 and AlertaOperativa.objects.count() == 1
    destinos, restablecido = piezas.smtp.correos[1]
    assert destinos == [CORREO]
    assert restablecido["Subject"] == "Se restableció el trabajo en segundo plano"
    assert piezas.revisar(avisos) == 0


# Arranca el worker de verdad con el conteo de procesos del pool fijo en cero: billiard
# reemplaza enseguida a un hijo muerto y no hay forma de hacer que no pueda crear otros.
WORKER_SIN_PROCESOS = """
import sys
import django
django.setup()
from notificaciones import trabajadores
trabajadores.procesos_vivos = lambda pool: 0
from celery.bin.celery import main
sys.argv = ["celery", *sys.argv[1:]]
main()
"""


def test_un_worker_cuyo_pool_no_tiene_procesos_se_detiene_con_codigo_70(piezas):
    comando = [
        sys.executable,
        "-c",
        WORKER_SIN_PROCESOS,
        "-A",
        "config",
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        "1",
        "--hostname",
        "sinprocesos@%h",
        "--queues",
        "celery",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    entorno = {**piezas.entorno, "DJANGO_SETTINGS_MODULE": "config.settings"}
    bitacora = piezas.carpeta / "sinprocesos.log"
    proceso = procesos.iniciar(comando, entorno, bitacora)
    piezas.procesos.append(proceso)
    inicio = time.monotonic()
    codigo = proceso.wait(timeout=60)
    print(f"\nEl worker sin procesos salió en {time.monotonic() - inicio:.1f} s")
    texto = bitacora.read_text()
    assert codigo == 70, piezas.bitacoras()
    assert "sin ningún proceso vivo, así que no puede correr trabajos" in texto
    renglon = latido(f"sinprocesos@{piezas.maquina}")
    assert renglon.procesos_vivos == 0 and renglon.ultimo_latido_vivo is None

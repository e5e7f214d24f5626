"""Latido de los workers y revisión del beat, dentro de sus propios procesos.

- Worker: al quedar listo (`worker_ready`), un hilo de su proceso principal anota su latido
  cada TRABAJADOR_LATIDO_SEGUNDOS: nombre, PID, colas y cuántos procesos vivos tiene su pool.
  Si el pool pasa más de LATIDOS_SIN_PROCESOS latidos sin ningún proceso vivo, el worker se
  detiene con código 70 para que su supervisor (`restart: unless-stopped` de docker compose)
  lo vuelva a arrancar. El hilo termina con `worker_shutdown`.
- Beat: al arrancar (`beat_init`; también el beat embebido de `worker --beat`, que corre en un
  proceso hijo del worker), un hilo revisa cada TRABAJADOR_REVISION_SEGUNDOS si cada cola
  tiene un worker vivo (`services.revisar_trabajadores`). No es una tarea periódica: una tarea
  la ejecuta un worker y, sin ninguno vivo, nunca correría. Al arrancar y en cada vuelta anota
  su propia marca de vida (`RevisionBeat`), que lee la salud (/salud/).

Ninguna falla de la base detiene al worker ni al beat: se anota en la bitácora y se intenta
otra vez en la siguiente vuelta. Cada vuelta usa su propia conexión y la cierra al terminar
(los hilos no comparten conexiones y así ninguna queda abierta al crear procesos hijos).
"""

import logging
import os
import socket
import threading
import time

from celery import signals
from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from .services import (
    registrar_alto,
    registrar_latido,
    registrar_revision_beat,
    revisar_trabajadores,
)

logger = logging.getLogger(__name__)

# Latidos seguidos con el pool sin procesos vivos antes de que el worker se detenga.
LATIDOS_SIN_PROCESOS = 3
# Si el worker no termina por su cuenta en este tiempo tras pedírselo, sale a la fuerza.
ESPERA_ALTO_FORZADO = 60
# Código de salida al detenerse por un pool sin procesos (EX_SOFTWARE, como Celery).
SALIDA_POOL_MUERTO = 70


def _hijo_vivo(pid: int | None) -> bool:
    """Si el proceso hijo sigue corriendo. `waitid` con WNOWAIT pregunta sin recoger su
    estado de salida: recogerlo es cosa del pool, que así sabe cuál reemplazar."""
    if not pid:
        return False
    if not hasattr(os, "waitid"):
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
    except ChildProcessError:
        return False  # ya recogido: no existe


def procesos_vivos(pool) -> int:
    """Procesos del pool que pueden correr trabajos: en prefork, los hijos vivos; en los
    demás (solo, hilos) el proceso principal mismo trabaja."""
    if pool is None:
        return 0
    from celery.concurrency.prefork import TaskPool as Prefork

    if not isinstance(pool, Prefork):
        return 1
    interno = getattr(pool, "_pool", None)
    if interno is None:
        return 0
    return sum(1 for hijo in list(getattr(interno, "_pool", None) or []) if _hijo_vivo(hijo.pid))


def colas_de(consumer) -> list[str]:
    """Las colas de las que el worker consume ahora (cambian con add_consumer/cancel_consumer)."""
    task_consumer = getattr(consumer, "task_consumer", None)
    if task_consumer is not None and task_consumer.queues:
        return sorted({cola.name for cola in task_consumer.queues})
    colas = consumer.app.amqp.queues
    return sorted(colas.consume_from or colas)


def tipo_de_pool(pool) -> str:
    return type(pool).__module__.rsplit(".", 1)[-1] if pool is not None else ""


def pedir_alto() -> None:
    """Detiene el worker con código 70: el bucle principal de Celery revisa esta bandera en
    cada vuelta; si aun así no termina, un temporizador sale a la fuerza."""
    from celery.worker import state

    state.should_stop = SALIDA_POOL_MUERTO
    respaldo = threading.Timer(ESPERA_ALTO_FORZADO, os._exit, args=(SALIDA_POOL_MUERTO,))
    respaldo.daemon = True
    respaldo.start()


class Latido(threading.Thread):
    """El hilo del latido en el proceso principal de un worker."""

    def __init__(self, consumer, *, intervalo: float, reloj=time.monotonic, al_pool_muerto=None):
        super().__init__(name="latido", daemon=True)
        self.consumer = consumer
        self.nombre = consumer.hostname
        self.pid = os.getpid()
        self.arrancado_en = timezone.now()
        self.intervalo = intervalo
        self.reloj = reloj
        self.al_pool_muerto = al_pool_muerto or pedir_alto
        self.alto_pedido = False
        self._alto = threading.Event()
        self._sin_procesos_desde: float | None = None
        self._fallando = False

    def run(self) -> None:
        while True:
            try:
                self.latir()
            finally:
                connections.close_all()
            if self._alto.wait(self.intervalo):
                return

    def latir(self) -> None:
        pool = getattr(self.consumer, "pool", None)
        vivos = procesos_vivos(pool)
        try:
            registrar_latido(
                nombre=self.nombre,
                pid=self.pid,
                colas=colas_de(self.consumer),
                pool=tipo_de_pool(pool),
                arrancado_en=self.arrancado_en,
                procesos_vivos=vivos,
            )
        except Exception as error:  # noqa: BLE001 (la base caída no debe tumbar al worker)
            self._fallando = True
            logger.warning(
                "Worker %s: no se pudo anotar el latido (%s: %s); se intenta de nuevo en %s s.",
                self.nombre,
                type(error).__name__,
                error,
                self.intervalo,
            )
        else:
            if self._fallando:
                self._fallando = False
                logger.warning("Worker %s: el latido se anota de nuevo.", self.nombre)
        self._vigilar_pool(vivos)

    def _vigilar_pool(self, vivos: int) -> None:
        if vivos > 0:
            if self._sin_procesos_desde is not None:
                logger.warning("Worker %s: su pool vuelve a tener procesos vivos.", self.nombre)
            self._sin_procesos_desde = None
            return
        ahora = self.reloj()
        if self._sin_procesos_desde is None:
            self._sin_procesos_desde = ahora
            logger.warning("Worker %s: su pool no tiene ningún proceso vivo.", self.nombre)
            return
        sin_procesos = ahora - self._sin_procesos_desde
        if self.alto_pedido or sin_procesos < LATIDOS_SIN_PROCESOS * self.intervalo:
            return
        self.alto_pedido = True
        logger.critical(
            "Worker %s: su pool lleva %d s sin ningún proceso vivo, así que no puede correr "
            "trabajos aunque siga latiendo. Se detiene (código %s) para que su supervisor "
            "(docker compose: restart: unless-stopped) lo vuelva a arrancar.",
            self.nombre,
            sin_procesos,
            SALIDA_POOL_MUERTO,
        )
        self.al_pool_muerto()

    def detener(self) -> None:
        """Termina el hilo y anota que el worker se detuvo en orden."""
        self._alto.set()
        if self.is_alive():
            self.join(timeout=self.intervalo + 5)
        try:
            registrar_alto(nombre=self.nombre, pid=self.pid)
        except DatabaseError as error:
            logger.warning("Worker %s: no se pudo anotar su alto (%s).", self.nombre, error)
        finally:
            connections.close_all()


class Revision(threading.Thread):
    """El hilo de la revisión en el proceso del beat. La primera vuelta espera el umbral sin
    latido: los workers que arrancan junto con el beat alcanzan a latir."""

    def __init__(self, *, intervalo: float, espera_inicial: float):
        super().__init__(name="revision-de-workers", daemon=True)
        self.intervalo = intervalo
        self.espera_inicial = espera_inicial
        self.pid = os.getpid()
        self.nombre = f"beat@{socket.gethostname()}"
        self._alto = threading.Event()

    def run(self) -> None:
        try:
            self.marcar()
        finally:
            connections.close_all()
        espera = self.espera_inicial
        while not self._alto.wait(espera):
            espera = self.intervalo
            try:
                self.revisar()
            finally:
                connections.close_all()

    def marcar(self) -> None:
        """La marca de vida del beat; una falla de la base se anota y se sigue."""
        try:
            registrar_revision_beat(nombre=self.nombre, pid=self.pid)
        except Exception as error:  # noqa: BLE001 (la base caída no debe tumbar al beat)
            logger.warning(
                "Beat: no se pudo anotar su revisión (%s); se intenta en la siguiente vuelta.",
                type(error).__name__,
            )

    def revisar(self) -> None:
        self.marcar()
        try:
            revisar_trabajadores()
        except DatabaseError as error:
            logger.warning(
                "Revisión de workers: la base no respondió (%s); se intenta de nuevo en %s s.",
                error,
                self.intervalo,
            )
        except Exception:  # noqa: BLE001 (una falla inesperada no detiene al beat)
            logger.exception(
                "Revisión de workers: falló; se intenta de nuevo en %s s.", self.intervalo
            )

    def detener(self) -> None:
        self._alto.set()


# Un hilo de cada uno por proceso (el PID distingue al proceso hijo del beat embebido, que
# hereda estas variables al crearse).
_latido: Latido | None = None
_revision: tuple[int, Revision] | None = None


def al_quedar_listo(sender, **kwargs) -> None:
    """worker_ready: el consumidor está listo (se vuelve a enviar si reconecta al broker)."""
    global _latido
    if _latido is not None and _latido.pid == os.getpid() and _latido.is_alive():
        _latido.consumer = sender
        return
    _latido = Latido(sender, intervalo=settings.TRABAJADOR_LATIDO_SEGUNDOS)
    _latido.start()
    logger.info(
        "Worker %s: latido cada %s s en la base.",
        _latido.nombre,
        settings.TRABAJADOR_LATIDO_SEGUNDOS,
    )


def al_detenerse(sender, **kwargs) -> None:
    global _latido
    if _latido is not None and _latido.pid == os.getpid():
        _latido.detener()
        _latido = None


def al_arrancar_beat(sender, **kwargs) -> None:
    global _revision
    if _revision is not None and _revision[0] == os.getpid() and _revision[1].is_alive():
        return
    revision = Revision(
        intervalo=settings.TRABAJADOR_REVISION_SEGUNDOS,
        espera_inicial=max(
            settings.TRABAJADOR_REVISION_SEGUNDOS, settings.TRABAJADOR_SIN_LATIDO_SEGUNDOS
        ),
    )
    revision.start()
    _revision = (os.getpid(), revision)
    logger.info(
        "Beat: revisa cada %s s que cada cola tenga un worker con latido en los últimos %s s.",
        settings.TRABAJADOR_REVISION_SEGUNDOS,
        settings.TRABAJADOR_SIN_LATIDO_SEGUNDOS,
    )


def conectar() -> None:
    signals.worker_ready.connect(al_quedar_listo, dispatch_uid="latido-al-quedar-listo")
    signals.worker_shutdown.connect(al_detenerse, dispatch_uid="latido-al-detenerse")
    signals.beat_init.connect(al_arrancar_beat, dispatch_uid="revision-al-arrancar-beat")

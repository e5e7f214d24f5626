"""Salud de los workers: latido, qué cuenta como vivo por cola, la revisión del beat (una
alerta y un correo por interrupción, otro al restablecerse), el aviso en pantalla para la
coordinación y el comando del healthcheck. Sin procesos reales: test_latidos_reales.py."""

import logging
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from celery.concurrency.prefork import TaskPool as Prefork
from celery.concurrency.solo import TaskPool as Solo
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from notificaciones import selectors, services, trabajadores
from notificaciones.models import AlertaOperativa, LatidoTrabajador

pytestmark = pytest.mark.django_db

RAIZ = Path(__file__).resolve().parent.parent.parent
# El martes 24/11/2026 a las 10:00 de México.
INICIO = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _ajustes(settings):
    settings.TRABAJADOR_LATIDO_SEGUNDOS = 15
    settings.TRABAJADOR_SIN_LATIDO_SEGUNDOS = 60
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reloj():
    with time_machine.travel(INICIO, tick=False) as viajero:
        yield viajero


def latir(nombre="celery@maquina1", colas=("celery", "pdf"), procesos=1, pid=100):
    return services.registrar_latido(
        nombre=nombre,
        pid=pid,
        colas=list(colas),
        pool="prefork",
        arrancado_en=timezone.now(),
        procesos_vivos=procesos,
    )


def avanzar(reloj, segundos):
    reloj.shift(timedelta(seconds=segundos))


# --- Qué cuenta como vivo -------------------------------------------------------------------


def test_cada_cola_cuenta_solo_a_los_workers_que_la_atienden(reloj):
    latir("avisos@maquina1", colas=["celery"])
    estado = selectors.estado_de_trabajadores()
    assert estado["celery"].vivos == ("avisos@maquina1",)
    assert estado["celery"].ultimo_latido == INICIO
    assert estado["pdf"].detenida and estado["pdf"].ultimo_latido is None
    assert estado["pdf"].ultimo_vivo is None  # nunca latió nadie para «pdf»
    assert set(estado) == {"celery", "pdf"}  # la cola por omisión y la de CELERY_TASK_ROUTES


def test_el_umbral_sin_latido_decide(reloj):
    latir()
    avanzar(reloj, 60)
    assert not selectors.estado_de_trabajadores()["celery"].detenida
    avanzar(reloj, 1)
    estado = selectors.estado_de_trabajadores()["celery"]
    assert estado.detenida and estado.vivos == () and estado.ultimo_vivo == INICIO


def test_un_pool_sin_procesos_vivos_no_cuenta_aunque_siga_latiendo(reloj):
    latir(procesos=0)  # arrancó y su pool nunca tuvo procesos
    assert selectors.estado_de_trabajadores()["celery"].detenida
    latir(procesos=2)
    for _ in range(5):  # el pool murió: sigue latiendo cada 15 s, sin procesos
        avanzar(reloj, 15)
        latir(procesos=0)
    estado = selectors.estado_de_trabajadores()["celery"]
    assert estado.detenida
    assert estado.ultimo_latido == INICIO + timedelta(seconds=75)
    assert estado.ultimo_vivo == INICIO  # «detenido desde»: su último latido con procesos


def test_con_dos_workers_basta_uno_vivo(reloj):
    latir("uno@maquina1")
    avanzar(reloj, 90)
    latir("dos@maquina2")
    assert selectors.estado_de_trabajadores()["pdf"].vivos == ("dos@maquina2",)


def test_un_worker_detenido_en_orden_cuenta_hasta_el_umbral(reloj):
    """Un reinicio del contenedor (segundos) no es una interrupción."""
    latir(pid=100)
    avanzar(reloj, 5)
    assert services.registrar_alto(nombre="celery@maquina1", pid=100) == 1
    latido = LatidoTrabajador.objects.get()
    assert latido.detenido_en == INICIO + timedelta(seconds=5) and latido.procesos_vivos == 0
    assert not selectors.estado_de_trabajadores()["celery"].detenida
    avanzar(reloj, 56)
    assert selectors.estado_de_trabajadores()["celery"].detenida


def test_el_alto_de_un_proceso_viejo_no_pisa_al_que_lo_reemplazo(reloj):
    latir(pid=200)  # el worker nuevo, con el mismo nombre
    assert services.registrar_alto(nombre="celery@maquina1", pid=100) == 0
    assert LatidoTrabajador.objects.get().detenido_en is None


# --- Procesos vivos del pool ----------------------------------------------------------------


def _prefork(hijos):
    pool = Prefork.__new__(Prefork)
    pool._pool = SimpleNamespace(_pool=[SimpleNamespace(pid=hijo.pid) for hijo in hijos])
    return pool


def test_procesos_vivos_cuenta_hijos_reales_sin_recogerlos():
    hijos = [subprocess.Popen(["sleep", "60"]) for _ in range(2)]
    try:
        pool = _prefork(hijos)
        assert trabajadores.procesos_vivos(pool) == 2
        os.kill(hijos[0].pid, signal.SIGKILL)
        limite = time.monotonic() + 5
        while trabajadores.procesos_vivos(pool) != 1 and time.monotonic() < limite:
            time.sleep(0.01)
        assert trabajadores.procesos_vivos(pool) == 1  # muerto aún sin recoger
        # El estado de salida sigue ahí para quien lo recoja (el pool, aquí Popen).
        assert hijos[0].wait(timeout=5) == -signal.SIGKILL
        assert trabajadores.procesos_vivos(pool) == 1  # ya recogido: tampoco cuenta
    finally:
        for hijo in hijos:
            hijo.kill()
            hijo.wait()


def test_procesos_vivos_de_cada_tipo_de_pool():
    assert trabajadores.procesos_vivos(Solo.__new__(Solo)) == 1  # el proceso mismo
    assert trabajadores.procesos_vivos(None) == 0
    detenido = Prefork.__new__(Prefork)
    detenido._pool = None
    assert trabajadores.procesos_vivos(detenido) == 0
    assert trabajadores.procesos_vivos(_prefork([])) == 0


# --- El hilo del latido ---------------------------------------------------------------------


class Consumidor(SimpleNamespace):
    """Lo que el latido lee del consumidor de Celery."""

    def __init__(self, pool, colas=("celery", "pdf")):
        super().__init__(
            hostname="celery@maquina1",
            pool=pool,
            task_consumer=SimpleNamespace(queues=[SimpleNamespace(name=c) for c in colas]),
        )


class Reloj:
    def __init__(self):
        self.ahora = 1000.0

    def __call__(self):
        return self.ahora


def test_el_latido_anota_nombre_pid_colas_y_procesos():
    latido = trabajadores.Latido(Consumidor(Solo.__new__(Solo), ["pdf"]), intervalo=15)
    latido.latir()
    renglon = LatidoTrabajador.objects.get()
    assert (renglon.nombre, renglon.pid, renglon.colas) == ("celery@maquina1", os.getpid(), "pdf")
    assert renglon.pool == "solo" and renglon.procesos_vivos == 1
    assert renglon.ultimo_latido_vivo == renglon.ultimo_latido


def test_un_pool_sin_procesos_por_mas_de_tres_latidos_detiene_al_worker(caplog):
    pedidos = []
    reloj = Reloj()
    latido = trabajadores.Latido(
        Consumidor(_prefork([])),
        intervalo=15,
        reloj=reloj,
        al_pool_muerto=lambda: pedidos.append(1),
    )
    caplog.set_level(logging.WARNING, logger="notificaciones.trabajadores")
    for _ in range(3):  # a los 0, 15 y 30 s sin procesos: todavía no
        latido.latir()
        reloj.ahora += 15
    assert pedidos == []
    latido.latir()  # a los 45 s
    assert pedidos == [1]
    assert "Se detiene (código 70)" in caplog.text and "no puede correr trabajos" in caplog.text
    reloj.ahora += 15
    latido.latir()
    assert pedidos == [1]  # se pide una sola vez
    assert LatidoTrabajador.objects.get().procesos_vivos == 0


def test_un_pool_que_se_recupera_no_detiene_al_worker():
    pedidos = []
    reloj = Reloj()
    consumidor = Consumidor(_prefork([]))
    latido = trabajadores.Latido(
        consumidor, intervalo=15, reloj=reloj, al_pool_muerto=lambda: pedidos.append(1)
    )
    hijo = subprocess.Popen(["sleep", "60"])
    try:
        for paso in range(8):
            consumidor.pool = _prefork([hijo] if paso == 2 else [])
            latido.latir()
            reloj.ahora += 15
            if paso < 5:
                assert pedidos == []
    finally:
        hijo.kill()
        hijo.wait()
    assert pedidos == [1]  # el conteo volvió a empezar tras el latido con un proceso vivo


def test_la_base_caida_no_tumba_al_worker(monkeypatch, caplog):
    def caida(**datos):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(trabajadores, "registrar_latido", caida)
    latido = trabajadores.Latido(Consumidor(Solo.__new__(Solo)), intervalo=15)
    latido.latir()
    assert "no se pudo anotar el latido" in caplog.text and "could not connect" in caplog.text
    monkeypatch.undo()
    latido.latir()
    assert LatidoTrabajador.objects.count() == 1 and "se anota de nuevo" in caplog.text


def test_la_revision_con_la_base_caida_no_tumba_al_beat(monkeypatch, caplog):
    def caida():
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(trabajadores, "revisar_trabajadores", caida)
    trabajadores.Revision(intervalo=60, espera_inicial=60).revisar()
    assert "la base no respondió" in caplog.text


# --- Revisión del beat: alertas y correos ---------------------------------------------------


@pytest.fixture
def coordinacion(coordinadora, catalogos):
    coordinadora.email = "coordinacion@atotonilco.gob.mx"
    coordinadora.save()
    inactiva = User.objects.create_user("exjefa", email="exjefa@atotonilco.gob.mx", is_active=False)
    inactiva.groups.add(Group.objects.get(name="coordinador"))
    mediador = User.objects.create_user("mediador3", email="mediador@atotonilco.gob.mx")
    mediador.groups.add(Group.objects.get(name="mediador"))
    return coordinadora


def test_una_interrupcion_es_una_alerta_y_un_correo_y_otro_al_restablecerse(reloj, coordinacion):
    latir()
    avanzar(reloj, 30)
    assert services.revisar_trabajadores() == {"celery": False, "pdf": False}
    assert not AlertaOperativa.objects.exists() and mail.outbox == []

    avanzar(reloj, 40)  # 70 s sin latido
    assert services.revisar_trabajadores() == {"celery": True, "pdf": True}
    alertas = AlertaOperativa.objects.order_by("cola")
    assert [(a.cola, a.desde, a.hasta) for a in alertas] == [
        ("celery", INICIO, None),
        ("pdf", INICIO, None),
    ]
    (correo,) = mail.outbox  # uno para las dos colas, solo a la coordinación activa
    assert correo.to == ["coordinacion@atotonilco.gob.mx"]
    assert correo.subject == "Trabajo en segundo plano detenido desde el 24/11/2026 a las 10:00"
    assert "avisos, recordatorios, vencimientos de plazos y documentos PDF" in correo.body
    assert "Avise a soporte técnico" in correo.body and "docker compose ps" in correo.body

    for _ in range(3):  # la interrupción sigue: nada más
        avanzar(reloj, 60)
        services.revisar_trabajadores()
    assert len(mail.outbox) == 1 and AlertaOperativa.objects.count() == 2

    latir()  # vuelve un worker
    services.revisar_trabajadores()
    vuelta = INICIO + timedelta(seconds=250)
    assert [a.hasta for a in AlertaOperativa.objects.all()] == [vuelta, vuelta]
    assert len(mail.outbox) == 2
    restablecido = mail.outbox[1]
    assert restablecido.to == ["coordinacion@atotonilco.gob.mx"]
    assert restablecido.subject == "Se restableció el trabajo en segundo plano"
    assert "se restableció el 24/11/2026 a las 10:04" in restablecido.body
    assert "desde el 24/11/2026 a las 10:00" in restablecido.body

    avanzar(reloj, 60)
    latir()
    services.revisar_trabajadores()
    assert len(mail.outbox) == 2


def test_solo_se_detiene_la_cola_sin_worker(reloj, coordinacion):
    latir("avisos@maquina1", colas=["celery"])
    assert services.revisar_trabajadores() == {"celery": False, "pdf": True}
    (alerta,) = AlertaOperativa.objects.all()
    assert alerta.cola == "pdf" and alerta.desde == INICIO  # nunca latió: la hora en que se vio
    (correo,) = mail.outbox
    assert "(documentos PDF)" in correo.body and "los documentos quedan guardados" in correo.body
    assert "avisos" not in correo.body.split("Para soporte técnico")[0]


def test_la_alerta_empieza_en_el_ultimo_latido_con_procesos(reloj, coordinacion):
    latir(procesos=1)
    avanzar(reloj, 15)
    latir(procesos=0)
    avanzar(reloj, 60)
    latir(procesos=0)
    services.revisar_trabajadores()
    assert {a.desde for a in AlertaOperativa.objects.all()} == {INICIO}


class CorreoCaido:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, mensajes):
        raise ConnectionRefusedError(111, "Connection refused")


def test_si_el_correo_falla_se_reintenta_en_la_siguiente_revision(reloj, coordinacion, settings):
    settings.EMAIL_BACKEND = f"{__name__}.CorreoCaido"
    services.revisar_trabajadores()
    alertas = list(AlertaOperativa.objects.all())
    assert len(alertas) == 2 and all(a.aviso_inicio_en is None for a in alertas)
    assert all("Connection refused" in a.ultimo_error for a in alertas)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    avanzar(reloj, 60)
    services.revisar_trabajadores()
    services.revisar_trabajadores()
    assert len(mail.outbox) == 1
    assert all(a.aviso_inicio_en and not a.ultimo_error for a in AlertaOperativa.objects.all())


def test_sin_coordinacion_con_correo_la_alerta_queda_registrada(reloj, coordinadora, caplog):
    services.revisar_trabajadores()
    assert AlertaOperativa.objects.count() == 2 and mail.outbox == []
    assert "No hay nadie del rol coordinador con correo" in caplog.text


def test_la_revision_olvida_workers_que_no_laten_en_una_semana(reloj, coordinadora):
    latir("viejo@contenedor1")
    avanzar(reloj, 8 * 24 * 3600)
    latir("nuevo@contenedor2")
    services.revisar_trabajadores()
    assert list(LatidoTrabajador.objects.values_list("nombre", flat=True)) == ["nuevo@contenedor2"]


# --- El aviso en pantalla -------------------------------------------------------------------

AVISO = "El trabajo en segundo plano"


def _pagina(cliente_de, usuario) -> str:
    cache.clear()
    respuesta = cliente_de(usuario).get(reverse("casos:buscar"))
    assert respuesta.status_code == 200
    return respuesta.content.decode()


def test_la_coordinacion_ve_el_aviso_y_el_mediador_no(
    reloj, cliente_de, coordinadora, direccion, mediador, operadora
):
    latir()
    avanzar(reloj, 61)
    pagina = _pagina(cliente_de, coordinadora)
    assert '<div class="alerta" role="alert">' in pagina
    assert (
        "El trabajo en segundo plano (avisos, recordatorios, vencimientos de plazos y "
        "documentos PDF) está detenido desde las 10:00; los avisos, recordatorios y documentos "
        "quedan pendientes y saldrán al restablecerse. Avise a soporte técnico."
    ) in " ".join(pagina.split())
    assert AVISO in _pagina(cliente_de, direccion)
    admin = User.objects.create_superuser("admin", "admin@atotonilco.gob.mx", "clave")
    assert AVISO in _pagina(cliente_de, admin)
    assert AVISO not in _pagina(cliente_de, mediador)
    assert AVISO not in _pagina(cliente_de, operadora)


def test_sin_aviso_si_hay_workers_vivos(reloj, cliente_de, coordinadora):
    latir()
    avanzar(reloj, 30)
    assert AVISO not in _pagina(cliente_de, coordinadora)


def test_una_instalacion_nueva_sin_latidos_ni_alerta_no_muestra_aviso(cliente_de, coordinadora):
    assert AVISO not in _pagina(cliente_de, coordinadora)


def test_un_worker_que_nunca_arranco_se_ve_cuando_el_beat_abre_la_alerta(
    reloj, cliente_de, coordinadora
):
    services.revisar_trabajadores()  # ningún worker latió nunca
    avanzar(reloj, 24 * 3600 + 3 * 60)
    pagina = " ".join(_pagina(cliente_de, coordinadora).split())
    assert "está detenido desde el 24/11/2026 a las 10:00" in pagina


def test_solo_la_cola_pdf_detenida(reloj, cliente_de, coordinadora):
    latir("pdf@maquina1", colas=["pdf"])
    avanzar(reloj, 50)
    latir("avisos@maquina1", colas=["celery"])
    avanzar(reloj, 20)
    pagina = " ".join(_pagina(cliente_de, coordinadora).split())
    assert "(documentos PDF) está detenido desde las 10:00; los documentos quedan" in pagina


def test_hora_dicha():
    with time_machine.travel(INICIO, tick=False):
        una = INICIO.replace(hour=7, minute=5)  # 01:05 en México
        assert selectors.hora_dicha(una) == "la 01:05"
        assert selectors.hora_dicha(INICIO) == "las 10:00"
        assert selectors.hora_dicha(INICIO, con_fecha=True) == "el 24/11/2026 a las 10:00"
        assert selectors.hora_dicha(INICIO - timedelta(days=1)) == "el 23/11/2026 a las 10:00"


# --- El comando del healthcheck -------------------------------------------------------------


def test_revisar_sin_ningun_latido_termina_con_1(monkeypatch):
    monkeypatch.setattr("socket.gethostname", lambda: "contenedor1")
    with pytest.raises(CommandError, match="de la máquina «contenedor1» ha latido") as error:
        call_command("latido", "--revisar")
    assert error.value.returncode == 1


def test_revisar_el_worker_de_esta_maquina(reloj, monkeypatch, capsys):
    monkeypatch.setattr("socket.gethostname", lambda: "contenedor1")
    latir("celery@contenedor1")
    latir("celery@otro", procesos=0)  # otra máquina: no es asunto de este contenedor
    call_command("latido", "--revisar")
    assert "Vivo: celery@contenedor1" in capsys.readouterr().out
    avanzar(reloj, 61)
    with pytest.raises(CommandError, match="Sin latido con procesos vivos en 60 s") as error:
        call_command("latido", "--revisar")
    assert error.value.returncode == 1


def test_revisar_un_pool_muerto_termina_con_1(reloj):
    latir("pdf@contenedor1", procesos=0)
    with pytest.raises(CommandError, match="0 procesos vivos") as error:
        call_command("latido", "--revisar", "--nombre", "pdf@contenedor1")
    assert error.value.returncode == 1


def test_latido_sin_opciones_muestra_cada_cola(reloj, capsys):
    latir("avisos@contenedor1", colas=["celery"])
    avanzar(reloj, 90)
    latir("pdf@contenedor2", colas=["pdf"])
    call_command("latido")
    salida = capsys.readouterr().out
    assert "Cola «celery»: DETENIDA desde el 24/11/2026 a las 10:00." in salida
    assert "Cola «pdf»: viva (pdf@contenedor2)." in salida


def test_umbral_menor_que_dos_latidos_da_un_error_claro():
    entorno = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    resultado = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=RAIZ,
        env={
            **entorno,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "TRABAJADOR_LATIDO_SEGUNDOS": "40",
            "TRABAJADOR_SIN_LATIDO_SEGUNDOS": "60",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resultado.returncode != 0
    assert "al menos el doble de TRABAJADOR_LATIDO_SEGUNDOS" in resultado.stderr

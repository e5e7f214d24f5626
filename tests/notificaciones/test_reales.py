"""Con las piezas reales: PostgreSQL, un Redis propio que se apaga y se prende, un worker de
Celery con beat en otro proceso (que se mata con SIGKILL), un servidor web real, un servidor
SMTP en 127.0.0.1 y un proveedor de SMS local que revisa cada petición."""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import threading
import time
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from celery import Celery
from django.db import connection
from django.urls import reverse

from casos.models import Caso, Categoria, Localidad
from casos.services import DatosPersona
from notificaciones.models import Canal, EstadoMensaje, Mensaje
from notificaciones.services import avisar_a_parte
from scripts import procesos
from scripts.simuladores import ProveedorTwilio, ServidorSMTP

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="sin redis-server"),
]


class Piezas:
    def __init__(self, carpeta):
        self.carpeta = carpeta
        self.redis = procesos.Redis(carpeta).iniciar()
        self.proveedor = ProveedorTwilio().iniciar()
        self.smtp = ServidorSMTP().iniciar()
        self.procesos = []
        datos = connection.settings_dict
        base_url = f"postgres://{datos['USER']}@{datos['HOST']}:{datos['PORT']}/{datos['NAME']}"
        self.entorno = {
            **os.environ,
            "DATABASE_URL": base_url,
            "CELERY_BROKER_URL": self.redis.url,
            "MEDIA_ROOT": str(carpeta / "media"),
            "AVISOS_BARRIDO_SEGUNDOS": "1",
            "AVISOS_RECLAMO_SEGUNDOS": "4",
            "AVISOS_TIMEOUT_SEGUNDOS": "3",
            "AVISOS_REINTENTO_SEGUNDOS": "1",
            # Sin horario de silencio (las pruebas que lo revisan congelan la hora).
            "AVISOS_SILENCIO": "",
            **self.proveedor.entorno(),
            **self.smtp.entorno(),
        }

    def worker(self):
        proceso = procesos.worker(self.entorno, self.carpeta / "worker.log", colas="celery")
        self.procesos.append(proceso)
        return proceso

    def web(self, puerto):
        proceso = procesos.web(self.entorno, self.carpeta / "web.log", puerto)
        self.procesos.append(proceso)
        return proceso

    def detener(self):
        for proceso in self.procesos:
            procesos.detener(proceso)
        self.redis.detener()
        self.proveedor.detener()
        self.smtp.detener()

    def bitacoras(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.carpeta.glob("*.log"))
        )


@pytest.fixture
def piezas(transactional_db, catalogos, tmp_path):
    reales = Piezas(tmp_path)
    yield reales
    reales.detener()


def esperar(condicion, segundos=45, piezas=None):
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        if condicion():
            return
        time.sleep(0.1)
    raise AssertionError("No se cumplió a tiempo." + ("\n" + piezas.bitacoras() if piezas else ""))


def estados(caso):
    return sorted(Mensaje.objects.filter(caso=caso).values_list("canal", "estado"))


def _formulario(html: str) -> dict:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return {
        "csrfmiddlewaretoken": token,
        "tipo": "ASE",
        "categoria": Categoria.objects.filter(tipo="ASE").first().pk,
        "localidad": Localidad.objects.first().pk,
        "nombre": "Marta Ruiz",
        "telefono": "33 1234 5678",
        "correo": "marta@correo.mx",
        "resumen": "Quiero saber cómo tramitar una pensión alimenticia.",
        "aviso": "on",
        "sitio_web": "",
    }


def test_redis_caido_la_solicitud_se_guarda_y_sus_avisos_salen_una_vez_al_volver(piezas):
    puerto = procesos.puerto_libre()
    piezas.web(puerto)
    piezas.redis.detener()  # el broker se cae

    galletas = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    url = f"http://127.0.0.1:{puerto}/solicitud/"
    html = galletas.open(url, timeout=30).read().decode()
    datos = urllib.parse.urlencode(_formulario(html)).encode()
    respuesta = galletas.open(url, data=datos, timeout=30)
    # La persona ve su acuse en pantalla: la solicitud se guardó y se respondió.
    assert respuesta.status == 200 and respuesta.url.endswith("/solicitud/enviada/")
    pagina = respuesta.read().decode()
    caso = Caso.objects.get()
    assert caso.folio in pagina
    assert estados(caso) == [(Canal.CORREO, "pendiente"), (Canal.SMS, "pendiente")]
    assert not Mensaje.objects.filter(caso=caso, encolado_en__isnull=False).exists()

    piezas.redis.iniciar()  # vuelve el broker (vacío: sin persistencia)
    piezas.worker()
    esperar(
        lambda: estados(caso) == [(Canal.CORREO, "enviado"), (Canal.SMS, "enviado")],
        piezas=piezas,
    )
    time.sleep(3)  # varias vueltas más del barrido: nada se repite
    assert len(piezas.proveedor.recibidos) == 1 and len(piezas.smtp.correos) == 1
    (sms,) = piezas.proveedor.recibidos
    assert sms.campos["To"] == "+523312345678" and caso.folio in sms.campos["Body"]
    ((destinos, correo),) = piezas.smtp.correos
    assert destinos == ["marta@correo.mx"] and caso.folio in correo["Subject"]
    assert piezas.proveedor.rechazos == []


def test_worker_muerto_a_medio_envio_el_mensaje_sale_una_sola_vez(piezas, nuevo_caso):
    piezas.proveedor.retener = threading.Event()
    caso = nuevo_caso(solicitante=DatosPersona(nombre="Luz", telefono="+523311112222")).caso
    (aviso,) = Mensaje.objects.filter(caso=caso)
    primero = piezas.worker()
    piezas.proveedor.esperar(1)  # el proveedor ya lo tiene; el worker espera su respuesta
    os.killpg(primero.pid, signal.SIGKILL)
    primero.wait(timeout=10)
    piezas.proveedor.retener.set()
    aviso.refresh_from_db()
    assert aviso.estado == EstadoMensaje.ENVIANDO and aviso.intentos == 1

    piezas.worker()
    esperar(lambda: Mensaje.objects.get(pk=aviso.pk).estado == EstadoMensaje.ENVIADO, piezas=piezas)
    time.sleep(3)
    aviso.refresh_from_db()
    (recibido,) = piezas.proveedor.recibidos
    assert aviso.proveedor_id == recibido.sid and aviso.intentos == 2 and not aviso.en_duda


def test_el_mismo_evento_encolado_varias_veces_es_un_mensaje(piezas, nuevo_caso):
    caso = nuevo_caso(solicitante=DatosPersona(nombre="Eva", telefono="+523333334444")).caso
    parte = caso.solicitante
    (aviso,) = Mensaje.objects.filter(caso=caso)
    otra_vez = avisar_a_parte(parte, "acuse", f"acuse:{caso.pk}")  # el mismo hecho
    assert [m.pk for m in otra_vez] == [aviso.pk]
    cliente = Celery(broker=piezas.redis.url)
    for _ in range(3):
        cliente.send_task("notificaciones.tasks.enviar_aviso", args=[aviso.pk])
    piezas.worker()
    esperar(lambda: Mensaje.objects.get(pk=aviso.pk).estado == EstadoMensaje.ENVIADO, piezas=piezas)
    time.sleep(3)
    assert len(piezas.proveedor.recibidos) == 1
    assert Mensaje.objects.get(pk=aviso.pk).intentos == 1


def test_correo_real_con_cita_y_sms_rechazado_que_se_reintenta(piezas, nuevo_caso, coordinadora):
    """El correo llega al SMTP con su texto; un número que el proveedor rechaza queda como
    fallido (sin reintentos inútiles) y, corregido, sale al reintentarlo."""
    from casos.services.mediacion import actualizar_parte
    from notificaciones.services import reintentar

    caso = nuevo_caso(
        solicitante=DatosPersona(nombre="Sol", telefono="+523355556666", correo="sol@correo.mx")
    ).caso
    Mensaje.objects.filter(caso=caso, canal=Canal.SMS).update(destino="+52123")
    piezas.worker()
    esperar(
        lambda: estados(caso) == [(Canal.CORREO, "enviado"), (Canal.SMS, "fallido")],
        piezas=piezas,
    )
    ((destinos, correo),) = piezas.smtp.correos
    cuerpo = correo.get_body(("plain",)).get_content()
    assert destinos == ["sol@correo.mx"] and "Hola, Sol" in cuerpo and "/avisos/baja/" in cuerpo
    sms = Mensaje.objects.get(caso=caso, canal=Canal.SMS)
    assert "400" in sms.ultimo_error and sms.intentos == 1
    actualizar_parte(parte=caso.solicitante, actor=coordinadora, telefono="+523355556666")
    reintentar(mensaje=sms, actor=coordinadora)
    esperar(lambda: Mensaje.objects.get(pk=sms.pk).estado == "enviado", piezas=piezas)
    (recibido,) = piezas.proveedor.recibidos
    assert recibido.campos["To"] == "+523355556666"


def _cronometrado(abrir, *argumentos, **opciones):
    inicio = time.monotonic()
    respuesta = abrir(*argumentos, **opciones)
    cuerpo = respuesta.read()
    return respuesta, cuerpo.decode(), time.monotonic() - inicio


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_con_redis_caido_cada_peticion_responde_en_menos_de_un_segundo(
    piezas, nuevo_caso, coordinadora, certificado, operadora, sala, client
):
    """Recepción por la web y por la API del personal, una sesión programada y una lectura de
    Open311 con el broker caído: cada una responde en menos de 1 s (lo que no se pudo
    encolar espera en la base) y, cuando Redis vuelve, cada aviso sale una sola vez."""
    from django.utils import timezone

    from api.services import emitir_token
    from casos.plazos import siguiente_dia_habil
    from flujos.selectors import tareas_abiertas_del_caso
    from open311.identificadores import identificador_de
    from tests.api.datos import cuerpo_caso
    from tests.flujos.conftest import Conductor
    from tests.flujos.test_flujo_mediacion import admitir_y_asignar

    conductor = Conductor(client)
    mediacion = nuevo_caso(solicitante=DatosPersona(nombre="Rosa", telefono="+523377778888")).caso
    admitir_y_asignar(conductor, mediacion, coordinadora, certificado)
    ahora = timezone.localtime()
    conductor.hacer(
        certificado,
        mediacion,
        "invitar",
        {
            "fecha": (ahora - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "medio": "personal",
            "recibio": "La persona",
            "respuesta": "acepta",
            "observaciones": "",
        },
    )
    (programar,) = [t for t in tareas_abiertas_del_caso(caso=mediacion)]
    assert programar.flow_task.name == "programar"
    client.force_login(certificado)
    token = emitir_token(nombre="conmutador", usuario=operadora)

    # Sin la pausa tras una falla, cada trabajo intenta conectarse: ni así se espera.
    piezas.entorno["COLAS_PAUSA_SEGUNDOS"] = "0"
    puerto = procesos.puerto_libre()
    piezas.web(puerto)
    base = f"http://127.0.0.1:{puerto}"
    ciudadano = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    galletas = http.cookiejar.CookieJar()
    galletas.set_cookie(
        http.cookiejar.Cookie(
            0,
            "sessionid",
            client.cookies["sessionid"].value,
            None,
            False,
            "127.0.0.1",
            False,
            False,
            "/",
            True,
            False,
            None,
            False,
            None,
            None,
            {},
        )
    )
    mediador = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(galletas))

    def solicitud_web():
        html = ciudadano.open(base + "/solicitud/", timeout=30).read().decode()
        datos = urllib.parse.urlencode(_formulario(html)).encode()
        return _cronometrado(ciudadano.open, base + "/solicitud/", data=datos, timeout=30)

    # Con el broker arriba, una primera solicitud calienta el proceso del servidor.
    solicitud_web()
    piezas.redis.detener()

    tiempos = {}
    respuesta, _, tiempos["solicitud web"] = solicitud_web()
    assert respuesta.url.endswith("/solicitud/enviada/")

    peticion = urllib.request.Request(
        base + reverse("api:casos"),
        data=json.dumps(cuerpo_caso()).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    respuesta, cuerpo, tiempos["alta por la API"] = _cronometrado(
        urllib.request.urlopen, peticion, timeout=30
    )
    assert respuesta.status == 201, cuerpo
    folio_api = json.loads(cuerpo)["folio"]

    pagina = base + reverse("flujos:tarea", args=[programar.pk])
    html = mediador.open(pagina, timeout=30).read().decode()
    dia = siguiente_dia_habil(ahora.date() + timedelta(days=2))
    datos = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": _csrf(html),
            "horario": "otra",
            "otra_hora": f"{dia.isoformat()}T10:00",
            "duracion_min": 60,
            "sala": sala.pk,
        }
    ).encode()
    respuesta, cuerpo, tiempos["programar sesión"] = _cronometrado(
        mediador.open, pagina, data=datos, timeout=30
    )
    assert mediacion.sesiones.filter(estado="programada").count() == 1, cuerpo[-2000:]

    lectura = base + f"/open311/v2/requests/{identificador_de(mediacion.folio)}.json"
    respuesta, cuerpo, tiempos["lectura Open311"] = _cronometrado(
        urllib.request.urlopen, lectura, timeout=30
    )
    assert respuesta.status == 200 and json.loads(cuerpo)

    lentas = {nombre: round(s, 2) for nombre, s in tiempos.items() if s >= 1}
    assert not lentas, f"Respuestas de 1 s o más con Redis caído: {lentas}"

    casos = list(Caso.objects.all())
    assert folio_api in {c.folio for c in casos} and len(casos) == 4
    piezas.redis.iniciar()
    piezas.worker()

    def todo_enviado():
        return not Mensaje.objects.filter(
            estado__in=[EstadoMensaje.PENDIENTE, EstadoMensaje.ENVIANDO],
            programado_para__lte=timezone.now(),
        ).exists()

    esperar(todo_enviado, segundos=60, piezas=piezas)
    time.sleep(3)  # varias vueltas más del barrido: nada se repite
    enviados = Mensaje.objects.filter(estado=EstadoMensaje.ENVIADO)
    sms = enviados.filter(canal=Canal.SMS)
    assert sms.count() == len(piezas.proveedor.recibidos)
    assert sorted(sms.values_list("proveedor_id", flat=True)) == sorted(
        r.sid for r in piezas.proveedor.recibidos
    )
    assert enviados.filter(canal=Canal.CORREO).count() == len(piezas.smtp.correos)
    assert {m.caso_id for m in sms} >= {c.pk for c in casos}


def test_recibos_firmados_llegan_al_servidor_web_y_el_sms_no_entregado_se_reenvia_por_correo(
    piezas, nuevo_caso
):
    """Worker real que envía al proveedor local; el proveedor manda sus recibos firmados a
    la StatusCallback del servidor web real; el SMS que no se entregó sale por correo, una
    vez, y el 21610 de otro número queda como baja."""
    from notificaciones.models import Baja, OrigenBaja

    puerto = procesos.puerto_libre()
    piezas.entorno["URL_PUBLICA"] = f"http://127.0.0.1:{puerto}"
    piezas.proveedor.estados_de["+523377778888"] = ["queued", "sent", "undelivered"]
    piezas.proveedor.errores_de["+523377778888"] = "30003"
    piezas.proveedor.bajas.add("+523399990000")
    piezas.web(puerto)
    caso = nuevo_caso(
        solicitante=DatosPersona(
            nombre="Ana", telefono="+523377778888", correo="ana@correo.mx", avisos_por="sms"
        )
    ).caso
    otro = nuevo_caso(solicitante=DatosPersona(nombre="Leo", telefono="+523399990000")).caso
    (sms,) = Mensaje.objects.filter(caso=caso)
    piezas.worker()
    esperar(lambda: Mensaje.objects.get(pk=sms.pk).entrega == "no_entregado", piezas=piezas)
    esperar(lambda: len(piezas.smtp.correos) == 1, piezas=piezas)
    time.sleep(3)  # más vueltas del barrido: nada se repite
    sms.refresh_from_db()
    assert sms.estado == EstadoMensaje.ENVIADO and sms.entrega_error == "30003"
    assert piezas.proveedor.respuestas_a_recibos == [204, 204, 204]
    ((destinos, correo),) = piezas.smtp.correos
    assert destinos == ["ana@correo.mx"] and caso.folio in correo["Subject"]
    assert piezas.proveedor.recibidos[0].campos["StatusCallback"] == (
        f"http://127.0.0.1:{puerto}/avisos/estado/twilio/"
    )
    esperar(lambda: Baja.objects.filter(destino="+523399990000").exists(), piezas=piezas)
    assert Baja.objects.get(destino="+523399990000").origen == OrigenBaja.PROVEEDOR
    assert Mensaje.objects.get(caso=otro).estado == EstadoMensaje.FALLIDO

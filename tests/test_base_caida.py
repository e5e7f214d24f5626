"""PostgreSQL que se apaga y vuelve con el mismo gunicorn corriendo: mientras no está, cada
petición responde 503 con Retry-After en seguida (página en español, JSON de la API, error
GeoReport de Open311); al volver, las mismas peticiones funcionan sin reiniciar nada.

Con un PostgreSQL propio de esta prueba (otro puerto, otra carpeta): el de la suite no se toca.
El gunicorn corre con los ajustes de producción (DEBUG=False).
"""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from scripts import procesos

pytestmark = pytest.mark.postgres

RAIZ = Path(__file__).resolve().parent.parent
REINTENTO = 7
# Lo más que puede tardar una respuesta con la base apagada (la conexión se rechaza al
# instante; el tope de espera de conexión es de 3 s, para una base que ni rechaza).
ESPERA_MAXIMA = 2.5
AVISO = "El servicio no está disponible por un momento"

# Con la base recién migrada: una cuenta de operadora con su token de la API y un caso que
# ella capturó (folio y código para la consulta pública).
PREPARAR = """
import json
from django.contrib.auth.models import Group, User
from api.services import emitir_token
from casos import services
from casos.models import AvisoPrivacidad, Canal, Categoria, Localidad, TipoCaso
operadora = User.objects.create_user("operadora")
operadora.groups.add(Group.objects.get(name="operador"))
recibida = services.recibir_solicitud(
    tipo=TipoCaso.ASESORIA,
    canal=Canal.TELEFONO,
    categoria=Categoria.objects.filter(tipo=TipoCaso.ASESORIA).first(),
    localidad=Localidad.objects.first(),
    resumen="Quiero saber cómo tramitar una pensión alimenticia.",
    solicitante=services.DatosPersona(nombre="Marta Ruiz", telefono="+523312345678"),
    aviso=AvisoPrivacidad.vigente(),
    actor=operadora,
)
print(json.dumps({
    "token": emitir_token(nombre="conmutador", usuario=operadora),
    "folio": recibida.caso.folio,
    "codigo": recibida.codigo,
}))
"""


@dataclass
class Respuesta:
    estado: int
    encabezados: dict
    texto: str
    segundos: float


class Servidor:
    """Un gunicorn real sobre un PostgreSQL propio, y las peticiones de cada cliente."""

    def __init__(self, carpeta: Path):
        self.carpeta = carpeta
        self.pg = procesos.Postgres()
        self.web = None
        self.galletas = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def arrancar(self) -> None:
        self.pg.iniciar()
        self.entorno = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.ajustes_produccion",
            "DATABASE_URL": self.pg.crear_base(),
            "DEBUG": "False",
            "SECRET_KEY": "prueba-de-base-caida-" + "x" * 40,
            "REDIRIGIR_A_HTTPS": "False",
            "COOKIES_SEGURAS": "False",
            "CELERY_BROKER_URL": "memory://",
            "MEDIA_ROOT": str(self.carpeta / "media"),
            "REINTENTO_SEGUNDOS": str(REINTENTO),
            "LOG_LEVEL": "WARNING",
        }
        self._manage("migrate", "--noinput")
        self.datos = json.loads(self._manage("shell", "-c", PREPARAR).splitlines()[-1])
        self.puerto = procesos.puerto_libre()
        self.base = f"http://127.0.0.1:{self.puerto}"
        self.web = procesos.web(self.entorno, self.carpeta / "web.log", self.puerto)

    def _manage(self, *argumentos: str) -> str:
        hecho = subprocess.run(
            [sys.executable, "manage.py", *argumentos],
            cwd=RAIZ,
            env=self.entorno,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert hecho.returncode == 0, hecho.stderr[-3000:]
        return hecho.stdout

    def detener(self) -> None:
        if self.web is not None:
            procesos.detener(self.web)
        self.pg.borrar()

    def bitacora(self) -> str:
        archivo = self.carpeta / "web.log"
        return archivo.read_text(errors="replace") if archivo.exists() else ""

    def pedir(self, ruta: str, datos: dict | None = None, **cabeceras) -> Respuesta:
        cuerpo = urllib.parse.urlencode(datos).encode() if datos is not None else None
        peticion = urllib.request.Request(self.base + ruta, data=cuerpo, headers=cabeceras)
        inicio = time.monotonic()
        try:
            respuesta = self.galletas.open(peticion, timeout=30)
        except urllib.error.HTTPError as error:
            respuesta = error
        texto = respuesta.read().decode()
        return Respuesta(
            respuesta.status, dict(respuesta.headers), texto, time.monotonic() - inicio
        )

    def clave_csrf(self) -> str:
        pagina = self.pedir("/consulta/")
        assert pagina.estado == 200, pagina.texto[:500]
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pagina.texto).group(1)

    def api(self) -> Respuesta:
        return self.pedir("/api/v1/casos/", Authorization=f"Bearer {self.datos['token']}")

    def recorrido(self, csrf: str) -> dict[str, Respuesta]:
        """Las mismas peticiones de cada cliente; cada una consulta la base. (El formulario de
        consulta en blanco ya no la consulta: los datos de la oficina salen de la memoria del
        proceso. La página es el aviso de privacidad, que lee el aviso vigente.)"""
        consulta = {"csrfmiddlewaretoken": csrf, **{k: self.datos[k] for k in ("folio", "codigo")}}
        return {
            "pagina": self.pedir("/privacidad/"),
            "formulario": self.pedir("/consulta/", consulta),
            "api": self.api(),
            "open311_json": self.pedir("/open311/v2/services.json"),
            "open311_xml": self.pedir("/open311/v2/requests.xml"),
        }

    def cortar_conexiones(self) -> int:
        """Termina las conexiones de los demás a la base (las persistentes de gunicorn)."""
        with psycopg.connect(self.pg.url, autocommit=True) as conexion:
            filas = conexion.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        return len(filas)


@pytest.fixture
def servidor(tmp_path):
    real = Servidor(tmp_path)
    try:
        real.arrancar()
        yield real
    finally:
        real.detener()


def _funcionan(respuestas: dict[str, Respuesta], folio: str) -> None:
    estados = {nombre: r.estado for nombre, r in respuestas.items()}
    assert estados == dict.fromkeys(respuestas, 200)
    assert "Aviso de privacidad" in respuestas["pagina"].texto
    assert folio in respuestas["formulario"].texto
    assert [c["folio"] for c in json.loads(respuestas["api"].texto)["resultados"]] == [folio]
    assert json.loads(respuestas["open311_json"].texto)
    assert ET.fromstring(respuestas["open311_xml"].texto).tag == "service_requests"


def test_con_la_base_apagada_todo_responde_503_y_al_volver_funciona_sin_reiniciar(servidor):
    csrf = servidor.clave_csrf()
    _funcionan(servidor.recorrido(csrf), servidor.datos["folio"])

    # Una conexión persistente que muere (reinicio, corte) se revisa y se reabre: sin 503.
    assert servidor.cortar_conexiones() >= 1
    assert servidor.api().estado == 200

    gunicorn = servidor.web.pid
    servidor.pg.detener()
    caidas = servidor.recorrido(csrf)
    for nombre, respuesta in caidas.items():
        assert respuesta.estado == 503, (nombre, respuesta.texto[:500])
        assert respuesta.encabezados["Retry-After"] == str(REINTENTO), nombre
        assert "no-store" in respuesta.encabezados["Cache-Control"], nombre
        assert respuesta.segundos < ESPERA_MAXIMA, (nombre, respuesta.segundos)
        assert "Traceback" not in respuesta.texto and "OperationalError" not in respuesta.texto

    assert AVISO in caidas["pagina"].texto
    assert caidas["pagina"].encabezados["Content-Type"].startswith("text/html")
    assert "Lo que acaba de enviar no se guardó" in caidas["formulario"].texto
    assert json.loads(caidas["api"].texto) == {
        "detail": f"{AVISO}. Reintente en {REINTENTO} segundos."
    }
    (error,) = json.loads(caidas["open311_json"].texto)
    assert error["code"] == 503 and error["description"].startswith(AVISO)
    errores = ET.fromstring(caidas["open311_xml"].texto)
    assert errores.tag == "errors" and errores.findtext("error/code") == "503"

    bitacora = servidor.bitacora()
    assert bitacora.count("Servicio no disponible (django.db.utils.OperationalError") == 5
    assert "Traceback" not in bitacora and "Internal Server Error" not in bitacora

    # Vuelve la base en el mismo puerto y con los mismos datos: el mismo gunicorn atiende.
    servidor.pg.iniciar()
    _funcionan(servidor.recorrido(csrf), servidor.datos["folio"])
    assert servidor.web.poll() is None and servidor.web.pid == gunicorn

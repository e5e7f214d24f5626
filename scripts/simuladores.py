"""Servidores locales que hacen de proveedor de SMS/WhatsApp (API de mensajes de Twilio) y de
servidor de correo (SMTP), para las pruebas con worker real y para el benchmark.

El proveedor simulado revisa cada petición como lo haría el real: ruta con la cuenta,
autenticación básica, campos obligatorios (To, Body o ContentSid con ContentVariables en
JSON, y From o MessagingServiceSid) y números en E.164; responde 201 con un `sid`, y lista
los mensajes (GET) como la API real, para que el sistema pueda preguntar si un envío
interrumpido llegó. Como Twilio, manda los recibos de estado (queued, sent, delivered…)
firmados a la `StatusCallback` de cada mensaje, responde 21610 a un número que se dio de
baja, hace fallar con 63016 un WhatsApp en texto libre fuera de la ventana de 24 h (si se
le pide) y firma las respuestas entrantes que se le pidan simular.
"""

import base64
import itertools
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

E164 = re.compile(r"^(whatsapp:)?\+[1-9]\d{7,14}$")
CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")
# Códigos de error de Twilio que el simulador reproduce.
ERROR_BAJA = "21610"  # el destinatario respondió STOP: no se le puede escribir
ERROR_FUERA_DE_VENTANA = "63016"  # WhatsApp en texto libre fuera de las 24 h


@dataclass(frozen=True)
class Peticion:
    """Una petición firmada como la firma Twilio (`X-Twilio-Signature`)."""

    url: str
    campos: dict
    firma: str

    def enviar(self, timeout: float = 10) -> tuple[int, bytes]:
        datos = urllib.parse.urlencode(self.campos).encode()
        peticion = urllib.request.Request(self.url, data=datos, method="POST")
        peticion.add_header("Content-Type", "application/x-www-form-urlencoded")
        peticion.add_header("X-Twilio-Signature", self.firma)
        try:
            with urllib.request.urlopen(peticion, timeout=timeout) as respuesta:
                return respuesta.status, respuesta.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (urllib.error.URLError, OSError) as error:  # nadie escucha en esa URL
            return 0, str(error).encode()


@dataclass
class Recibido:
    sid: str
    campos: dict
    creado: datetime


@dataclass
class ProveedorTwilio:
    cuenta: str = "AC" + "0" * 32
    token: str = "token-de-prueba"
    recibidos: list[Recibido] = field(default_factory=list)
    rechazos: list[str] = field(default_factory=list)
    # Si se pone, cada POST se guarda y luego espera a que el evento se libere (para matar
    # al worker «a medio envío»).
    retener: threading.Event | None = None
    # Respuestas forzadas para los siguientes POST (código HTTP), p. ej. [503, 503].
    fallar_con: list[int] = field(default_factory=list)
    # Nada que revisar ni guardar: solo responder (benchmark de rendimiento).
    nulo: bool = False
    # Números (E.164) que se dieron de baja en el proveedor: responde 400 con 21610.
    bajas: set[str] = field(default_factory=set)
    # Si se exige, un WhatsApp en texto libre a un número que no está en `ventanas` (no ha
    # escrito en 24 h) se acepta y luego falla con 63016, como en Twilio.
    exigir_ventana: bool = False
    ventanas: set[str] = field(default_factory=set)
    # Los estados que se informan de cada mensaje aceptado, en orden; por número se pueden
    # cambiar (p. ej. {"+52…": ["queued", "sent", "undelivered"]}) con su ErrorCode.
    estados: list[str] = field(default_factory=lambda: ["queued", "sent", "delivered"])
    estados_de: dict[str, list[str]] = field(default_factory=dict)
    errores_de: dict[str, str] = field(default_factory=dict)
    # True: los recibos se mandan solos por HTTP a la StatusCallback (servidor web real);
    # False: quedan en `recibos` para que la prueba los entregue (cliente de Django).
    mandar_recibos: bool = True
    recibos: list[Peticion] = field(default_factory=list)
    # Lo que respondió el sistema a cada recibo mandado por HTTP (código de estado).
    respuestas_a_recibos: list[int] = field(default_factory=list)

    def __post_init__(self):
        self._contador = itertools.count(1)
        self._candado = threading.Lock()
        self.servidor = ThreadingHTTPServer(("127.0.0.1", 0), self._manejador())
        self.servidor.daemon_threads = True
        self.hilo = threading.Thread(target=self.servidor.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.servidor.server_port}"

    def iniciar(self) -> "ProveedorTwilio":
        self.hilo.start()
        return self

    def detener(self) -> None:
        if self.retener is not None:
            self.retener.set()
        self.servidor.shutdown()
        self.servidor.server_close()

    def entorno(self) -> dict[str, str]:
        """Variables de entorno para que el sistema envíe aquí."""
        return {
            "AVISOS_SMS": "twilio",
            "AVISOS_WHATSAPP": "twilio",
            "TWILIO_API_URL": self.url,
            "TWILIO_ACCOUNT_SID": self.cuenta,
            "TWILIO_AUTH_TOKEN": self.token,
            "TWILIO_SMS_DESDE": "+523919170000",
            "TWILIO_WHATSAPP_DESDE": "+523919170001",
            # Los envíos de prueba salen a cualquier hora.
            "AVISOS_SILENCIO": "",
        }

    def esperar(self, n: int, segundos: float = 30) -> list[Recibido]:
        limite = time.monotonic() + segundos
        while time.monotonic() < limite:
            if len(self.recibidos) >= n:
                return list(self.recibidos)
            time.sleep(0.05)
        raise AssertionError(f"El proveedor recibió {len(self.recibidos)} de {n} mensajes.")

    # --- Firmas, recibos y respuestas entrantes ----------------------------------------

    def firmar(self, url: str, campos: dict) -> str:
        """La firma de Twilio (HMAC-SHA1 con el token de la cuenta) de un POST a `url`."""
        from twilio.request_validator import RequestValidator

        return RequestValidator(self.token).compute_signature(url, campos)

    def recibo(self, url: str, sid: str, campos: dict, estado: str, error: str = "") -> Peticion:
        datos = {
            "AccountSid": self.cuenta,
            "MessageSid": sid,
            "SmsSid": sid,
            "MessageStatus": estado,
            "SmsStatus": estado,
            "To": campos.get("To", ""),
            "From": campos.get("From", ""),
            "ApiVersion": "2010-04-01",
        }
        if error:
            datos["ErrorCode"] = error
        return Peticion(url, datos, self.firmar(url, datos))

    def entrante(self, url: str, de: str, texto: str, *, whatsapp: bool = False) -> Peticion:
        """Una respuesta de la persona con el número `de`, firmada como la manda Twilio."""
        remitente = f"whatsapp:{de}" if whatsapp else de
        destino = "+523919170001" if whatsapp else "+523919170000"
        with self._candado:
            sid = f"SM{next(self._contador) + 10**20:032d}"
        datos = {
            "MessageSid": sid,
            "SmsMessageSid": sid,
            "AccountSid": self.cuenta,
            "From": remitente,
            "To": f"whatsapp:{destino}" if whatsapp else destino,
            "Body": texto,
            "NumMedia": "0",
        }
        if whatsapp:
            self.ventanas.add(de)
        return Peticion(url, datos, self.firmar(url, datos))

    def _informar(self, sid: str, campos: dict) -> None:
        """Los recibos de estado del mensaje a su StatusCallback, en orden."""
        url = campos.get("StatusCallback")
        if not url:
            return
        numero = campos["To"].removeprefix("whatsapp:")
        estados = list(self.estados_de.get(numero, self.estados))
        error = self.errores_de.get(numero, "")
        libre = campos["To"].startswith("whatsapp:") and not campos.get("ContentSid")
        if self.exigir_ventana and libre and numero not in self.ventanas:
            estados, error = ["queued", "failed"], ERROR_FUERA_DE_VENTANA
        fallido = {"failed", "undelivered"}
        peticiones = [
            self.recibo(url, sid, campos, estado, error if estado in fallido else "")
            for estado in estados
        ]
        if not self.mandar_recibos:
            with self._candado:
                self.recibos.extend(peticiones)
            return

        def mandar():
            # Como en Twilio, el primer recibo llega después de la respuesta a la API.
            time.sleep(0.3)
            for peticion in peticiones:
                codigo, _cuerpo = peticion.enviar()
                self.respuestas_a_recibos.append(codigo)

        threading.Thread(target=mandar, daemon=True).start()

    def _manejador(self):
        proveedor = self

        class Manejador(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _json(self, codigo: int, datos: dict) -> None:
                cuerpo = json.dumps(datos).encode()
                self.send_response(codigo)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(cuerpo)))
                self.end_headers()
                self.wfile.write(cuerpo)

            def _ruta_valida(self) -> bool:
                ruta = urllib.parse.urlsplit(self.path).path
                return ruta == f"/2010-04-01/Accounts/{proveedor.cuenta}/Messages.json"

            def _autorizado(self) -> bool:
                esperado = base64.b64encode(f"{proveedor.cuenta}:{proveedor.token}".encode())
                return self.headers.get("Authorization", "") == f"Basic {esperado.decode()}"

            def _rechazar(self, codigo: int, motivo: str) -> None:
                proveedor.rechazos.append(motivo)
                self._json(codigo, {"code": 21000 + codigo, "message": motivo, "status": codigo})

            def do_POST(self):
                largo = int(self.headers.get("Content-Length") or 0)
                cuerpo = self.rfile.read(largo)
                if proveedor.nulo:
                    return self._json(201, {"sid": "SM" + "0" * 32, "status": "queued"})
                if not self._ruta_valida():
                    return self._rechazar(404, "Ruta desconocida")
                if not self._autorizado():
                    return self._rechazar(401, "Credenciales inválidas")
                if self.headers.get("Content-Type") != "application/x-www-form-urlencoded":
                    return self._rechazar(400, "Tipo de contenido inválido")
                campos = dict(urllib.parse.parse_qsl(cuerpo.decode()))
                if campos.get("ContentSid"):
                    if not CONTENT_SID.match(campos["ContentSid"]):
                        return self._rechazar(400, "ContentSid inválido")
                    try:
                        variables = json.loads(campos.get("ContentVariables") or "{}")
                    except ValueError:
                        return self._rechazar(400, "ContentVariables no es JSON")
                    if not isinstance(variables, dict) or not all(
                        isinstance(v, str) for v in variables.values()
                    ):
                        return self._rechazar(400, "ContentVariables debe ser un objeto")
                elif not campos.get("Body"):
                    return self._rechazar(400, "Falta Body")
                if not E164.match(campos.get("To", "")):
                    return self._rechazar(400, "To no es E.164")
                if not (E164.match(campos.get("From", "")) or campos.get("MessagingServiceSid")):
                    return self._rechazar(400, "Falta From o MessagingServiceSid")
                if campos["To"].startswith("whatsapp:") != campos.get("From", "").startswith(
                    "whatsapp:"
                ):
                    return self._rechazar(400, "To y From en canales distintos")
                numero = campos["To"].removeprefix("whatsapp:")
                if numero in proveedor.bajas:
                    proveedor.rechazos.append("21610")
                    return self._json(
                        400,
                        {
                            "code": int(ERROR_BAJA),
                            "message": "Attempt to send to unsubscribed recipient",
                            "status": 400,
                        },
                    )
                with proveedor._candado:
                    if proveedor.fallar_con:
                        return self._json(proveedor.fallar_con.pop(0), {"message": "falla"})
                    sid = f"SM{next(proveedor._contador):032d}"
                    proveedor.recibidos.append(Recibido(sid, campos, datetime.now(UTC)))
                proveedor._informar(sid, campos)
                if proveedor.retener is not None:
                    proveedor.retener.wait(timeout=60)
                self._json(
                    201,
                    {
                        "sid": sid,
                        "status": "queued",
                        "to": campos["To"],
                        "body": campos.get("Body", ""),
                        "date_created": format_datetime(datetime.now(UTC), usegmt=True),
                    },
                )

            def do_GET(self):
                if not self._ruta_valida():
                    return self._rechazar(404, "Ruta desconocida")
                if not self._autorizado():
                    return self._rechazar(401, "Credenciales inválidas")
                filtros = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
                mensajes = [
                    {
                        "sid": r.sid,
                        "to": r.campos["To"],
                        "from": r.campos.get("From"),
                        "body": r.campos.get("Body", ""),
                        "date_created": format_datetime(r.creado, usegmt=True),
                    }
                    for r in reversed(proveedor.recibidos)
                    if r.campos["To"] == filtros.get("To")
                    and ("From" not in filtros or r.campos.get("From") == filtros["From"])
                ]
                self._json(200, {"messages": mensajes[: int(filtros.get("PageSize", 50))]})

        return Manejador


class ServidorSMTP:
    """SMTP real en 127.0.0.1 (aiosmtpd); guarda cada correo recibido ya interpretado."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.correos = []
        servidor = self

        class Guardar:
            async def handle_DATA(self, server, session, envelope):
                correo = message_from_bytes(envelope.content, policy=policy.default)
                servidor.correos.append((list(envelope.rcpt_tos), correo))
                return "250 OK"

        with socket.socket() as libre:
            libre.bind(("127.0.0.1", 0))
            puerto = libre.getsockname()[1]
        self.controlador = Controller(Guardar(), hostname="127.0.0.1", port=puerto)

    def iniciar(self) -> "ServidorSMTP":
        self.controlador.start()
        return self

    @property
    def puerto(self) -> int:
        return self.controlador.port

    def detener(self) -> None:
        self.controlador.stop()

    def entorno(self) -> dict[str, str]:
        return {
            "AVISOS_CORREO": "django",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.puerto),
        }

    def esperar(self, n: int, segundos: float = 30):
        limite = time.monotonic() + segundos
        while time.monotonic() < limite:
            if len(self.correos) >= n:
                return list(self.correos)
            time.sleep(0.05)
        raise AssertionError(f"El servidor de correo recibió {len(self.correos)} de {n}.")

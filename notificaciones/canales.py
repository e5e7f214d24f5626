"""Canales de envío detrás de una sola interfaz pequeña.

- `correo`: el backend de correo de Django (SMTP en producción).
- `twilio`: SMS y WhatsApp por la API de mensajes de Twilio (HTTP, variables de entorno).
- `bandeja`: no sale del sistema; el aviso queda completo en la bandeja de la demostración.

Cada canal envía o lanza `ErrorDeEnvio` (temporal o permanente). `ya_enviado` responde, si el
canal puede saberlo, si un envío interrumpido llegó al proveedor: así un worker que murió a
medio envío no produce un mensaje doble.
"""

import base64
import json
import logging
import smtplib
import socket
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from email.mime.text import MIMEText
from email.utils import parsedate_to_datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from .models import Canal

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Adjunto:
    nombre: str
    contenido: str
    tipo: str


@dataclass(frozen=True)
class Salida:
    """Un aviso ya redactado, listo para un canal."""

    llave: str
    canal: str
    destino: str
    asunto: str
    texto: str  # el cuerpo: completo en correo, corto en SMS y WhatsApp
    creado_en: datetime
    adjuntos: list[Adjunto] = field(default_factory=list)
    # WhatsApp fuera de la ventana de 24 h: la plantilla aprobada (ContentSid) y sus
    # variables ({"1": "Juana", …}); el texto queda solo como constancia de lo que dice.
    contenido_sid: str = ""
    variables: dict = field(default_factory=dict)
    # A dónde manda el proveedor los recibos de entrega (StatusCallback), si los manda.
    estado_url: str = ""


class ErrorDeEnvio(Exception):
    """`permanente`: no tiene caso reintentar. `ambiguo`: la petición pudo llegar al
    proveedor (se cortó o expiró a medias): antes de reenviar hay que preguntar."""

    def __init__(
        self, mensaje: str, *, permanente: bool = False, ambiguo: bool = False, codigo: str = ""
    ):
        super().__init__(mensaje)
        self.permanente = permanente
        self.ambiguo = ambiguo
        # El código de error del proveedor (p. ej. «21610»: la persona se dio de baja ahí).
        self.codigo = codigo


class CanalDeEnvio(ABC):
    # ¿El texto guardado puede llevar el código de consulta? Solo si el canal es la propia
    # bandeja (no sale del sistema).
    guarda_texto_completo = False
    # ¿Se puede preguntar al proveedor si un envío interrumpido llegó?
    verificable = True

    @abstractmethod
    def enviar(self, salida: Salida) -> str:
        """Entrega el aviso y devuelve el identificador del proveedor."""

    def ya_enviado(self, salida: Salida) -> list[str]:
        """Identificadores del proveedor de mensajes iguales a este recibidos después de
        creado el aviso (el primero que ningún otro aviso haya tomado es este)."""
        return []


class Bandeja(CanalDeEnvio):
    guarda_texto_completo = True

    def enviar(self, salida: Salida) -> str:
        return "bandeja"


class CorreoDjango(CanalDeEnvio):
    # SMTP no permite preguntar si un correo ya se entregó.
    verificable = False

    def enviar(self, salida: Salida) -> str:
        identificador = f"<{salida.llave.replace(':', '.')}@{dominio()}>"
        correo = EmailMultiAlternatives(
            subject=salida.asunto,
            body=salida.texto,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[salida.destino],
            headers={"Message-ID": identificador},
        )
        for adjunto in salida.adjuntos:
            correo.attach(_parte_mime(adjunto))
        try:
            correo.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            raise ErrorDeEnvio(
                f"El servidor de correo rechazó la dirección {salida.destino}.", permanente=True
            ) from error
        except (ConnectionRefusedError, socket.gaierror, smtplib.SMTPConnectError) as error:
            raise ErrorDeEnvio(f"Servidor de correo no disponible: {error}") from error
        except (smtplib.SMTPException, OSError) as error:
            # Se cortó a media conversación: puede que el correo ya se haya entregado.
            raise ErrorDeEnvio(f"El servidor de correo se cortó: {error}", ambiguo=True) from error
        return identificador


def _parte_mime(adjunto: Adjunto) -> MIMEText:
    """La cita va como text/calendar con su METHOD (sin el charset repetido)."""
    tipo, _, metodo = adjunto.tipo.partition(";method=")
    parte = MIMEText(adjunto.contenido, tipo.split("/", 1)[1], "utf-8")
    if metodo:
        parte.set_param("method", metodo)
    parte.add_header("Content-Disposition", "attachment", filename=adjunto.nombre)
    return parte


def dominio() -> str:
    return urllib.parse.urlsplit(settings.URL_PUBLICA).hostname or "localhost"


# Twilio: «el destinatario se dio de baja» (respondió STOP al número del remitente).
CODIGO_BAJA_EN_PROVEEDOR = "21610"


class Twilio(CanalDeEnvio):
    """API de mensajes de Twilio (2010-04-01): el mismo recurso para SMS y WhatsApp."""

    def __init__(self, canal: str):
        self.canal = canal
        self.base = settings.TWILIO_API_URL.rstrip("/")
        self.cuenta = settings.TWILIO_ACCOUNT_SID
        credencial = f"{self.cuenta}:{settings.TWILIO_AUTH_TOKEN}".encode()
        self.autorizacion = "Basic " + base64.b64encode(credencial).decode()
        self.desde = (
            settings.TWILIO_WHATSAPP_DESDE if canal == Canal.WHATSAPP else settings.TWILIO_SMS_DESDE
        )

    def _numero(self, telefono: str) -> str:
        return f"whatsapp:{telefono}" if self.canal == Canal.WHATSAPP else telefono

    def _url(self, consulta: dict | None = None) -> str:
        url = f"{self.base}/2010-04-01/Accounts/{self.cuenta}/Messages.json"
        return f"{url}?{urllib.parse.urlencode(consulta)}" if consulta else url

    def _pedir(self, peticion: urllib.request.Request) -> dict:
        peticion.add_header("Authorization", self.autorizacion)
        peticion.add_header("Accept", "application/json")
        try:
            with urllib.request.urlopen(peticion, timeout=settings.AVISOS_TIMEOUT_SEGUNDOS) as r:
                return json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as error:
            try:
                detalle = json.loads(error.read() or b"{}")
            except ValueError:
                detalle = {}
            texto = detalle.get("message") or error.reason
            if error.code in (401, 403):
                raise ErrorDeEnvio(
                    f"Twilio rechazó las credenciales ({error.code}): revise TWILIO_ACCOUNT_SID "
                    "y TWILIO_AUTH_TOKEN.",
                    permanente=True,
                ) from error
            if error.code == 429:
                raise ErrorDeEnvio(f"Twilio pide esperar (429): {texto}") from error
            if error.code >= 500:
                raise ErrorDeEnvio(
                    f"Twilio no disponible ({error.code}): {texto}", ambiguo=True
                ) from error
            codigo = str(detalle.get("code", ""))
            if codigo == CODIGO_BAJA_EN_PROVEEDOR:
                texto = "la persona se dio de baja en el proveedor (respondió STOP)"
            raise ErrorDeEnvio(
                f"Twilio rechazó el mensaje ({error.code}, {codigo}): {texto}",
                permanente=True,
                codigo=codigo,
            ) from error
        except urllib.error.URLError as error:
            rechazada = isinstance(error.reason, ConnectionRefusedError | socket.gaierror)
            raise ErrorDeEnvio(
                f"Sin respuesta de Twilio: {error.reason}", ambiguo=not rechazada
            ) from error
        except (OSError, ValueError) as error:  # tiempo agotado, conexión cortada
            raise ErrorDeEnvio(f"Sin respuesta de Twilio: {error}", ambiguo=True) from error

    def enviar(self, salida: Salida) -> str:
        campos = {"To": self._numero(salida.destino)}
        if salida.contenido_sid:
            campos["ContentSid"] = salida.contenido_sid
            campos["ContentVariables"] = json.dumps(salida.variables, ensure_ascii=False)
        else:
            campos["Body"] = salida.texto
        if salida.estado_url:
            campos["StatusCallback"] = salida.estado_url
        if settings.TWILIO_MESSAGING_SERVICE_SID and self.canal == Canal.SMS:
            campos["MessagingServiceSid"] = settings.TWILIO_MESSAGING_SERVICE_SID
        else:
            campos["From"] = self._numero(self.desde)
        peticion = urllib.request.Request(
            self._url(), data=urllib.parse.urlencode(campos).encode(), method="POST"
        )
        peticion.add_header("Content-Type", "application/x-www-form-urlencoded")
        respuesta = self._pedir(peticion)
        sid = respuesta.get("sid")
        if not sid:
            raise ErrorDeEnvio("Twilio respondió sin identificador de mensaje.")
        return sid

    def ya_enviado(self, salida: Salida) -> list[str]:
        """Mensajes recientes al mismo número con el mismo texto, creados después del aviso
        (la API lista los más nuevos primero)."""
        consulta = {"To": self._numero(salida.destino), "PageSize": 50}
        if self.desde and not (settings.TWILIO_MESSAGING_SERVICE_SID and self.canal == Canal.SMS):
            consulta["From"] = self._numero(self.desde)
        respuesta = self._pedir(urllib.request.Request(self._url(consulta), method="GET"))
        encontrados = []
        for mensaje in respuesta.get("messages") or []:
            if mensaje.get("body") != salida.texto or not mensaje.get("sid"):
                continue
            try:
                creado = parsedate_to_datetime(mensaje.get("date_created") or "")
            except (TypeError, ValueError):
                continue
            if creado >= salida.creado_en.replace(microsecond=0):
                encontrados.append(mensaje["sid"])
        return encontrados


PROVEEDORES = {
    Canal.CORREO: {"django": CorreoDjango, "bandeja": Bandeja},
    Canal.SMS: {"twilio": lambda: Twilio(Canal.SMS), "bandeja": Bandeja},
    Canal.WHATSAPP: {"twilio": lambda: Twilio(Canal.WHATSAPP), "bandeja": Bandeja},
}


def proveedor_de(canal: str) -> str:
    return settings.AVISOS_CANALES.get(canal, "")


def canal_de_envio(canal: str) -> CanalDeEnvio | None:
    """El canal configurado, o None si está apagado."""
    fabrica = PROVEEDORES.get(canal, {}).get(proveedor_de(canal))
    return fabrica() if fabrica else None


def activos() -> set[str]:
    return {canal for canal in PROVEEDORES if proveedor_de(canal)}

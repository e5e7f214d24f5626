"""Citas de calendario (iCalendar, RFC 5545) para los correos de sesiones.

Se arman con la biblioteca `icalendar`, que escapa cada texto y pliega las líneas; además,
antes de entregarle un texto se le quitan los caracteres de control: varios clientes de
correo toman un CR suelto como fin de línea, y un lugar o un nombre capturados con uno
podrían agregar propiedades a la cita (un adjunto, otro asistente).
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, vCalAddress

PRODID = "-//Expedientes de mediacion//ES"
# Saltos de línea de cualquier tipo (CRLF, CR, LF, NEL, separadores Unicode).
_SALTOS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
# Los demás caracteres de control (C0 y C1; el tabulador se vuelve espacio).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CORREO = re.compile(r"^[^\s@:;,<>\"'\\()\[\]]+@[^\s@:;,<>\"'\\()\[\]]+$")


def _texto(valor: str) -> str:
    """Texto de varias líneas: los saltos quedan como LF (la biblioteca los escapa)."""
    return _CONTROL.sub(" ", _SALTOS.sub("\n", valor or "").replace("\t", " ")).strip()


def _linea(valor: str) -> str:
    """Texto de una sola línea (resumen, lugar, nombre)."""
    return " ".join(_texto(valor).split())


def _direccion(correo: str, nombre: str = "", **parametros) -> vCalAddress | None:
    correo = _CONTROL.sub("", correo or "").strip()
    if not _CORREO.match(correo):
        return None
    direccion = vCalAddress(f"mailto:{correo}")
    if _linea(nombre):
        direccion.params["CN"] = _linea(nombre)
    direccion.params.update(parametros)
    return direccion


@dataclass(frozen=True)
class Cita:
    uid: str
    inicio: datetime
    fin: datetime
    resumen: str
    lugar: str
    descripcion: str
    organizador: str = ""
    asistente: str = ""
    secuencia: int = 0
    cancelada: bool = False


def _evento(cita: Cita, zona: ZoneInfo) -> Event:
    evento = Event()
    evento.add("uid", _linea(cita.uid))
    evento.add("dtstamp", timezone.now())
    evento.add("dtstart", cita.inicio.astimezone(zona))
    evento.add("dtend", cita.fin.astimezone(zona))
    evento.add("sequence", cita.secuencia)
    evento.add("status", "CANCELLED" if cita.cancelada else "CONFIRMED")
    evento.add("summary", _linea(cita.resumen))
    evento.add("location", _linea(cita.lugar))
    evento.add("description", _texto(cita.descripcion))
    nombre, correo = parseaddr(cita.organizador)
    organizador = _direccion(correo, nombre)
    if organizador is not None:
        evento.add("organizer", organizador)
    asistente = _direccion(cita.asistente, ROLE="REQ-PARTICIPANT", RSVP="FALSE")
    if asistente is not None:
        evento.add("attendee", asistente)
    if not cita.cancelada:
        alarma = Alarm()
        alarma.add("action", "DISPLAY")
        alarma.add("description", _linea(cita.resumen))
        alarma.add("trigger", timedelta(hours=-2))
        evento.add_component(alarma)
    return evento


def calendario(cita: Cita) -> str:
    """Un VCALENDAR con un VEVENT: METHOD:REQUEST para citar, METHOD:CANCEL para cancelar.
    Las horas van en la zona del centro, con su VTIMEZONE (solo los días de la cita)."""
    zona = ZoneInfo(settings.TIME_ZONE)
    documento = Calendar()
    documento.add("version", "2.0")
    documento.add("prodid", PRODID)
    documento.add("calscale", "GREGORIAN")
    documento.add("method", "CANCEL" if cita.cancelada else "REQUEST")
    documento.add_component(_evento(cita, zona))
    documento.add_missing_timezones(
        first_date=cita.inicio.astimezone(zona).date() - timedelta(days=1),
        last_date=cita.fin.astimezone(zona).date() + timedelta(days=1),
    )
    for definicion in documento.walk("VTIMEZONE"):
        definicion.pop("COMMENT", None)  # nota de la biblioteca, en inglés
    return documento.to_ical().decode()

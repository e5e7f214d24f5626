"""El calendario suscribible (iCalendar, RFC 5545) de una persona mediadora.

Lleva solo lo que un teléfono necesita para avisar: folio, sala o lugar, inicio, fin y
estado. Nada de nombres, teléfonos ni relato: el teléfono sincroniza con servicios de
terceros y el expediente es confidencial (LGMASC arts. 6 y 37)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from casos.models import EstadoSesion, Sesion
from casos.texto import limpiar_texto

from .selectors import CONFIRMADA, ESTADOS, estado_de

PRODID = "-//Expedientes de mediacion//Agenda//ES"
ESTADO_ICAL = {
    EstadoSesion.PROGRAMADA: "TENTATIVE",
    CONFIRMADA: "CONFIRMED",
    EstadoSesion.CELEBRADA: "CONFIRMED",
    EstadoSesion.INASISTENCIA: "CONFIRMED",
    EstadoSesion.DIFERIDA: "CANCELLED",
    EstadoSesion.CANCELADA: "CANCELLED",
}


def uid_de(sesion: Sesion) -> str:
    """Estable: la misma sesión es el mismo evento en cada lectura."""
    return f"sesion-{sesion.pk}@agenda.expedientes-mediacion"


def _evento(sesion: Sesion, zona: ZoneInfo, ahora) -> Event:
    estado = estado_de(sesion)
    evento = Event()
    evento.add("uid", uid_de(sesion))
    evento.add("dtstamp", ahora)
    evento.add("dtstart", sesion.inicio.astimezone(zona))
    evento.add("dtend", sesion.fin.astimezone(zona))
    evento.add("summary", _("Sesión %(folio)s") % {"folio": sesion.caso.folio})
    evento.add("location", limpiar_texto(sesion.donde, una_linea=True))
    evento.add("status", ESTADO_ICAL.get(estado, "TENTATIVE"))
    evento.add("description", str(ESTADOS.get(estado, estado)))
    evento.add("class", "CONFIDENTIAL")
    return evento


def calendario(*, sesiones: list[Sesion], nombre: str) -> bytes:
    """Un VCALENDAR con un VEVENT por sesión, en la zona de la oficina con su VTIMEZONE."""
    zona = ZoneInfo(settings.TIME_ZONE)
    ahora = timezone.now()
    documento = Calendar()
    documento.add("version", "2.0")
    documento.add("prodid", PRODID)
    documento.add("calscale", "GREGORIAN")
    documento.add("method", "PUBLISH")
    documento.add("x-wr-calname", limpiar_texto(nombre, una_linea=True))
    documento.add("x-wr-timezone", settings.TIME_ZONE)
    for sesion in sesiones:
        documento.add_component(_evento(sesion, zona, ahora))
    hoy = timezone.localdate()
    documento.add_missing_timezones(
        first_date=hoy - timedelta(days=400), last_date=hoy + timedelta(days=400)
    )
    for definicion in documento.walk("VTIMEZONE"):
        definicion.pop("COMMENT", None)
    return documento.to_ical()

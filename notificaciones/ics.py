"""Citas de calendario (iCalendar, RFC 5545) para los correos de sesiones."""

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr

from django.utils import timezone


def _escapar(texto: str) -> str:
    return (
        texto.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _plegar(linea: str) -> str:
    """Líneas de máximo 75 octetos; las siguientes empiezan con un espacio (sec. 3.1)."""
    partes, actual = [], b""
    for caracter in linea:
        codificado = caracter.encode()
        limite = 75 if not partes else 74
        if len(actual) + len(codificado) > limite:
            partes.append(actual.decode())
            actual = b""
        actual += codificado
    partes.append(actual.decode())
    return "\r\n ".join(partes)


def _utc(momento: datetime) -> str:
    return momento.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


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


def calendario(cita: Cita) -> str:
    """Un VCALENDAR con un VEVENT: METHOD:REQUEST para citar, METHOD:CANCEL para cancelar."""
    lineas = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Expedientes de mediacion//ES",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cita.cancelada else 'REQUEST'}",
        "BEGIN:VEVENT",
        f"UID:{cita.uid}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(cita.inicio)}",
        f"DTEND:{_utc(cita.fin)}",
        f"SEQUENCE:{cita.secuencia}",
        f"STATUS:{'CANCELLED' if cita.cancelada else 'CONFIRMED'}",
        f"SUMMARY:{_escapar(cita.resumen)}",
        f"LOCATION:{_escapar(cita.lugar)}",
        f"DESCRIPTION:{_escapar(cita.descripcion)}",
    ]
    nombre, correo = parseaddr(cita.organizador)
    if correo:
        lineas.append(
            f'ORGANIZER;CN="{nombre or correo}":mailto:{correo}'
            if nombre
            else f"ORGANIZER:mailto:{correo}"
        )
    if cita.asistente:
        lineas.append(f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{cita.asistente}")
    if not cita.cancelada:
        lineas += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{_escapar(cita.resumen)}",
            "TRIGGER:-PT2H",
            "END:VALARM",
        ]
    lineas += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_plegar(linea) for linea in lineas) + "\r\n"

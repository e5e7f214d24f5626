"""Horario de silencio: ningún SMS ni WhatsApp que no sea urgente sale de noche.

El periodo (`AVISOS_SILENCIO`, hora local del centro, p. ej. 21:00-08:00) puede cruzar la
medianoche. Lo que caería dentro se recorre al final del periodo: al escribir el aviso y otra
vez al enviarlo (si se retrasó y ya es de noche). El correo no se detiene, y los avisos
marcados `urgente` en `mensajes.AVISOS` (los que responden a algo que la persona acaba de
pedir) tampoco.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .mensajes import AVISOS
from .models import Canal

CANALES_CON_SILENCIO = frozenset({Canal.SMS, Canal.WHATSAPP})


def en_silencio(cuando: datetime) -> bool:
    """Si `cuando` cae dentro del periodo de silencio (False si está apagado)."""
    periodo = settings.AVISOS_SILENCIO
    if not periodo:
        return False
    desde, hasta = periodo
    hora = timezone.localtime(cuando).time()
    if desde < hasta:
        return desde <= hora < hasta
    return hora >= desde or hora < hasta


def fin_del_silencio(cuando: datetime) -> datetime:
    """`cuando` si no cae en el silencio; si cae, el primer momento en que termina."""
    if not en_silencio(cuando):
        return cuando
    _desde, hasta = settings.AVISOS_SILENCIO
    local = timezone.localtime(cuando)
    fin = timezone.make_aware(datetime.combine(local.date(), hasta))
    if fin <= cuando:
        fin = timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), hasta))
    return fin


def se_silencia(*, plantilla: str, canal: str) -> bool:
    """Si ese aviso por ese canal respeta el horario de silencio."""
    aviso = AVISOS.get(plantilla)
    return canal in CANALES_CON_SILENCIO and not (aviso is not None and aviso.urgente)


def hora_de_salida(*, plantilla: str, canal: str, cuando: datetime) -> datetime:
    """La hora a la que puede salir el aviso: `cuando`, o el fin del silencio si cae en él."""
    if se_silencia(plantilla=plantilla, canal=canal):
        return fin_del_silencio(cuando)
    return cuando

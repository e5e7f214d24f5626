"""`legible`: un valor guardado como lo lee una persona (en las historias de cambios). Es
también el filtro de plantilla `{% load legible %}` (config/settings.py, TEMPLATES)."""

from datetime import date, datetime, time

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def legible(valor, vacio: str = "—") -> str:
    """Sí/No en lugar de True/False, fechas dd/mm/aaaa, horas HH:MM y `vacio` para lo que no
    tiene valor."""
    if valor is None or valor == "":
        return vacio
    if isinstance(valor, bool):
        return _("Sí") if valor else _("No")
    if isinstance(valor, datetime):
        if timezone.is_aware(valor):
            valor = timezone.localtime(valor)
        return f"{valor:%d/%m/%Y %H:%M}"
    if isinstance(valor, date):
        return f"{valor:%d/%m/%Y}"
    if isinstance(valor, time):
        return f"{valor:%H:%M}"
    return str(valor)

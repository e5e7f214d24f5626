from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def fecha_larga(valor) -> str:
    """'23 de noviembre de 2026' (los meses en español van en minúscula)."""
    if not valor:
        return ""
    if hasattr(valor, "tzinfo") and valor.tzinfo is not None:
        valor = timezone.localtime(valor)
    return formats.date_format(valor, r"j \d\e F \d\e Y").lower()


@register.filter
def telefono(valor) -> str:
    """Teléfono guardado en E.164, como se lee en México (33 1234 5678)."""
    from casos.telefonos import mostrar_telefono

    return mostrar_telefono(valor or "")

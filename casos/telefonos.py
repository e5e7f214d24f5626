"""Teléfonos: se validan y guardan en E.164 (región por omisión configurable, MX)."""

from functools import lru_cache

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalizar_telefono(texto: str, region: str | None = None) -> str:
    """Devuelve el número en E.164 o lanza ValidationError con un mensaje en español."""
    texto = (texto or "").strip()
    if not texto:
        return ""
    try:
        numero = phonenumbers.parse(texto, region or settings.REGION_TELEFONICA)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("Escriba un teléfono válido, por ejemplo 391 123 4567."), code="telefono"
        ) from None
    nacional = str(numero.national_number)
    if numero.country_code == 52 and len(nacional) == 11 and nacional.startswith("1"):
        # El "1" de celular tras +52 desapareció en 2019, pero la gente aún lo marca.
        numero.national_number = int(nacional[1:])
    if not phonenumbers.is_valid_number(numero):
        raise ValidationError(
            _("El número %(numero)s no es un teléfono válido: revise la lada y los 10 dígitos."),
            code="telefono",
            params={"numero": texto},
        )
    return phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.E164)


def intentar_normalizar(texto: str) -> str:
    """Para búsquedas: E.164 si se puede, '' si no."""
    try:
        return normalizar_telefono(texto)
    except ValidationError:
        return ""


@lru_cache(maxsize=4096)
def mostrar_telefono(e164: str) -> str:
    """Como se lee el número (nacional en México). Una lista de avisos repite el mismo número
    en cada renglón: cada uno se interpreta una sola vez por proceso."""
    if not e164:
        return ""
    try:
        numero = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if numero.country_code == 52:
        return phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

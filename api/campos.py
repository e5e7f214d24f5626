"""Campos de la API con sus mensajes en español: texto sin NUL ni sustitutos, booleanos
estrictos, teléfonos y correos normalizados, catálogos por id o nombre, listas."""

from datetime import date

from django.core.exceptions import ValidationError as ErrorDeDjango
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casos.models import (
    Canal,
    Categoria,
    Localidad,
)
from casos.telefonos import normalizar_telefono
from nucleo.entradas import entero_ascii

CANALES_API = [(Canal.TELEFONO.value, Canal.TELEFONO.label), (Canal.API.value, Canal.API.label)]
MAX_PAGINA = 100_000
POR_PAGINA = 25
MAX_POR_PAGINA = 100
# Límites de las fechas de los filtros (fuera de ellos no hay casos y la zona horaria se
# desborda al convertir).
FECHA_MINIMA = date(2000, 1, 1)
FECHA_MAXIMA = date(2100, 12, 31)


class EnteroField(serializers.IntegerField):
    """Entero de DRF (con signo, «2.0», límites) pero escrito con dígitos ASCII: `int()`
    también acepta «١٢» o «１２»."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not data.isascii():
            self.fail("invalid")
        return super().to_internal_value(data)


class IdField(serializers.PrimaryKeyRelatedField):
    """Id de un renglón: solo dígitos ASCII (con otra escritura es un id mal escrito)."""

    def to_internal_value(self, data):
        pk = entero_ascii(data)
        if pk is not None:
            return super().to_internal_value(pk)
        if isinstance(data, str) and data.isascii() and data.isdigit():
            # Bien escrito, pero con más cifras que cualquier id: no existe.
            self.fail("does_not_exist", pk_value=data)
        self.fail("incorrect_type", data_type=type(data).__name__)


def campo_entero(**kwargs):
    kwargs.setdefault(
        "error_messages",
        {
            "invalid": _("Escriba un número entero."),
            "min_value": _("Debe ser al menos {min_value}."),
            "max_value": _("No puede pasar de {max_value}."),
            "max_string_length": _("El número es demasiado largo."),
        },
    )
    return EnteroField(**kwargs)


def campo_categoria(**kwargs):
    return IdField(
        queryset=Categoria.objects.all(),
        required=False,
        error_messages={
            "does_not_exist": _("No existe una categoría con el id {pk_value}."),
            "incorrect_type": _("Use el id numérico de la categoría."),
        },
        **kwargs,
    )


def campo_localidad(**kwargs):
    return IdField(
        queryset=Localidad.objects.all(),
        required=False,
        error_messages={
            "does_not_exist": _("No existe una localidad con el id {pk_value}."),
            "incorrect_type": _("Use el id numérico de la localidad."),
        },
        **kwargs,
    )


# --- Entrada --------------------------------------------------------------------------------


class TextoField(serializers.CharField):
    """Texto del cuerpo JSON: un número o un booleano no se convierte en texto, es un error."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class BooleanoField(serializers.BooleanField):
    """Solo `true` o `false` de JSON (no "sí", 1 ni "true" entre comillas)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class CorreoField(serializers.EmailField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TelefonoField(TextoField):
    def to_internal_value(self, data):
        texto = super().to_internal_value(data)
        try:
            return normalizar_telefono(texto)
        except ErrorDeDjango as error:
            raise serializers.ValidationError(error.messages) from None


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "Id o nombre exacto."}
)
class CatalogoField(serializers.Field):
    """Acepta el id o el nombre exacto de un renglón activo del catálogo."""

    default_error_messages = {
        "no_existe": _("No existe en el catálogo (use el id o el nombre exacto)."),
    }

    def __init__(self, modelo, **kwargs):
        self.modelo = modelo
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        qs = self.modelo.objects.activos()
        pk = entero_ascii(data)
        if pk is not None:
            objeto = qs.filter(pk=pk).first()
        elif isinstance(data, str) and not (data.isascii() and data.isdigit()):
            texto = data.strip()
            # Nada que la base no pueda comparar (nulos, sustitutos sueltos) ni de más.
            if not texto or len(texto) > 200 or not texto.isprintable():
                self.fail("no_existe")
            objeto = qs.filter(nombre__iexact=texto).first()
        else:
            objeto = None
        if objeto is None:
            self.fail("no_existe")
        return objeto

    def to_representation(self, value):
        return str(value)


class ListaField(serializers.ListField):
    """Lista (parámetro repetido) cuyos errores salen en una sola lista de mensajes."""

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            detalle = error.detail
            if isinstance(detalle, dict):
                detalle = [m for mensajes in detalle.values() for m in mensajes]
            raise serializers.ValidationError(detalle) from None

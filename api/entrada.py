"""Lo que la API recibe: el alta de un caso y los parámetros de cada lista."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casos import codigos
from casos.models import (
    Canal,
    Caso,
    Categoria,
    Estado,
    Localidad,
    TipoCaso,
)
from casos.services import DatosPersona, DecisionDuplicado

from .campos import (
    CANALES_API,
    FECHA_MAXIMA,
    FECHA_MINIMA,
    MAX_PAGINA,
    MAX_POR_PAGINA,
    POR_PAGINA,
    BooleanoField,
    CatalogoField,
    CorreoField,
    ListaField,
    TelefonoField,
    TextoField,
    campo_categoria,
    campo_entero,
    campo_localidad,
)


class PersonaSerializer(serializers.Serializer):
    nombre = TextoField(max_length=200, allow_blank=True, default="")
    telefono = TelefonoField(max_length=30, required=False, allow_blank=True, default="")
    correo = CorreoField(required=False, allow_blank=True, default="")
    domicilio = TextoField(max_length=300, required=False, allow_blank=True, default="")

    def a_datos(self, datos) -> DatosPersona:
        return DatosPersona(**datos)


class NuevoCasoSerializer(serializers.Serializer):
    tipo = serializers.ChoiceField(choices=TipoCaso.choices)
    canal = serializers.ChoiceField(choices=CANALES_API, default=Canal.TELEFONO)
    categoria = CatalogoField(Categoria, help_text="Id o nombre exacto de una categoría activa.")
    localidad = CatalogoField(Localidad, help_text="Id o nombre exacto de una localidad activa.")
    resumen = TextoField(max_length=4000)
    solicitante = PersonaSerializer()
    otra_parte = PersonaSerializer(
        required=False,
        allow_null=True,
        help_text="Obligatoria en mediación (nombre y domicilio, teléfono o correo).",
    )
    aviso_aceptado = BooleanoField(
        help_text="La persona aceptó el aviso de privacidad simplificado (debe ser true)."
    )
    caso_anterior = TextoField(
        required=False,
        allow_blank=True,
        max_length=30,
        help_text=(
            "Folio al que se liga el caso nuevo; con `decision_duplicado`, el caso abierto "
            "elegido de `posibles_duplicados`."
        ),
    )
    decision_duplicado = serializers.ChoiceField(
        choices=DecisionDuplicado.choices,
        required=False,
        allow_null=True,
        help_text=(
            "Si el teléfono del solicitante ya tiene casos abiertos, el alta responde 409 con "
            "ellos y no crea nada hasta decidir: `nuevo`, `nuevo_ligado` (al de "
            "`caso_anterior`) o `contacto` (no crea: registra el contacto en `caso_anterior`)."
        ),
    )

    def validate_aviso_aceptado(self, valor):
        if not valor:
            raise serializers.ValidationError(
                _("La persona debe aceptar el aviso de privacidad simplificado.")
            )
        return valor

    def validate_caso_anterior(self, valor):
        if not valor:
            return None
        folio = codigos.normalizar_folio(valor)
        caso = Caso.objects.filter(folio=folio).first() if folio else None
        if caso is None:
            raise serializers.ValidationError(_("No existe un caso con ese folio."))
        return caso


class ParametrosSerializer(serializers.Serializer):
    """Parámetros de la URL. Uno opcional que llega vacío (`?tipo=`) es un error, no «sin
    filtro»: así cada parámetro cumple su tipo en el esquema."""

    def to_internal_value(self, data):
        errores = {}
        for nombre, campo in self.fields.items():
            if campo.required or getattr(campo, "allow_blank", False) or nombre not in data:
                continue
            valores = data.getlist(nombre) if hasattr(data, "getlist") else [data[nombre]]
            if "" in valores:
                errores[nombre] = [_("Indique un valor o quite el parámetro.")]
        if errores:
            raise serializers.ValidationError(errores)
        return super().to_internal_value(data)


class FiltroLlamanteSerializer(ParametrosSerializer):
    telefono = TelefonoField(
        max_length=50,
        help_text="Teléfono en cualquier formato común: 33 1234 5678, +52 33…",
        error_messages={
            "required": _("Indique el parámetro telefono."),
            "blank": _("Indique el parámetro telefono."),
            "max_length": _("El teléfono es demasiado largo."),
        },
    )


class PaginacionSerializer(ParametrosSerializer):
    pagina = campo_entero(
        required=False,
        default=1,
        min_value=1,
        max_value=MAX_PAGINA,
        help_text="Número de página, desde 1.",
    )


class FiltrosCasosSerializer(PaginacionSerializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=(
            "Folio (completo o parte, desde 4 caracteres), nombre de una parte (desde 3 letras)"
            " o teléfono: la misma búsqueda que la pantalla de casos."
        ),
    )
    estado = ListaField(
        child=serializers.ChoiceField(choices=Estado.choices),
        required=False,
        max_length=len(Estado.choices),
        help_text="Uno o varios estados (repita el parámetro).",
    )
    tipo = serializers.ChoiceField(choices=TipoCaso.choices, required=False)
    categoria = campo_categoria(help_text="Id de la categoría.")
    localidad = campo_localidad(help_text="Id de la localidad.")
    abierto = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: solo abiertos; false: solo concluidos o cerrados.",
    )
    recibido_desde = serializers.DateField(
        required=False, help_text="Recibidos desde este día (AAAA-MM-DD, hora de México)."
    )
    recibido_hasta = serializers.DateField(
        required=False, help_text="Recibidos hasta este día, incluido (AAAA-MM-DD)."
    )
    por_pagina = campo_entero(
        required=False,
        default=POR_PAGINA,
        min_value=1,
        max_value=MAX_POR_PAGINA,
        help_text="Casos por página (1 a 100).",
    )

    def _fecha(self, valor):
        if valor is not None and not (FECHA_MINIMA <= valor <= FECHA_MAXIMA):
            raise serializers.ValidationError(
                _("Use una fecha entre %(min)s y %(max)s.")
                % {"min": FECHA_MINIMA.isoformat(), "max": FECHA_MAXIMA.isoformat()}
            )
        return valor

    validate_recibido_desde = _fecha
    validate_recibido_hasta = _fecha

    def validate(self, datos):
        desde, hasta = datos.get("recibido_desde"), datos.get("recibido_hasta")
        if desde and hasta and hasta < desde:
            raise serializers.ValidationError(
                {"recibido_hasta": [_("Debe ser igual o posterior a recibido_desde.")]}
            )
        return datos


class FiltrosTareasSerializer(PaginacionSerializer):
    folio = serializers.CharField(
        required=False, allow_blank=True, max_length=30, help_text="Folio completo o parte."
    )
    categoria = campo_categoria(help_text="Id de la categoría del caso.")
    localidad = campo_localidad(help_text="Id de la localidad del caso.")
    vencimiento = serializers.ChoiceField(
        choices=[
            ("vencidas", _("Vencidas")),
            ("por_vencer", _("Vencidas o por vencer")),
        ],
        required=False,
        help_text="vencidas: ya vencidas; por_vencer: vencidas o que vencen pronto.",
    )


# --- Salida ---------------------------------------------------------------------------------

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casos import codigos
from casos.models import Canal, Caso, Categoria, Localidad, TipoCaso
from casos.services import DatosPersona
from casos.telefonos import normalizar_telefono


class TelefonoField(serializers.CharField):
    def to_internal_value(self, data):
        from django.core.exceptions import ValidationError

        texto = super().to_internal_value(data)
        try:
            return normalizar_telefono(texto)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class CatalogoField(serializers.Field):
    """Acepta el id o el nombre exacto de un renglón activo del catálogo."""

    def __init__(self, modelo, **kwargs):
        self.modelo = modelo
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        qs = self.modelo.objects.activos()
        objeto = None
        if isinstance(data, int) or (isinstance(data, str) and data.isdigit()):
            objeto = qs.filter(pk=int(data)).first()
        elif isinstance(data, str):
            objeto = qs.filter(nombre__iexact=data.strip()).first()
        if objeto is None:
            raise serializers.ValidationError(
                _("No existe en el catálogo (use el id o el nombre exacto).")
            )
        return objeto

    def to_representation(self, value):
        return str(value)


class PersonaSerializer(serializers.Serializer):
    nombre = serializers.CharField(max_length=200, allow_blank=True, default="")
    telefono = TelefonoField(max_length=30, required=False, allow_blank=True, default="")
    correo = serializers.EmailField(required=False, allow_blank=True, default="")
    domicilio = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def a_datos(self, datos) -> DatosPersona:
        return DatosPersona(**datos)


class NuevoCasoSerializer(serializers.Serializer):
    tipo = serializers.ChoiceField(choices=TipoCaso.choices)
    canal = serializers.ChoiceField(
        choices=[(Canal.TELEFONO, Canal.TELEFONO.label), (Canal.API, Canal.API.label)],
        default=Canal.TELEFONO,
    )
    categoria = CatalogoField(Categoria)
    localidad = CatalogoField(Localidad)
    resumen = serializers.CharField(max_length=4000)
    solicitante = PersonaSerializer()
    otra_parte = PersonaSerializer(required=False, allow_null=True)
    aviso_aceptado = serializers.BooleanField()
    caso_anterior = serializers.CharField(required=False, allow_blank=True, max_length=30)

    def validate_aviso_aceptado(self, valor):
        if not valor:
            raise serializers.ValidationError(
                _("La persona debe aceptar el aviso de privacidad simplificado.")
            )
        return valor

    def validate_caso_anterior(self, valor):
        if not valor:
            return None
        caso = Caso.objects.filter(folio=codigos.normalizar_folio(valor)).first()
        if caso is None:
            raise serializers.ValidationError(_("No existe un caso con ese folio."))
        return caso


class CasoResumenSerializer(serializers.ModelSerializer):
    estado_texto = serializers.CharField(source="get_estado_display")
    tipo_texto = serializers.CharField(source="get_tipo_display")
    abierto = serializers.BooleanField()
    categoria = serializers.CharField()
    localidad = serializers.CharField()
    solicitante = serializers.SerializerMethodField()

    class Meta:
        model = Caso
        fields = [
            "folio",
            "tipo",
            "tipo_texto",
            "estado",
            "estado_texto",
            "abierto",
            "recibido_en",
            "categoria",
            "localidad",
            "solicitante",
        ]

    def get_solicitante(self, caso):
        parte = caso.solicitante
        return parte.nombre if parte else ""

"""Entrada y salida de la API. Son `Serializer` reales para que el esquema OpenAPI diga lo
que de verdad se recibe y se devuelve."""

from datetime import date

from django.core.exceptions import ValidationError as ErrorDeDjango
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casos import codigos
from casos.models import (
    Canal,
    Caso,
    Categoria,
    Estado,
    Localidad,
    RolParte,
    TipoCaso,
    TipoEvento,
)
from casos.services import DatosPersona, DecisionDuplicado
from casos.telefonos import mostrar_telefono, normalizar_telefono
from casos.texto import nombre_de
from plantillas.models import EstadoDocumento, TipoDocumento

CANALES_API = [(Canal.TELEFONO.value, Canal.TELEFONO.label), (Canal.API.value, Canal.API.label)]
MAX_PAGINA = 100_000
POR_PAGINA = 25
MAX_POR_PAGINA = 100
# Límites de las fechas de los filtros (fuera de ellos no hay casos y la zona horaria se
# desborda al convertir).
FECHA_MINIMA = date(2000, 1, 1)
FECHA_MAXIMA = date(2100, 12, 31)


def _entero(**kwargs):
    kwargs.setdefault(
        "error_messages",
        {
            "invalid": _("Escriba un número entero."),
            "min_value": _("Debe ser al menos {min_value}."),
            "max_value": _("No puede pasar de {max_value}."),
            "max_string_length": _("El número es demasiado largo."),
        },
    )
    return serializers.IntegerField(**kwargs)


def _categoria(**kwargs):
    return serializers.PrimaryKeyRelatedField(
        queryset=Categoria.objects.all(),
        required=False,
        error_messages={
            "does_not_exist": _("No existe una categoría con el id {pk_value}."),
            "incorrect_type": _("Use el id numérico de la categoría."),
        },
        **kwargs,
    )


def _localidad(**kwargs):
    return serializers.PrimaryKeyRelatedField(
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
        if isinstance(data, bool):
            self.fail("no_existe")
        if isinstance(data, int) or (isinstance(data, str) and data.isascii() and data.isdigit()):
            objeto = qs.filter(pk=int(data)).first() if len(str(data)) <= 18 else None
        elif isinstance(data, str):
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
    pagina = _entero(
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
    categoria = _categoria(help_text="Id de la categoría.")
    localidad = _localidad(help_text="Id de la localidad.")
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
    por_pagina = _entero(
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
    categoria = _categoria(help_text="Id de la categoría del caso.")
    localidad = _localidad(help_text="Id de la localidad del caso.")
    vencimiento = serializers.ChoiceField(
        choices=[
            ("vencidas", _("Vencidas")),
            ("por_vencer", _("Vencidas o por vencer")),
        ],
        required=False,
        help_text="vencidas: ya vencidas; por_vencer: vencidas o que vencen pronto.",
    )


# --- Salida ---------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Mensaje en español.")


class UsuarioSerializer(serializers.Serializer):
    usuario = serializers.CharField(source="username")
    nombre = serializers.SerializerMethodField()

    def get_nombre(self, usuario) -> str:
        return nombre_de(usuario)


def _url(serializer, nombre: str, *args) -> str:
    return serializer.context["request"].build_absolute_uri(reverse(nombre, args=args))


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
        read_only_fields = fields

    def get_solicitante(self, caso) -> str:
        parte = caso.solicitante
        return parte.nombre if parte else ""


class CasoListaSerializer(CasoResumenSerializer):
    categoria_id = serializers.IntegerField()
    localidad_id = serializers.IntegerField()
    responsable = UsuarioSerializer(allow_null=True)
    url = serializers.SerializerMethodField(help_text="El expediente en esta API.")

    class Meta(CasoResumenSerializer.Meta):
        fields = [
            *CasoResumenSerializer.Meta.fields,
            "categoria_id",
            "localidad_id",
            "responsable",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, caso) -> str:
        return _url(self, "api:caso", caso.folio)


class LlamanteSerializer(serializers.Serializer):
    telefono = serializers.CharField(help_text="El teléfono en E.164.")
    casos = CasoResumenSerializer(many=True)


class PosibleDuplicadoSerializer(serializers.Serializer):
    folio = serializers.CharField()
    estado = serializers.ChoiceField(choices=Estado.choices)
    recibido_en = serializers.DateField()
    solicitante = serializers.CharField(help_text="Nombre de quien solicitó ese caso.")


class DuplicadosSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Mensaje en español.")
    posibles_duplicados = PosibleDuplicadoSerializer(many=True)


class ContactoRegistradoSerializer(serializers.Serializer):
    folio = serializers.CharField(help_text="El caso existente donde quedó el contacto.")
    contacto_registrado = serializers.BooleanField()
    url = serializers.URLField(help_text="El expediente en la interfaz web.")
    url_api = serializers.URLField(help_text="El expediente en esta API.")


class CasoCreadoSerializer(serializers.Serializer):
    folio = serializers.CharField()
    codigo_consulta = serializers.CharField(
        help_text="Se muestra solo esta vez: dictarlo a la persona."
    )
    estado = serializers.ChoiceField(choices=Estado.choices)
    url = serializers.URLField(help_text="El expediente en la interfaz web.")
    url_api = serializers.URLField(help_text="El expediente en esta API.")
    url_consulta = serializers.URLField(help_text="La consulta pública del ciudadano.")


class PaginaSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    pagina = serializers.IntegerField()
    paginas = serializers.IntegerField()
    por_pagina = serializers.IntegerField()
    siguiente = serializers.URLField(allow_null=True)
    anterior = serializers.URLField(allow_null=True)


class PaginaCasosSerializer(PaginaSerializer):
    resultados = CasoListaSerializer(many=True)


class ParteSerializer(serializers.Serializer):
    rol = serializers.ChoiceField(choices=RolParte.choices)
    rol_texto = serializers.CharField(source="get_rol_display")
    nombre = serializers.CharField()
    telefono = serializers.CharField(help_text="E.164, o vacío.")
    telefono_texto = serializers.SerializerMethodField()
    correo = serializers.CharField()
    domicilio = serializers.CharField()
    avisos_por = serializers.CharField(help_text="Vacío: según sus datos.")
    avisos_por_texto = serializers.CharField(source="get_avisos_por_display")

    def get_telefono_texto(self, parte) -> str:
        return mostrar_telefono(parte.telefono)


class EventoSerializer(serializers.Serializer):
    tipo = serializers.ChoiceField(choices=TipoEvento.choices)
    tipo_texto = serializers.CharField(source="get_tipo_display")
    descripcion = serializers.CharField()
    quien = serializers.CharField()
    creado_en = serializers.DateTimeField()
    publico = serializers.BooleanField(help_text="Se ve también en la consulta pública.")
    estado_anterior = serializers.CharField()
    estado_nuevo = serializers.CharField()
    nota = serializers.SerializerMethodField(help_text="La nota capturada, si la hay.")

    def get_nota(self, evento) -> str:
        datos = evento.datos if isinstance(evento.datos, dict) else {}
        nota = datos.get("nota", "")
        return nota if isinstance(nota, str) else ""


class TareaDelCasoSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    titulo = serializers.SerializerMethodField()
    asignada_a = UsuarioSerializer(source="owner", allow_null=True, help_text="Null: en la cola.")
    vence = serializers.DateTimeField(source="scheduled", allow_null=True)
    vencida = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="La tarea en la interfaz web.")

    def get_titulo(self, task) -> str:
        return str(task.flow_task.task_title)

    def get_vencida(self, task) -> bool:
        return task.scheduled is not None and task.scheduled < self.context["ahora"]

    def get_url(self, task) -> str:
        return _url(self, "flujos:tarea", task.pk)


class PlazoSerializer(serializers.Serializer):
    etiqueta = serializers.CharField()
    fecha = serializers.DateField()
    dias_habiles = serializers.IntegerField(source="dias", help_text="Negativo: ya venció.")
    cumplido = serializers.BooleanField()
    vencido = serializers.BooleanField()


class SesionSerializer(serializers.Serializer):
    numero = serializers.IntegerField()
    inicio = serializers.DateTimeField()
    fin = serializers.DateTimeField()
    donde = serializers.CharField()


class DocumentoSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    tipo = serializers.ChoiceField(choices=TipoDocumento.choices)
    tipo_texto = serializers.CharField(source="get_tipo_display")
    etiqueta = serializers.CharField()
    version = serializers.IntegerField()
    estado = serializers.ChoiceField(choices=EstadoDocumento.choices)
    estado_texto = serializers.CharField(source="get_estado_display")
    solicitado_en = serializers.DateTimeField()
    generado_en = serializers.DateTimeField(allow_null=True)
    sha256 = serializers.CharField()
    firmado = serializers.BooleanField(source="bloqueado", help_text="Ya se subió el firmado.")
    firmado_en = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField(help_text="El PDF (con sesión en la web).")
    url_firmado = serializers.SerializerMethodField()

    def get_url(self, documento) -> str:
        return _url(self, "plantillas:descargar", documento.pk)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url_firmado(self, documento) -> str | None:
        return _url(self, "plantillas:firmado", documento.pk) if documento.firmado else None


class ModuloSerializer(serializers.Serializer):
    nombre = serializers.CharField()
    lugar = serializers.CharField()
    localidad = serializers.CharField()
    fecha = serializers.DateField()


class AvisoAceptadoSerializer(serializers.Serializer):
    version = serializers.CharField(source="aviso_version")
    aceptado_en = serializers.DateTimeField(source="aviso_aceptado_en")
    canal = serializers.ChoiceField(source="aviso_canal", choices=Canal.choices)


class CasoDetalleSerializer(serializers.Serializer):
    """El expediente como lo ve el personal en la página del caso."""

    folio = serializers.CharField()
    tipo = serializers.ChoiceField(choices=TipoCaso.choices)
    tipo_texto = serializers.CharField(source="get_tipo_display")
    estado = serializers.ChoiceField(choices=Estado.choices)
    estado_texto = serializers.CharField(source="get_estado_display")
    explicacion_estado = serializers.CharField(help_text="El estado en palabras del ciudadano.")
    abierto = serializers.BooleanField()
    canal = serializers.ChoiceField(choices=Canal.choices)
    canal_texto = serializers.CharField(source="get_canal_display")
    modulo = ModuloSerializer(allow_null=True)
    categoria = serializers.CharField()
    categoria_id = serializers.IntegerField()
    se_canaliza = serializers.BooleanField(
        source="categoria.canalizar", help_text="La categoría se canaliza, no se media."
    )
    localidad = serializers.CharField()
    localidad_id = serializers.IntegerField()
    resumen = serializers.CharField(help_text="Relato breve del problema.")
    recibido_en = serializers.DateTimeField()
    capturado_por = UsuarioSerializer(allow_null=True)
    responsable = UsuarioSerializer(allow_null=True)
    admitido_en = serializers.DateTimeField(allow_null=True)
    concluido_en = serializers.DateTimeField(allow_null=True)
    causa_conclusion = serializers.CharField(help_text="Vacío mientras no concluya.")
    causa_conclusion_texto = serializers.CharField(source="get_causa_conclusion_display")
    aviso_privacidad = AvisoAceptadoSerializer(source="*")
    caso_anterior = serializers.SerializerMethodField(help_text="Folio del caso al que se liga.")
    casos_ligados = serializers.SerializerMethodField(help_text="Folios ligados a este caso.")
    partes = ParteSerializer(many=True)
    linea_tiempo = EventoSerializer(source="eventos", many=True)
    tareas_abiertas = serializers.SerializerMethodField()
    plazos = serializers.SerializerMethodField()
    proxima_sesion = serializers.SerializerMethodField()
    documentos = serializers.SerializerMethodField()
    puede_actuar = serializers.SerializerMethodField(
        help_text="Quien consulta lleva el caso o lo coordina (y sigue abierto)."
    )
    url = serializers.SerializerMethodField(help_text="El expediente en la interfaz web.")

    def get_caso_anterior(self, caso) -> str | None:
        return caso.caso_anterior.folio if caso.caso_anterior_id else None

    def get_casos_ligados(self, caso) -> list[str]:
        return [ligado.folio for ligado in caso.casos_ligados.all()]

    def _extra(self, nombre):
        return self.context["expediente"][nombre]

    @extend_schema_field(TareaDelCasoSerializer(many=True))
    def get_tareas_abiertas(self, caso):
        return TareaDelCasoSerializer(
            self._extra("tareas_abiertas"), many=True, context=self.context
        ).data

    @extend_schema_field(PlazoSerializer(many=True))
    def get_plazos(self, caso):
        return PlazoSerializer(self._extra("plazos"), many=True).data

    @extend_schema_field(SesionSerializer(allow_null=True))
    def get_proxima_sesion(self, caso):
        sesion = self._extra("proxima_sesion")
        return SesionSerializer(sesion).data if sesion else None

    @extend_schema_field(DocumentoSerializer(many=True))
    def get_documentos(self, caso):
        return DocumentoSerializer(self._extra("documentos"), many=True, context=self.context).data

    def get_puede_actuar(self, caso) -> bool:
        return self._extra("puede_actuar")

    def get_url(self, caso) -> str:
        return _url(self, "casos:detalle", caso.folio)


class TareaSerializer(serializers.Serializer):
    """Un renglón de la bandeja «Mis tareas»."""

    id = serializers.IntegerField(source="task.pk")
    titulo = serializers.SerializerMethodField()
    folio = serializers.CharField(source="caso.folio")
    tipo = serializers.ChoiceField(source="caso.tipo", choices=TipoCaso.choices)
    estado_caso = serializers.ChoiceField(source="caso.estado", choices=Estado.choices)
    estado_caso_texto = serializers.CharField(source="caso.get_estado_display")
    categoria = serializers.CharField(source="caso.categoria")
    localidad = serializers.CharField(source="caso.localidad")
    vence = serializers.DateTimeField(allow_null=True, help_text="Task.scheduled.")
    dias_habiles = serializers.IntegerField(
        source="dias", allow_null=True, help_text="Días hábiles que faltan (negativo: vencida)."
    )
    vencida = serializers.BooleanField()
    url = serializers.SerializerMethodField(help_text="La tarea en la interfaz web.")
    url_caso = serializers.SerializerMethodField(help_text="El expediente en esta API.")

    def get_titulo(self, fila) -> str:
        return str(fila.task.flow_task.task_title)

    def get_url(self, fila) -> str:
        return _url(self, "flujos:tarea", fila.task.pk)

    def get_url_caso(self, fila) -> str:
        return _url(self, "api:caso", fila.caso.folio)


class PaginaTareasSerializer(PaginaSerializer):
    resultados = TareaSerializer(many=True)

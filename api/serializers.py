"""Lo que la API devuelve. Son `Serializer` reales para que el esquema OpenAPI diga lo que
de verdad se devuelve; lo que recibe está en `api.entrada`."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casos import acceso
from casos.models import (
    Canal,
    Caso,
    Estado,
    RolParte,
    TipoCaso,
    TipoEvento,
)
from casos.telefonos import mostrar_telefono
from casos.texto import nombre_de
from plantillas.models import EstadoDocumento, TipoDocumento


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
        # Datos bloqueados: la leyenda que lo dice, nunca el nombre.
        return acceso.nombre_para_mostrar(caso.solicitante)


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


class PosibleDuplicadoSerializer(serializers.Serializer):
    folio = serializers.CharField()
    estado = serializers.ChoiceField(choices=Estado.choices)
    recibido_en = serializers.DateField()
    otra_parte = serializers.CharField(
        help_text="Nombre de la otra parte de ese caso (la que no tiene este teléfono)."
    )


class LlamanteSerializer(serializers.Serializer):
    telefono = serializers.CharField(help_text="El teléfono en E.164.")
    casos = CasoResumenSerializer(
        many=True, help_text="Los casos de ese teléfono que quien consulta puede ver."
    )
    otros_abiertos = PosibleDuplicadoSerializer(
        many=True,
        help_text=(
            "Otros casos abiertos de ese teléfono, fuera del alcance de quien consulta: solo "
            "folio, estado, fecha y la otra parte, para reconocer un posible duplicado."
        ),
    )


class ConflictoSerializer(serializers.Serializer):
    """El 409 del alta: el teléfono tiene casos abiertos (con `posibles_duplicados`) o la
    `Idempotency-Key` ya se usó con otros datos (solo `detail`)."""

    detail = serializers.CharField(help_text="Mensaje en español.")
    posibles_duplicados = PosibleDuplicadoSerializer(
        many=True,
        required=False,
        help_text=(
            "Los casos abiertos del teléfono, para decidir con `decision_duplicado`. No viene "
            "si el 409 es por una Idempotency-Key reutilizada con otros datos."
        ),
    )


class ContactoRegistradoSerializer(serializers.Serializer):
    folio = serializers.CharField(help_text="El caso existente donde quedó el contacto.")
    contacto_registrado = serializers.BooleanField()
    url = serializers.URLField(help_text="El expediente en la interfaz web.")
    url_api = serializers.URLField(help_text="El expediente en esta API.")


class CasoCreadoSerializer(serializers.Serializer):
    folio = serializers.CharField()
    codigo_consulta = serializers.CharField(
        allow_null=True,
        help_text=(
            "Se muestra solo en esta respuesta (y en su reintento con la misma "
            "Idempotency-Key): dictarlo a la persona. En un reintento, null si el código se "
            "reexpidió después del alta."
        ),
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


# Lo que no sale de una parte con datos bloqueados (van vacíos).
CAMPOS_BLOQUEADOS = ("telefono", "telefono_texto", "correo", "domicilio", "avisos_por")


class ParteSerializer(serializers.Serializer):
    """Una parte del caso. Si sus datos están bloqueados (cancelación ARCO o fin de la
    conservación del caso), `nombre` trae la leyenda que lo dice y sus contactos van vacíos: la
    API no revela datos bloqueados (eso se hace en la página del caso, con motivo)."""

    rol = serializers.ChoiceField(choices=RolParte.choices)
    rol_texto = serializers.CharField(source="get_rol_display")
    nombre = serializers.CharField(help_text="O, si sus datos están bloqueados, la leyenda.")
    datos_bloqueados = serializers.SerializerMethodField(
        help_text="Sus datos están bloqueados: no se muestran."
    )
    telefono = serializers.CharField(help_text="E.164, o vacío.")
    telefono_texto = serializers.SerializerMethodField()
    correo = serializers.CharField()
    domicilio = serializers.CharField()
    avisos_por = serializers.CharField(help_text="Vacío: según sus datos.")
    avisos_por_texto = serializers.CharField(source="get_avisos_por_display")

    def get_telefono_texto(self, parte) -> str:
        return mostrar_telefono(parte.telefono)

    def get_datos_bloqueados(self, parte) -> bool:
        return acceso.parte_bloqueada(parte)

    def to_representation(self, parte):
        datos = super().to_representation(parte)
        leyenda = acceso.razon_de_bloqueo(parte)
        if leyenda:
            datos["nombre"] = leyenda
            for campo in CAMPOS_BLOQUEADOS:
                datos[campo] = ""
            datos["avisos_por_texto"] = ""
        return datos


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
    etiqueta = serializers.CharField(help_text="Qué vence, con el fundamento de su cifra.")
    cifra = serializers.CharField(
        help_text="La cifra que rige al caso (según su fecha de recepción o de recálculo), "
        "p. ej. «5 días hábiles»."
    )
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
    resumen = serializers.SerializerMethodField(
        help_text="Relato breve del problema (la leyenda, si el caso está bloqueado)."
    )
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

    def get_resumen(self, caso) -> str:
        leyenda = acceso.leyenda_de_bloqueo(
            parte_bloqueada_en=None, caso_bloqueado_en=caso.bloqueado_en
        )
        return leyenda or caso.resumen

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

"""Derechos ARCO (acceso, rectificación, cancelación, oposición y portabilidad) y la vida de
los datos personales: bloqueo, supresión y plazos de conservación (LGPDPPSO; Ley General de
Archivos).

Una solicitud ARCO no es un caso de mediación ni de asesoría: tiene su propia serie de folios
(`ARCO-AAAA-NNNNN`), su código de consulta, su línea de tiempo y su flujo. Lo que la persona
pide se resuelve sobre los renglones `Parte` que la oficina identificó como suyos, en uno o
más casos (`SolicitudARCO.partes`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .expediente import Canal, Parte

PREFIJO_ARCO = "ARCO"


class Derecho(models.TextChoices):
    ACCESO = "acceso", _("Acceso a sus datos")
    RECTIFICACION = "rectificacion", _("Rectificación de datos inexactos o incompletos")
    CANCELACION = "cancelacion", _("Cancelación de sus datos")
    OPOSICION = "oposicion", _("Oposición a un uso de sus datos")
    PORTABILIDAD = "portabilidad", _("Portabilidad: copia en formato electrónico estructurado")


# Derechos cuya respuesta entrega los datos (y, si procede, la exportación).
DERECHOS_DE_ENTREGA = frozenset({Derecho.ACCESO, Derecho.PORTABILIDAD})


class MedioRespuesta(models.TextChoices):
    """Cómo quiere la persona recibir la respuesta (y los avisos del trámite)."""

    CORREO = "correo", _("Correo electrónico")
    SMS = "sms", _("Mensaje de texto (SMS)")
    WHATSAPP = "whatsapp", _("WhatsApp")
    OFICINA = "oficina", _("La recojo en la oficina")
    DOMICILIO = "domicilio", _("En mi domicilio")


class EstadoARCO(models.TextChoices):
    RECIBIDA = "recibida", _("Recibida")
    REQUERIDA = "requerida", _("Se pidió información a la persona (plazo en pausa)")
    EN_TRAMITE = "en_tramite", _("En trámite")
    RESPONDIDA = "respondida", _("Respondida")
    NO_PRESENTADA = "no_presentada", _("Tenida por no presentada")


ESTADOS_ARCO_FINALES = frozenset({EstadoARCO.RESPONDIDA, EstadoARCO.NO_PRESENTADA})

EXPLICACION_ESTADO_ARCO = {
    EstadoARCO.RECIBIDA: _(
        "Su solicitud quedó registrada. La oficina verificará su identidad antes de darle "
        "cualquier dato."
    ),
    EstadoARCO.REQUERIDA: _(
        "La oficina le pidió información o documentos para atender su solicitud. El plazo de "
        "respuesta se detiene hasta que los entregue."
    ),
    EstadoARCO.EN_TRAMITE: _("Su identidad quedó acreditada y la oficina atiende su solicitud."),
    EstadoARCO.RESPONDIDA: _("La oficina respondió su solicitud por el medio que usted eligió."),
    EstadoARCO.NO_PRESENTADA: _(
        "La solicitud se tuvo por no presentada porque no se entregó la información pedida a "
        "tiempo. Puede presentar una nueva."
    ),
}


class MedioIdentidad(models.TextChoices):
    """Cómo se acreditó la identidad de la persona titular (o de su representante)."""

    IDENTIFICACION = "identificacion", _("Identificación oficial, en persona")
    FIRMA_ELECTRONICA = "firma_electronica", _("Firma electrónica avanzada")
    INSTRUMENTO_PUBLICO = "instrumento_publico", _("Representante con instrumento público")
    CARTA_PODER = "carta_poder", _("Representante con carta poder ante dos testigos")
    COMPARECENCIA = "comparecencia", _("Comparecencia de la titular y su representante")


class Sentido(models.TextChoices):
    PROCEDENTE = "procedente", _("Procedente")
    PARCIAL = "parcial", _("Procedente en parte")
    IMPROCEDENTE = "improcedente", _("Improcedente")


class CausaImprocedencia(models.TextChoices):
    """Causas por las que un derecho no procede (LGPDPPSO; cada una se cita en la respuesta
    con el fundamento que la oficina configure)."""

    IDENTIDAD = "identidad", _("No se acreditó la identidad de la titular o su representante")
    SIN_DATOS = "sin_datos", _("La oficina no tiene datos personales de la persona")
    IMPEDIMENTO_LEGAL = "impedimento_legal", _("Existe un impedimento legal")
    TERCEROS = "terceros", _("Se lesionarían derechos de un tercero")
    ACTUACIONES = "actuaciones", _("Se obstaculizarían actuaciones judiciales o administrativas")
    RESOLUCION = "resolucion", _("Una resolución de autoridad competente lo restringe")
    YA_REALIZADA = "ya_realizada", _("La cancelación u oposición ya se había realizado")
    INCOMPETENCIA = "incompetencia", _("La oficina no es competente")
    OBLIGACION_LEGAL = (
        "obligacion_legal",
        _(
            "Los datos son necesarios para cumplir obligaciones legales (p. ej. conservar el "
            "convenio registrado)"
        ),
    )


class SolicitudARCO(models.Model):
    folio = models.CharField(_("folio"), max_length=20, unique=True)
    anio = models.PositiveIntegerField(_("año del folio"))
    numero = models.PositiveIntegerField(_("número del folio"))
    derecho = models.CharField(_("derecho"), max_length=15, choices=Derecho.choices)
    canal = models.CharField(_("cómo llegó"), max_length=20, choices=Canal.choices)
    estado = models.CharField(
        _("estado"), max_length=15, choices=EstadoARCO.choices, default=EstadoARCO.RECIBIDA
    )
    # La persona titular (y, si actúa por ella, su representante).
    nombre = models.CharField(_("nombre de la persona titular"), max_length=200)
    nombre_busqueda = models.CharField(max_length=200, blank=True, editable=False)
    telefono = models.CharField(_("teléfono"), max_length=20, blank=True)
    correo = models.EmailField(_("correo electrónico"), blank=True)
    domicilio = models.CharField(_("domicilio para notificaciones"), max_length=300, blank=True)
    representante = models.CharField(_("representante"), max_length=200, blank=True)
    medio_respuesta = models.CharField(
        _("medio para recibir la respuesta"), max_length=12, choices=MedioRespuesta.choices
    )
    descripcion = models.TextField(
        _("qué datos y qué pide"),
        max_length=4000,
        help_text=_(
            "Los datos de los que se trata y lo que se pide: en rectificación, la corrección; "
            "en cancelación u oposición, las causas o el uso al que se opone."
        ),
    )
    folios_referidos = models.CharField(
        _("folios que la persona menciona"), max_length=300, blank=True
    )
    recibida_en = models.DateTimeField(_("recibida el"), default=timezone.now)
    plazos_segun = models.DateField(_("plazos según las cifras del"), null=True, blank=True)
    capturada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("capturó"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsable = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("la atiende"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="solicitudes_arco",
    )
    # Acreditación de la identidad: nada se entrega antes.
    identidad_medio = models.CharField(
        _("cómo se acreditó la identidad"),
        max_length=20,
        choices=MedioIdentidad.choices,
        blank=True,
    )
    identidad_detalle = models.CharField(
        _("documento revisado"),
        max_length=200,
        blank=True,
        help_text=_("Tipo de documento y lo mínimo para identificarlo; nunca una copia."),
    )
    identidad_verificada_en = models.DateTimeField(
        _("identidad acreditada el"), null=True, blank=True
    )
    identidad_verificada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Requerimiento de información (prevención): interrumpe el plazo de respuesta.
    requerida_en = models.DateTimeField(_("información pedida el"), null=True, blank=True)
    requerimiento = models.TextField(_("qué se pidió"), max_length=2000, blank=True)
    desahogada_en = models.DateTimeField(_("información entregada el"), null=True, blank=True)
    desahogo = models.TextField(_("qué entregó la persona"), max_length=2000, blank=True)
    # Ampliación del plazo de respuesta: una sola vez, motivada, notificada dentro del plazo.
    ampliada_en = models.DateTimeField(_("plazo ampliado el"), null=True, blank=True)
    ampliacion_motivo = models.TextField(_("motivo de la ampliación"), max_length=1000, blank=True)
    # Respuesta.
    sentido = models.CharField(_("sentido"), max_length=15, choices=Sentido.choices, blank=True)
    causa_improcedencia = models.CharField(
        _("causa de improcedencia"), max_length=20, choices=CausaImprocedencia.choices, blank=True
    )
    fundamento = models.TextField(_("fundamento"), max_length=2000, blank=True)
    respuesta = models.TextField(_("respuesta"), max_length=6000, blank=True)
    respondida_en = models.DateTimeField(_("respondida el"), null=True, blank=True)
    concluida_en = models.DateTimeField(_("concluida el"), null=True, blank=True)
    # Los renglones de parte que la oficina identificó como de esta persona.
    partes = models.ManyToManyField(
        Parte, verbose_name=_("datos identificados"), blank=True, related_name="solicitudes_arco"
    )
    # Código de consulta (mismo esquema que el de los casos: HMAC del folio y esta sal).
    codigo_sal = models.CharField(max_length=32, editable=False)
    aviso_version = models.CharField(_("versión del aviso aceptado"), max_length=30, blank=True)
    actualizado_en = models.DateTimeField(_("última actualización"), auto_now=True)
    # Conservación: al vencer se bloquea y luego se suprime (como los casos).
    bloqueada_en = models.DateTimeField(_("bloqueada el"), null=True, blank=True)
    suprimida_en = models.DateTimeField(_("suprimida el"), null=True, blank=True)

    class Meta:
        verbose_name = _("solicitud de derechos ARCO")
        verbose_name_plural = _("solicitudes de derechos ARCO")
        ordering = ["-recibida_en"]
        constraints = [
            models.UniqueConstraint(fields=["anio", "numero"], name="arco_folio_unico"),
        ]
        permissions = [
            ("atender_arco", _("Puede atender solicitudes de derechos ARCO")),
            ("ver_datos_bloqueados", _("Puede ver datos personales bloqueados (con motivo)")),
            ("fijar_conservacion", _("Puede fijar los plazos de conservación")),
        ]

    def __str__(self):
        return self.folio

    @property
    def abierta(self) -> bool:
        return self.estado not in ESTADOS_ARCO_FINALES

    @property
    def explicacion_estado(self) -> str:
        return str(EXPLICACION_ESTADO_ARCO.get(self.estado, ""))

    @property
    def identidad_acreditada(self) -> bool:
        return self.identidad_verificada_en is not None


class TipoEventoARCO(models.TextChoices):
    RECIBIDA = "recibida", _("Solicitud recibida")
    IDENTIDAD = "identidad", _("Identidad acreditada")
    REQUERIMIENTO = "requerimiento", _("Información pedida a la persona")
    DESAHOGO = "desahogo", _("La persona entregó la información")
    NO_PRESENTADA = "no_presentada", _("Tenida por no presentada")
    DATOS = "datos", _("Datos identificados")
    AMPLIACION = "ampliacion", _("Plazo ampliado")
    EXPORTACION = "exportacion", _("Datos reunidos para entregar")
    RECTIFICACION = "rectificacion", _("Datos rectificados")
    BLOQUEO = "bloqueo", _("Datos bloqueados")
    OPOSICION = "oposicion", _("Oposición registrada")
    RESPUESTA = "respuesta", _("Respuesta emitida")
    DOCUMENTO = "documento", _("Documento")
    AVISO = "aviso", _("Aviso")
    CONSULTA = "consulta", _("Consulta de datos bloqueados")
    CODIGO = "codigo", _("Código de consulta")
    CONSERVACION = "conservacion", _("Conservación de los datos")
    TAREA = "tarea", _("Tarea del trámite")


class EventoARCO(models.Model):
    solicitud = models.ForeignKey(SolicitudARCO, on_delete=models.CASCADE, related_name="eventos")
    tipo = models.CharField(_("tipo"), max_length=20, choices=TipoEventoARCO.choices)
    descripcion = models.CharField(_("descripción"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_descripcion = models.CharField(_("origen"), max_length=120, blank=True)
    publico = models.BooleanField(_("se ve en la consulta pública"), default=False)
    datos = models.JSONField(default=dict, blank=True)
    creado_en = models.DateTimeField(_("cuándo"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("evento de una solicitud ARCO")
        verbose_name_plural = _("eventos de solicitudes ARCO")
        ordering = ["solicitud", "creado_en", "id"]

    def __str__(self):
        return f"{self.solicitud}: {self.descripcion}"


class UsoOpuesto(models.TextChoices):
    """Usos de sus datos a los que una persona puede oponerse sin que el trámite de su caso se
    detenga (la oposición al tratamiento necesario para el caso es una cancelación)."""

    AVISOS = "avisos", _("Avisos y recordatorios por teléfono, SMS, WhatsApp o correo")
    ENCUESTA = "encuesta", _("Encuesta de satisfacción")


class ResultadoConservacion(models.TextChoices):
    CON_CONVENIO = "con_convenio", _("Concluido con convenio")
    SIN_CONVENIO = "sin_convenio", _("Concluido sin convenio")
    CUALQUIERA = "cualquiera", _("Cualquier resultado")


class TipoConservacion(models.TextChoices):
    MEDIACION = "MED", _("Mediación")
    ASESORIA = "ASE", _("Asesoría")
    ARCO = "ARCO", _("Solicitud de derechos ARCO")


class PlazoConservacion(models.Model):
    """Cuánto se conservan los datos personales de un expediente concluido, por tipo y
    resultado, según el catálogo de disposición documental que apruebe el municipio
    [por confirmar]. Se cuentan en años desde la conclusión: al cumplirse `bloquear_anios`
    los datos se bloquean; al cumplirse `suprimir_anios`, se suprimen (anonimizan)."""

    tipo = models.CharField(_("tipo de expediente"), max_length=4, choices=TipoConservacion.choices)
    resultado = models.CharField(
        _("resultado"),
        max_length=15,
        choices=ResultadoConservacion.choices,
        default=ResultadoConservacion.CUALQUIERA,
    )
    bloquear_anios = models.PositiveSmallIntegerField(_("bloquear a los (años)"))
    suprimir_anios = models.PositiveSmallIntegerField(_("suprimir a los (años)"))
    fundamento = models.CharField(
        _("fundamento"),
        max_length=300,
        help_text=_("Serie del catálogo de disposición documental o acuerdo que lo fija."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plazo de conservación")
        verbose_name_plural = _("plazos de conservación")
        ordering = ["tipo", "resultado"]
        constraints = [
            models.UniqueConstraint(fields=["tipo", "resultado"], name="conservacion_unica"),
            models.CheckConstraint(
                condition=models.Q(bloquear_anios__lte=models.F("suprimir_anios")),
                name="conservacion_bloquear_antes",
                violation_error_message=_("El bloqueo no puede llegar después de la supresión."),
            ),
        ]

    def __str__(self):
        return f"{self.get_tipo_display()} · {self.get_resultado_display()}"


class Depuracion(models.Model):
    """Una corrida del trabajo de conservación: qué bloqueó y qué suprimió (o, en simulacro,
    qué habría hecho). Sin datos personales: solo folios y cifras."""

    simulacro = models.BooleanField(_("simulacro"), default=False)
    iniciada_en = models.DateTimeField(_("inició"), default=timezone.now)
    terminada_en = models.DateTimeField(_("terminó"), null=True, blank=True)
    al_dia = models.DateField(_("con los plazos al"))
    bloqueados = models.PositiveIntegerField(_("expedientes bloqueados"), default=0)
    suprimidos = models.PositiveIntegerField(_("expedientes suprimidos"), default=0)
    archivos = models.PositiveIntegerField(_("archivos borrados"), default=0)
    detalle = models.JSONField(_("detalle"), default=dict, blank=True)
    pedida_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("depuración por conservación")
        verbose_name_plural = _("depuraciones por conservación")
        ordering = ["-iniciada_en", "-pk"]

    def __str__(self):
        return f"{self.al_dia:%d/%m/%Y}{' (simulacro)' if self.simulacro else ''}"

"""El expediente: caso con folio, partes, bitácora de eventos y de accesos."""

from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nucleo.traduccion import etiqueta, traducidos

from ..texto import nombre_de
from .configuracion import Categoria, Localidad, Modulo, TipoCaso


def sumar_meses(fecha, meses: int):
    """Mismo día N meses después; si no existe (31 de febrero), el último día del mes."""
    import calendar

    mes0 = fecha.month - 1 + meses
    anio, mes = fecha.year + mes0 // 12, mes0 % 12 + 1
    return fecha.replace(
        year=anio, month=mes, day=min(fecha.day, calendar.monthrange(anio, mes)[1])
    )


class Canal(models.TextChoices):
    TELEFONO = "telefono", _("Línea telefónica")
    MODULO = "modulo", _("Módulo itinerante")
    WEB = "web", _("Formulario web")
    PRESENCIAL = "presencial", _("Presencial en oficina")
    API = "api", _("Sistema externo")


class Estado(models.TextChoices):
    """Estado visible del caso. Solo lo cambian los servicios, a partir de hechos."""

    RECIBIDA = "recibida", _("Recibida")
    EN_REVISION = "en_revision", _("En revisión")
    ADMITIDA = "admitida", _("Admitida")
    NO_ADMITIDA = "no_admitida", _("No admitida")
    CANALIZADA = "canalizada", _("Canalizada")
    INVITACION = "invitacion", _("Invitación enviada")
    SESION = "sesion", _("Sesión programada")
    EN_MEDIACION = "en_mediacion", _("En mediación")
    CONVENIO = "convenio", _("Convenio firmado")
    VALIDACION = "validacion", _("En validación")
    SEGUIMIENTO = "seguimiento", _("En seguimiento")
    EN_ATENCION = "en_atencion", _("En atención")
    ESPERA_CIUDADANO = "espera_ciudadano", _("Esperando al ciudadano")
    CLASIFICADA = "clasificada", _("Clasificada")
    ASIGNADA = "asignada", _("Asignada")
    EN_CANALIZACION = "en_canalizacion", _("Canalizada, en espera de respuesta")
    CONCLUIDA_CONVENIO = "concluida_convenio", _("Concluida con convenio")
    CONCLUIDA_SIN_ACUERDO = "concluida_sin_acuerdo", _("Concluida sin acuerdo")
    RESUELTA = "resuelta", _("Resuelta")
    CERRADA = "cerrada", _("Cerrada")


ESTADOS_FINALES = frozenset(
    {
        Estado.NO_ADMITIDA,
        Estado.CANALIZADA,
        Estado.CONCLUIDA_CONVENIO,
        Estado.CONCLUIDA_SIN_ACUERDO,
        Estado.RESUELTA,
        Estado.CERRADA,
    }
)


# Lo que el estado significa, en palabras para el ciudadano (consulta pública).
EXPLICACION_ESTADO = {
    Estado.RECIBIDA: _("Su solicitud quedó registrada y será revisada por la coordinación."),
    Estado.EN_REVISION: _("La coordinación revisa si el asunto puede atenderse por mediación."),
    Estado.ADMITIDA: _("Su solicitud fue admitida y se asignó a una persona facilitadora."),
    Estado.NO_ADMITIDA: _("El asunto no puede atenderse por mediación. Se le informará la causa."),
    Estado.CANALIZADA: _("Su asunto se envió a la dependencia que puede atenderlo."),
    Estado.INVITACION: _("Se invitó a la otra parte a participar en la mediación."),
    Estado.SESION: _("Hay una sesión de mediación programada."),
    Estado.EN_MEDIACION: _("La mediación está en curso."),
    Estado.CONVENIO: _("Las partes firmaron un convenio."),
    Estado.VALIDACION: _("El convenio está en validación ante el registro."),
    Estado.SEGUIMIENTO: _("Se da seguimiento al cumplimiento de lo acordado."),
    Estado.EN_ATENCION: _("Una persona asesora atiende su solicitud."),
    Estado.ESPERA_CIUDADANO: _("La oficina espera información o documentos de su parte."),
    Estado.CONCLUIDA_CONVENIO: _("El procedimiento concluyó con un convenio."),
    Estado.CONCLUIDA_SIN_ACUERDO: _(
        "El procedimiento concluyó sin acuerdo; conserva sus derechos."
    ),
    Estado.RESUELTA: _("Su solicitud fue atendida."),
    Estado.CERRADA: _("El expediente está cerrado."),
    Estado.CLASIFICADA: _("Su solicitud fue revisada y clasificada; pronto se le asignará."),
    Estado.ASIGNADA: _("Una persona asesora tiene su solicitud y le contactará."),
    Estado.EN_CANALIZACION: _(
        "Se envió un oficio a la dependencia que puede atender su asunto; esperamos su respuesta."
    ),
}


ESTADO_CONVENIO_INCUMPLIDO = _("Concluida: convenio incumplido")
EXPLICACION_CONVENIO_INCUMPLIDO = _(
    "El procedimiento concluyó con un convenio que no se cumplió por completo; se orientó a "
    "las partes sobre cómo hacer valer lo acordado."
)


class CausaConclusion(models.TextChoices):
    """Por qué terminó un caso (va en la constancia de conclusión)."""

    NO_ADMITIDA = "no_admitida", _("No admitida: el asunto no es mediable")
    CANALIZADA = "canalizada", _("Canalizada a otra instancia")
    CONVENIO_TOTAL = "convenio_total", _("Convenio con acuerdo total")
    CONVENIO_PARCIAL = "convenio_parcial", _("Convenio con acuerdo parcial")
    SIN_ACUERDO = "sin_acuerdo", _("Sin acuerdo")
    INVITACION_FALLIDA = (
        "invitacion_fallida",
        _("La otra parte no acudió a la invitación tras los intentos previstos"),
    )
    RECHAZO_INVITADA = "rechazo_invitada", _("La otra parte no aceptó participar")
    INASISTENCIAS = "inasistencias", _("Dos inasistencias consecutivas sin causa justificada")
    DESISTIMIENTO = "desistimiento", _("Desistimiento")
    CONDUCTA = "conducta", _("Conducta agresiva o dilatoria")
    MUERTE = "muerte", _("Muerte de una de las partes")
    PLAZO = "plazo", _("Venció el plazo del procedimiento sin prórroga")
    RESUELTA = "resuelta", _("Asesoría resuelta")
    OTRA = "otra", _("Otra causa")


class ResultadoSeguimiento(models.TextChoices):
    CUMPLIDO = "cumplido", _("Convenio cumplido")
    INCUMPLIDO = "incumplido", _("Convenio incumplido; se orientó a las partes")


class ContadorFolio(models.Model):
    """Último número emitido por serie y año (se bloquea al emitir): folios de caso
    («MED», «ASE»), de solicitudes ARCO («ARCO») y números de oficio («REM»)."""

    tipo = models.CharField(max_length=4)
    anio = models.PositiveIntegerField()
    ultimo = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("contador de folios")
        verbose_name_plural = _("contadores de folios")
        constraints = [
            models.UniqueConstraint(fields=["tipo", "anio"], name="contador_tipo_anio_unico")
        ]

    def __str__(self):
        return f"{self.tipo}-{self.anio}: {self.ultimo}"


class CasoQuerySet(models.QuerySet):
    def abiertos(self):
        return self.exclude(estado__in=ESTADOS_FINALES)

    def abiertos_primero(self):
        return self.annotate(
            _cerrado=Case(
                When(estado__in=ESTADOS_FINALES, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        ).order_by("_cerrado", "-recibido_en")

    def con_telefono(self, telefono_e164: str):
        return self.filter(partes__telefono=telefono_e164).distinct()


class Caso(models.Model):
    tipo = models.CharField(_("tipo"), max_length=3, choices=TipoCaso.choices)
    folio = models.CharField(_("folio"), max_length=20, unique=True)
    # El número que el caso tenía en el registro anterior de la oficina cuando no seguía el
    # formato de folios del sistema (se conserva para buscarlo; ver `services.anteriores`).
    folio_anterior = models.CharField(_("folio anterior"), max_length=60, blank=True, db_index=True)
    anio = models.PositiveIntegerField(_("año del folio"))
    numero = models.PositiveIntegerField(_("número del folio"))
    estado = models.CharField(
        _("estado"), max_length=30, choices=Estado.choices, default=Estado.RECIBIDA
    )
    canal = models.CharField(_("canal de entrada"), max_length=20, choices=Canal.choices)
    modulo = models.ForeignKey(
        Modulo,
        verbose_name=_("módulo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="casos",
    )
    categoria = models.ForeignKey(
        Categoria, verbose_name=_("categoría"), on_delete=models.PROTECT, related_name="+"
    )
    localidad = models.ForeignKey(
        Localidad, verbose_name=_("localidad"), on_delete=models.PROTECT, related_name="+"
    )
    resumen = models.TextField(_("relato breve del problema"), max_length=4000)
    recibido_en = models.DateTimeField(_("recibida el"), default=timezone.now)
    # Fecha cuyas cifras de plazos (`ValorDePlazo`) rigen el caso. Vacía: el día en que se
    # recibió (hora de México); la pone la coordinación al recalcular los plazos del caso.
    plazos_segun = models.DateField(_("plazos según las cifras del"), null=True, blank=True)
    capturado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("capturó"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    caso_anterior = models.ForeignKey(
        "self",
        verbose_name=_("ligado al caso"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="casos_ligados",
    )
    # Quién atiende: la persona facilitadora (mediación) o asesora (asesoría).
    responsable = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="casos_a_cargo",
    )
    admitido_en = models.DateTimeField(_("admitida el"), null=True, blank=True)
    concluido_en = models.DateTimeField(_("concluida el"), null=True, blank=True)
    causa_conclusion = models.CharField(
        _("causa de conclusión"), max_length=30, choices=CausaConclusion.choices, blank=True
    )
    motivo_conclusion = models.TextField(
        _("motivo (para la constancia)"), max_length=2000, blank=True
    )
    resultado_seguimiento = models.CharField(
        _("resultado del seguimiento"),
        max_length=20,
        choices=ResultadoSeguimiento.choices,
        blank=True,
    )
    satisfaccion = models.PositiveSmallIntegerField(
        _("satisfacción (1 a 5)"), null=True, blank=True
    )
    satisfaccion_comentario = models.CharField(_("comentario"), max_length=500, blank=True)
    # Código de consulta: se deriva con HMAC(clave del servidor, folio + sal). La base
    # guarda solo la sal; sin la clave no revela el código. Reexpedir cambia la sal.
    codigo_sal = models.CharField(max_length=32, editable=False)
    codigo_emitido_en = models.DateTimeField(editable=False, default=timezone.now)
    # Aceptación del aviso de privacidad (LGPDPPSO).
    aviso_version = models.CharField(_("versión del aviso aceptado"), max_length=30)
    aviso_canal = models.CharField(_("canal de aceptación"), max_length=20, choices=Canal.choices)
    aviso_aceptado_en = models.DateTimeField(_("aviso aceptado el"))
    actualizado_en = models.DateTimeField(_("última actualización"), auto_now=True)
    # Conservación (`PlazoConservacion`): vencido el plazo, los datos personales del caso se
    # bloquean y después se suprimen; quedan los hechos anónimos que cuenta la estadística.
    bloqueado_en = models.DateTimeField(_("datos bloqueados el"), null=True, blank=True)
    suprimido_en = models.DateTimeField(_("datos suprimidos el"), null=True, blank=True)

    objects = CasoQuerySet.as_manager()

    class Meta:
        verbose_name = _("caso")
        verbose_name_plural = _("casos")
        ordering = ["-recibido_en"]
        constraints = [
            models.UniqueConstraint(fields=["tipo", "anio", "numero"], name="caso_folio_unico"),
        ]
        indexes = [
            models.Index(fields=["estado", "-recibido_en"], name="caso_estado_idx"),
            models.Index(fields=["-recibido_en"], name="caso_recibido_idx"),
            # Los pocos casos con datos bloqueados: la búsqueda por nombre o teléfono los
            # descarta sin recorrer todos los casos (`acceso.partes_visibles`).
            models.Index(
                fields=["id"], condition=Q(bloqueado_en__isnull=False), name="caso_bloqueado_idx"
            ),
        ]
        permissions = [
            ("capturar_solicitud", _("Puede capturar solicitudes (teléfono, módulo)")),
            ("reexpedir_codigo", _("Puede reexpedir el código de consulta")),
            ("ver_estadistica", _("Puede ver estadística e informes")),
            ("revisar_solicitud", _("Puede admitir, no admitir o canalizar solicitudes")),
            ("asignar_responsable", _("Puede asignar y reasignar casos y tareas")),
            ("atender_mediacion", _("Puede trabajar tareas de mediación")),
            ("atender_asesoria", _("Puede trabajar tareas de asesoría")),
            ("ver_todos_los_casos", _("Puede ver todos los expedientes")),
            ("ver_bitacora_accesos", _("Puede ver quién consultó los expedientes")),
        ]

    def __str__(self):
        return self.folio

    @property
    def abierto(self) -> bool:
        return self.estado not in ESTADOS_FINALES

    def vence_el(self):
        """Fin del plazo del procedimiento (LGMASC art. 64); lo calcula `casos.plazos`."""
        from ..plazos import procedimiento_vence_el  # casos.plazos importa los modelos

        return procedimiento_vence_el(self)

    @property
    def convenio_incumplido(self) -> bool:
        """El caso concluyó con convenio, pero el seguimiento encontró una cláusula incumplida."""
        return (
            self.estado == Estado.CONCLUIDA_CONVENIO
            and self.resultado_seguimiento == ResultadoSeguimiento.INCUMPLIDO
        )

    def get_estado_display(self) -> str:
        """El estado en palabras. Un convenio incumplido no se presenta como «Concluida con
        convenio»: el estado guardado es el mismo (el caso terminó por convenio), pero el
        hecho del seguimiento cambia lo que se dice en el expediente, la bandeja, la
        consulta pública y Open311."""
        if self.convenio_incumplido:
            return str(ESTADO_CONVENIO_INCUMPLIDO)
        return etiqueta(Estado, self.estado)

    @property
    def explicacion_estado(self) -> str:
        if self.convenio_incumplido:
            return str(EXPLICACION_CONVENIO_INCUMPLIDO)
        return traducidos(EXPLICACION_ESTADO).get(self.estado, "")

    @property
    def solicitante(self) -> "Parte | None":
        return next((p for p in self.partes.all() if p.rol == RolParte.SOLICITANTE), None)

    @property
    def otras_partes(self) -> list["Parte"]:
        return [p for p in self.partes.all() if p.rol != RolParte.SOLICITANTE]


class RolParte(models.TextChoices):
    SOLICITANTE = "solicitante", _("Solicitante")
    INVITADA = "invitada", _("Otra parte (invitada)")


class EstadoCivil(models.TextChoices):
    SOLTERO = "soltero", _("Soltero(a)")
    CASADO = "casado", _("Casado(a)")
    UNION_LIBRE = "union_libre", _("Unión libre / concubinato")
    DIVORCIADO = "divorciado", _("Divorciado(a)")
    VIUDO = "viudo", _("Viudo(a)")


class AvisosPor(models.TextChoices):
    AUTOMATICO = "", _("Según sus datos (correo y SMS)")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    CORREO = "correo", _("Correo electrónico")
    NINGUNO = "ninguno", _("No desea avisos")


class Parte(models.Model):
    """Una persona en el expediente. Los datos del art. 94 LGMASC se completan después."""

    caso = models.ForeignKey(Caso, on_delete=models.CASCADE, related_name="partes")
    rol = models.CharField(_("rol"), max_length=20, choices=RolParte.choices)
    nombre = models.CharField(_("nombre completo"), max_length=200)
    # El nombre sin acentos ni mayúsculas, para buscar (lo mantienen los servicios).
    nombre_busqueda = models.CharField(max_length=200, blank=True, editable=False)
    telefono = models.CharField(_("teléfono"), max_length=20, blank=True, db_index=True)
    correo = models.EmailField(_("correo electrónico"), blank=True)
    domicilio = models.CharField(_("domicilio"), max_length=300, blank=True)
    avisos_por = models.CharField(
        _("avisos por"), max_length=10, choices=AvisosPor.choices, blank=True, default=""
    )
    localidad = models.ForeignKey(
        Localidad,
        verbose_name=_("localidad"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Datos que el convenio exige (LGMASC art. 94); opcionales al recibir.
    edad = models.PositiveSmallIntegerField(_("edad"), null=True, blank=True)
    nacionalidad = models.CharField(_("nacionalidad"), max_length=60, blank=True)
    estado_civil = models.CharField(
        _("estado civil"), max_length=20, choices=EstadoCivil.choices, blank=True
    )
    ocupacion = models.CharField(_("ocupación"), max_length=120, blank=True)
    representante = models.CharField(_("representante o apoderado"), max_length=200, blank=True)
    creado_en = models.DateTimeField(auto_now_add=True)
    # Derechos ARCO y conservación (`casos.services.privacidad`). Bloqueada: los datos se
    # guardan solo para las obligaciones legales; no salen en búsquedas, listas, avisos ni
    # exportaciones, y solo los ve quien atiende la privacidad, con motivo en la bitácora.
    bloqueada_en = models.DateTimeField(_("datos bloqueados el"), null=True, blank=True)
    bloqueo_motivo = models.CharField(_("motivo del bloqueo"), max_length=300, blank=True)
    # Usos a los que la persona se opuso (`UsoOpuesto`: avisos, encuesta).
    usos_opuestos = models.JSONField(_("usos a los que se opuso"), default=list, blank=True)
    suprimida_en = models.DateTimeField(_("datos suprimidos el"), null=True, blank=True)
    # Cada cambio deja su versión anterior (la rectificación conserva la historia).
    history = HistoricalRecords(excluded_fields=["nombre_busqueda"])

    class Meta:
        verbose_name = _("parte")
        verbose_name_plural = _("partes")
        ordering = ["caso", "id"]
        indexes = [models.Index(fields=["nombre"], name="parte_nombre_idx")]

    def __str__(self):
        return f"{self.nombre} ({self.get_rol_display()})"


# Los datos de la persona en un renglón de parte: los que se corrigen en el expediente, se
# rectifican por un derecho ARCO y se entregan en el acceso (además de `avisos_por`).
DATOS_DE_PARTE = (
    "nombre",
    "telefono",
    "correo",
    "domicilio",
    "edad",
    "nacionalidad",
    "estado_civil",
    "ocupacion",
    "representante",
)


class TipoEvento(models.TextChoices):
    RECIBIDA = "recibida", _("Solicitud recibida")
    EN_REVISION = "en_revision", _("Solicitud en revisión")
    ADMITIDA = "admitida", _("Solicitud admitida")
    NO_ADMITIDA = "no_admitida", _("Solicitud no admitida")
    CANALIZADA = "canalizada", _("Asunto canalizado")
    ASIGNADA = "asignada", _("Responsable asignado")
    INVITACION = "invitacion", _("Invitación a la otra parte")
    SESION_PROGRAMADA = "sesion_programada", _("Sesión programada")
    SESION_REPROGRAMADA = "sesion_reprogramada", _("Sesión reprogramada")
    SESION_CELEBRADA = "sesion_celebrada", _("Sesión celebrada")
    SESION_DIFERIDA = "sesion_diferida", _("Sesión diferida")
    INASISTENCIA = "inasistencia", _("Inasistencia a sesión")
    PRORROGA = "prorroga", _("Prórroga del procedimiento")
    CONVENIO_CAPTURADO = "convenio_capturado", _("Convenio redactado")
    CONVENIO_FIRMADO = "convenio_firmado", _("Convenio firmado")
    ENVIADO_REGISTRO = "enviado_registro", _("Convenio enviado a registro")
    RESPUESTA_REGISTRO = "respuesta_registro", _("Respuesta del registro")
    PLAZO_REGISTRO_VENCIDO = (
        "plazo_registro_vencido",
        _("Venció el plazo de respuesta del registro"),
    )
    PLAZO_PREVENCION_VENCIDO = (
        "plazo_prevencion_vencido",
        _("Venció el plazo para corregir la prevención"),
    )
    CLAUSULA_VERIFICADA = "clausula_verificada", _("Cumplimiento de cláusula verificado")
    CLASIFICADA = "clasificada", _("Solicitud clasificada")
    EN_ATENCION = "en_atencion", _("Asesoría en atención")
    ESPERA_CIUDADANO = "espera_ciudadano", _("En espera de la persona solicitante")
    REANUDADA = "reanudada", _("Atención reanudada")
    RESPUESTA_CANALIZACION = "respuesta_canalizacion", _("Respuesta de la dependencia")
    CONVERTIDA = "convertida", _("Convertida en mediación")
    ENCUESTA = "encuesta", _("Encuesta de satisfacción")
    CONCLUIDA = "concluida", _("Caso concluido")
    REABIERTA = "reabierta", _("Caso reabierto")
    TAREA = "tarea", _("Movimiento de tarea")
    CONTACTO = "contacto", _("Contacto registrado")
    DATOS_PARTE = "datos_parte", _("Datos de una parte corregidos")
    LIGADA = "ligada", _("Caso ligado")
    CODIGO_REEXPEDIDO = "codigo_reexpedido", _("Código de consulta reexpedido")
    CAMBIO_ESTADO = "cambio_estado", _("Cambio de estado")
    PLAZOS_RECALCULADOS = "plazos_recalculados", _("Plazos recalculados")
    IMPORTADO = "importado", _("Importado del registro anterior")
    PRIVACIDAD = "privacidad", _("Derechos sobre datos personales")
    CONSERVACION = "conservacion", _("Conservación de los datos")


class Evento(models.Model):
    """Bitácora del caso: quién hizo qué, cuándo, y de qué estado a cuál."""

    caso = models.ForeignKey(Caso, on_delete=models.CASCADE, related_name="eventos")
    tipo = models.CharField(_("tipo"), max_length=40, choices=TipoEvento.choices)
    descripcion = models.CharField(_("descripción"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("quién"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_descripcion = models.CharField(_("origen"), max_length=120, blank=True)
    estado_anterior = models.CharField(max_length=30, choices=Estado.choices, blank=True)
    estado_nuevo = models.CharField(max_length=30, choices=Estado.choices, blank=True)
    publico = models.BooleanField(
        _("visible en la consulta pública"),
        default=False,
        help_text=_("Solo hitos sin datos personales ni contenido de sesiones."),
    )
    datos = models.JSONField(default=dict, blank=True)
    creado_en = models.DateTimeField(_("cuándo"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventos")
        ordering = ["creado_en", "id"]

    def __str__(self):
        return f"{self.caso_id} {self.tipo} {self.creado_en:%Y-%m-%d %H:%M}"

    @property
    def quien(self) -> str:
        if self.actor_id:
            return nombre_de(self.actor)
        return self.actor_descripcion or str(_("Sistema"))


class AccesoExpediente(models.Model):
    """Bitácora de consulta: quién abrió los datos personales de cada expediente, cuándo, qué
    (página, tarea, documento, búsqueda, API, administración, exportación), desde dónde y,
    si fue un acceso excepcional, con qué motivo (confidencialidad, LGMASC arts. 6 y 37)."""

    caso = models.ForeignKey(Caso, on_delete=models.CASCADE, related_name="accesos")
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    vista = models.CharField(_("qué"), max_length=60)
    objeto = models.CharField(_("objeto"), max_length=80, blank=True)
    ip = models.GenericIPAddressField(_("desde"), null=True, blank=True)
    motivo = models.CharField(_("motivo"), max_length=500, blank=True)
    creado_en = models.DateTimeField(_("cuándo"), default=timezone.now)

    class Meta:
        verbose_name = _("acceso a expediente")
        verbose_name_plural = _("accesos a expedientes")
        ordering = ["-creado_en", "-id"]
        indexes = [
            models.Index(fields=["caso", "-creado_en"], name="acceso_caso_idx"),
            models.Index(fields=["usuario", "-creado_en"], name="acceso_usuario_idx"),
        ]

    def __str__(self):
        return f"{self.usuario_id} → {self.caso_id} ({self.vista})"

    @property
    def que(self) -> str:
        """Lo que se abrió, en palabras (el código queda en `vista` para filtrar y exportar)."""
        return str(DESCRIPCION_ACCESO.get(self.vista, self.vista))


DESCRIPCION_ACCESO = {
    "detalle": _("Página del caso"),
    "busqueda": _("Resultado de búsqueda"),
    "posible_duplicado": _("Aviso de posible duplicado al capturar"),
    "datos_parte": _("Corrección de datos de una parte"),
    "tarea": _("Tarea"),
    "documento": _("Descarga de documento"),
    "firmado": _("Descarga del ejemplar firmado"),
    "api:detalle": _("API: expediente"),
    "api:lista": _("API: lista de casos"),
    "api:llamante": _("API: conmutador"),
    "admin": _("Administración"),
    "estadistica": _("Lista de casos de una cifra del tablero"),
    "acceso_excepcional": _("Acceso excepcional concedido"),
    "datos_bloqueados": _("Datos bloqueados revelados con motivo"),
    "arco_exportacion": _("Exportación de los datos de una persona (derecho ARCO)"),
    "arco_documento": _("Descarga de un documento de una solicitud ARCO"),
    "arco": _("Solicitud de derechos ARCO (datos identificados)"),
}


class AccesoExcepcional(models.Model):
    """Permiso temporal y motivado para ver un expediente fuera del alcance de quien lo pide.
    Queda en la bitácora con su motivo y la coordinación lo revisa."""

    caso = models.ForeignKey(Caso, on_delete=models.CASCADE, related_name="accesos_excepcionales")
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    motivo = models.CharField(_("motivo"), max_length=500)
    concedido_en = models.DateTimeField(_("concedido"), default=timezone.now)
    vence_en = models.DateTimeField(_("vence"))
    revisado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    revisado_en = models.DateTimeField(_("revisado"), null=True, blank=True)

    class Meta:
        verbose_name = _("acceso excepcional")
        verbose_name_plural = _("accesos excepcionales")
        ordering = ["-concedido_en"]
        indexes = [models.Index(fields=["usuario", "vence_en"], name="excepcional_vigente_idx")]

    def __str__(self):
        return f"{self.usuario_id} → {self.caso_id} hasta {self.vence_en:%Y-%m-%d %H:%M}"


class LimiteIntento(models.Model):
    """Contador de intentos por ventana fija (límites por IP o por folio)."""

    clave = models.CharField(max_length=200, unique=True)
    conteo = models.PositiveIntegerField(default=0)
    expira = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("límite de intentos")
        verbose_name_plural = _("límites de intentos")

    def __str__(self):
        return f"{self.clave}: {self.conteo}"

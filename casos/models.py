"""El expediente: caso, partes, catálogos, eventos y la configuración del centro."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Centro(models.Model):
    """Datos del centro de mediación que opera el sistema (un solo renglón, pk=1)."""

    nombre = models.CharField(_("nombre del centro"), max_length=200)
    dependencia = models.CharField(_("dependencia"), max_length=200, blank=True)
    municipio = models.CharField(_("municipio"), max_length=120)
    entidad = models.CharField(_("entidad federativa"), max_length=120)
    domicilio = models.CharField(_("domicilio"), max_length=300, blank=True)
    telefono = models.CharField(_("teléfono de atención"), max_length=40, blank=True)
    correo = models.EmailField(_("correo de atención"), blank=True)
    horario = models.CharField(_("horario de atención"), max_length=200, blank=True)
    sitio_web = models.URLField(_("dirección pública del sistema"), blank=True)
    logo = models.ImageField(_("logotipo"), upload_to="centro/", blank=True)
    acreditacion = models.CharField(
        _("acreditación del centro"),
        max_length=300,
        blank=True,
        help_text=_("Número o referencia de acreditación ante el órgano estatal."),
    )

    class Meta:
        verbose_name = _("centro")
        verbose_name_plural = _("centro")

    def __str__(self):
        return self.nombre

    @classmethod
    def actual(cls) -> "Centro":
        centro = cls.objects.filter(pk=1).first()
        return centro or cls(nombre="Centro de mediación", municipio="", entidad="")


class AvisoPrivacidad(models.Model):
    """Versión del aviso de privacidad (LGPDPPSO). Se registra cuál aceptó cada solicitante."""

    version = models.CharField(_("versión"), max_length=30, unique=True)
    texto_simplificado = models.TextField(_("aviso simplificado"))
    guion_telefonico = models.TextField(_("guion para leer por teléfono o en módulo"), blank=True)
    texto_integral = models.TextField(_("aviso integral"), blank=True)
    url_integral = models.URLField(
        _("dirección externa del aviso integral"),
        blank=True,
        help_text=_("Opcional: si se deja vacío, el integral se muestra en /privacidad/."),
    )
    vigente_desde = models.DateField(_("vigente desde"), default=date.today)

    class Meta:
        verbose_name = _("aviso de privacidad")
        verbose_name_plural = _("avisos de privacidad")
        ordering = ["-vigente_desde", "-id"]

    def __str__(self):
        return f"{self.version} ({self.vigente_desde:%d/%m/%Y})"

    @classmethod
    def vigente(cls) -> "AvisoPrivacidad | None":
        return cls.objects.filter(vigente_desde__lte=timezone.localdate()).first()


class CatalogoQuerySet(models.QuerySet):
    def activos(self):
        return self.filter(activo=True)


class Localidad(models.Model):
    nombre = models.CharField(_("nombre"), max_length=150, unique=True)
    activo = models.BooleanField(_("activa"), default=True)
    orden = models.PositiveIntegerField(_("orden"), default=100)

    objects = CatalogoQuerySet.as_manager()

    class Meta:
        verbose_name = _("localidad")
        verbose_name_plural = _("localidades")
        ordering = ["orden", "nombre"]

    def __str__(self):
        return self.nombre


class TipoCaso(models.TextChoices):
    MEDIACION = "MED", _("Mediación")
    ASESORIA = "ASE", _("Asesoría")


class Categoria(models.Model):
    nombre = models.CharField(_("nombre"), max_length=150)
    tipo = models.CharField(
        _("se usa en"),
        max_length=3,
        choices=TipoCaso.choices,
        blank=True,
        help_text=_("Vacío: en mediación y en asesoría."),
    )
    descripcion = models.CharField(_("descripción para el ciudadano"), max_length=300, blank=True)
    canalizar = models.BooleanField(
        _("se canaliza, no se media"),
        default=False,
        help_text=_("Materias no mediables (LGMASC art. 79): violencia contra las mujeres, penal…"),
    )
    activo = models.BooleanField(_("activa"), default=True)
    orden = models.PositiveIntegerField(_("orden"), default=100)

    objects = CatalogoQuerySet.as_manager()

    class Meta:
        verbose_name = _("categoría")
        verbose_name_plural = _("categorías")
        ordering = ["orden", "nombre"]
        constraints = [
            models.UniqueConstraint(fields=["nombre", "tipo"], name="categoria_nombre_tipo_unica")
        ]

    def __str__(self):
        return self.nombre


class Modulo(models.Model):
    """Una jornada de un módulo de atención itinerante: lugar y fecha."""

    nombre = models.CharField(_("nombre"), max_length=150)
    lugar = models.CharField(_("lugar"), max_length=250)
    localidad = models.ForeignKey(
        Localidad, verbose_name=_("localidad"), on_delete=models.PROTECT, related_name="+"
    )
    fecha = models.DateField(_("fecha"))
    activo = models.BooleanField(_("activo"), default=True)

    objects = CatalogoQuerySet.as_manager()

    class Meta:
        verbose_name = _("módulo itinerante")
        verbose_name_plural = _("módulos itinerantes")
        ordering = ["-fecha", "nombre"]

    def __str__(self):
        return f"{self.nombre} — {self.lugar}, {self.localidad} ({self.fecha:%d/%m/%Y})"


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
}


class DiaInhabilQuerySet(models.QuerySet):
    def en_rango(self, desde, hasta):
        return self.filter(fecha_inicio__lte=hasta, fecha_fin__gte=desde)


class DiaInhabil(models.Model):
    """Día o periodo inhábil del municipio (Semana Santa, 2 de noviembre, vacaciones,
    jornada electoral…). Los de descanso obligatorio de la LFT se calculan solos."""

    fecha_inicio = models.DateField(_("desde"))
    fecha_fin = models.DateField(_("hasta (inclusive)"))
    motivo = models.CharField(_("motivo"), max_length=150)

    objects = DiaInhabilQuerySet.as_manager()

    class Meta:
        verbose_name = _("día inhábil del municipio")
        verbose_name_plural = _("días inhábiles del municipio")
        ordering = ["-fecha_inicio"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fecha_fin__gte=models.F("fecha_inicio")),
                name="dia_inhabil_rango_valido",
                violation_error_message=_("La fecha final no puede ser anterior a la inicial."),
            )
        ]

    def __str__(self):
        if self.fecha_inicio == self.fecha_fin:
            return f"{self.fecha_inicio:%d/%m/%Y} — {self.motivo}"
        return f"{self.fecha_inicio:%d/%m/%Y} a {self.fecha_fin:%d/%m/%Y} — {self.motivo}"


class ContadorFolio(models.Model):
    """Último número de folio emitido por tipo y año (se bloquea al emitir)."""

    tipo = models.CharField(max_length=3, choices=TipoCaso.choices)
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
    resumen = models.TextField(_("relato breve del problema"))
    recibido_en = models.DateTimeField(_("recibida el"), default=timezone.now)
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
    # Código de consulta: se deriva con HMAC(clave del servidor, folio + sal). La base
    # guarda solo la sal; sin la clave no revela el código. Reexpedir cambia la sal.
    codigo_sal = models.CharField(max_length=32, editable=False)
    codigo_emitido_en = models.DateTimeField(editable=False, default=timezone.now)
    # Aceptación del aviso de privacidad (LGPDPPSO).
    aviso_version = models.CharField(_("versión del aviso aceptado"), max_length=30)
    aviso_canal = models.CharField(_("canal de aceptación"), max_length=20, choices=Canal.choices)
    aviso_aceptado_en = models.DateTimeField(_("aviso aceptado el"))
    actualizado_en = models.DateTimeField(_("última actualización"), auto_now=True)

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
        ]
        permissions = [
            ("capturar_solicitud", _("Puede capturar solicitudes (teléfono, módulo)")),
            ("reexpedir_codigo", _("Puede reexpedir el código de consulta")),
            ("ver_estadistica", _("Puede ver estadística e informes")),
        ]

    def __str__(self):
        return self.folio

    @property
    def abierto(self) -> bool:
        return self.estado not in ESTADOS_FINALES

    @property
    def explicacion_estado(self) -> str:
        return EXPLICACION_ESTADO.get(self.estado, "")

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

    class Meta:
        verbose_name = _("parte")
        verbose_name_plural = _("partes")
        ordering = ["caso", "id"]
        indexes = [models.Index(fields=["nombre"], name="parte_nombre_idx")]

    def __str__(self):
        return f"{self.nombre} ({self.get_rol_display()})"


class TipoEvento(models.TextChoices):
    RECIBIDA = "recibida", _("Solicitud recibida")
    CONTACTO = "contacto", _("Contacto registrado")
    LIGADA = "ligada", _("Caso ligado")
    CODIGO_REEXPEDIDO = "codigo_reexpedido", _("Código de consulta reexpedido")
    CAMBIO_ESTADO = "cambio_estado", _("Cambio de estado")


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
            return self.actor.get_full_name() or self.actor.get_username()
        return self.actor_descripcion or str(_("Sistema"))


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


class AccesoExpediente(models.Model):
    """Bitácora de consulta: quién abrió cada expediente (confidencialidad, LGMASC art. 37)."""

    caso = models.ForeignKey(Caso, on_delete=models.CASCADE, related_name="accesos")
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    vista = models.CharField(max_length=60)
    creado_en = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("acceso a expediente")
        verbose_name_plural = _("accesos a expedientes")
        ordering = ["-creado_en"]

    def __str__(self):
        return f"{self.usuario_id} → {self.caso_id} ({self.vista})"

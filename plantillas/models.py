"""Documentos generados (PDF): cada generación es una versión nueva, nunca se sobrescribe."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casos.models import Caso, SolicitudARCO


class TipoDocumento(models.TextChoices):
    ACUSE = "acuse", _("Acuse de solicitud")
    INVITACION = "invitacion", _("Invitación a la otra parte")
    CONSENTIMIENTO = "consentimiento", _("Consentimiento informado y acta de sesión inicial")
    CONSTANCIA_SESION = "constancia_sesion", _("Constancia de sesión")
    CONSTANCIA_DIFERIMIENTO = "constancia_diferimiento", _("Constancia de diferimiento")
    CONSTANCIA_INASISTENCIA = "constancia_inasistencia", _("Constancia de inasistencia")
    CONVENIO = "convenio", _("Convenio de mediación")
    CONSTANCIA_CONCLUSION = "constancia_conclusion", _("Constancia de conclusión")
    CONSTANCIA_CUMPLIMIENTO = "constancia_cumplimiento", _("Constancia de cumplimiento")
    FICHA_ASESORIA = "ficha_asesoria", _("Ficha de asesoría")
    OFICIO_CANALIZACION = "oficio_canalizacion", _("Oficio de canalización")
    OFICIO_REMISION = "oficio_remision", _("Oficio de remisión de convenios al registro")
    INFORME_ESTADISTICO = "informe_estadistico", _("Informe estadístico mensual")
    RESPUESTA_ARCO = "respuesta_arco", _("Respuesta a una solicitud ARCO")
    DATOS_ARCO = "datos_arco", _("Sus datos personales")


class EstadoDocumento(models.TextChoices):
    PENDIENTE = "pendiente", _("En espera")
    GENERANDO = "generando", _("Generando…")
    LISTO = "listo", _("Listo")
    FALLIDO = "fallido", _("Falló")


def _carpeta_secreta() -> str:
    # Nadie puede adivinar dónde quedó un archivo: ni el folio ni la versión están en la ruta.
    # Aun así, ningún archivo se sirve por URL estática: solo por las vistas que aplican la
    # política de acceso (casos.acceso) y dejan su renglón en la bitácora.
    return secrets.token_urlsafe(18)


def ruta_documento(documento, nombre):
    return f"documentos/{documento.anio}/{_carpeta_secreta()}/{nombre}"


def ruta_firmado(documento, nombre):
    return f"documentos/{documento.anio}/{_carpeta_secreta()}/firmado-{nombre}"


class RemisionRegistro(models.Model):
    """Lote de convenios que la coordinación envía a la autoridad de registro con un oficio."""

    numero = models.CharField(_("número de oficio"), max_length=30, unique=True)
    anio = models.PositiveIntegerField(_("año"))
    destinatario = models.CharField(_("dirigido a"), max_length=300)
    convenios = models.ManyToManyField(
        "casos.Convenio", verbose_name=_("convenios"), related_name="remisiones"
    )
    creada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    creada_en = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        verbose_name = _("remisión al registro")
        verbose_name_plural = _("remisiones al registro")
        ordering = ["-creada_en"]
        permissions = [("remitir_convenios", _("Puede remitir convenios al registro"))]

    def __str__(self):
        return self.numero


class InformeEstadistico(models.Model):
    """Un informe estadístico de la Dirección (documento 10): el mensual automático
    («INF-2026-11», noviembre de 2026) o uno pedido desde el tablero con sus filtros
    («INF-2026-11-A», «-B»…, por el mes en que empieza el periodo). No lleva datos personales:
    las cifras las arma la capa de estadística al generarse el PDF (`plantillas.informes`)."""

    numero = models.CharField(_("número"), max_length=30, unique=True)
    desde = models.DateField(_("desde"))
    hasta = models.DateField(_("hasta"))
    parametros = models.JSONField(
        _("parámetros"),
        default=dict,
        blank=True,
        help_text=_("Los filtros del tablero, como van en su dirección (nombre → valor)."),
    )
    descripcion = models.JSONField(
        _("descripción de los filtros"),
        default=list,
        blank=True,
        help_text=_("Los filtros en palabras: una lista de pares [etiqueta, valor]."),
    )
    automatico = models.BooleanField(_("automático"), default=False)
    pedido_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pedido por"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    creado_en = models.DateTimeField(_("creado el"), default=timezone.now)

    class Meta:
        verbose_name = _("informe estadístico")
        verbose_name_plural = _("informes estadísticos")
        ordering = ["-creado_en", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(desde__lte=models.F("hasta")),
                name="informe_periodo_ordenado",
            )
        ]

    def __str__(self):
        return self.numero

    @property
    def anio(self) -> int:
        """El año del número del informe (el del inicio del periodo)."""
        return self.desde.year

    @property
    def ultimo_documento(self):
        """La versión más reciente de su PDF, o None (usa las versiones ya leídas si el
        selector las trajo con `prefetch_related`)."""
        return max(self.documentos.all(), key=lambda d: d.version, default=None)


class Documento(models.Model):
    caso = models.ForeignKey(
        Caso, null=True, blank=True, on_delete=models.PROTECT, related_name="documentos"
    )
    remision = models.ForeignKey(
        RemisionRegistro,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documentos",
    )
    informe = models.ForeignKey(
        InformeEstadistico,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documentos",
    )
    # La respuesta de una solicitud ARCO y el anexo con los datos de la persona: son de la
    # solicitud (que puede tocar varios casos), no de un caso.
    solicitud = models.ForeignKey(
        SolicitudARCO,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documentos",
    )
    tipo = models.CharField(_("documento"), max_length=40, choices=TipoDocumento.choices)
    referencia = models.CharField(
        _("referencia"),
        max_length=40,
        blank=True,
        help_text=_("Qué instancia documenta (p. ej. el número de invitación o de sesión)."),
    )
    datos = models.JSONField(
        _("datos del documento"),
        default=dict,
        blank=True,
        help_text=_("Lo que se capturó al pedirlo (p. ej. fecha y lugar propuestos)."),
    )
    version = models.PositiveIntegerField(_("versión"))
    version_plantilla = models.CharField(_("versión de la plantilla"), max_length=20)
    estado = models.CharField(
        _("estado"),
        max_length=12,
        choices=EstadoDocumento.choices,
        default=EstadoDocumento.PENDIENTE,
    )
    archivo = models.FileField(_("archivo"), upload_to=ruta_documento, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    paginas = models.PositiveSmallIntegerField(_("páginas"), null=True, blank=True)
    solicitado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    solicitado_en = models.DateTimeField(_("solicitado el"), default=timezone.now)
    generado_en = models.DateTimeField(_("generado el"), null=True, blank=True)
    intentos = models.PositiveSmallIntegerField(default=0)
    reclamado_en = models.DateTimeField(null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    firmado = models.FileField(_("ejemplar firmado"), upload_to=ruta_firmado, blank=True)
    firmado_tipo = models.CharField(max_length=40, blank=True)
    firmado_sha256 = models.CharField(_("SHA-256 del ejemplar firmado"), max_length=64, blank=True)
    firmado_en = models.DateTimeField(_("firmado subido el"), null=True, blank=True)
    firmado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("documento")
        verbose_name_plural = _("documentos")
        ordering = ["caso", "tipo", "referencia", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["caso", "tipo", "referencia", "version"],
                condition=models.Q(caso__isnull=False),
                name="documento_version_unica",
            ),
            models.UniqueConstraint(
                fields=["remision", "tipo", "version"],
                condition=models.Q(remision__isnull=False),
                name="documento_remision_version_unica",
            ),
            models.UniqueConstraint(
                fields=["informe", "tipo", "version"],
                condition=models.Q(informe__isnull=False),
                name="documento_informe_version_unica",
            ),
            models.UniqueConstraint(
                fields=["solicitud", "tipo", "version"],
                condition=models.Q(solicitud__isnull=False),
                name="documento_solicitud_version_unica",
            ),
            # De exactamente uno: un caso, una remisión, un informe o una solicitud ARCO.
            models.CheckConstraint(
                condition=models.Q(
                    caso__isnull=False,
                    remision__isnull=True,
                    informe__isnull=True,
                    solicitud__isnull=True,
                )
                | models.Q(
                    caso__isnull=True,
                    remision__isnull=False,
                    informe__isnull=True,
                    solicitud__isnull=True,
                )
                | models.Q(
                    caso__isnull=True,
                    remision__isnull=True,
                    informe__isnull=False,
                    solicitud__isnull=True,
                )
                | models.Q(
                    caso__isnull=True,
                    remision__isnull=True,
                    informe__isnull=True,
                    solicitud__isnull=False,
                ),
                name="documento_de_caso_remision_o_informe",
            ),
        ]
        indexes = [models.Index(fields=["estado", "solicitado_en"], name="documento_estado_idx")]

    def __str__(self):
        return f"{self.folio} {self.get_tipo_display()} v{self.version}"

    @property
    def folio(self) -> str:
        """El folio del caso, el número del oficio si el documento es de una remisión, el del
        informe estadístico o el folio de la solicitud ARCO."""
        if self.caso_id:
            return self.caso.folio
        if self.remision_id:
            return self.remision.numero
        if self.solicitud_id:
            return self.solicitud.folio
        return self.informe.numero

    @property
    def anio(self) -> int:
        if self.caso_id:
            return self.caso.anio
        if self.remision_id:
            return self.remision.anio
        if self.solicitud_id:
            return self.solicitud.anio
        return self.informe.anio

    @property
    def nombre_archivo(self) -> str:
        sufijo = f"-{self.referencia}" if self.referencia else ""
        return f"{self.folio}-{self.tipo}{sufijo}-v{self.version}.pdf"

    @property
    def etiqueta(self) -> str:
        return self.datos.get("etiqueta", "") if isinstance(self.datos, dict) else ""

    @property
    def descripcion(self) -> str:
        """«invitación a la otra parte (intento 2)», para mensajes y la línea de tiempo."""
        nombre = self.get_tipo_display()
        nombre = nombre[0].lower() + nombre[1:]
        return f"{nombre} ({self.etiqueta})" if self.etiqueta else nombre

    @property
    def bloqueado(self) -> bool:
        """Con el ejemplar firmado ya subido, esta versión no cambia más."""
        return bool(self.firmado)

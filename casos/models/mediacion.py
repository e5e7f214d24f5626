"""Hechos del procedimiento de mediación: certificación, invitaciones, sesiones, prórrogas,
convenio y cláusulas (LGMASC)."""

import secrets
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..texto import nombre_de
from .configuracion import Sala
from .expediente import Caso, Parte


def ruta_certificado(perfil, nombre):
    # Fuera de toda URL pública y en una carpeta que no se adivina: el escaneo solo sale por
    # la vista de la administración de la oficina, que revisa el permiso y deja bitácora.
    return f"certificaciones/{secrets.token_urlsafe(18)}/{nombre}"


def fin_de_vigencia(expedicion: date) -> date:
    """Último día en que vale una certificación expedida en `expedicion`: dura
    CERTIFICACION_VIGENCIA_ANIOS años (LGMASC art. 55: cinco)."""
    return (
        expedicion + relativedelta(years=settings.CERTIFICACION_VIGENCIA_ANIOS) - timedelta(days=1)
    )


class PerfilMediador(models.Model):
    """Registro y certificación de la persona facilitadora (LGMASC arts. 42-43, 55)."""

    usuario = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona facilitadora"),
        on_delete=models.CASCADE,
        related_name="perfil_mediador",
    )
    numero_certificacion = models.CharField(
        _("número de certificación"),
        max_length=60,
        help_text=_("Tal como aparece en la constancia; va en cada convenio (LGMASC art. 94)."),
    )
    autoridad_emisora = models.CharField(
        _("autoridad que la expidió"),
        max_length=200,
        blank=True,
        help_text=_("Por ejemplo, el Instituto de Justicia Alternativa del Estado."),
    )
    fecha_expedicion = models.DateField(_("fecha de expedición"), null=True, blank=True)
    certificado_hasta = models.DateField(
        _("certificación vigente hasta"),
        help_text=_("Se calcula con la fecha de expedición y los años de vigencia."),
    )
    certificado = models.FileField(
        _("escaneo de la constancia"), upload_to=ruta_certificado, blank=True
    )
    certificado_tipo = models.CharField(_("tipo del escaneo"), max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certificación de mediador(a)")
        verbose_name_plural = _("certificaciones de mediadores")

    def __str__(self):
        return f"{nombre_de(self.usuario)} ({self.numero_certificacion})"

    def vigente(self, fecha=None) -> bool:
        return (fecha or timezone.localdate()) <= self.certificado_hasta


class MedioInvitacion(models.TextChoices):
    PERSONAL = "personal", _("Entrega personal")
    NOTIFICADOR = "notificador", _("Por notificador(a)")
    CORREO_POSTAL = "correo_postal", _("Correo postal")
    CORREO = "correo", _("Correo electrónico")
    TELEFONO = "telefono", _("Llamada telefónica")
    WHATSAPP = "whatsapp", _("WhatsApp")


class RespuestaInvitacion(models.TextChoices):
    ACEPTA = "acepta", _("Acepta participar")
    RECHAZA = "rechaza", _("No acepta participar")
    SIN_RESPUESTA = "sin_respuesta", _("Entregada, sin respuesta")
    NO_LOCALIZADA = "no_localizada", _("No se localizó a la persona")


class Invitacion(models.Model):
    """Un intento de invitar a la otra parte (art. 72: se deja constancia de la entrega)."""

    caso = models.ForeignKey(Caso, on_delete=models.CASCADE, related_name="invitaciones")
    parte = models.ForeignKey(Parte, on_delete=models.PROTECT, related_name="invitaciones")
    intento = models.PositiveSmallIntegerField(_("intento"))
    fecha = models.DateTimeField(_("fecha de entrega o intento"))
    medio = models.CharField(_("medio"), max_length=20, choices=MedioInvitacion.choices)
    recibio = models.CharField(_("quién la recibió"), max_length=200, blank=True)
    respuesta = models.CharField(_("resultado"), max_length=20, choices=RespuestaInvitacion.choices)
    observaciones = models.CharField(_("observaciones"), max_length=500, blank=True)
    registrada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    creado_en = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invitación")
        verbose_name_plural = _("invitaciones")
        ordering = ["caso", "intento"]
        constraints = [
            models.UniqueConstraint(fields=["caso", "intento"], name="invitacion_intento_unico")
        ]

    def __str__(self):
        return f"{self.caso} invitación {self.intento}"


class EstadoSesion(models.TextChoices):
    PROGRAMADA = "programada", _("Programada")
    CELEBRADA = "celebrada", _("Celebrada")
    DIFERIDA = "diferida", _("Diferida")
    INASISTENCIA = "inasistencia", _("No celebrada por inasistencia")
    CANCELADA = "cancelada", _("Cancelada")


class Asistencia(models.TextChoices):
    ASISTIO = "asistio", _("Asistió")
    JUSTIFICADA = "justificada", _("No asistió, con causa justificada")
    INJUSTIFICADA = "injustificada", _("No asistió, sin causa")


class ResultadoSesion(models.TextChoices):
    ACUERDO_TOTAL = "acuerdo_total", _("Acuerdo total")
    ACUERDO_PARCIAL = "acuerdo_parcial", _("Acuerdo parcial")
    SIN_ACUERDO = "sin_acuerdo", _("Sin acuerdo")
    CONTINUA = "continua", _("Se necesita otra sesión")


class SesionQuerySet(models.QuerySet):
    def programadas(self):
        return self.filter(estado=EstadoSesion.PROGRAMADA)

    def que_chocan(self, inicio, fin):
        """Sesiones programadas que se traslapan con [inicio, fin)."""
        return self.programadas().filter(inicio__lt=fin, fin__gt=inicio)


class Sesion(models.Model):
    """Una sesión de mediación. No guarda nada de lo dicho en ella (LGMASC arts. 6 y 37)."""

    caso = models.ForeignKey(Caso, on_delete=models.CASCADE, related_name="sesiones")
    numero = models.PositiveSmallIntegerField(_("número"))
    inicio = models.DateTimeField(_("inicio"))
    fin = models.DateTimeField(_("fin"))
    sala = models.ForeignKey(
        Sala,
        verbose_name=_("sala"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sesiones",
    )
    lugar = models.CharField(_("lugar (si no es una sala)"), max_length=250, blank=True)
    mediador = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitador(a)"),
        on_delete=models.PROTECT,
        related_name="sesiones_a_cargo",
    )
    estado = models.CharField(
        _("estado"), max_length=20, choices=EstadoSesion.choices, default=EstadoSesion.PROGRAMADA
    )
    asistencia_solicitante = models.CharField(
        _("asistencia de quien solicita"), max_length=20, choices=Asistencia.choices, blank=True
    )
    asistencia_invitada = models.CharField(
        _("asistencia de la otra parte"), max_length=20, choices=Asistencia.choices, blank=True
    )
    resultado = models.CharField(
        _("resultado"), max_length=20, choices=ResultadoSesion.choices, blank=True
    )
    motivo_diferimiento = models.CharField(_("motivo del diferimiento"), max_length=300, blank=True)
    registrada_en = models.DateTimeField(null=True, blank=True)
    # Cuándo supo una parte de esta sesión: salió a una parte el primer aviso sobre ella
    # (programada, reprogramada o recordatorio). Antes, un error de captura se corrige sin
    # diferir; después, cualquier cambio es un diferimiento (LGMASC art. 76).
    avisada_en = models.DateTimeField(_("avisada a las partes"), null=True, blank=True)
    # Correcciones de hora antes de avisar: cada una vuelve a escribir los avisos con otra
    # llave (la anterior quedó cancelada).
    correcciones = models.PositiveSmallIntegerField(_("correcciones de hora"), default=0)

    objects = SesionQuerySet.as_manager()

    class Meta:
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")
        ordering = ["caso", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["caso", "numero"], name="sesion_numero_unico"),
            models.CheckConstraint(
                condition=models.Q(fin__gt=models.F("inicio")), name="sesion_fin_despues"
            ),
        ]
        indexes = [
            models.Index(fields=["estado", "inicio"], name="sesion_estado_inicio_idx"),
            # Horarios libres: las sesiones de una sala o de una persona facilitadora en un
            # rango, sin leer las de las demás (`casos.horarios.ocupadas`).
            models.Index(fields=["sala", "estado", "inicio"], name="sesion_sala_inicio_idx"),
            models.Index(
                fields=["mediador", "estado", "inicio"], name="sesion_mediador_inicio_idx"
            ),
        ]

    def __str__(self):
        return (
            f"{self.caso} sesión {self.numero} ({timezone.localtime(self.inicio):%d/%m/%Y %H:%M})"
        )

    @property
    def donde(self) -> str:
        return str(self.sala) if self.sala_id else self.lugar

    @property
    def duracion(self) -> timedelta:
        return self.fin - self.inicio

    def hubo_inasistencia_injustificada(self) -> bool:
        return Asistencia.INJUSTIFICADA in (self.asistencia_solicitante, self.asistencia_invitada)


class Prorroga(models.Model):
    """Ampliación del plazo acordada por las partes (LGMASC art. 64)."""

    caso = models.ForeignKey(Caso, on_delete=models.CASCADE, related_name="prorrogas")
    nueva_fecha_limite = models.DateField(_("nuevo fin del plazo"))
    consentimiento = models.CharField(
        _("constancia del consentimiento de las partes"), max_length=500
    )
    registrada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    creado_en = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("prórroga")
        verbose_name_plural = _("prórrogas")
        ordering = ["caso", "creado_en"]

    def __str__(self):
        return f"{self.caso} hasta {self.nueva_fecha_limite:%d/%m/%Y}"


class TipoConvenio(models.TextChoices):
    TOTAL = "total", _("Acuerdo total")
    PARCIAL = "parcial", _("Acuerdo parcial")


class FormaFirma(models.TextChoices):
    AUTOGRAFA = "autografa", _("Firma autógrafa")
    ELECTRONICA = "electronica", _("Firma electrónica avanzada")
    HUELLA = "huella", _("Huella digital")


class EstadoRegistro(models.TextChoices):
    SIN_ENVIAR = "sin_enviar", _("Sin enviar")
    ENVIADO = "enviado", _("Enviado, en espera de respuesta")
    VALIDADO = "validado", _("Validado")
    PREVENIDO = "prevenido", _("Prevenido: hay que corregir")
    NO_PRESENTADO = "no_presentado", _("No presentado")


class Convenio(models.Model):
    """El convenio de mediación como datos estructurados (LGMASC art. 94)."""

    caso = models.OneToOneField(Caso, on_delete=models.CASCADE, related_name="convenio")
    tipo = models.CharField(_("tipo"), max_length=10, choices=TipoConvenio.choices)
    lugar = models.CharField(_("lugar de celebración"), max_length=200)
    antecedentes = models.TextField(_("antecedentes"), max_length=10000)
    consecuencias_incumplimiento = models.TextField(
        _("consecuencias del incumplimiento"), max_length=4000
    )
    firmado_en = models.DateTimeField(_("firmado el"), null=True, blank=True)
    forma_firma = models.CharField(
        _("forma de firma"), max_length=20, choices=FormaFirma.choices, blank=True
    )
    estado_registro = models.CharField(
        _("registro"),
        max_length=20,
        choices=EstadoRegistro.choices,
        default=EstadoRegistro.SIN_ENVIAR,
    )
    enviado_registro_en = models.DateField(_("enviado a registro el"), null=True, blank=True)
    prevenido_en = models.DateField(_("prevenido el"), null=True, blank=True)
    respuesta_registro_en = models.DateField(_("respuesta del registro"), null=True, blank=True)
    numero_registro = models.CharField(_("número de registro"), max_length=80, blank=True)
    observaciones_registro = models.CharField(
        _("observaciones del registro"), max_length=500, blank=True
    )
    creado_en = models.DateTimeField(default=timezone.now)
    actualizado_en = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("convenio")
        verbose_name_plural = _("convenios")

    def __str__(self):
        return f"Convenio {self.caso}"


class TipoObligacion(models.TextChoices):
    DAR = "dar", _("Dar")
    HACER = "hacer", _("Hacer")
    NO_HACER = "no_hacer", _("No hacer")


class Cumplimiento(models.TextChoices):
    PENDIENTE = "pendiente", _("Pendiente")
    CUMPLIDA = "cumplida", _("Cumplida")
    INCUMPLIDA = "incumplida", _("Incumplida")


class Clausula(models.Model):
    """Obligación de dar, hacer o no hacer, con modo, tiempo y lugar (art. 94)."""

    convenio = models.ForeignKey(Convenio, on_delete=models.CASCADE, related_name="clausulas")
    numero = models.PositiveSmallIntegerField(_("número"))
    obligado = models.ForeignKey(
        Parte, verbose_name=_("parte obligada"), on_delete=models.PROTECT, related_name="+"
    )
    tipo = models.CharField(_("tipo de obligación"), max_length=10, choices=TipoObligacion.choices)
    descripcion = models.TextField(_("obligación"), max_length=2000)
    modo = models.CharField(_("modo"), max_length=300, blank=True)
    lugar = models.CharField(_("lugar"), max_length=200, blank=True)
    fecha_limite = models.DateField(_("fecha para cumplir"), null=True, blank=True)
    cumplimiento = models.CharField(
        _("cumplimiento"),
        max_length=12,
        choices=Cumplimiento.choices,
        default=Cumplimiento.PENDIENTE,
    )
    verificada_en = models.DateTimeField(null=True, blank=True)
    verificada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nota_verificacion = models.CharField(_("nota"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("cláusula")
        verbose_name_plural = _("cláusulas")
        ordering = ["convenio", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["convenio", "numero"], name="clausula_numero_unico")
        ]

    def __str__(self):
        return f"{self.convenio.caso} cláusula {self.numero}"

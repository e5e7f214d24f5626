"""Bandeja de salida (patrón outbox) y bajas.

Cada aviso es un renglón de `Mensaje` que se escribe en la MISMA transacción que el hecho
que lo causa, con una llave de idempotencia única: el mismo hecho dos veces es un solo
aviso. Un worker lo reclama con un UPDATE condicional (pendiente → enviando, con un plazo
de reclamo) y solo envía si ganó; el barrido periódico devuelve a pendiente lo que quedó
reclamado por un worker que murió, y reintenta con espera creciente hasta un límite.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Canal(models.TextChoices):
    CORREO = "correo", _("Correo electrónico")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class EstadoMensaje(models.TextChoices):
    PENDIENTE = "pendiente", _("Pendiente")
    ENVIANDO = "enviando", _("Enviando")
    ENVIADO = "enviado", _("Enviado")
    FALLIDO = "fallido", _("Falló")
    CANCELADO = "cancelado", _("No se envió")


class Mensaje(models.Model):
    llave = models.CharField(_("llave de idempotencia"), max_length=200, unique=True)
    plantilla = models.CharField(_("aviso"), max_length=40)
    canal = models.CharField(_("canal"), max_length=10, choices=Canal.choices)
    destino = models.CharField(_("destinatario"), max_length=254)
    # A quién va: una parte del caso (ciudadano) o una persona del personal.
    caso = models.ForeignKey(
        "casos.Caso",
        verbose_name=_("caso"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mensajes",
    )
    parte = models.ForeignKey(
        "casos.Parte", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="avisos",
    )
    # Lo que el aviso necesita para redactarse al enviarse (ids y valores; nunca el código
    # de consulta, que se recalcula del caso).
    contexto = models.JSONField(default=dict, blank=True)
    # Objeto del que depende (p. ej. "sesion:12"): reprogramar o cancelar lo reemplaza.
    referencia = models.CharField(max_length=60, blank=True, db_index=True)
    estado = models.CharField(
        _("estado"),
        max_length=10,
        choices=EstadoMensaje.choices,
        default=EstadoMensaje.PENDIENTE,
    )
    programado_para = models.DateTimeField(_("programado para"), default=timezone.now)
    encolado_en = models.DateTimeField(null=True, blank=True)
    reclamado_hasta = models.DateTimeField(null=True, blank=True)
    intentos = models.PositiveSmallIntegerField(_("intentos"), default=0)
    # Hasta cuántos intentos (0: AVISOS_INTENTOS). Reintentar a mano da otra tanda sin volver
    # a contar desde cero: `intentos` solo crece y sirve de cerca para el cierre.
    intentos_maximos = models.PositiveSmallIntegerField(default=0)
    # Un intento se interrumpió a medio envío: antes de reenviar se pregunta al proveedor si
    # ya lo recibió.
    en_duda = models.BooleanField(default=False)
    ultimo_error = models.CharField(_("último error"), max_length=500, blank=True)
    proveedor_id = models.CharField(_("identificador del proveedor"), max_length=100, blank=True)
    asunto = models.CharField(_("asunto"), max_length=200, blank=True)
    # Lo que salió (el código de consulta va oculto, salvo en la bandeja de la demostración).
    texto = models.TextField(_("texto enviado"), blank=True)
    creado_en = models.DateTimeField(_("creado"), auto_now_add=True)
    enviado_en = models.DateTimeField(_("enviado"), null=True, blank=True)

    class Meta:
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        ordering = ["-programado_para", "-id"]
        indexes = [
            # El barrido busca lo pendiente cuya hora llegó: índice parcial, pequeño aunque
            # haya un millón de recordatorios a futuro.
            models.Index(
                fields=["programado_para"],
                name="mensaje_por_enviar_idx",
                condition=models.Q(estado="pendiente"),
            ),
            models.Index(
                fields=["reclamado_hasta"],
                name="mensaje_reclamado_idx",
                condition=models.Q(estado="enviando"),
            ),
            models.Index(fields=["estado", "-creado_en"], name="mensaje_estado_idx"),
        ]
        permissions = [
            ("ver_avisos", _("Puede ver todos los avisos y los que fallaron")),
            ("reintentar_aviso", _("Puede reintentar un aviso que falló")),
        ]

    def __str__(self):
        return f"{self.plantilla} → {self.destino} ({self.get_estado_display()})"

    @property
    def descripcion(self) -> str:
        from .mensajes import DESCRIPCIONES

        return str(DESCRIPCIONES.get(self.plantilla, self.plantilla))

    @property
    def reintentable(self) -> bool:
        return self.estado == EstadoMensaje.FALLIDO


class OrigenBaja(models.TextChoices):
    RESPUESTA = "respuesta", _("Respondió BAJA al mensaje")
    ENLACE = "enlace", _("Usó el enlace del aviso")
    PERSONAL = "personal", _("Lo pidió al personal")


class Baja(models.Model):
    """Una persona pidió no recibir más avisos en este canal y este destino."""

    canal = models.CharField(_("canal"), max_length=10, choices=Canal.choices)
    destino = models.CharField(_("destinatario"), max_length=254)
    origen = models.CharField(_("cómo la pidió"), max_length=10, choices=OrigenBaja.choices)
    creada_en = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("baja de avisos")
        verbose_name_plural = _("bajas de avisos")
        constraints = [
            models.UniqueConstraint(fields=["canal", "destino"], name="baja_canal_destino_unica")
        ]

    def __str__(self):
        return f"{self.get_canal_display()}: {self.destino}"


class EntranteTwilio(models.Model):
    """Una petición de Twilio ya atendida (por su MessageSid o, sin él, por su firma): un
    reintento o una copia reenviada se contesta sin actuar dos veces."""

    clave = models.CharField(max_length=64, unique=True)
    recibido_en = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("petición entrante de Twilio")
        verbose_name_plural = _("peticiones entrantes de Twilio")

    def __str__(self):
        return f"{self.clave[:12]}… {self.recibido_en:%d/%m/%Y %H:%M}"

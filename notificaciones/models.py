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


class Entrega(models.TextChoices):
    """Lo que el proveedor dice de un mensaje ya aceptado (recibos de entrega de Twilio)."""

    EN_COLA = "en_cola", _("En la cola del proveedor")
    SALIO = "salio", _("Salió hacia la compañía telefónica")
    ENTREGADO = "entregado", _("Entregado")
    LEIDO = "leido", _("Leído")
    NO_ENTREGADO = "no_entregado", _("No entregado")
    FALLIDO = "fallido", _("Falló en el proveedor")


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
    # O la persona titular de una solicitud ARCO (al contacto que dejó en la solicitud).
    solicitud_arco = models.ForeignKey(
        "casos.SolicitudARCO",
        verbose_name=_("solicitud ARCO"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mensajes",
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
    proveedor_id = models.CharField(
        _("identificador del proveedor"), max_length=100, blank=True, db_index=True
    )
    # El último estado que informó el proveedor (vacío: aún no informa, o el canal no lo
    # hace), con su código de error y cuándo llegó ese recibo.
    entrega = models.CharField(
        _("entrega"), max_length=12, choices=Entrega.choices, blank=True, db_index=True
    )
    entrega_error = models.CharField(_("error del proveedor"), max_length=20, blank=True)
    entrega_en = models.DateTimeField(_("recibo de entrega"), null=True, blank=True)
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
        from nucleo.traduccion import traducidos

        from .mensajes import DESCRIPCIONES

        return traducidos(DESCRIPCIONES).get(self.plantilla, self.plantilla)

    @property
    def reintentable(self) -> bool:
        return self.estado == EstadoMensaje.FALLIDO


class OrigenBaja(models.TextChoices):
    RESPUESTA = "respuesta", _("Respondió BAJA al mensaje")
    ENLACE = "enlace", _("Usó el enlace del aviso")
    PERSONAL = "personal", _("Lo pidió al personal")
    PROVEEDOR = "proveedor", _("El proveedor informó que la persona se dio de baja (21610)")


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


class ConversacionWhatsApp(models.Model):
    """La hora del último mensaje que una persona envió por WhatsApp: dentro de las 24 h
    siguientes se le puede escribir en texto libre; fuera, solo con plantillas aprobadas."""

    numero = models.CharField(_("número"), max_length=32, unique=True)
    ultimo_entrante_en = models.DateTimeField(_("último mensaje de la persona"))

    class Meta:
        verbose_name = _("conversación de WhatsApp")
        verbose_name_plural = _("conversaciones de WhatsApp")

    def __str__(self):
        return f"{self.numero} {self.ultimo_entrante_en:%d/%m/%Y %H:%M}"


class EstadoConfirmacion(models.TextChoices):
    SIN_RESPUESTA = "sin_respuesta", _("Sin confirmar")
    CONFIRMADA = "confirmada", _("Confirmó")
    NO_ASISTIRA = "no_asistira", _("No asistirá")
    OTRA_FECHA = "otra_fecha", _("Pide otra fecha")


class Confirmacion(models.Model):
    """Lo que una parte respondió al recordatorio de una sesión (SI, NO o CAMBIO), y si ya
    se le señaló al mediador que faltan 24 h sin respuesta. Un renglón por sesión y parte."""

    sesion = models.ForeignKey(
        "casos.Sesion", on_delete=models.CASCADE, related_name="confirmaciones"
    )
    parte = models.ForeignKey("casos.Parte", on_delete=models.CASCADE, related_name="+")
    estado = models.CharField(
        _("confirmación"),
        max_length=14,
        choices=EstadoConfirmacion.choices,
        default=EstadoConfirmacion.SIN_RESPUESTA,
    )
    canal = models.CharField(_("canal"), max_length=10, choices=Canal.choices, blank=True)
    respondida_en = models.DateTimeField(_("respondió"), null=True, blank=True)
    senalada_en = models.DateTimeField(_("señalada sin confirmar"), null=True, blank=True)

    class Meta:
        verbose_name = _("confirmación de asistencia")
        verbose_name_plural = _("confirmaciones de asistencia")
        constraints = [
            models.UniqueConstraint(fields=["sesion", "parte"], name="confirmacion_unica")
        ]

    def __str__(self):
        return f"{self.sesion_id}/{self.parte_id}: {self.get_estado_display()}"


# --- Salud de los workers -------------------------------------------------------------------


class LatidoTrabajador(models.Model):
    """El último latido de un worker de Celery: su proceso principal lo escribe cada
    TRABAJADOR_LATIDO_SEGUNDOS (`notificaciones.trabajadores`). Está vivo si latió con
    procesos vivos en su pool dentro de TRABAJADOR_SIN_LATIDO_SEGUNDOS."""

    nombre = models.CharField(_("worker"), max_length=200, unique=True)
    pid = models.PositiveIntegerField(_("PID"))
    # Separadas por comas, tal como se le pasan a `--queues`.
    colas = models.CharField(_("colas"), max_length=500)
    pool = models.CharField(_("tipo de pool"), max_length=40, blank=True)
    arrancado_en = models.DateTimeField(_("arrancó"))
    ultimo_latido = models.DateTimeField(_("último latido"))
    # Procesos del pool que trabajan (prefork: hijos vivos; solo o hilos: el proceso mismo).
    procesos_vivos = models.PositiveSmallIntegerField(_("procesos vivos"), default=0)
    # El último latido en que el pool tenía procesos vivos: un worker cuyo pool murió sigue
    # latiendo, pero no trabaja.
    ultimo_latido_vivo = models.DateTimeField(_("último latido con procesos"), null=True)
    # Se detuvo en orden (SIGTERM, `docker compose stop`); vacío mientras corre.
    detenido_en = models.DateTimeField(_("se detuvo"), null=True, blank=True)

    class Meta:
        verbose_name = _("latido de worker")
        verbose_name_plural = _("latidos de workers")
        ordering = ["nombre"]

    def __str__(self):
        return f"{self.nombre} ({self.colas})"

    @property
    def lista_de_colas(self) -> list[str]:
        return [c.strip() for c in self.colas.split(",") if c.strip()]


class RevisionBeat(models.Model):
    """La última vuelta de la revisión de workers en un proceso del beat
    (`notificaciones.trabajadores.Revision`): un renglón por beat, que se actualiza al arrancar
    y en cada revisión. Lo lee la salud (/salud/) para saber si el beat sigue corriendo."""

    nombre = models.CharField(_("beat"), max_length=200, unique=True)
    pid = models.PositiveIntegerField(_("PID"))
    ultima_revision = models.DateTimeField(_("última revisión"))

    class Meta:
        verbose_name = _("revisión del beat")
        verbose_name_plural = _("revisiones del beat")
        ordering = ["nombre"]

    def __str__(self):
        return self.nombre


class AlertaOperativa(models.Model):
    """Una cola de trabajos sin ningún worker vivo, de cuándo a cuándo. La abre y la cierra la
    revisión del beat; un renglón por interrupción (a lo más uno abierto por cola), con la hora
    del correo a la coordinación al detenerse y al restablecerse."""

    cola = models.CharField(_("cola"), max_length=100)
    # El último momento en que un worker de la cola estuvo vivo (si ninguno latió nunca, la
    # hora en que la revisión lo notó).
    desde = models.DateTimeField(_("detenida desde"))
    detectada_en = models.DateTimeField(_("detectada"), default=timezone.now)
    hasta = models.DateTimeField(_("restablecida"), null=True, blank=True)
    aviso_inicio_en = models.DateTimeField(_("correo de la interrupción"), null=True, blank=True)
    aviso_fin_en = models.DateTimeField(_("correo del restablecimiento"), null=True, blank=True)
    ultimo_error = models.CharField(_("último error del correo"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("alerta operativa")
        verbose_name_plural = _("alertas operativas")
        ordering = ["-desde", "-id"]
        constraints = [
            # Una interrupción abierta por cola, aunque corrieran dos beats a la vez.
            models.UniqueConstraint(
                fields=["cola"],
                condition=models.Q(hasta__isnull=True),
                name="alerta_abierta_por_cola",
            )
        ]

    def __str__(self):
        return f"{self.cola}: {self.desde:%d/%m/%Y %H:%M}"

"""Avisos a las comunidades (programa 9 del POA, «Redes de comunicación comunitaria»).

Listas de contactos por localidad (líderes, comités, delegados) con el consentimiento de cada
contacto registrado, y avisos cortos por SMS o WhatsApp que salen por la bandeja de salida de
siempre (`notificaciones`): un `Mensaje` por contacto con llave `comunidad:<aviso>:<contacto>`,
unido a su contacto por una `Entrega`. La baja es la de la bandeja (`notificaciones.Baja`, por
canal y número): quien respondió BAJA aparece dado de baja en cada lista y no recibe nada más.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from notificaciones.models import Baja, Canal


class CanalContacto(models.TextChoices):
    SMS = Canal.SMS.value, _("SMS")
    WHATSAPP = Canal.WHATSAPP.value, _("WhatsApp")


class FormaConsentimiento(models.TextChoices):
    ESCRITO = "escrito", _("Por escrito (firmó el formato)")
    PALABRA = "palabra", _("De palabra, ante una persona del personal")
    FORMULARIO = "formulario", _("En un formulario (en línea o en el módulo)")


class ContactoQuerySet(models.QuerySet):
    def con_baja(self):
        """Anota `dado_de_baja`: si pidió no recibir avisos por su canal en su número."""
        bajas = Baja.objects.filter(canal=OuterRef("canal"), destino=OuterRef("telefono"))
        return self.annotate(dado_de_baja=Exists(bajas))

    def con_consentimiento(self):
        return self.filter(consentimiento_fecha__isnull=False)

    def destinatarios(self):
        """A quién se le puede enviar: con consentimiento y sin baja."""
        return self.con_consentimiento().con_baja().filter(dado_de_baja=False)


class Contacto(models.Model):
    """Una persona de la comunidad que acepta recibir avisos de la oficina."""

    nombre = models.CharField(_("nombre"), max_length=150)
    # E.164 (`casos.telefonos.normalizar_telefono`), como en el resto del sistema.
    telefono = models.CharField(_("teléfono"), max_length=20)
    canal = models.CharField(
        _("recibe por"), max_length=10, choices=CanalContacto.choices, default=CanalContacto.SMS
    )
    cargo = models.CharField(
        _("cargo en la comunidad"),
        max_length=120,
        blank=True,
        help_text=_("Por ejemplo: delegada municipal, presidente del comité de agua, líder."),
    )
    localidad = models.ForeignKey(
        "casos.Localidad",
        verbose_name=_("localidad"),
        on_delete=models.PROTECT,
        related_name="contactos_comunitarios",
    )
    # El consentimiento (LGPDPPSO): sin fecha no hay consentimiento y no se le envía nada.
    consentimiento_fecha = models.DateField(_("fecha del consentimiento"), null=True, blank=True)
    consentimiento_forma = models.CharField(
        _("cómo lo dio"), max_length=12, choices=FormaConsentimiento.choices, blank=True
    )
    consentimiento_ante = models.CharField(
        _("ante quién o en qué formato"),
        max_length=150,
        blank=True,
        help_text=_("De palabra: ante quién. Por escrito o en formulario: cuál (folio, nombre)."),
    )
    consentimiento_aviso = models.ForeignKey(
        "casos.AvisoPrivacidad",
        verbose_name=_("versión del aviso de privacidad"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consentimiento_registrado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lo registró"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    creado_en = models.DateTimeField(_("alta"), default=timezone.now)

    objects = ContactoQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contacto comunitario")
        verbose_name_plural = _("contactos comunitarios")
        ordering = ["localidad__orden", "localidad__nombre", "nombre", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["canal", "telefono"], name="contacto_comunitario_canal_telefono"
            )
        ]

    def __str__(self):
        return f"{self.nombre} ({self.localidad})"

    @property
    def con_consentimiento(self) -> bool:
        return self.consentimiento_fecha is not None


class Lista(models.Model):
    """Una lista de difusión: el comité de una localidad, sus delegados, sus líderes…"""

    nombre = models.CharField(_("nombre"), max_length=150, unique=True)
    localidad = models.ForeignKey(
        "casos.Localidad",
        verbose_name=_("localidad"),
        on_delete=models.PROTECT,
        related_name="listas_comunitarias",
    )
    descripcion = models.CharField(_("para qué es"), max_length=300, blank=True)
    contactos = models.ManyToManyField(
        Contacto, through="Membresia", related_name="listas", verbose_name=_("contactos")
    )
    creada_en = models.DateTimeField(_("creada"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lista comunitaria")
        verbose_name_plural = _("listas comunitarias")
        ordering = ["localidad__orden", "localidad__nombre", "nombre"]

    def __str__(self):
        return self.nombre


class Membresia(models.Model):
    """Un contacto en una lista (puede estar en varias)."""

    lista = models.ForeignKey(Lista, on_delete=models.CASCADE, related_name="membresias")
    contacto = models.ForeignKey(Contacto, on_delete=models.CASCADE, related_name="membresias")
    agregado_en = models.DateTimeField(_("agregado"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contacto en lista")
        verbose_name_plural = _("contactos en listas")
        constraints = [
            models.UniqueConstraint(fields=["lista", "contacto"], name="membresia_unica")
        ]

    def __str__(self):
        return f"{self.contacto} en {self.lista}"


class AvisoComunitario(models.Model):
    """Un aviso corto a una o más listas. Se reparte en segundo plano (`tasks.repartir_aviso`):
    una `Entrega` por contacto, sin repetir a quien está en dos listas."""

    texto = models.CharField(_("texto"), max_length=600)
    listas = models.ManyToManyField(Lista, related_name="avisos", verbose_name=_("listas"))
    enviado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lo envió"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    creado_en = models.DateTimeField(_("enviado"), default=timezone.now)
    # Los destinatarios que se mostraron al confirmar; el reparto los vuelve a contar.
    destinatarios = models.PositiveIntegerField(_("destinatarios al confirmar"), default=0)
    repartido_en = models.DateTimeField(_("reparto terminado"), null=True, blank=True)
    # Un worker reparte hasta esta hora (lo renueva en cada lote); si muere, al vencer lo
    # retoma otro. Repartir dos veces no duplica a nadie: el reclamo solo ahorra trabajo.
    reparto_hasta = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aviso comunitario")
        verbose_name_plural = _("avisos comunitarios")
        ordering = ["-creado_en", "-id"]
        permissions = [
            ("ver_avisos_comunitarios", _("Puede ver los avisos comunitarios y sus cifras")),
            ("enviar_aviso_comunitario", _("Puede enviar avisos a las listas comunitarias")),
            (
                "administrar_contactos_comunitarios",
                _("Puede administrar las listas y los contactos comunitarios"),
            ),
        ]

    def __str__(self):
        return f"{self.creado_en:%d/%m/%Y}: {self.texto[:40]}"


class Entrega(models.Model):
    """Une el mensaje de la bandeja de salida con su contacto. Sin mensaje: el contacto ya
    estaba dado de baja al repartir y no se le escribió nada."""

    aviso = models.ForeignKey(AvisoComunitario, on_delete=models.CASCADE, related_name="entregas")
    contacto = models.ForeignKey(Contacto, on_delete=models.PROTECT, related_name="entregas")
    mensaje = models.OneToOneField(
        "notificaciones.Mensaje",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entrega_comunitaria",
    )

    class Meta:
        verbose_name = _("entrega de aviso comunitario")
        verbose_name_plural = _("entregas de avisos comunitarios")
        constraints = [
            models.UniqueConstraint(fields=["aviso", "contacto"], name="entrega_aviso_contacto")
        ]

    def __str__(self):
        return f"{self.aviso_id} → {self.contacto_id}"

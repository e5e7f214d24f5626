"""La suscripción al calendario de cada persona y la bitácora de sus consultas."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SuscripcionCalendario(models.Model):
    """El enlace secreto con el que el teléfono de una persona lee su agenda. Solo se guarda
    el SHA-256 del token: el enlace se muestra una vez y, si se pierde, se genera otro."""

    usuario = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona"),
        on_delete=models.CASCADE,
        related_name="suscripcion_calendario",
    )
    token_hash = models.CharField(_("huella del token"), max_length=64, unique=True)
    creada_en = models.DateTimeField(_("creada"), default=timezone.now)
    ultima_consulta_en = models.DateTimeField(_("última consulta"), null=True, blank=True)

    class Meta:
        verbose_name = _("suscripción al calendario")
        verbose_name_plural = _("suscripciones al calendario")

    def __str__(self):
        return str(self.usuario)


class ConsultaCalendario(models.Model):
    """Un renglón por cada vez que un calendario leyó el enlace: el calendario no trae nombres
    ni relato, pero sí folios y horas, así que cada lectura queda registrada."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona"),
        on_delete=models.CASCADE,
        related_name="consultas_de_calendario",
    )
    creada_en = models.DateTimeField(_("cuándo"), default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(_("conexión (IP)"), null=True, blank=True)
    cliente = models.CharField(_("programa que leyó"), max_length=200, blank=True)
    sesiones = models.PositiveIntegerField(_("sesiones entregadas"), default=0)

    class Meta:
        verbose_name = _("consulta del calendario")
        verbose_name_plural = _("consultas del calendario")
        ordering = ["-creada_en", "-id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.usuario} {self.creada_en:%d/%m/%Y %H:%M}"

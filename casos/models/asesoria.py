"""Hechos de la asesoría: canalización a otras dependencias y esperas del ciudadano."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .expediente import Caso


class Canalizacion(models.Model):
    """Oficio de remisión del asunto a otra dependencia, y su respuesta."""

    caso = models.ForeignKey(Caso, on_delete=models.CASCADE, related_name="canalizaciones")
    dependencia = models.CharField(_("dependencia"), max_length=200)
    motivo = models.CharField(_("motivo"), max_length=500)
    numero_oficio = models.CharField(_("número de oficio"), max_length=60, blank=True)
    enviada_en = models.DateTimeField(_("enviada el"), default=timezone.now)
    respuesta = models.TextField(_("respuesta de la dependencia"), max_length=2000, blank=True)
    respondida_en = models.DateTimeField(_("respondida el"), null=True, blank=True)
    registrada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("canalización")
        verbose_name_plural = _("canalizaciones")
        ordering = ["caso", "enviada_en"]

    def __str__(self):
        return f"{self.caso} → {self.dependencia}"


class EsperaCiudadano(models.Model):
    """Periodo en que el reloj se detiene porque se espera algo de la persona solicitante."""

    caso = models.ForeignKey(Caso, on_delete=models.CASCADE, related_name="esperas")
    motivo = models.CharField(_("qué se espera"), max_length=300)
    desde = models.DateTimeField(default=timezone.now)
    hasta = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("espera del ciudadano")
        verbose_name_plural = _("esperas del ciudadano")
        ordering = ["caso", "desde"]

    def __str__(self):
        return f"{self.caso}: {self.motivo}"

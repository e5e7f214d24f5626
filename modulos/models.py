"""Lo capturado en un equipo sin conexión durante una jornada de módulo itinerante."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casos.models import Caso, Modulo


class ResultadoCaptura(models.TextChoices):
    RECIBIDA = "recibida", _("Recibida: caso nuevo")
    CONTACTO = "contacto", _("Registrada como contacto en un caso existente")
    POR_DECIDIR = "por_decidir", _("Por decidir: posible duplicado")


class CapturaDeCampoQuerySet(models.QuerySet):
    def por_decidir(self):
        return self.filter(resultado=ResultadoCaptura.POR_DECIDIR)


class CapturaDeCampo(models.Model):
    """Una solicitud capturada en el equipo de un módulo, recibida exactamente una vez.

    `id_equipo` lo genera el equipo (UUID) al capturar: la misma captura enviada dos veces,
    o por dos conexiones a la vez, choca con la restricción única y se responde con lo que
    ya se registró. `datos` guarda lo capturado solo mientras falta decidir un posible
    duplicado; al decidir se vacía (los datos quedan en el caso)."""

    id_equipo = models.UUIDField(_("id del equipo"), unique=True)
    capturado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("capturó"),
        on_delete=models.PROTECT,
        related_name="capturas_de_campo",
    )
    modulo = models.ForeignKey(
        Modulo, verbose_name=_("jornada"), on_delete=models.PROTECT, related_name="+"
    )
    capturado_en = models.DateTimeField(_("hora de captura"))
    sincronizado_en = models.DateTimeField(_("sincronizada"), auto_now_add=True)
    resultado = models.CharField(_("resultado"), max_length=20, choices=ResultadoCaptura.choices)
    caso = models.ForeignKey(
        Caso,
        verbose_name=_("caso"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    datos = models.JSONField(_("datos por decidir"), default=dict, blank=True)
    decidido_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decidió"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decidido_en = models.DateTimeField(_("decidida"), null=True, blank=True)

    objects = CapturaDeCampoQuerySet.as_manager()

    class Meta:
        verbose_name = _("captura de campo")
        verbose_name_plural = _("capturas de campo")
        ordering = ["-capturado_en"]
        indexes = [models.Index(fields=["capturado_por", "-capturado_en"], name="campo_quien_idx")]

    def __str__(self):
        return f"{self.id_equipo} ({self.get_resultado_display()})"

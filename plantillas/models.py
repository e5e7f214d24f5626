"""Documentos generados (PDF): cada generación es una versión nueva, nunca se sobrescribe."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casos.models import Caso


class TipoDocumento(models.TextChoices):
    ACUSE = "acuse", _("Acuse de solicitud")
    CONVENIO = "convenio", _("Convenio de mediación")


class EstadoDocumento(models.TextChoices):
    PENDIENTE = "pendiente", _("En espera")
    GENERANDO = "generando", _("Generando…")
    LISTO = "listo", _("Listo")
    FALLIDO = "fallido", _("Falló")


def ruta_documento(documento, nombre):
    return f"documentos/{documento.caso.anio}/{documento.caso.folio}/{nombre}"


class Documento(models.Model):
    caso = models.ForeignKey(Caso, on_delete=models.PROTECT, related_name="documentos")
    tipo = models.CharField(_("documento"), max_length=40, choices=TipoDocumento.choices)
    referencia = models.CharField(
        _("referencia"),
        max_length=40,
        blank=True,
        help_text=_("Qué instancia documenta (p. ej. el número de invitación o de sesión)."),
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

    class Meta:
        verbose_name = _("documento")
        verbose_name_plural = _("documentos")
        ordering = ["caso", "tipo", "referencia", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["caso", "tipo", "referencia", "version"], name="documento_version_unica"
            )
        ]
        indexes = [models.Index(fields=["estado", "solicitado_en"], name="documento_estado_idx")]

    def __str__(self):
        return f"{self.caso} {self.get_tipo_display()} v{self.version}"

    @property
    def nombre_archivo(self) -> str:
        sufijo = f"-{self.referencia}" if self.referencia else ""
        return f"{self.caso.folio}-{self.tipo}{sufijo}-v{self.version}.pdf"

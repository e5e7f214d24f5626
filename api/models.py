from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AlcanceToken(models.TextChoices):
    """Dónde vale el token: un token de Open311 no abre la API del personal ni al revés."""

    PERSONAL = "personal", _("API del personal")
    OPEN311 = "open311", _("Open311 (sistemas externos)")


class TokenAPI(models.Model):
    """Credencial de un sistema externo (p. ej. el conmutador). Se guarda solo su SHA-256."""

    nombre = models.CharField(_("nombre"), max_length=100)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actúa como"),
        on_delete=models.CASCADE,
        related_name="tokens_api",
    )
    prefijo = models.CharField(_("inicio del token"), max_length=8, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)
    alcance = models.CharField(
        _("alcance"),
        max_length=10,
        choices=AlcanceToken.choices,
        default=AlcanceToken.PERSONAL,
        editable=False,
    )
    activo = models.BooleanField(_("activo"), default=True)
    creado_en = models.DateTimeField(_("creado"), default=timezone.now, editable=False)
    ultimo_uso = models.DateTimeField(_("último uso"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("token de API")
        verbose_name_plural = _("tokens de API")

    def __str__(self):
        return f"{self.nombre} ({self.prefijo}…)"

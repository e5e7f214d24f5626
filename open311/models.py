from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import TokenAPI
from casos.models import Caso


class EnvioOpen311(models.Model):
    """Clave de idempotencia de un POST: el reintento con la misma clave devuelve el mismo caso."""

    token = models.ForeignKey(TokenAPI, on_delete=models.CASCADE, related_name="+")
    clave = models.CharField(_("clave de idempotencia"), max_length=100)
    # SHA-256 de lo enviado: la misma clave con otros datos es un error del cliente.
    huella = models.CharField(max_length=64)
    caso = models.ForeignKey(Caso, on_delete=models.CASCADE, related_name="+")
    creado_en = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("envío Open311")
        verbose_name_plural = _("envíos Open311")
        constraints = [
            models.UniqueConstraint(fields=["token", "clave"], name="open311_clave_unica")
        ]

    def __str__(self):
        return f"{self.token_id}:{self.clave} → {self.caso_id}"

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


class OrigenEnvio(models.TextChoices):
    """Por dónde llegó un envío con clave de idempotencia (cada origen tiene sus claves)."""

    API = "api", _("API del personal")
    OPEN311 = "open311", _("Open311")


class EnvioIdempotente(models.Model):
    """Un POST con clave de idempotencia ya atendido: su reintento recibe la misma respuesta.

    El dueño de la clave es el token con que llegó o, con la sesión de la web, el usuario
    (nunca los dos). `respuesta` es el cuerpo tal como se respondió, sin el código de consulta
    (ese nunca se guarda en claro: se vuelve a derivar del caso al repetir). Ver
    `api.idempotencia`.
    """

    origen = models.CharField(_("origen"), max_length=10, choices=OrigenEnvio.choices)
    token = models.ForeignKey(
        TokenAPI, verbose_name=_("token"), on_delete=models.CASCADE, null=True, related_name="+"
    )
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario (sesión de la web)"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    clave = models.CharField(_("clave de idempotencia"), max_length=100)
    # SHA-256 de lo enviado: la misma clave con otros datos es un error del cliente.
    huella = models.CharField(_("huella"), max_length=64)
    caso = models.ForeignKey(
        "casos.Caso", verbose_name=_("caso"), on_delete=models.CASCADE, null=True, related_name="+"
    )
    estado = models.PositiveSmallIntegerField(_("código de respuesta"))
    respuesta = models.JSONField(_("cuerpo de la respuesta"), default=dict)
    # La respuesta original llevaba el código de consulta del caso (se deriva al repetir).
    con_codigo = models.BooleanField(_("con código de consulta"), default=False)
    creado_en = models.DateTimeField(_("respondido"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("envío con clave de idempotencia")
        verbose_name_plural = _("envíos con clave de idempotencia")
        constraints = [
            models.UniqueConstraint(
                fields=["origen", "token", "clave"],
                condition=models.Q(token__isnull=False),
                name="idempotencia_clave_por_token",
            ),
            models.UniqueConstraint(
                fields=["origen", "usuario", "clave"],
                condition=models.Q(token__isnull=True),
                name="idempotencia_clave_por_usuario",
            ),
            models.CheckConstraint(
                condition=models.Q(token__isnull=False, usuario__isnull=True)
                | models.Q(token__isnull=True, usuario__isnull=False),
                name="idempotencia_un_solo_dueno",
            ),
        ]

    def __str__(self):
        dueno = f"token {self.token_id}" if self.token_id else f"usuario {self.usuario_id}"
        return f"{self.origen} {dueno}: {self.clave} → {self.estado}"

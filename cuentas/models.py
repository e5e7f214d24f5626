"""Bitácora de las cuentas: desbloqueos, segundo factor y contraseñas."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register

from casos.texto import nombre_de


class TipoEventoCuenta(models.TextChoices):
    DESBLOQUEO_CUENTA = "desbloqueo_cuenta", _("Cuenta desbloqueada")
    DESBLOQUEO_CONEXION = "desbloqueo_conexion", _("Conexión desbloqueada")
    DOS_PASOS_ACTIVADO = "dos_pasos_activado", _("Verificación en dos pasos activada")
    DOS_PASOS_REINICIADO = "dos_pasos_reiniciado", _("Verificación en dos pasos reiniciada")
    DOS_PASOS_QUITADO = "dos_pasos_quitado", _("Verificación en dos pasos quitada")
    CODIGOS_NUEVOS = "codigos_nuevos", _("Códigos de recuperación nuevos")
    CODIGO_USADO = "codigo_usado", _("Código de recuperación usado")
    CONTRASENA_CAMBIADA = "contrasena_cambiada", _("Contraseña cambiada")
    CONTRASENA_RESTABLECIDA = "contrasena_restablecida", _("Contraseña restablecida por correo")
    CUENTA_CREADA = "cuenta_creada", _("Cuenta del personal creada")
    DATOS_CAMBIADOS = "datos_cambiados", _("Datos de la cuenta cambiados")
    ROLES_CAMBIADOS = "roles_cambiados", _("Roles cambiados")
    CUENTA_DESACTIVADA = "cuenta_desactivada", _("Cuenta desactivada")
    CUENTA_REACTIVADA = "cuenta_reactivada", _("Cuenta reactivada")
    ENLACE_ENVIADO = "enlace_enviado", _("Enlace para restablecer la contraseña enviado")
    CERTIFICADO_CONSULTADO = "certificado_consultado", _("Constancia de certificación consultada")


class OrigenEventoCuenta(models.TextChoices):
    WEB = "web", _("Sistema web")
    COMANDO = "comando", _("Comando de administración")


class EventoCuenta(models.Model):
    """Quién hizo qué con una cuenta (o una conexión) y cuándo."""

    tipo = models.CharField(_("qué"), max_length=30, choices=TipoEventoCuenta.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("quién"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cuenta = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cuenta"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="eventos_de_cuenta",
    )
    # Tal como se escribió al intentar entrar: puede no ser una cuenta existente.
    usuario = models.CharField(_("usuario"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("conexión (IP)"), null=True, blank=True)
    origen = models.CharField(
        _("origen"), max_length=10, choices=OrigenEventoCuenta.choices, default="web"
    )
    detalle = models.CharField(_("detalle"), max_length=300, blank=True)
    creado_en = models.DateTimeField(_("cuándo"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("evento de cuenta")
        verbose_name_plural = _("bitácora de cuentas")
        ordering = ["-creado_en", "-id"]
        default_permissions = ("view",)
        permissions = [
            ("desbloquear_cuentas", _("Puede ver y desbloquear cuentas y conexiones bloqueadas")),
            (
                "reiniciar_segundo_factor",
                _("Puede reiniciar la verificación en dos pasos de otra persona"),
            ),
            (
                "administrar_personal",
                _("Puede dar de alta, desactivar y cambiar los roles de las cuentas del personal"),
            ),
        ]

    def __str__(self):
        return f"{self.get_tipo_display()} · {self.usuario or self.ip or ''}"

    @property
    def quien(self) -> str:
        if self.actor_id:
            return nombre_de(self.actor)
        if self.origen == OrigenEventoCuenta.COMANDO:
            return str(_("Administración (comando)"))
        return str(_("La propia persona"))


# Historia de las cuentas (quién, cuándo, valor anterior y nuevo), sin el hash de la
# contraseña ni la hora de la última entrada, que cambia a cada inicio de sesión.
register(
    get_user_model(),
    app="cuentas",
    excluded_fields=["password", "last_login"],
    m2m_fields=["groups"],
    verbose_name=_("historia de la cuenta"),
)


class Personal(get_user_model()):
    """Las cuentas del personal tal como las ve la coordinación en la administración de la
    oficina: sin superusuarios ni cuentas de administración del sistema."""

    class Meta:
        proxy = True
        verbose_name = _("persona del personal")
        verbose_name_plural = _("personal")
        default_permissions = ()


# La historia vive en el modelo de usuario; la administración la pide por el proxy.
Personal._meta.simple_history_manager_attribute = "history"

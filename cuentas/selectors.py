"""Lecturas sobre las cuentas: quién debe usar dos pasos, qué está bloqueado, la bitácora."""

from base64 import b32encode
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote, urlencode

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casos.models import Centro
from nucleo.entradas import entero_ascii

from .checks import SUPERUSUARIO
from .models import EventoCuenta


def requiere_dos_pasos(usuario) -> bool:
    """Si el rol de la persona exige verificación en dos pasos (DOS_PASOS_OBLIGATORIO_ROLES)."""
    roles = set(settings.DOS_PASOS_OBLIGATORIO_ROLES)
    if usuario.is_superuser and SUPERUSUARIO in roles:
        return True
    roles.discard(SUPERUSUARIO)
    return bool(roles) and usuario.groups.filter(name__in=roles).exists()


def dispositivo_totp(usuario, *, confirmado: bool = True) -> TOTPDevice | None:
    """La app de autenticación de la persona (confirmada, o la que está dando de alta)."""
    return TOTPDevice.objects.filter(user=usuario, confirmed=confirmado).first()


def url_de_configuracion(dispositivo: TOTPDevice) -> str:
    """`otpauth://` para el QR, con el nombre del centro como emisor."""
    emisor = (Centro.actual().nombre or "Mediación").replace(":", "")
    etiqueta = quote(f"{emisor}:{dispositivo.user.get_username()}")
    parametros = urlencode(
        {
            "secret": b32encode(dispositivo.bin_key).decode(),
            "issuer": emisor,
            "algorithm": "SHA1",
            "digits": dispositivo.digits,
            "period": dispositivo.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{etiqueta}?{parametros}"


def tiene_segundo_factor(usuario) -> bool:
    return TOTPDevice.objects.filter(user=usuario, confirmed=True).exists()


def dispositivo_de_codigos(usuario) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=usuario, confirmed=True).first()


def codigos_restantes(usuario) -> int:
    return StaticToken.objects.filter(device__user=usuario, device__confirmed=True).count()


@dataclass
class Bloqueo:
    """Una cuenta o una conexión que llegó al límite de fallos dentro del periodo de bloqueo."""

    clave: str
    fallos: int
    ultimo: datetime
    hasta: datetime
    otros: list[str] = field(default_factory=list)
    persona: str = ""


def _intentos_vigentes():
    return AccessAttempt.objects.filter(
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )


def bloqueos_vigentes() -> dict[str, list[Bloqueo]]:
    """Cuentas (por el usuario escrito) y conexiones (por IP) que hoy no pueden entrar."""
    vigentes = _intentos_vigentes()
    cuentas, conexiones = [], []
    grupos = (
        ("username", settings.AXES_FAILURE_LIMIT, cuentas, "ip_address"),
        ("ip_address", settings.CUENTAS_FALLOS_LIMITE_IP, conexiones, "username"),
    )
    for campo, limite, destino, otro in grupos:
        filas = (
            vigentes.exclude(**{f"{campo}__isnull": True})
            .values(campo)
            .annotate(fallos=Sum("failures_since_start"), ultimo=Max("attempt_time"))
            .filter(fallos__gte=limite)
            .order_by("-ultimo")
        )
        for fila in filas:
            otros = vigentes.filter(**{campo: fila[campo]}).values_list(otro, flat=True)
            destino.append(
                Bloqueo(
                    clave=fila[campo],
                    fallos=fila["fallos"],
                    ultimo=fila["ultimo"],
                    hasta=fila["ultimo"] + settings.AXES_COOLOFF_TIME,
                    otros=sorted({o for o in otros if o}),
                )
            )
    nombres = dict(
        get_user_model()
        .objects.filter(username__in=[b.clave for b in cuentas])
        .values_list("username", "first_name")
    )
    for bloqueo in cuentas:
        bloqueo.persona = nombres.get(bloqueo.clave, "")
    return {"cuentas": cuentas, "conexiones": conexiones}


def personal_con_segundo_factor():
    """El personal activo (con rol o superusuario) y si ya tiene su app de autenticación."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__isnull=False) | Q(is_superuser=True))
        .annotate(
            apps=Count("totpdevice", filter=Q(totpdevice__confirmed=True), distinct=True),
        )
        .prefetch_related(
            Prefetch("totpdevice_set", queryset=TOTPDevice.objects.filter(confirmed=True)),
            "groups",
        )
        .distinct()
        .order_by("username")
    )


def exige_por_rol(usuario) -> bool:
    """Como `requiere_dos_pasos`, con los grupos ya cargados (para listas)."""
    roles = set(settings.DOS_PASOS_OBLIGATORIO_ROLES)
    if usuario.is_superuser and SUPERUSUARIO in roles:
        return True
    return any(g.name in roles for g in usuario.groups.all())


def bitacora_reciente(limite: int = 30):
    return EventoCuenta.objects.select_related("actor", "cuenta")[:limite]


def cuenta_por_id(*, pk) -> AbstractBaseUser | None:
    """La cuenta del personal con ese id (escrito solo con dígitos ASCII), o None."""
    numero = entero_ascii(pk)
    if numero is None:
        return None
    return get_user_model().objects.filter(pk=numero).first()


def inicio_de(usuario) -> str:
    """La página con la que empieza cada rol al entrar: la coordinación, su cola; quien
    media o asesora, su bandeja; la operadora, el formulario de captura; la Dirección, su
    tablero; los demás, la búsqueda de casos."""
    from django.urls import reverse

    if usuario.has_perm("casos.asignar_responsable") or usuario.has_perm("casos.revisar_solicitud"):
        return reverse("flujos:cola")
    if usuario.has_perm("casos.atender_mediacion") or usuario.has_perm("casos.atender_asesoria"):
        return reverse("flujos:bandeja")
    if usuario.has_perm("casos.capturar_solicitud"):
        return reverse("casos:nueva")
    if usuario.has_perm("casos.ver_estadistica"):
        return reverse("estadistica:tablero")
    return reverse("casos:buscar")

"""Escrituras sobre las cuentas. Cada una deja su renglón en la bitácora de cuentas."""

import copy
import math
import secrets
from dataclasses import dataclass

from axes.utils import reset as reiniciar_intentos
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casos.catalogos import ROLES
from casos.models import Centro
from nucleo.colas import encolar

from . import selectors
from .models import EventoCuenta, OrigenEventoCuenta, TipoEventoCuenta

CODIGOS_DE_RECUPERACION = 10
NOMBRE_APP = "App de autenticación"
NOMBRE_CODIGOS = "Códigos de recuperación"


def _registrar(
    tipo: str, *, actor=None, cuenta=None, usuario="", ip=None, origen="web", detalle=""
):
    return EventoCuenta.objects.create(
        tipo=tipo,
        actor=actor,
        cuenta=cuenta,
        usuario=usuario or (cuenta.get_username() if cuenta else ""),
        ip=ip,
        origen=origen,
        detalle=detalle[:300],
    )


# --- Bloqueos ---


@transaction.atomic
def desbloquear_cuenta(*, actor, usuario: str, origen: str = OrigenEventoCuenta.WEB) -> int:
    """Borra los intentos fallidos de una cuenta (desde cualquier conexión). Devuelve cuántos
    renglones de intentos se borraron."""
    borrados = reiniciar_intentos(username=usuario)
    cuenta = get_user_model().objects.filter(username=usuario).first()
    _registrar(
        TipoEventoCuenta.DESBLOQUEO_CUENTA,
        actor=actor,
        cuenta=cuenta,
        usuario=usuario,
        origen=origen,
    )
    return borrados


@transaction.atomic
def desbloquear_conexion(*, actor, ip: str, origen: str = OrigenEventoCuenta.WEB) -> int:
    """Borra los intentos fallidos hechos desde una IP (de todas las cuentas)."""
    borrados = reiniciar_intentos(ip=ip)
    _registrar(TipoEventoCuenta.DESBLOQUEO_CONEXION, actor=actor, ip=ip, origen=origen)
    return borrados


# --- Verificación en dos pasos ---


def preparar_inscripcion(*, usuario) -> TOTPDevice:
    """La app por confirmar de la persona (la misma si recarga la página: el QR no cambia)."""
    if selectors.tiene_segundo_factor(usuario):
        raise ValidationError(_("La verificación en dos pasos ya está activa."))
    dispositivo = selectors.dispositivo_totp(usuario, confirmado=False)
    if dispositivo is None:
        dispositivo = TOTPDevice.objects.create(user=usuario, name=NOMBRE_APP, confirmed=False)
    return dispositivo


def _codigos_nuevos(usuario, codigos: list[str] | None = None) -> list[str]:
    StaticDevice.objects.filter(user=usuario).delete()
    dispositivo = StaticDevice.objects.create(user=usuario, name=NOMBRE_CODIGOS, confirmed=True)
    codigos = codigos or [StaticToken.random_token() for _ in range(CODIGOS_DE_RECUPERACION)]
    StaticToken.objects.bulk_create(StaticToken(device=dispositivo, token=c) for c in codigos)
    return codigos


def confirmar_inscripcion(*, usuario, codigo: str) -> tuple[TOTPDevice, list[str]]:
    """Activa la app que la persona acaba de agregar, si el primer código es correcto, y le
    entrega sus códigos de recuperación (se muestran una sola vez)."""
    with transaction.atomic():
        dispositivo = (
            TOTPDevice.objects.select_for_update().filter(user=usuario, confirmed=False).first()
        )
        if dispositivo is None or selectors.tiene_segundo_factor(usuario):
            raise ValidationError(_("Vuelva a empezar la activación desde «Mi cuenta»."))
        correcto = dispositivo.verify_token(normalizar_codigo(codigo))
        if correcto:
            dispositivo.confirmed = True
            dispositivo.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=usuario, confirmed=False).delete()
            codigos = _codigos_nuevos(usuario)
            _registrar(TipoEventoCuenta.DOS_PASOS_ACTIVADO, actor=usuario, cuenta=usuario)
    if not correcto:
        raise ValidationError(
            _("El código no coincide. Escriba el que muestra su app ahora (cambia cada 30 s).")
        )
    return dispositivo, codigos


@transaction.atomic
def regenerar_codigos(*, usuario) -> list[str]:
    """Códigos de recuperación nuevos; los anteriores dejan de servir."""
    if not selectors.tiene_segundo_factor(usuario):
        raise ValidationError(_("Primero active la verificación en dos pasos."))
    codigos = _codigos_nuevos(usuario)
    _registrar(TipoEventoCuenta.CODIGOS_NUEVOS, actor=usuario, cuenta=usuario)
    return codigos


def normalizar_codigo(codigo: str) -> str:
    return "".join(codigo.split()).replace("-", "").lower()


@dataclass
class Verificacion:
    """El dispositivo que aceptó el código (None si no), si fue uno de recuperación y, si hay
    que esperar por errores anteriores, cuántos segundos."""

    dispositivo: object | None
    de_recuperacion: bool = False
    espera_segundos: int = 0


def _espera(dispositivo) -> int:
    permitido, datos = dispositivo.verify_is_allowed()
    if permitido or not datos or not datos.get("locked_until"):
        return 0
    return max(1, math.ceil((datos["locked_until"] - timezone.now()).total_seconds()))


def verificar_codigo(*, usuario, codigo: str) -> Verificacion:
    """Prueba el código de la app (6 dígitos) o uno de recuperación. Tras cada error la
    siguiente prueba debe esperar el doble (1, 2, 4, 8… segundos), así no se pueden adivinar."""
    codigo = normalizar_codigo(codigo)
    es_de_app = codigo.isdigit() and len(codigo) == 6
    dispositivo = (
        selectors.dispositivo_totp(usuario)
        if es_de_app
        else selectors.dispositivo_de_codigos(usuario)
    )
    if dispositivo is None or not codigo:
        return Verificacion(None)
    espera = _espera(dispositivo)
    if espera:
        return Verificacion(None, espera_segundos=espera)
    verificado = verify_token(usuario, dispositivo.persistent_id, codigo)
    if verificado is None:
        return Verificacion(None)
    if not es_de_app:
        restantes = selectors.codigos_restantes(usuario)
        _registrar(
            TipoEventoCuenta.CODIGO_USADO,
            actor=usuario,
            cuenta=usuario,
            detalle=_("Quedan %(n)d códigos de recuperación.") % {"n": restantes},
        )
    return Verificacion(verificado, de_recuperacion=not es_de_app)


@transaction.atomic
def reiniciar_segundo_factor(*, actor, cuenta, origen: str = OrigenEventoCuenta.WEB) -> int:
    """Quita la app y los códigos de recuperación de otra persona (perdió su teléfono). Si su
    rol lo exige, al volver a entrar dará de alta su app otra vez. Devuelve cuántos
    dispositivos se borraron."""
    borrados = TOTPDevice.objects.filter(user=cuenta).delete()[0]
    borrados += StaticDevice.objects.filter(user=cuenta).delete()[0]
    _registrar(TipoEventoCuenta.DOS_PASOS_REINICIADO, actor=actor, cuenta=cuenta, origen=origen)
    return borrados


@transaction.atomic
def quitar_segundo_factor(*, usuario) -> None:
    """La propia persona quita su verificación en dos pasos (solo si su rol no la exige)."""
    if selectors.requiere_dos_pasos(usuario):
        raise ValidationError(_("Su rol exige la verificación en dos pasos: no se puede quitar."))
    TOTPDevice.objects.filter(user=usuario).delete()
    StaticDevice.objects.filter(user=usuario).delete()
    _registrar(TipoEventoCuenta.DOS_PASOS_QUITADO, actor=usuario, cuenta=usuario)


@transaction.atomic
def instalar_segundo_factor(*, usuario, clave: bytes, codigos: list[str]) -> TOTPDevice:
    """Deja activa una app con una clave dada y esos códigos de recuperación. Solo para la
    demostración, cuya clave se publica para poder entrar."""
    TOTPDevice.objects.filter(user=usuario).delete()
    dispositivo = TOTPDevice.objects.create(
        user=usuario, name=NOMBRE_APP, key=clave.hex(), confirmed=True
    )
    _codigos_nuevos(usuario, codigos)
    return dispositivo


# --- Contraseñas ---


def pedir_recuperacion(*, usuario) -> None:
    """Encola el correo con el enlace para restablecer la contraseña. El enlace se arma en el
    worker: ni el token viaja por el broker ni la respuesta tarda más si la cuenta existe."""
    from .tasks import enviar_enlace_de_recuperacion

    transaction.on_commit(lambda: encolar(enviar_enlace_de_recuperacion, usuario.pk))


def enviar_enlace_de_recuperacion(*, usuario_id: int) -> bool:
    """Envía el correo con el enlace de un solo uso (vale PASSWORD_RESET_TIMEOUT)."""
    usuario = get_user_model().objects.filter(pk=usuario_id, is_active=True).first()
    if usuario is None or not usuario.email or not usuario.has_usable_password():
        return False
    ruta = reverse(
        "cuentas:restablecer",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(usuario.pk)),
            "token": default_token_generator.make_token(usuario),
        },
    )
    contexto = {
        "usuario": usuario,
        "enlace": settings.URL_PUBLICA + ruta,
        "minutos": settings.PASSWORD_RESET_TIMEOUT // 60,
        "centro": Centro.actual(),
    }
    asunto = render_to_string("cuentas/correo_recuperacion_asunto.txt", contexto)
    cuerpo = render_to_string("cuentas/correo_recuperacion.txt", contexto)
    send_mail(" ".join(asunto.split()), cuerpo, None, [usuario.email])
    return True


@transaction.atomic
def contrasena_restablecida(*, usuario) -> None:
    """Tras restablecer por correo: la persona probó ser dueña de la cuenta, así que también se
    levanta el bloqueo de su cuenta (el de su conexión sigue)."""
    reiniciar_intentos(username=usuario.get_username())
    _registrar(TipoEventoCuenta.CONTRASENA_RESTABLECIDA, actor=usuario, cuenta=usuario)


def contrasena_cambiada(*, usuario) -> None:
    _registrar(TipoEventoCuenta.CONTRASENA_CAMBIADA, actor=usuario, cuenta=usuario)


# --- Personal (administración de la oficina) ---

CAMPOS_DE_LA_CUENTA = {
    "username": _("usuario"),
    "first_name": _("nombre"),
    "last_name": _("apellidos"),
    "email": _("correo"),
}


def roles_de(cuenta) -> list[str]:
    """Los roles del proyecto que tiene la persona, en el orden de ROLES."""
    if cuenta.pk is None:
        return []
    nombres = set(cuenta.groups.values_list("name", flat=True))
    return [rol for rol in ROLES if rol in nombres]


def _exigir_cuenta_del_personal(cuenta) -> None:
    if cuenta.is_superuser or cuenta.is_staff:
        raise ValidationError(
            _(
                "Las cuentas de administración del sistema no se cambian desde la oficina: "
                "pídaselo a quien administra el sistema."
            )
        )


def _texto_roles(roles) -> str:
    return ", ".join(roles) or _("ninguno")


def _fijar_roles(cuenta, roles: list[str]) -> None:
    otros = cuenta.groups.exclude(name__in=ROLES)
    cuenta.groups.set([*otros, *Group.objects.filter(name__in=roles)])


def validar_personal(*, actor, cuenta, roles: list[str]) -> None:
    """Las reglas de un cambio a una cuenta del personal, para que el formulario las muestre
    antes de guardar (guardar_personal las vuelve a revisar)."""
    if cuenta.pk is None:
        _validar_cambio(actor=actor, cuenta=cuenta, antes=[], roles=roles)
        return
    previa = get_user_model().objects.get(pk=cuenta.pk)
    _exigir_cuenta_del_personal(previa)
    _validar_cambio(actor=actor, cuenta=cuenta, antes=roles_de(previa), roles=roles)


def _validar_cambio(*, actor, cuenta, antes, roles: list[str]) -> None:
    desconocidos = set(roles) - set(ROLES)
    if desconocidos:
        raise ValidationError(
            _("Rol desconocido: %(roles)s.") % {"roles": ", ".join(sorted(desconocidos))},
            code="roles",
        )
    if cuenta.pk is None or cuenta.pk != actor.pk:
        return
    if "coordinador" in antes and "coordinador" not in roles:
        raise ValidationError(
            _(
                "No puede quitarse su propio rol de coordinación: pídaselo a otra persona de "
                "la coordinación."
            ),
            code="roles",
        )
    if not cuenta.is_active:
        raise ValidationError(_("No puede desactivar su propia cuenta."), code="is_active")


@transaction.atomic
def guardar_personal(*, actor, cuenta, roles: list[str], ip=None):
    """Da de alta o actualiza una cuenta del personal con los roles del proyecto (nunca
    superusuario, personal del sistema ni permisos sueltos). Cada diferencia deja su renglón
    en la bitácora de cuentas; a una cuenta nueva le llega el enlace para poner su
    contraseña (nadie más la conoce)."""
    Usuario = get_user_model()
    if type(cuenta) is not Usuario:
        # La historia (simple-history) escucha las señales del modelo de usuario, no las de
        # un proxy como `Personal`: se guarda como usuario y se devuelve la misma instancia.
        concreta = copy.copy(cuenta)
        concreta.__class__ = Usuario
        guardar_personal(actor=actor, cuenta=concreta, roles=roles, ip=ip)
        cuenta.pk = concreta.pk
        return cuenta
    nueva = cuenta.pk is None
    previa = None if nueva else Usuario.objects.select_for_update().get(pk=cuenta.pk)
    if previa is not None:
        _exigir_cuenta_del_personal(previa)
    antes = [] if nueva else roles_de(previa)
    roles = [rol for rol in ROLES if rol in set(roles)]
    _validar_cambio(actor=actor, cuenta=cuenta, antes=antes, roles=roles)
    cuenta.is_superuser = False if nueva else previa.is_superuser
    cuenta.is_staff = False if nueva else previa.is_staff
    if nueva:
        cuenta.set_password(secrets.token_urlsafe(32))
    cuenta.save()
    if antes != roles:
        _fijar_roles(cuenta, roles)
    registro = {"actor": actor, "cuenta": cuenta, "ip": ip}
    if nueva:
        _registrar(
            TipoEventoCuenta.CUENTA_CREADA,
            detalle=_("Roles: %(roles)s.") % {"roles": _texto_roles(roles)},
            **registro,
        )
        enviar_enlace_de_contrasena(actor=actor, cuenta=cuenta, ip=ip)
        return cuenta
    cambios = [
        f"{etiqueta}: «{getattr(previa, campo)}» → «{getattr(cuenta, campo)}»"
        for campo, etiqueta in CAMPOS_DE_LA_CUENTA.items()
        if getattr(previa, campo) != getattr(cuenta, campo)
    ]
    if cambios:
        _registrar(TipoEventoCuenta.DATOS_CAMBIADOS, detalle="; ".join(cambios), **registro)
    if antes != roles:
        _registrar(
            TipoEventoCuenta.ROLES_CAMBIADOS,
            detalle=f"{_texto_roles(antes)} → {_texto_roles(roles)}",
            **registro,
        )
    if previa.is_active != cuenta.is_active:
        tipo = (
            TipoEventoCuenta.CUENTA_REACTIVADA
            if cuenta.is_active
            else TipoEventoCuenta.CUENTA_DESACTIVADA
        )
        _registrar(tipo, **registro)
    return cuenta


def desactivar_cuenta(*, actor, cuenta, ip=None):
    """La persona ya no entra (sus sesiones abiertas dejan de valer); su historia y sus casos
    se quedan. Las cuentas no se borran."""
    if not cuenta.is_active:
        return cuenta
    cuenta.is_active = False
    return guardar_personal(actor=actor, cuenta=cuenta, roles=roles_de(cuenta), ip=ip)


@transaction.atomic
def enviar_enlace_de_contrasena(*, actor, cuenta, ip=None) -> None:
    """La coordinación le manda a la persona el correo del proyecto para restablecer (o
    poner por primera vez) su contraseña; el enlace es de un solo uso."""
    _exigir_cuenta_del_personal(cuenta)
    if not cuenta.is_active:
        raise ValidationError(_("La cuenta de %(u)s está desactivada.") % {"u": cuenta.username})
    if not cuenta.email:
        raise ValidationError(
            _("%(u)s no tiene correo: escríbalo en su cuenta y vuelva a intentar.")
            % {"u": cuenta.username}
        )
    if not cuenta.has_usable_password():
        cuenta.set_password(secrets.token_urlsafe(32))
        cuenta.save(update_fields=["password"])
    pedir_recuperacion(usuario=cuenta)
    _registrar(
        TipoEventoCuenta.ENLACE_ENVIADO,
        actor=actor,
        cuenta=cuenta,
        ip=ip,
        detalle=_("Al correo %(correo)s.") % {"correo": cuenta.email},
    )


def certificado_consultado(*, actor, cuenta, ip=None) -> None:
    """Quién abrió el escaneo de la constancia de certificación de una persona facilitadora."""
    _registrar(TipoEventoCuenta.CERTIFICADO_CONSULTADO, actor=actor, cuenta=cuenta, ip=ip)

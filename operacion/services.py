"""La puesta en marcha de una oficina (`manage.py puesta_en_marcha`): cada paso deja la base
igual si ya estaba hecho, o la actualiza con lo que se le pasa."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from casos.models import AvisoPrivacidad, Centro
from oficina import services as oficina

CAMPOS_DEL_CENTRO = ("nombre", "municipio", "entidad", "domicilio", "telefono", "horario")


@transaction.atomic
def preparar_centro(**datos) -> tuple[Centro, list[str]]:
    """Crea o actualiza el renglón único del centro con los datos no vacíos; devuelve qué
    campos cambiaron."""
    centro = Centro.objects.select_for_update().filter(pk=1).first() or Centro(pk=1)
    cambiados = [
        campo
        for campo in CAMPOS_DEL_CENTRO
        if datos.get(campo) and getattr(centro, campo) != datos[campo].strip()
    ]
    for campo in cambiados:
        setattr(centro, campo, datos[campo].strip())
    faltan = [campo for campo in ("nombre", "municipio", "entidad") if not getattr(centro, campo)]
    if faltan:
        raise ValidationError(_("Faltan datos del centro: %s.") % ", ".join(faltan))
    if cambiados or centro._state.adding:
        centro.full_clean(exclude=["logo"])
        centro.save()
    return centro, cambiados


@dataclass(frozen=True)
class Coordinador:
    usuario: object
    creado: bool
    enlace: str


@transaction.atomic
def preparar_coordinador(*, usuario: str, nombre: str, correo: str, url_publica: str):
    """La primera cuenta de coordinación, sin contraseña: se le da un enlace de un solo uso
    para fijarla (el de «Olvidé mi contraseña»). Al entrar, el sistema le pide inscribir su
    segundo factor (DOS_PASOS_OBLIGATORIO_ROLES)."""
    Usuario = get_user_model()
    if not usuario:
        raise ValidationError(_("Indique el usuario de la coordinación."))
    cuenta = Usuario.objects.filter(username=usuario).first()
    creado = cuenta is None
    if not (correo or (cuenta and cuenta.email)):
        raise ValidationError(
            _("Indique el correo de la coordinación: ahí le llegan los avisos de la oficina.")
        )
    if creado:
        cuenta = Usuario(username=usuario)
        cuenta.set_unusable_password()
    elif cuenta.is_superuser or cuenta.is_staff:
        raise ValidationError(
            _("«%s» es una cuenta de administración del sistema: elija otro usuario.") % usuario
        )
    partes = (nombre or "").strip().split(" ", 1)
    cuenta.first_name = partes[0] if partes[0] else cuenta.first_name
    cuenta.last_name = partes[1] if len(partes) > 1 else cuenta.last_name
    cuenta.email = (correo or "").strip() or cuenta.email
    cuenta.is_active = True
    cuenta.full_clean(exclude=["password"])
    cuenta.save()
    rol = Group.objects.filter(name="coordinador").first()
    if rol is None:
        raise ValidationError(_("No existe el rol «coordinador»: aplique las migraciones."))
    cuenta.groups.add(rol)
    enlace = ""
    if not cuenta.has_usable_password():
        enlace = url_publica + reverse(
            "cuentas:restablecer",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(cuenta.pk)),
                "token": default_token_generator.make_token(cuenta),
            },
        )
    return Coordinador(usuario=cuenta, creado=creado, enlace=enlace)


def preparar_inhabiles(*, anio: int) -> list:
    """Da de alta los inhábiles usuales del año que falten (ninguno dos veces)."""
    propuestas = oficina.proponer_inhabiles(anio=anio)
    if not propuestas:
        return []
    return oficina.agregar_inhabiles(anio=anio, fechas=[p.fecha for p in propuestas])


def aviso_vigente() -> AvisoPrivacidad | None:
    return AvisoPrivacidad.vigente()

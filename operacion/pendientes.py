"""Lo que le falta a una instalación para atender bien: la lista de «Puesta en marcha» que la
coordinación ve en /oficina/puesta-en-marcha/ y que `manage.py puesta_en_marcha` imprime al
terminar. Cada punto dice qué falta, por qué importa y dónde se arregla; los que impiden
trabajar (asignar un caso, recibir una solicitud, enviar un aviso) van primero."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casos.models import (
    AvisoPrivacidad,
    Categoria,
    Centro,
    DiaInhabil,
    HorarioSala,
    Localidad,
    PerfilMediador,
    Sala,
    TipoCaso,
)
from cuentas.selectors import exige_por_rol, personal_con_segundo_factor

from . import salud

# Backends de Django que no entregan el correo a nadie.
CORREO_QUE_NO_SALE = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
)
HOSTS_LOCALES = {"localhost", "127.0.0.1", "0.0.0.0", "::1", ""}


@dataclass(frozen=True)
class Punto:
    clave: str
    titulo: str
    hecho: bool
    # Por qué importa (pendiente) o qué hay (hecho).
    detalle: str
    # Dónde se arregla: una página del sistema o, si es configuración, nada (lo dice el detalle).
    enlace: str = ""
    accion: str = ""
    # Impide trabajar: sin esto no se asigna, no se recibe o no se avisa.
    bloquea: bool = False


def _url(nombre: str, *args) -> str:
    return reverse(f"oficina:{nombre}", args=args)


def _con_rol(rol: str):
    return get_user_model().objects.filter(is_active=True, groups__name=rol).distinct()


def _centro() -> Punto:
    centro = Centro.objects.filter(pk=1).first()
    faltan = []
    if centro is None or not centro.telefono:
        faltan.append(_("teléfono"))
    if centro is None or not centro.horario:
        faltan.append(_("horario de atención"))
    if centro is None or not centro.domicilio:
        faltan.append(_("domicilio"))
    enlace = _url("casos_centro_change", 1) if centro else _url("casos_centro_add")
    if faltan:
        return Punto(
            "centro",
            _("Faltan datos del centro: %(que)s") % {"que": ", ".join(faltan)},
            False,
            _(
                "Las páginas públicas, los acuses y los avisos dan el teléfono, el horario y el "
                "domicilio del centro para que la gente sepa a dónde llamar o acudir."
            ),
            enlace,
            _("Completar los datos del centro"),
        )
    return Punto(
        "centro",
        _("Datos del centro completos"),
        True,
        _("%(tel)s · %(horario)s") % {"tel": centro.telefono, "horario": centro.horario},
        enlace,
        _("Ver los datos del centro"),
    )


def _salas() -> list[Punto]:
    activas = list(
        Sala.objects.activos()
        .annotate(con_horario=Exists(HorarioSala.objects.filter(sala=OuterRef("pk"))))
        .order_by("nombre")
    )
    if not activas:
        return [
            Punto(
                "salas",
                _("No hay ninguna sala activa"),
                False,
                _("Sin una sala no se puede programar ninguna sesión de mediación."),
                _url("casos_sala_add"),
                _("Dar de alta una sala"),
                bloquea=True,
            )
        ]
    sin_horario = [s for s in activas if not s.con_horario]
    puntos = [
        Punto(
            "salas",
            ngettext("%(n)d sala activa", "%(n)d salas activas", len(activas))
            % {"n": len(activas)},
            True,
            ", ".join(s.nombre for s in activas),
            _url("casos_sala_changelist"),
            _("Ver las salas"),
        )
    ]
    if sin_horario:
        puntos.append(
            Punto(
                "horario_salas",
                ngettext(
                    "Una sala no tiene horario: %(salas)s",
                    "%(n)d salas no tienen horario: %(salas)s",
                    len(sin_horario),
                )
                % {"n": len(sin_horario), "salas": ", ".join(s.nombre for s in sin_horario)},
                False,
                _(
                    "Las sesiones se programan dentro del horario de la sala; sin horario, la "
                    "sala no ofrece ningún espacio libre."
                ),
                _url("casos_sala_change", sin_horario[0].pk),
                _("Poner el horario de %(sala)s") % {"sala": sin_horario[0].nombre},
                bloquea=True,
            )
        )
    else:
        puntos.append(
            Punto(
                "horario_salas",
                _("Cada sala activa tiene su horario"),
                True,
                "",
                _url("casos_sala_changelist"),
                _("Ver las salas"),
            )
        )
    return puntos


def _mediacion(hoy: date) -> Punto:
    vigentes = list(
        PerfilMediador.objects.filter(
            usuario__in=_con_rol("mediador"), certificado_hasta__gte=hoy
        ).select_related("usuario")
    )
    if not vigentes:
        hay_mediadores = _con_rol("mediador").exists()
        return Punto(
            "mediador_certificado",
            _("No hay ninguna persona mediadora con certificación vigente"),
            False,
            _(
                "Un caso de mediación solo se asigna a quien tiene certificación vigente "
                "(LGMASC art. 55); sin ella ningún caso pasa de la admisión."
            ),
            _url("casos_perfilmediador_add") if hay_mediadores else _url("cuentas_personal_add"),
            _("Registrar una certificación")
            if hay_mediadores
            else _("Dar de alta a una persona mediadora"),
            bloquea=True,
        )
    return Punto(
        "mediador_certificado",
        ngettext(
            "%(n)d persona mediadora con certificación vigente",
            "%(n)d personas mediadoras con certificación vigente",
            len(vigentes),
        )
        % {"n": len(vigentes)},
        True,
        ", ".join(sorted(p.usuario.get_full_name() or p.usuario.username for p in vigentes)),
        _url("casos_perfilmediador_changelist"),
        _("Ver las certificaciones"),
    )


def _asesoria() -> Punto:
    cuantas = _con_rol("asesor").count()
    if not cuantas:
        return Punto(
            "asesoria",
            _("Nadie tiene el rol de asesoría"),
            False,
            _("Las solicitudes de asesoría se reciben, pero no hay quién las atienda."),
            _url("cuentas_personal_add"),
            _("Dar de alta a una persona asesora"),
            bloquea=True,
        )
    return Punto(
        "asesoria",
        ngettext(
            "%(n)d persona con el rol de asesoría",
            "%(n)d personas con el rol de asesoría",
            cuantas,
        )
        % {"n": cuantas},
        True,
        "",
        _url("cuentas_personal_changelist") + "?rol=asesor",
        _("Ver al personal de asesoría"),
    )


def _aviso_privacidad() -> Punto:
    aviso = AvisoPrivacidad.vigente()
    if aviso is None:
        return Punto(
            "aviso_privacidad",
            _("No hay un aviso de privacidad vigente"),
            False,
            _(
                "Cada solicitud registra qué aviso aceptó quien la presenta (LGPDPPSO); sin "
                "aviso vigente no se puede recibir ninguna."
            ),
            _url("casos_avisoprivacidad_add"),
            _("Dar de alta el aviso de privacidad"),
            bloquea=True,
        )
    return Punto(
        "aviso_privacidad",
        _("Aviso de privacidad vigente: %(aviso)s") % {"aviso": aviso},
        True,
        "",
        _url("casos_avisoprivacidad_change", aviso.pk),
        _("Ver el aviso"),
    )


def _catalogos() -> list[Punto]:
    puntos = []
    localidades = Localidad.objects.activos().count()
    puntos.append(
        Punto(
            "localidades",
            ngettext("%(n)d localidad activa", "%(n)d localidades activas", localidades)
            % {"n": localidades}
            if localidades
            else _("No hay ninguna localidad activa"),
            bool(localidades),
            "" if localidades else _("Cada solicitud dice de qué localidad del municipio viene."),
            _url("casos_localidad_changelist") if localidades else _url("casos_localidad_add"),
            _("Ver las localidades") if localidades else _("Dar de alta una localidad"),
            bloquea=not localidades,
        )
    )
    for tipo in (TipoCaso.MEDIACION, TipoCaso.ASESORIA):
        cuantas = Categoria.objects.activos().filter(tipo__in=(tipo, "")).count()
        puntos.append(
            Punto(
                f"categorias_{tipo}",
                ngettext(
                    "%(n)d categoría activa de %(tipo)s",
                    "%(n)d categorías activas de %(tipo)s",
                    cuantas,
                )
                % {"n": cuantas, "tipo": tipo.label.lower()}
                if cuantas
                else _("No hay ninguna categoría activa de %(tipo)s")
                % {"tipo": tipo.label.lower()},
                bool(cuantas),
                ""
                if cuantas
                else _("Sin una categoría, las solicitudes de este tipo no pueden recibirse."),
                _url("casos_categoria_changelist") if cuantas else _url("casos_categoria_add"),
                _("Ver las categorías") if cuantas else _("Dar de alta una categoría"),
                bloquea=not cuantas,
            )
        )
    return puntos


def _inhabiles(anio: int, *, siguiente: bool) -> Punto:
    cuantos = DiaInhabil.objects.en_rango(date(anio, 1, 1), date(anio, 12, 31)).count()
    enlace = _url("proponer_inhabiles") + f"?anio={anio}"
    if not cuantos:
        return Punto(
            f"inhabiles_{anio}",
            _("No hay días inhábiles del municipio para %(anio)d") % {"anio": anio},
            False,
            _(
                "Los plazos se cuentan en días hábiles: sin los días que la oficina cierra "
                "(Semana Santa, 2 de noviembre, 12 de diciembre…) los vencimientos salen antes."
            )
            if not siguiente
            else _(
                "Los plazos de los casos que se reciban a fin de año ya caen en %(anio)d; "
                "conviene tener sus días inhábiles desde ahora."
            )
            % {"anio": anio},
            enlace,
            _("Proponer los días usuales de %(anio)d") % {"anio": anio},
        )
    return Punto(
        f"inhabiles_{anio}",
        ngettext(
            "%(n)d día o periodo inhábil en %(anio)d",
            "%(n)d días o periodos inhábiles en %(anio)d",
            cuantos,
        )
        % {"n": cuantos, "anio": anio},
        True,
        "",
        _url("casos_diainhabil_changelist") + f"?fecha_inicio__year={anio}",
        _("Ver los días de %(anio)d") % {"anio": anio},
    )


def _segundo_plano() -> Punto:
    ahora = timezone.now()
    colas = salud.revisar_colas(ahora)
    beat = salud.revisar_beat(ahora)
    sin_worker = sorted(c for c, v in colas.items() if v["estado"] != salud.OK)
    fallas = [_("la cola «%(cola)s» no tiene worker vivo") % {"cola": c} for c in sin_worker]
    if beat["estado"] != salud.OK:
        fallas.append(_("el programador de tareas (beat) no ha dado señales"))
    if fallas:
        return Punto(
            "segundo_plano",
            _("El trabajo en segundo plano no corre: %(que)s") % {"que": "; ".join(fallas)},
            False,
            _(
                "Los avisos, los recordatorios y los PDF esperan en la base hasta que el worker "
                "y el beat corran; nada se pierde, pero nada sale. Quien administra el servidor "
                "lo arregla (docker compose ps; /salud/ dice qué parte falla)."
            ),
            reverse("salud"),
            _("Ver /salud/"),
            bloquea=True,
        )
    return Punto(
        "segundo_plano",
        _("El worker y el beat corren"),
        True,
        ", ".join(f"{c}: {v['vivos']}" for c, v in sorted(colas.items())),
        reverse("salud"),
        _("Ver /salud/"),
    )


def _correo() -> Punto:
    proveedor = settings.AVISOS_CANALES["correo"]
    if proveedor in ("", "bandeja"):
        motivo = (
            _("AVISOS_CORREO está apagado")
            if not proveedor
            else _("AVISOS_CORREO=bandeja: los correos quedan en /avisos/ y no salen")
        )
    elif settings.EMAIL_BACKEND in CORREO_QUE_NO_SALE:
        motivo = _("EMAIL_BACKEND=%(b)s no entrega a nadie") % {"b": settings.EMAIL_BACKEND}
    else:
        return Punto(
            "correo",
            _("Los correos salen por %(host)s") % {"host": settings.EMAIL_HOST},
            True,
            "",
        )
    return Punto(
        "correo",
        _("Los correos no salen de la instalación"),
        False,
        _(
            "%(motivo)s. Las invitaciones, los recordatorios y los avisos a la coordinación "
            "van por correo: configure AVISOS_CORREO=django y EMAIL_HOST, EMAIL_PORT, "
            "EMAIL_HOST_USER, EMAIL_HOST_PASSWORD y DEFAULT_FROM_EMAIL en el servidor (README, "
            "«Configuración») y reinicie."
        )
        % {"motivo": motivo},
        bloquea=True,
    )


def _sms() -> Punto:
    proveedor = settings.AVISOS_CANALES["sms"]
    if proveedor == "twilio":
        return Punto("sms", _("Los SMS salen por Twilio"), True, "")
    return Punto(
        "sms",
        _("Los SMS no salen de la instalación"),
        False,
        _(
            "AVISOS_SMS=%(p)s. Muchas personas solo dan un teléfono: configure AVISOS_SMS=twilio "
            "con TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN y TWILIO_SMS_DESDE en el servidor."
        )
        % {"p": proveedor or _("(apagado)")},
    )


def _direccion_publica() -> Punto:
    host = urlsplit(settings.URL_PUBLICA).hostname or ""
    if host in HOSTS_LOCALES:
        return Punto(
            "url_publica",
            _("La dirección pública del sistema es local: %(url)s") % {"url": settings.URL_PUBLICA},
            False,
            _(
                "Los enlaces de los avisos y de los acuses (consultar el caso, fijar la "
                "contraseña) usan URL_PUBLICA; con una dirección local no abren fuera de este "
                "equipo. Configure URL_PUBLICA con la dirección real en el servidor."
            ),
            bloquea=True,
        )
    return Punto(
        "url_publica",
        _("Dirección pública: %(url)s") % {"url": settings.URL_PUBLICA},
        True,
        "",
    )


def _dos_pasos() -> Punto:
    # Las del personal de la oficina (las de quien administra el sistema no son de la
    # coordinación).
    sin_factor = [
        cuenta
        for cuenta in personal_con_segundo_factor()
        if not (cuenta.is_superuser or cuenta.is_staff)
        and exige_por_rol(cuenta)
        and not cuenta.apps
    ]
    if sin_factor:
        return Punto(
            "dos_pasos",
            ngettext(
                "Una cuenta que lo exige no tiene verificación en dos pasos: %(quien)s",
                "%(n)d cuentas que lo exigen no tienen verificación en dos pasos: %(quien)s",
                len(sin_factor),
            )
            % {"n": len(sin_factor), "quien": ", ".join(c.username for c in sin_factor)},
            False,
            _(
                "El sistema les pide inscribir su app de autenticación al entrar; hasta "
                "entonces no pasan de esa página. Si no han entrado, envíeles el enlace para "
                "fijar su contraseña."
            ),
            _url("cuentas_personal_change", sin_factor[0].pk),
            _("Ver la cuenta de %(quien)s") % {"quien": sin_factor[0].username},
        )
    return Punto(
        "dos_pasos",
        _("Quien debe tener verificación en dos pasos la tiene"),
        True,
        "",
        _url("cuentas_personal_changelist"),
        _("Ver al personal"),
    )


def revisar(*, hoy: date | None = None) -> list[Punto]:
    """Todos los puntos, primero los pendientes que impiden trabajar, luego los demás
    pendientes y al final lo que ya está."""
    hoy = hoy or timezone.localdate()
    puntos = [
        _centro(),
        *_salas(),
        _mediacion(hoy),
        _asesoria(),
        _aviso_privacidad(),
        *_catalogos(),
        _inhabiles(hoy.year, siguiente=False),
        _inhabiles(hoy.year + 1, siguiente=True),
        _segundo_plano(),
        _correo(),
        _sms(),
        _direccion_publica(),
        _dos_pasos(),
    ]
    orden = {id(p): i for i, p in enumerate(puntos)}
    return sorted(puntos, key=lambda p: (p.hecho, not p.bloquea, orden[id(p)]))


def faltan(puntos: list[Punto]) -> list[Punto]:
    return [p for p in puntos if not p.hecho]

"""Lecturas de la agenda, con la política de acceso ya aplicada.

Quién ve qué agenda (los nombres de las partes, además, solo si `casos.acceso` deja a esa
persona ver el caso; si no, solo el folio):
- la de la oficina: quien ve todos los casos (coordinación, dirección) y quien recibe a las
  personas en la oficina (captura: operadora, asesoría), que necesita saber quién llega y a
  qué sala;
- la de una persona mediadora: ella misma y quien ve la de la oficina;
- la de una sala: todo el personal (para saber cuándo está ocupada).
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casos import acceso
from casos.models import (
    Caso,
    EstadoSesion,
    Parte,
    Sala,
    Sesion,
)
from notificaciones.selectors import asistencia_de, asistencia_de_sesiones

from .models import SuscripcionCalendario

CAPTURAR = "casos.capturar_solicitud"
MEDIAR = "casos.atender_mediacion"
CONFIRMADA = "confirmada"
ESTADOS = {
    EstadoSesion.PROGRAMADA: _("Programada"),
    CONFIRMADA: _("Confirmada"),
    EstadoSesion.DIFERIDA: _("Diferida"),
    EstadoSesion.CELEBRADA: _("Celebrada"),
    EstadoSesion.INASISTENCIA: _("No celebrada (inasistencia)"),
    EstadoSesion.CANCELADA: _("Cancelada"),
}
# El calendario del teléfono: del mes pasado al próximo medio año.
DIAS_ATRAS = 30
DIAS_ADELANTE = 180


def ve_oficina(usuario) -> bool:
    return acceso.es_personal(usuario) and (acceso.ve_todos(usuario) or usuario.has_perm(CAPTURAR))


def ve_mediador(usuario, mediador) -> bool:
    return acceso.es_personal(usuario) and (usuario.pk == mediador.pk or ve_oficina(usuario))


def ve_salas(usuario) -> bool:
    return acceso.es_personal(usuario)


def tiene_agenda_propia(usuario) -> bool:
    return acceso.es_personal(usuario) and usuario.has_perm(MEDIAR)


def mediador_por_pk(pk: int):
    try:
        return get_user_model().objects.get(pk=pk, is_active=True)
    except get_user_model().DoesNotExist:
        raise Http404 from None


def sala_por_pk(pk: int) -> Sala:
    try:
        return Sala.objects.get(pk=pk)
    except Sala.DoesNotExist:
        raise Http404 from None


def mediadores_visibles(usuario) -> list:
    """Las personas mediadoras cuya agenda puede abrir quien pide (para elegir)."""
    if not ve_oficina(usuario):
        return [usuario] if tiene_agenda_propia(usuario) else []
    permiso = Q(groups__permissions__codename="atender_mediacion") | Q(
        user_permissions__codename="atender_mediacion"
    )
    return list(
        get_user_model()
        .objects.filter(permiso, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def salas() -> list[Sala]:
    return list(Sala.objects.filter(activo=True).order_by("nombre"))


@dataclass
class Renglon:
    """Una sesión tal como la ve quien abre la agenda."""

    sesion: Sesion
    folio: str
    visible: bool
    nombres: list[str]
    donde: str
    estado: str
    estado_texto: str
    # Lo que cada parte respondió al recordatorio: [(nombre o leyenda, Asistencia)]; sin
    # nombres si la persona no puede ver el caso.
    asistencia: list = field(default_factory=list)

    @property
    def inicio(self) -> datetime:
        return timezone.localtime(self.sesion.inicio)

    @property
    def fin(self) -> datetime:
        return timezone.localtime(self.sesion.fin)


@dataclass
class Dia:
    fecha: date
    renglones: list[Renglon]


def _limites(desde: date, hasta: date) -> tuple[datetime, datetime]:
    zona = timezone.get_current_timezone()
    inicio = datetime.combine(desde, time.min, tzinfo=zona)
    fin = datetime.combine(hasta + timedelta(days=1), time.min, tzinfo=zona)
    return inicio, fin


def _sesiones(*, desde: date, hasta: date, mediador=None, sala=None):
    inicio, fin = _limites(desde, hasta)
    sesiones = (
        Sesion.objects.filter(inicio__gte=inicio, inicio__lt=fin)
        .select_related("caso", "sala", "mediador")
        .only(
            "inicio",
            "fin",
            "lugar",
            "estado",
            "numero",
            "avisada_en",
            "caso__folio",
            "sala__nombre",
            "mediador__first_name",
            "mediador__last_name",
            "mediador__username",
        )
        .order_by("inicio", "pk")
    )
    if mediador is not None:
        sesiones = sesiones.filter(mediador=mediador)
    if sala is not None:
        sesiones = sesiones.filter(sala=sala)
    return sesiones


def estado_de(sesion: Sesion) -> str:
    """Programada pasa a «confirmada» cuando un aviso con la fecha, la hora y el lugar de esa
    sesión ya salió a una parte (`Sesion.avisada_en`, que anota el envío de los avisos: desde
    entonces un cambio de hora es un diferimiento del art. 76)."""
    if sesion.estado == EstadoSesion.PROGRAMADA and sesion.avisada_en is not None:
        return CONFIRMADA
    return sesion.estado


def agenda(*, usuario, desde: date, hasta: date, mediador=None, sala=None) -> list[Dia]:
    """Los días de `desde` a `hasta` con sus sesiones en orden. Consultas fijas, sin importar
    cuántas sesiones haya: las sesiones, los casos que la persona puede ver y sus partes."""
    sesiones = list(_sesiones(desde=desde, hasta=hasta, mediador=mediador, sala=sala))
    ids = {s.caso_id for s in sesiones}
    if not ids:
        visibles = set()
    elif acceso.ve_todos(usuario):
        visibles = ids
    else:
        visibles = set(
            acceso.casos_visibles(usuario, Caso.objects.filter(pk__in=ids)).values_list(
                "pk", flat=True
            )
        )
    nombres: dict[int, list[str]] = {}
    partes: dict[int, list[tuple[int, str]]] = {}
    if ids:
        for parte_id, caso_id, nombre, parte_bloqueada_en, caso_bloqueado_en in (
            Parte.objects.filter(caso_id__in=ids)
            .order_by("caso_id", "-rol", "id")  # quien solicita, primero
            .values_list("pk", "caso_id", "nombre", "bloqueada_en", "caso__bloqueado_en")
        ):
            if caso_id not in visibles:
                partes.setdefault(caso_id, []).append((parte_id, ""))
                continue
            # Datos bloqueados: en lugar del nombre, por qué no se muestra.
            leyenda = acceso.leyenda_de_bloqueo(
                parte_bloqueada_en=parte_bloqueada_en, caso_bloqueado_en=caso_bloqueado_en
            )
            nombres.setdefault(caso_id, []).append(leyenda or nombre)
            partes.setdefault(caso_id, []).append((parte_id, leyenda or nombre))
    programadas = [s.pk for s in sesiones if s.estado == EstadoSesion.PROGRAMADA]
    confirmaciones = asistencia_de_sesiones(programadas)
    por_dia: dict[date, list[Renglon]] = {}
    for sesion in sesiones:
        estado = estado_de(sesion)
        renglon = Renglon(
            sesion=sesion,
            folio=sesion.caso.folio,
            visible=sesion.caso_id in visibles,
            nombres=nombres.get(sesion.caso_id, []) if sesion.caso_id in visibles else [],
            donde=sesion.donde,
            estado=estado,
            estado_texto=str(ESTADOS.get(estado, estado)),
            asistencia=[
                (nombre, asistencia_de(confirmaciones[sesion.pk], parte_id))
                for parte_id, nombre in partes.get(sesion.caso_id, [])
            ]
            if sesion.pk in confirmaciones
            else [],
        )
        por_dia.setdefault(timezone.localtime(sesion.inicio).date(), []).append(renglon)
    dias = []
    dia = desde
    while dia <= hasta:
        dias.append(Dia(fecha=dia, renglones=por_dia.get(dia, [])))
        dia += timedelta(days=1)
    return dias


def casos_con_nombres(dias: list[Dia]) -> list[Caso]:
    """Los casos cuyos datos personales (nombres) mostró la agenda: van a la bitácora."""
    vistos = {}
    for dia in dias:
        for renglon in dia.renglones:
            if renglon.visible:
                vistos.setdefault(renglon.sesion.caso_id, renglon.sesion.caso)
    return list(vistos.values())


def huella(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def suscripcion_de(usuario) -> SuscripcionCalendario | None:
    return SuscripcionCalendario.objects.filter(usuario=usuario).first()


def suscripcion_por_token(token: str) -> SuscripcionCalendario:
    """La suscripción vigente de ese token, de una cuenta activa del personal; si no, 404."""
    suscripcion = (
        SuscripcionCalendario.objects.select_related("usuario")
        .filter(token_hash=huella(token or ""), usuario__is_active=True)
        .first()
    )
    if suscripcion is None or not acceso.es_personal(suscripcion.usuario):
        raise Http404
    return suscripcion


def sesiones_del_calendario(usuario) -> list[Sesion]:
    """Las sesiones que la persona facilita, del mes pasado al próximo medio año."""
    hoy = timezone.localdate()
    return list(
        _sesiones(
            desde=hoy - timedelta(days=DIAS_ATRAS),
            hasta=hoy + timedelta(days=DIAS_ADELANTE),
            mediador=usuario,
        )
    )

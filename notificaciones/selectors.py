"""Lecturas de la bandeja de salida y de las bajas, con los permisos ya aplicados, y del
estado de los workers (latidos y alertas)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casos import codigos
from casos.models import Caso
from casos.selectors import puede_actuar_en
from casos.texto import limpiar_texto

from .enlaces import caso_de_token_encuesta
from .models import (
    AlertaOperativa,
    Baja,
    Canal,
    Confirmacion,
    EstadoConfirmacion,
    EstadoMensaje,
    LatidoTrabajador,
    Mensaje,
    RevisionBeat,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

VER_AVISOS = "notificaciones.ver_avisos"
REINTENTAR_AVISO = "notificaciones.reintentar_aviso"


def _exigir_ver_avisos(usuario: "AbstractUser") -> None:
    if not usuario.has_perm(VER_AVISOS):
        raise PermissionDenied


def avisos_para_personal(
    *,
    usuario: "AbstractUser",
    estado: str = "",
    canal: str = "",
    folio: str = "",
    bandeja: bool = False,
) -> QuerySet[Mensaje]:
    """Todos los avisos, del más reciente al más antiguo, para quien puede verlos todos.

    Filtros opcionales: estado y canal (un valor desconocido no filtra), folio (completo o
    una parte) y `bandeja` (solo lo que quedó en la bandeja de la demostración)."""
    _exigir_ver_avisos(usuario)
    avisos = Mensaje.objects.select_related("caso", "parte", "usuario", "solicitud_arco")
    if estado in EstadoMensaje.values:
        avisos = avisos.filter(estado=estado)
    if canal in Canal.values:
        avisos = avisos.filter(canal=canal)
    if bandeja:
        avisos = avisos.filter(proveedor_id="bandeja")
    if folio := limpiar_texto(folio, una_linea=True)[:30]:
        normal = codigos.normalizar_folio(folio)
        arco = codigos.normalizar_folio(folio, prefijos=codigos.PREFIJOS_ARCO)
        if normal:
            avisos = avisos.filter(caso__folio=normal)
        elif arco:
            avisos = avisos.filter(solicitud_arco__folio=arco)
        else:
            avisos = avisos.filter(
                Q(caso__folio__icontains=folio) | Q(solicitud_arco__folio__icontains=folio)
            )
    return avisos.order_by("-programado_para", "-id")


def cuantos_fallidos(*, usuario: "AbstractUser") -> int:
    """Cuántos avisos fallaron y esperan revisión (para quien puede verlos todos)."""
    _exigir_ver_avisos(usuario)
    return Mensaje.objects.filter(estado=EstadoMensaje.FALLIDO).count()


def avisos_de_caso(*, caso: Caso) -> QuerySet[Mensaje]:
    """Cada aviso del caso, enviado o pendiente, del más reciente al más antiguo."""
    return (
        Mensaje.objects.filter(caso=caso)
        .select_related("parte", "usuario")
        .order_by("-programado_para", "-id")
    )


def puede_reintentar(*, usuario: "AbstractUser", caso: Caso | None) -> bool:
    """Reintenta quien tiene el permiso y además ve todos los avisos o actúa en el caso."""
    return usuario.has_perm(REINTENTAR_AVISO) and (
        usuario.has_perm(VER_AVISOS) or (caso is not None and puede_actuar_en(usuario, caso))
    )


def aviso_para_reintentar(*, usuario: "AbstractUser", pk: int) -> Mensaje:
    """El aviso, si esta persona puede reintentarlo. Http404 si no existe; PermissionDenied
    si no le corresponde."""
    mensaje = get_object_or_404(Mensaje.objects.select_related("caso", "parte", "usuario"), pk=pk)
    if not puede_reintentar(usuario=usuario, caso=mensaje.caso):
        raise PermissionDenied
    return mensaje


def caso_de_encuesta(*, token: str) -> Caso | None:
    """El caso de un enlace de encuesta con firma válida, o None (firma mala o caso borrado)."""
    caso_id = caso_de_token_encuesta(token)
    return Caso.objects.filter(pk=caso_id).first() if caso_id else None


def dado_de_baja(*, canal: str, destino: str) -> bool:
    """Si la persona pidió no recibir avisos por ese canal en ese destino."""
    return Baja.objects.filter(canal=canal, destino=destino).exists()


# --- Salud de los workers -------------------------------------------------------------------

# Lo que cada cola hace, dicho para el personal (la cola «celery» también corre los
# temporizadores de los flujos; «pdf», los documentos).
TRABAJOS_DE_COLA = {
    "celery": (
        gettext_lazy("avisos"),
        gettext_lazy("recordatorios"),
        gettext_lazy("vencimientos de plazos"),
    ),
    "pdf": (gettext_lazy("documentos PDF"),),
}
PENDIENTES_DE_COLA = {
    "celery": (gettext_lazy("avisos"), gettext_lazy("recordatorios")),
    "pdf": (gettext_lazy("documentos"),),
}


def colas_vigiladas() -> list[str]:
    """Las colas que deben tener un worker: la de omisión y las de CELERY_TASK_ROUTES."""
    colas = {getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")}
    for ruta in (getattr(settings, "CELERY_TASK_ROUTES", None) or {}).values():
        if isinstance(ruta, dict) and ruta.get("queue"):
            colas.add(ruta["queue"])
    return sorted(colas)


def umbral_sin_latido() -> timedelta:
    return timedelta(seconds=settings.TRABAJADOR_SIN_LATIDO_SEGUNDOS)


def esta_vivo(latido: LatidoTrabajador, *, ahora: datetime, umbral: timedelta) -> bool:
    """Latió con procesos vivos en su pool dentro del umbral. Un worker cuyo pool ya no tiene
    procesos sigue latiendo, pero no cuenta: no hay quién corra los trabajos."""
    return latido.ultimo_latido_vivo is not None and latido.ultimo_latido_vivo >= ahora - umbral


@dataclass(frozen=True)
class EstadoCola:
    """Una cola: los workers vivos que la atienden, su latido más reciente y, si ninguno está
    vivo, desde cuándo (el último momento en que uno lo estuvo; None si ninguno latió nunca)."""

    cola: str
    vivos: tuple[str, ...]
    ultimo_latido: datetime | None
    ultimo_vivo: datetime | None

    @property
    def detenida(self) -> bool:
        return not self.vivos


def estado_de_trabajadores(*, ahora: datetime | None = None) -> dict[str, EstadoCola]:
    """Por cola vigilada: workers vivos y último latido. Una sola consulta (los workers son
    pocos y la revisión del beat borra los que llevan días sin latir)."""
    ahora = ahora or timezone.now()
    umbral = umbral_sin_latido()
    latidos = list(LatidoTrabajador.objects.all())
    estados = {}
    for cola in colas_vigiladas():
        suyos = [latido for latido in latidos if cola in latido.lista_de_colas]
        estados[cola] = EstadoCola(
            cola=cola,
            vivos=tuple(
                latido.nombre for latido in suyos if esta_vivo(latido, ahora=ahora, umbral=umbral)
            ),
            ultimo_latido=max((latido.ultimo_latido for latido in suyos), default=None),
            ultimo_vivo=max(
                (latido.ultimo_latido_vivo or latido.arrancado_en for latido in suyos),
                default=None,
            ),
        )
    return estados


def alertas_abiertas() -> dict[str, AlertaOperativa]:
    """La interrupción abierta de cada cola que tiene una."""
    return {alerta.cola: alerta for alerta in AlertaOperativa.objects.filter(hasta__isnull=True)}


def enumerar(cosas) -> str:
    """«a», «a y b», «a, b y c»."""
    cosas = [str(cosa) for cosa in cosas]
    if len(cosas) <= 1:
        return "".join(cosas)
    return _("%(lista)s y %(ultimo)s") % {"lista": ", ".join(cosas[:-1]), "ultimo": cosas[-1]}


def trabajos_de(colas) -> tuple[list[str], list[str]]:
    """Lo que hacen esas colas y lo que queda pendiente mientras están detenidas."""
    que, pendiente = [], []
    for cola in colas:
        que += TRABAJOS_DE_COLA.get(cola, (_("trabajos de la cola «%s»") % cola,))
        pendiente += PENDIENTES_DE_COLA.get(cola, (_("trabajos"),))
    return que, pendiente


def hora_dicha(momento: datetime, *, con_fecha: bool = False) -> str:
    """«las 10:42», «la 01:05» o, si no fue hoy (o se pide la fecha), «el 03/05/2026 a las
    10:42», en hora local."""
    local = timezone.localtime(momento)
    hora = (_("la %s") if local.hour == 1 else _("las %s")) % local.strftime("%H:%M")
    if not con_fecha and local.date() == timezone.localdate():
        return hora
    return _("el %(fecha)s a %(hora)s") % {"fecha": local.strftime("%d/%m/%Y"), "hora": hora}


@dataclass(frozen=True)
class TrabajoDetenido:
    """Lo que el aviso en pantalla dice: qué está detenido y desde cuándo."""

    colas: tuple[str, ...]
    desde: datetime

    @property
    def que(self) -> str:
        return enumerar(trabajos_de(self.colas)[0])

    @property
    def pendiente(self) -> str:
        return enumerar(trabajos_de(self.colas)[1])

    @property
    def desde_texto(self) -> str:
        return hora_dicha(self.desde)


def trabajo_detenido(*, ahora: datetime | None = None) -> TrabajoDetenido | None:
    """Las colas sin ningún worker vivo, para el aviso al personal. Una cola cuenta si alguna
    vez tuvo un worker (en una instalación nueva nada ha latido aún y no se sabe si falta
    arrancarlo o si falló) o si la revisión del beat ya abrió su alerta (el worker nunca
    arrancó). Dos consultas."""
    estados = estado_de_trabajadores(ahora=ahora)
    alertas = alertas_abiertas()
    detenidas = {}
    for cola, estado in estados.items():
        if not estado.detenida:
            continue
        desde = alertas[cola].desde if cola in alertas else estado.ultimo_vivo
        if desde is not None:
            detenidas[cola] = desde
    if not detenidas:
        return None
    return TrabajoDetenido(colas=tuple(detenidas), desde=min(detenidas.values()))


def latidos_de_la_maquina(*, maquina: str) -> list[LatidoTrabajador]:
    """Los workers cuyo nombre termina en «@maquina» (el nombre por omisión de Celery)."""
    return list(LatidoTrabajador.objects.filter(nombre__endswith=f"@{maquina}"))


def latido_por_nombre(*, nombre: str) -> LatidoTrabajador | None:
    return LatidoTrabajador.objects.filter(nombre=nombre).first()


def todos_los_latidos() -> list[LatidoTrabajador]:
    return list(LatidoTrabajador.objects.order_by("nombre"))


def coordinacion_con_correo() -> QuerySet:
    """Quienes reciben los avisos de operación: el rol coordinador, activos y con correo."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name="coordinador")
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def ultima_revision_del_beat() -> datetime | None:
    """La revisión más reciente de cualquier beat (`RevisionBeat`)."""
    return RevisionBeat.objects.aggregate(ultima=Max("ultima_revision"))["ultima"]


def aviso_pendiente_mas_antiguo(*, ahora: datetime | None = None) -> datetime | None:
    """Desde cuándo espera el aviso pendiente más antiguo que ya debía salir."""
    ahora = ahora or timezone.now()
    return Mensaje.objects.filter(
        estado=EstadoMensaje.PENDIENTE, programado_para__lte=ahora
    ).aggregate(desde=Min("programado_para"))["desde"]


def aviso_del_proveedor_existe(*, sid: str) -> bool:
    """Si hay un aviso con ese identificador de Twilio (SM…/MM…)."""
    return (
        bool(sid)
        and sid.startswith(("SM", "MM"))
        and Mensaje.objects.filter(proveedor_id=sid).exists()
    )


SIN_RECORDATORIO = "sin_recordatorio"
TEXTO_SIN_RECORDATORIO = gettext_lazy("Aún sin recordatorio")


@dataclass(frozen=True)
class Asistencia:
    """Lo que una parte ha dicho de su asistencia a una sesión: `clave` es un valor de
    `EstadoConfirmacion` o «sin_recordatorio» (aún no se le manda el recordatorio por SMS o
    WhatsApp, o no tiene teléfono); `senalada`, si ya se le señaló al mediador."""

    clave: str
    texto: str
    senalada: bool = False

    @property
    def respondio(self) -> bool:
        return self.clave not in (EstadoConfirmacion.SIN_RESPUESTA, SIN_RECORDATORIO)


def asistencia_de_sesiones(sesion_ids) -> dict[int, dict[int, Asistencia]]:
    """{sesión: {parte: Asistencia}} de las partes que respondieron o a las que se les mandó
    recordatorio. Dos consultas, sin importar cuántas sesiones."""
    from .services import REFERENCIA_SESION

    sesion_ids = list(sesion_ids)
    resultado: dict[int, dict[int, Asistencia]] = {pk: {} for pk in sesion_ids}
    if not sesion_ids:
        return resultado
    referencias = {f"{REFERENCIA_SESION}{pk}": pk for pk in sesion_ids}
    for referencia, parte_id in (
        Mensaje.objects.filter(
            plantilla="recordatorio_sesion",
            estado=EstadoMensaje.ENVIADO,
            canal__in=[Canal.SMS, Canal.WHATSAPP],
            referencia__in=list(referencias),
            parte__isnull=False,
        )
        .values_list("referencia", "parte_id")
        .distinct()
    ):
        resultado[referencias[referencia]][parte_id] = Asistencia(
            EstadoConfirmacion.SIN_RESPUESTA, str(EstadoConfirmacion.SIN_RESPUESTA.label)
        )
    for confirmacion in Confirmacion.objects.filter(sesion_id__in=sesion_ids):
        resultado[confirmacion.sesion_id][confirmacion.parte_id] = Asistencia(
            confirmacion.estado,
            confirmacion.get_estado_display(),
            senalada=confirmacion.senalada_en is not None,
        )
    return resultado


def asistencia_de(asistencias: dict[int, Asistencia], parte_id: int) -> Asistencia:
    return asistencias.get(parte_id) or Asistencia(SIN_RECORDATORIO, str(TEXTO_SIN_RECORDATORIO))


@dataclass(frozen=True)
class AsistenciaDeSesion:
    sesion: object
    partes: list  # [(parte, Asistencia)]


def asistencia_del_caso(*, caso: Caso) -> list[AsistenciaDeSesion]:
    """Las sesiones programadas a futuro del caso con la confirmación de cada parte."""
    from casos.models import EstadoSesion

    sesiones = list(
        caso.sesiones.filter(estado=EstadoSesion.PROGRAMADA, inicio__gt=timezone.now()).order_by(
            "inicio"
        )
    )
    if not sesiones:
        return []
    partes = list(caso.partes.order_by("-rol", "id"))
    por_sesion = asistencia_de_sesiones(s.pk for s in sesiones)
    return [
        AsistenciaDeSesion(
            sesion, [(parte, asistencia_de(por_sesion[sesion.pk], parte.pk)) for parte in partes]
        )
        for sesion in sesiones
    ]

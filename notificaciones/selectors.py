"""Lecturas de la bandeja de salida y de las bajas, con los permisos ya aplicados."""

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from casos import codigos
from casos.models import Caso
from casos.selectors import puede_actuar_en

from .enlaces import caso_de_token_encuesta
from .models import Baja, Canal, EstadoMensaje, Mensaje

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
    avisos = Mensaje.objects.select_related("caso", "parte", "usuario")
    if estado in EstadoMensaje.values:
        avisos = avisos.filter(estado=estado)
    if canal in Canal.values:
        avisos = avisos.filter(canal=canal)
    if bandeja:
        avisos = avisos.filter(proveedor_id="bandeja")
    if folio:
        normal = codigos.normalizar_folio(folio)
        avisos = (
            avisos.filter(caso__folio=normal)
            if normal
            else avisos.filter(caso__folio__icontains=folio)
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

"""Lecturas de los avisos comunitarios: destinatarios, contactos de una lista, cifras."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from notificaciones.models import Entrega as Recibo
from notificaciones.models import EstadoMensaje

from .models import AvisoComunitario, Contacto, Lista, Membresia


def destinatarios(listas, *, con_bajas: bool = False):
    """Los contactos de esas listas (cada uno una vez) con consentimiento; sin los dados de
    baja, salvo con `con_bajas` (anotados con `dado_de_baja`)."""
    miembros = Membresia.objects.filter(lista__in=list(listas)).values("contacto_id")
    contactos = Contacto.objects.filter(pk__in=miembros)
    if con_bajas:
        return contactos.con_consentimiento().con_baja()
    return contactos.destinatarios()


def listas():
    """Las listas con cuántos contactos tienen y cuántos reciben avisos."""
    return (
        Lista.objects.select_related("localidad")
        .annotate(
            total=Count("membresias", distinct=True),
            con_consentimiento=Count(
                "membresias",
                filter=Q(membresias__contacto__consentimiento_fecha__isnull=False),
                distinct=True,
            ),
        )
        .order_by("localidad__orden", "localidad__nombre", "nombre")
    )


def lista(pk: int) -> Lista:
    return get_object_or_404(Lista.objects.select_related("localidad"), pk=pk)


def contactos_de(lista_: Lista):
    return (
        Contacto.objects.filter(membresias__lista=lista_)
        .con_baja()
        .select_related("localidad", "consentimiento_aviso", "consentimiento_registrado_por")
        .order_by("nombre", "pk")
    )


def contactos():
    return (
        Contacto.objects.con_baja()
        .select_related("localidad")
        .order_by("localidad__orden", "localidad__nombre", "nombre", "pk")
    )


def contacto(pk: int) -> Contacto:
    return get_object_or_404(
        Contacto.objects.con_baja().select_related(
            "localidad", "consentimiento_aviso", "consentimiento_registrado_por"
        ),
        pk=pk,
    )


def avisos():
    return (
        AvisoComunitario.objects.select_related("enviado_por")
        .prefetch_related("listas")
        .annotate(entregas_total=Count("entregas", distinct=True))
        .order_by("-creado_en", "-pk")
    )


def aviso(pk: int) -> AvisoComunitario:
    return get_object_or_404(
        AvisoComunitario.objects.select_related("enviado_por").prefetch_related("listas"), pk=pk
    )


# --- Cifras ---------------------------------------------------------------------------------

# Dónde está cada mensaje del aviso. Un mensaje cancelado es uno cuyo contacto se dio de baja
# después de escribirse (la bandeja lo cancela al enviarlo); sin mensaje, ya lo estaba al
# repartir.
_ENTREGADO = Q(
    mensaje__estado=EstadoMensaje.ENVIADO, mensaje__entrega__in=[Recibo.ENTREGADO, Recibo.LEIDO]
)
_FALLIDO = Q(mensaje__estado=EstadoMensaje.FALLIDO) | Q(
    mensaje__estado=EstadoMensaje.ENVIADO,
    mensaje__entrega__in=[Recibo.NO_ENTREGADO, Recibo.FALLIDO],
)
_SIN_CONFIRMAR = Q(mensaje__estado=EstadoMensaje.ENVIADO) & ~Q(
    mensaje__entrega__in=[Recibo.ENTREGADO, Recibo.LEIDO, Recibo.NO_ENTREGADO, Recibo.FALLIDO]
)
_BAJA = Q(mensaje__isnull=True) | Q(mensaje__estado=EstadoMensaje.CANCELADO)
_PENDIENTE = Q(mensaje__estado__in=[EstadoMensaje.PENDIENTE, EstadoMensaje.ENVIANDO])


@dataclass(frozen=True)
class Cifras:
    nombre: str
    total: int
    entregados: int
    sin_confirmar: int
    fallidos: int
    dados_de_baja: int
    pendientes: int


def _contar(entregas) -> dict:
    return entregas.aggregate(
        total=Count("pk"),
        entregados=Count("pk", filter=_ENTREGADO),
        sin_confirmar=Count("pk", filter=_SIN_CONFIRMAR),
        fallidos=Count("pk", filter=_FALLIDO),
        dados_de_baja=Count("pk", filter=_BAJA),
        pendientes=Count("pk", filter=_PENDIENTE),
    )


def cifras(aviso_: AvisoComunitario) -> tuple[list[Cifras], Cifras]:
    """Por cada lista del aviso (según quién está hoy en ella) y en total (cada contacto una
    vez): entregados, salidos sin confirmar, fallidos, dados de baja y pendientes."""
    por_lista = []
    for una in aviso_.listas.all().order_by("nombre"):
        entregas = aviso_.entregas.filter(
            contacto__in=Membresia.objects.filter(lista=una).values("contacto_id")
        )
        por_lista.append(Cifras(nombre=una.nombre, **_contar(entregas)))
    return por_lista, Cifras(nombre="", **_contar(aviso_.entregas.all()))

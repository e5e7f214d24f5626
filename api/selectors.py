"""Lecturas de la API sobre los selectores de casos y flujos (los permisos ya van en ellos)."""

from datetime import datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from casos import selectors as casos_selectors
from casos.models import ESTADOS_FINALES, Caso, TipoCaso
from flujos import selectors as flujos_selectors
from plantillas.models import Documento


def _inicio_del_dia(dia) -> datetime:
    return timezone.make_aware(datetime.combine(dia, time.min))


def _fin_del_dia(dia) -> datetime:
    return timezone.make_aware(datetime.combine(dia, time.max))


def casos(*, usuario, filtros: dict) -> QuerySet[Caso]:
    """La búsqueda de la pantalla de casos, más los filtros de la API, en orden estable."""
    qs = casos_selectors.buscar_casos(usuario=usuario, texto=filtros.get("q", ""))
    if filtros.get("estado"):
        qs = qs.filter(estado__in=filtros["estado"])
    if filtros.get("tipo"):
        qs = qs.filter(tipo=filtros["tipo"])
    if filtros.get("categoria"):
        qs = qs.filter(categoria=filtros["categoria"])
    if filtros.get("localidad"):
        qs = qs.filter(localidad=filtros["localidad"])
    if filtros.get("abierto") is True:
        qs = qs.abiertos()
    elif filtros.get("abierto") is False:
        qs = qs.filter(estado__in=ESTADOS_FINALES)
    if filtros.get("recibido_desde"):
        qs = qs.filter(recibido_en__gte=_inicio_del_dia(filtros["recibido_desde"]))
    if filtros.get("recibido_hasta"):
        qs = qs.filter(recibido_en__lte=_fin_del_dia(filtros["recibido_hasta"]))
    return qs.select_related("responsable").order_by("-recibido_en", "-pk")


def expediente(*, usuario, caso: Caso) -> dict:
    """Lo que la página del caso muestra además del caso: avance, plazos, sesión, documentos."""
    tareas = list(flujos_selectors.tareas_abiertas_del_caso(caso=caso))
    sesion = (
        caso.sesiones.programadas().select_related("sala").first()
        if caso.tipo == TipoCaso.MEDIACION
        else None
    )
    return {
        "tareas_abiertas": tareas,
        "plazos": flujos_selectors.plazos_del_caso(caso),
        "proxima_sesion": sesion,
        "documentos": list(
            Documento.objects.filter(caso=caso).order_by("tipo", "referencia", "-version")
        ),
        "puede_actuar": caso.abierto and casos_selectors.puede_actuar_en(usuario, caso),
    }


def mis_tareas(*, usuario, filtros: dict):
    """La bandeja «Mis tareas» de la web: una página de filas (tarea, caso, vence, días)."""
    bandeja = flujos_selectors.FiltrosBandeja(
        folio=filtros.get("folio", ""),
        localidad=filtros["localidad"].pk if filtros.get("localidad") else None,
        categoria=filtros["categoria"].pk if filtros.get("categoria") else None,
        vencimiento=filtros.get("vencimiento", ""),
    )
    return flujos_selectors.bandeja(
        usuario=usuario, filtros=bandeja, pagina=filtros["pagina"], solo_casos=True
    )

"""Lecturas de las solicitudes ARCO: los datos de la persona en los casos (candidatos para
identificar), las tareas de su trámite."""

import re

from django.db.models import Q
from django.shortcuts import get_object_or_404
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casos import codigos
from casos.models import Parte, SolicitudARCO
from casos.texto import normalizar_busqueda
from flujos.tareas import procesos_de

ABIERTAS = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
MAX_CANDIDATOS = 100

# «MED-2026-00042», «med 2026 42», «ASE/2026/7»…: lo que `codigos.normalizar_folio` acepta.
_FOLIO_EN_TEXTO = re.compile(r"\b([A-Za-z]{3})[\s\-_./]+(\d{4})[\s\-_./]+(\d{1,9})\b")


def solicitud_por_folio(folio: str) -> SolicitudARCO:
    canonico = codigos.normalizar_folio(folio, prefijos=codigos.PREFIJOS_ARCO)
    return get_object_or_404(SolicitudARCO, folio=canonico or None)


def folios_mencionados(texto: str) -> list[str]:
    """Los folios de caso que la persona escribió, en su forma canónica."""
    folios = []
    for prefijo, anio, numero in _FOLIO_EN_TEXTO.findall(texto or ""):
        folio = codigos.normalizar_folio(f"{prefijo}-{anio}-{numero}")
        if folio and folio not in folios:
            folios.append(folio)
    return folios


def candidatos(solicitud: SolicitudARCO) -> list[Parte]:
    """Renglones de parte que pueden ser de la persona titular: mismo nombre (sin acentos ni
    mayúsculas), mismo teléfono o correo, o de un caso cuyo folio mencionó. En una consulta,
    con su caso; los ya suprimidos no (no queda nada de la persona en ellos)."""
    condicion = Q()
    nombre = solicitud.nombre_busqueda or normalizar_busqueda(solicitud.nombre)
    if nombre:
        condicion |= Q(nombre_busqueda=nombre)
    if solicitud.telefono:
        condicion |= Q(telefono=solicitud.telefono)
    if solicitud.correo:
        condicion |= Q(correo__iexact=solicitud.correo)
    folios = folios_mencionados(solicitud.folios_referidos)
    if folios:
        condicion |= Q(caso__folio__in=folios)
    if not condicion:
        return []
    return list(
        Parte.objects.filter(condicion, suprimida_en__isnull=True)
        .select_related("caso")
        .order_by("caso__recibido_en", "pk")[:MAX_CANDIDATOS]
    )


def partes_identificadas(solicitud: SolicitudARCO) -> list[Parte]:
    return list(solicitud.partes.select_related("caso").order_by("caso__recibido_en", "pk"))


def siguiente_tarea_propia(*, task: Task, usuario) -> Task | None:
    """La tarea abierta del mismo trámite que ya está a nombre de `usuario`, si la hay."""
    return (
        Task.objects.filter(
            process_id=task.process_id,
            flow_task_type="HUMAN",
            owner=usuario,
            status__in=(STATUS.ASSIGNED, STATUS.STARTED),
        )
        .order_by("created")
        .first()
    )


def tareas_abiertas(solicitud: SolicitudARCO):
    """Tareas humanas abiertas del trámite de la solicitud."""
    return (
        Task.objects.filter(
            process__in=procesos_de(solicitud), flow_task_type="HUMAN", status__in=ABIERTAS
        )
        .select_related("owner")
        .order_by("created")
    )

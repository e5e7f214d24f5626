"""Lecturas de las solicitudes de derechos ARCO: la consulta pública por folio y código, la
lista y el detalle del personal, con sus plazos en días hábiles."""

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casos import cifras, codigos, plazos
from casos.calendario import Calendario
from casos.models import (
    ESTADOS_ARCO_FINALES,
    EstadoARCO,
    EventoARCO,
    Parte,
    Sentido,
    SolicitudARCO,
    UsoOpuesto,
)
from casos.texto import normalizar_busqueda
from flujos.selectors import ABIERTAS
from flujos.tareas import procesos_de

_SAL_FICTICIA = "0" * 32
# Los estados en los que corre un plazo (la solicitud no ha concluido).
MAX_CANDIDATOS = 100

# «MED-2026-00042», «med 2026 42», «ASE/2026/7»…: lo que `codigos.normalizar_folio` acepta.
_FOLIO_EN_TEXTO = re.compile(r"\b([A-Za-z]{3})[\s\-_./]+(\d{4})[\s\-_./]+(\d{1,9})\b")

ESTADOS_CON_PLAZO = tuple(e for e in EstadoARCO.values if e not in ESTADOS_ARCO_FINALES)


def solicitud_publica(*, folio: str, codigo: str) -> SolicitudARCO | None:
    """La solicitud si folio y código coinciden; None en cualquier otro caso (misma respuesta
    y el mismo trabajo: también se compara un código cuando el folio no existe)."""
    folio = codigos.normalizar_folio(folio, prefijos=codigos.PREFIJOS_ARCO)
    solicitud = SolicitudARCO.objects.filter(folio=folio).first() if folio else None
    if solicitud is None:
        codigos.codigo_coincide("ARCO-0000-00000", _SAL_FICTICIA, codigo)
        return None
    if not codigos.codigo_coincide(solicitud.folio, solicitud.codigo_sal, codigo):
        return None
    return solicitud


def eventos_publicos(solicitud: SolicitudARCO) -> QuerySet[EventoARCO]:
    return solicitud.eventos.filter(publico=True).only(
        "solicitud", "tipo", "descripcion", "creado_en"
    )


@dataclass(frozen=True)
class Plazo:
    """Un plazo de la solicitud: su fecha límite y los días hábiles que faltan (negativos si
    ya pasó). `pausa` dice que el plazo de respuesta está detenido (sin fecha)."""

    etiqueta: str
    fecha: date | None
    dias: int | None = None
    pausa: bool = False
    cumplido: bool = False

    @property
    def vencido(self) -> bool:
        return not self.cumplido and self.dias is not None and self.dias < 0

    @property
    def atraso(self) -> int:
        """Días hábiles desde que venció (0 si no ha vencido)."""
        return -self.dias if self.vencido else 0


def _plazo(etiqueta, fecha, hoy, calendario, *, cumplido=False) -> Plazo:
    dias = calendario.entre(hoy, fecha) if fecha is not None else None
    return Plazo(etiqueta=etiqueta, fecha=fecha, dias=dias, cumplido=cumplido)


def plazo_principal(
    solicitud: SolicitudARCO, *, hoy: date | None = None, calendario: Calendario | None = None
) -> Plazo | None:
    """El plazo que corre ahora: el de entregar lo pedido mientras la solicitud espera a la
    persona (el de respuesta está en pausa) o el de responder. None si ya concluyó."""
    if solicitud.estado in ESTADOS_ARCO_FINALES:
        return None
    hoy = hoy or timezone.localdate()
    calendario = calendario or Calendario()
    if solicitud.estado == EstadoARCO.REQUERIDA:
        return _plazo(
            _("La persona entrega lo pedido"),
            plazos.arco_desahogo_vence_el(solicitud, calendario),
            hoy,
            calendario,
        )
    return _plazo(
        _("Responder"), plazos.arco_respuesta_vence_el(solicitud, calendario), hoy, calendario
    )


def plazos_de(solicitud: SolicitudARCO, *, hoy: date | None = None) -> list[Plazo]:
    """Todos los plazos de la solicitud para su página: respuesta (o en pausa), requerimiento,
    desahogo, ampliación, y tras la respuesta, hacerla efectiva y el recurso de revisión."""
    hoy = hoy or timezone.localdate()
    calendario = Calendario()
    lista = []
    respondida = solicitud.respondida_en is not None
    if solicitud.requerida_en is None:
        lista.append(
            _plazo(
                _("Pedir a la persona información que falte"),
                plazos.arco_requerimiento_vence_el(solicitud, calendario),
                hoy,
                calendario,
                cumplido=solicitud.estado != EstadoARCO.RECIBIDA,
            )
        )
    else:
        lista.append(
            _plazo(
                _("La persona entrega lo pedido"),
                plazos.arco_desahogo_vence_el(solicitud, calendario),
                hoy,
                calendario,
                cumplido=solicitud.desahogada_en is not None
                or solicitud.estado in ESTADOS_ARCO_FINALES,
            )
        )
    respuesta = plazos.arco_respuesta_vence_el(solicitud, calendario)
    if respuesta is None:
        lista.append(Plazo(etiqueta=_("Responder"), fecha=None, pausa=True))
    else:
        sin_ampliar = plazos.arco_respuesta_sin_ampliar_vence_el(solicitud, calendario)
        if solicitud.ampliada_en is not None:
            lista.append(
                _plazo(
                    _("Responder (sin la ampliación)"), sin_ampliar, hoy, calendario, cumplido=True
                )
            )
            etiqueta = _("Responder (plazo ampliado)")
        else:
            etiqueta = _("Responder")
        lista.append(
            _plazo(
                etiqueta,
                respuesta,
                hoy,
                calendario,
                cumplido=solicitud.estado in ESTADOS_ARCO_FINALES,
            )
        )
    if respondida:
        if solicitud.sentido in (Sentido.PROCEDENTE, Sentido.PARCIAL):
            lista.append(
                _plazo(
                    _("Hacer efectivo el derecho"),
                    plazos.arco_efectividad_vence_el(solicitud, calendario),
                    hoy,
                    calendario,
                    cumplido=solicitud.concluida_en is not None,
                )
            )
        lista.append(
            _plazo(
                _("La persona puede interponer el recurso de revisión"),
                plazos.arco_recurso_vence_el(solicitud, calendario),
                hoy,
                calendario,
            )
        )
    return lista


def dias_de_respuesta(hoy: date | None = None) -> int:
    """La cifra vigente del plazo de respuesta (para explicarla a quien presenta hoy)."""
    return cifras.vigente("ARCO_RESPUESTA_DIAS_HABILES", hoy or timezone.localdate()).valor


# --- Personal -------------------------------------------------------------------------------


def buscar_solicitudes(*, texto: str = "", estado: str = "", derecho: str = "") -> QuerySet:
    """Solicitudes con los filtros de la lista: sin estado, las abiertas; `todas`, todas."""
    solicitudes = SolicitudARCO.objects.select_related("responsable").defer(
        "descripcion", "respuesta", "fundamento", "requerimiento", "desahogo"
    )
    if estado == "todas":
        pass
    elif estado in EstadoARCO.values:
        solicitudes = solicitudes.filter(estado=estado)
    else:
        solicitudes = solicitudes.exclude(estado__in=ESTADOS_ARCO_FINALES)
    if derecho:
        solicitudes = solicitudes.filter(derecho=derecho)
    texto = (texto or "").strip()
    if texto:
        folio = codigos.normalizar_folio(texto, prefijos=codigos.PREFIJOS_ARCO)
        condicion = Q(nombre_busqueda__contains=normalizar_busqueda(texto)) | Q(
            representante__icontains=texto
        )
        if folio:
            condicion |= Q(folio=folio)
        else:
            condicion |= Q(folio__icontains=texto)
        solicitudes = solicitudes.filter(condicion)
    return solicitudes.order_by("-recibida_en", "-pk")


def con_plazos(solicitudes, *, hoy: date, calendario: Calendario) -> list[SolicitudARCO]:
    """Cada solicitud con su `plazo` principal (un solo calendario para todas)."""
    lista = list(solicitudes)
    for s in lista:
        s.plazo = plazo_principal(s, hoy=hoy, calendario=calendario)
    return lista


def filtrar_por_plazo(solicitudes: list, plazo: str, *, hoy: date, calendario: Calendario):
    """`vencidas`: su plazo ya pasó; `por_vencer`: vence entre hoy y la ventana de aviso."""
    if plazo == "vencidas":
        return [s for s in solicitudes if s.plazo and s.plazo.vencido]
    if plazo == "por_vencer":
        hasta = plazos.por_vencer_hasta(hoy, calendario)
        return [
            s for s in solicitudes if s.plazo and s.plazo.fecha and hoy <= s.plazo.fecha <= hasta
        ]
    return solicitudes


def solicitud_por_folio(folio: str) -> SolicitudARCO | None:
    """La solicitud de un folio ya canónico (el que guardó la sesión), o None."""
    return SolicitudARCO.objects.filter(folio=folio).first()


def solicitud_para_personal(folio: str) -> SolicitudARCO:
    """La solicitud por su folio (en cualquier escritura) o 404."""
    normal = codigos.normalizar_folio(folio, prefijos=codigos.PREFIJOS_ARCO)
    solicitud = (
        SolicitudARCO.objects.select_related(
            "capturada_por", "responsable", "identidad_verificada_por"
        )
        .filter(folio=normal)
        .first()
        if normal
        else None
    )
    if solicitud is None:
        raise Http404(_("No existe esa solicitud."))
    return solicitud


def partes_identificadas(solicitud: SolicitudARCO) -> list[Parte]:
    """Los renglones de parte identificados, con su caso y, en palabras, los usos a los que
    la persona se opuso."""
    partes = list(solicitud.partes.select_related("caso").order_by("caso__recibido_en", "pk"))
    for p in partes:
        p.usos_opuestos_texto = ", ".join(
            str(UsoOpuesto(u).label).lower() for u in p.usos_opuestos if u in UsoOpuesto.values
        )
    return partes


def eventos_de(solicitud: SolicitudARCO) -> QuerySet[EventoARCO]:
    return solicitud.eventos.select_related("actor")


def tareas_abiertas(solicitud: SolicitudARCO) -> list:
    """Las tareas humanas abiertas del proceso de la solicitud (ligado por `artifact`)."""
    return list(
        Task.objects.filter(
            process__in=procesos_de(solicitud), flow_task_type="HUMAN", status__in=ABIERTAS
        )
        .select_related("owner")
        .order_by("created", "pk")
    )


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

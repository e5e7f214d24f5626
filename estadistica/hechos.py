"""Los hechos de cada caso: las definiciones de `estadistica.definiciones` aplicadas a un caso,
una vez, para que las cifras se sumen después con consultas agregadas.

Los plazos se calculan con las mismas funciones que usan las bandejas y los avisos
(`casos.plazos`), con las cifras que rigen a cada caso; por eso la estadística dice lo mismo
que las pantallas de trabajo."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from casos import plazos
from casos.calendario import Calendario
from casos.models import (
    Caso,
    CausaConclusion,
    Estado,
    Evento,
    ResultadoSeguimiento,
    TipoCaso,
    TipoConvenio,
    TipoEvento,
)
from casos.plazos import fecha_local

from .models import Cumplimiento, HechoCaso, Resultado, Revision

_EN_REVISION = {Estado.RECIBIDA, Estado.EN_REVISION}
_POR_CAUSA = {
    CausaConclusion.NO_ADMITIDA: Resultado.NO_ADMITIDA,
    CausaConclusion.CANALIZADA: Resultado.CANALIZADA,
    CausaConclusion.SIN_ACUERDO: Resultado.SIN_ACUERDO,
    CausaConclusion.CONVENIO_TOTAL: Resultado.CONVENIO_TOTAL,
    CausaConclusion.CONVENIO_PARCIAL: Resultado.CONVENIO_PARCIAL,
}
_EVENTOS = (TipoEvento.CONCLUIDA, TipoEvento.CONVERTIDA)


def casos_con_lo_necesario(ids: Iterable[int]):
    """Los casos con todo lo que sus hechos leen, en una consulta por relación."""
    return (
        Caso.objects.filter(pk__in=list(ids))
        .select_related("categoria", "convenio")
        .prefetch_related(
            "prorrogas",
            "esperas",
            "canalizaciones",
            "sesiones",
            "invitaciones",
            Prefetch(
                "eventos",
                queryset=Evento.objects.filter(tipo__in=_EVENTOS).only(
                    "caso_id", "tipo", "datos", "creado_en"
                ),
                to_attr="eventos_de_cierre",
            ),
        )
    )


def _convenio(caso: Caso):
    try:
        return caso.convenio
    except Caso.convenio.RelatedObjectDoesNotExist:
        return None


def _resultado(caso: Caso, convenio) -> tuple[str, date | None]:
    """(resultado, día de cierre). Una mediación con convenio firmado concluye al firmarse."""
    if convenio is not None and convenio.firmado_en is not None:
        total = convenio.tipo == TipoConvenio.TOTAL
        resultado = Resultado.CONVENIO_TOTAL if total else Resultado.CONVENIO_PARCIAL
        return resultado, fecha_local(convenio.firmado_en)
    if caso.concluido_en is None or not caso.causa_conclusion:
        return "", None
    cierre = fecha_local(caso.concluido_en)
    if caso.tipo == TipoCaso.ASESORIA:
        if any(e.tipo == TipoEvento.CONVERTIDA for e in caso.eventos_de_cierre):
            return Resultado.CONVERTIDA, cierre
        concluida = max(
            (e for e in caso.eventos_de_cierre if e.tipo == TipoEvento.CONCLUIDA),
            key=lambda e: e.creado_en,
            default=None,
        )
        if concluida is not None and (concluida.datos or {}).get("primer_contacto"):
            return Resultado.PRIMER_CONTACTO, cierre
        if caso.causa_conclusion == CausaConclusion.CANALIZADA:
            return Resultado.CANALIZADA, cierre
        return Resultado.RESUELTA, cierre
    return _POR_CAUSA.get(caso.causa_conclusion, Resultado.ANTICIPADA), cierre


def _revision(caso: Caso, resultado: str) -> str:
    if caso.tipo != TipoCaso.MEDIACION:
        return ""
    if caso.admitido_en is not None:
        return Revision.ADMITIDA
    if resultado == Resultado.NO_ADMITIDA:
        return Revision.NO_ADMITIDA
    if resultado == Resultado.CANALIZADA:
        return Revision.CANALIZADA
    return Revision.PENDIENTE if caso.estado in _EN_REVISION else ""


def cumplimiento(hecho_el: date | None, vence: date | None, hoy: date) -> str:
    """Cómo quedó un plazo: hecho a tiempo o fuera, vencido sin hacerse o aún corriendo."""
    if vence is None:
        return ""
    if hecho_el is not None:
        return Cumplimiento.A_TIEMPO if hecho_el <= vence else Cumplimiento.FUERA
    return Cumplimiento.VENCIDO if hoy > vence else Cumplimiento.EN_PLAZO


def _plazos_de_mediacion(caso, convenio, cierre, hoy, calendario) -> dict:
    if caso.admitido_en is None:
        return {}
    invitaciones = [i.fecha for i in caso.invitaciones.all()]
    primera = fecha_local(min(invitaciones)) if invitaciones else None
    vence_invitacion = plazos.invitacion_vence_el(caso, calendario)
    if primera is None and cierre is not None:
        # Concluyó sin invitar (desistió antes, por ejemplo): el plazo solo cuenta si
        # venció antes del cierre.
        invitacion = Cumplimiento.VENCIDO if cierre > vence_invitacion else ""
    else:
        invitacion = cumplimiento(primera, vence_invitacion, hoy)
    registro = ""
    if convenio is not None and convenio.firmado_en is not None:
        registro = cumplimiento(
            convenio.enviado_registro_en,
            plazos.envio_a_registro_vence_el(convenio, calendario),
            hoy,
        )
    return {
        "invitacion": invitacion,
        "registro": registro,
        "procedimiento": cumplimiento(cierre, plazos.procedimiento_vence_el(caso), hoy),
    }


def hechos_de(caso: Caso, *, calendario: Calendario, hoy: date) -> HechoCaso:
    """Los hechos de un caso traído con `casos_con_lo_necesario`."""
    convenio = _convenio(caso)
    resultado, cierre = _resultado(caso, convenio)
    recibido = fecha_local(caso.recibido_en)
    hecho = HechoCaso(
        caso_id=caso.pk,
        tipo=caso.tipo,
        canal=caso.canal,
        modulo_id=caso.modulo_id,
        localidad_id=caso.localidad_id,
        categoria_id=caso.categoria_id,
        responsable_id=caso.responsable_id,
        sensible=caso.categoria.canalizar,
        recibido=recibido,
        revision=_revision(caso, resultado),
        admitido=fecha_local(caso.admitido_en) if caso.admitido_en else None,
        abierto=cierre is None,
        concluido=cierre,
        resultado=resultado,
        causa=caso.causa_conclusion if resultado == Resultado.ANTICIPADA else "",
        incumplido=caso.resultado_seguimiento == ResultadoSeguimiento.INCUMPLIDO,
        satisfaccion=caso.satisfaccion,
    )
    canalizaciones = sorted(caso.canalizaciones.all(), key=lambda c: c.enviada_en)
    hecho.dependencia = canalizaciones[0].dependencia[:200] if canalizaciones else ""
    pausa = 0
    if caso.tipo == TipoCaso.MEDIACION:
        for campo, valor in _plazos_de_mediacion(caso, convenio, cierre, hoy, calendario).items():
            setattr(hecho, campo, valor)
    else:
        pausa = plazos.dias_habiles_en_pausa(caso, calendario)
        hecho.resolucion = cumplimiento(cierre, plazos.resolucion_vence_el(caso, calendario), hoy)
    if cierre is not None:
        hecho.dias_a_cierre = max(0, calendario.entre(recibido, cierre) - pausa)
    sesiones = {fecha_local(s.inicio) for s in caso.sesiones.all()}
    hecho.dias = sorted({d.isoformat() for d in {recibido, cierre, *sesiones} if d})
    return hecho


def calcular(ids: Iterable[int]) -> list[HechoCaso]:
    """Los hechos de esos casos (sin guardarlos)."""
    calendario = Calendario()
    hoy = timezone.localdate()
    return [hechos_de(c, calendario=calendario, hoy=hoy) for c in casos_con_lo_necesario(ids)]

"""Lo que escribe la estadística (metas, programas, pedir un informe) y las gráficas del
tablero armadas con sus tablas."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import graficas
from .forms import Filtros, mes_corto
from .metas import Avance, Edicion

# Las localidades con más solicitudes que se dibujan; las demás siguen en la tabla.
LOCALIDADES_EN_GRAFICA = 15


def grafica_mensual(t) -> graficas.Grafica:
    tabla = t.tablas["mensual"]
    meses = [mes_corto(date.fromisoformat(f"{r.clave}-01")) for r in tabla.renglones]
    recibidas = [r.celdas[0].valor for r in tabla.renglones]
    concluidas = [r.celdas[1].valor for r in tabla.renglones]
    return graficas.tendencia_mensual(
        _("Solicitudes recibidas y concluidas por mes"),
        meses,
        [
            graficas.Serie(_("Recibidas"), recibidas, verbo=_("se recibieron")),
            graficas.Serie(_("Concluidas"), concluidas, verbo=_("se concluyeron")),
        ],
        unidad=_("solicitudes"),
        clave="tendencia",
    )


def grafica_de(tabla, titulo: str, *, limite: int | None = None, clave: str) -> graficas.Grafica:
    renglones = tabla.renglones[:limite] if limite else tabla.renglones
    return graficas.barras(
        titulo,
        [r.etiqueta for r in renglones],
        [r.celdas[0].valor for r in renglones],
        _("solicitudes"),
        enlaces=[r.celdas[0].enlace for r in renglones],
        claves=[r.clave for r in renglones],
        encabezado=tabla.columnas[0].titulo,
        clave=clave,
    )


def grafica_de_plazos(t) -> graficas.Grafica:
    renglones = []
    for renglon in t.tablas["plazos"].renglones:
        a_tiempo, fuera, vencido, en_plazo = (c.valor or 0 for c in renglon.celdas[:4])
        renglones.append((renglon.etiqueta, a_tiempo, fuera + vencido, en_plazo))
    return graficas.cumplimiento(_("Cumplimiento de los plazos"), renglones, clave="plazos")


def graficas_del_tablero(t) -> dict[str, graficas.Grafica]:
    return {
        "tendencia": grafica_mensual(t),
        "canal": grafica_de(t.tablas["canal"], _("Solicitudes por canal"), clave="canales"),
        "localidad": grafica_de(
            t.tablas["localidad"],
            _("Solicitudes por localidad"),
            limite=LOCALIDADES_EN_GRAFICA,
            clave="localidades",
        ),
        "plazos": grafica_de_plazos(t),
    }


def grafica_de_meta(avance: Avance) -> graficas.Grafica:
    meses = [mes_corto(date(avance.meta.anio, n, 1)) for n in range(1, 13)]
    meta_acumulada = [round(avance.meta.meta * n / 12, 1) for n in range(1, 13)]
    series = [graficas.Serie(_("Logrado (acumulado)"), avance.acumulado)]
    hechos = [v for v in avance.acumulado if v is not None]
    if avance.proyeccion is not None and hechos and len(hechos) < 12:
        ritmo = (avance.proyeccion - hechos[-1]) / (12 - len(hechos))
        proyeccion = [None] * (len(hechos) - 1) + [
            round(hechos[-1] + ritmo * i) for i in range(0, 12 - len(hechos) + 1)
        ]
        series.append(graficas.Serie(_("Proyección"), proyeccion, proyeccion=True))
    return graficas.tendencia_mensual(
        f"{avance.meta.actividad}: {avance.meta.meta:,} en {avance.meta.anio}",
        meses,
        series,
        meta=meta_acumulada,
        unidad=avance.indicador_texto.lower(),
        acumulado=True,
        clave=f"meta-{avance.meta.pk}",
    )


def encabezado_de(filtros: Filtros, datos_al) -> list[tuple[str, str]]:
    encabezado = [
        (_("Periodo"), f"{filtros.desde:%d/%m/%Y} a {filtros.hasta:%d/%m/%Y} ({filtros.titulo})"),
        (
            _("Filtros"),
            "; ".join(f"{e}: {v}" for e, v in filtros.descripcion()) or _("ninguno"),
        ),
    ]
    if datos_al:
        encabezado.append((_("Datos al"), timezone.localtime(datos_al).strftime("%d/%m/%Y %H:%M")))
    return encabezado


def guardar_metas(*, edicion: Edicion, actor) -> int:
    """Guarda los programas y las metas del año; devuelve cuántos renglones cambiaron."""
    try:
        return _guardar_metas(edicion, actor)
    except IntegrityError as error:
        raise ValidationError(
            _("Ya hay una meta con esa actividad en ese programa y año: cambie el nombre de una.")
        ) from error


def _guardar_metas(edicion: Edicion, actor) -> int:
    cambios = 0
    with transaction.atomic():
        for programa in edicion.programas.save(commit=False):
            programa.save()
            cambios += 1
        metas = edicion.metas.save(commit=False)
        for meta in edicion.metas.deleted_objects:
            meta.delete()
            cambios += 1
        for meta in metas:
            meta.anio = edicion.anio
            meta.actualizada_por = actor
            meta.save()
            cambios += 1
    return cambios


def pedir_informe(*, filtros: Filtros, actor):
    from plantillas.services import pedir_informe_estadistico

    return pedir_informe_estadistico(
        desde=filtros.desde,
        hasta=filtros.hasta,
        parametros={k: str(v) for k, v in filtros.parametros.items()},
        descripcion=[list(p) for p in filtros.descripcion()],
        actor=actor,
    )


def informes_recientes(*, usuario):
    from plantillas.selectors import informes_recientes as recientes

    return recientes(usuario=usuario)

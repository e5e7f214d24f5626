"""Contar: las mismas consultas agregadas arman el resumen diario y, cuando hay filtros que el
resumen no distingue, cuentan directo sobre los hechos. Una consulta por fecha de cada
medida y por dimensión, nunca una por renglón.

El refresco (`refrescar`) recalcula los hechos de los casos con eventos nuevos (y, una vez al
día, de los que tienen plazos corriendo) y rehace el resumen de los días que esos casos
tocaban antes y tocan ahora."""

import logging
import time as reloj
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from casos.models import Caso, Evento, Sesion

from . import hechos
from .definiciones import (
    CIERRE,
    DIMENSIONES,
    DIMENSIONES_POR_FECHA,
    MEDIDAS,
    POR_FECHA,
    RECEPCION,
    SESION,
    TOTAL,
)
from .models import (
    AbiertoHoy,
    Cumplimiento,
    EstadoResumen,
    HechoCaso,
    Resultado,
    ResumenDiario,
    ResumenMensual,
)

logger = logging.getLogger(__name__)

CAMPO_DE_FECHA = {RECEPCION: "recibido", CIERRE: "concluido"}
# Los eventos que pudieron confirmarse fuera de orden (una transacción larga) se vuelven a
# leer: recalcular un caso dos veces no cambia nada.
TRASLAPE = timedelta(minutes=10)
LOTE = 2000
# Dimensiones cuyo valor vacío no se cuenta como renglón (casos sin módulo, sin
# responsable, sin canalización).
_SIN_VACIOS = {"modulo", "persona", "dependencia"}


@dataclass
class Cifras:
    """Lo contado: por mes y tipo (el total) y por dimensión, valor y tipo (el periodo)."""

    por_mes: dict[tuple[date, str], dict] = field(default_factory=dict)
    por_dimension: dict[tuple[str, str, str], dict] = field(default_factory=dict)
    consultas: int = 0
    _sumas: dict = field(default_factory=dict, compare=False, repr=False)

    def del_tipo(self, tipo: str | None = None) -> dict:
        """Todo el periodo de un tipo de caso (o de los dos): se suma una sola vez."""
        if tipo not in self._sumas:
            total: dict = {}
            for (_mes, t), medidas in self.por_mes.items():
                if tipo is None or t == tipo:
                    _sumar(total, medidas)
            self._sumas[tipo] = total
        return self._sumas[tipo]


def _conteos(fecha: str) -> dict:
    return {m.clave: Count("pk", filter=m.filtro) for m in POR_FECHA[fecha]}


def como_texto(v) -> str:
    return "" if v is None else str(v)


def _campos(fecha: str, dimension: str, agrupar) -> dict:
    sesion = fecha == SESION
    campos = {"g_tipo": F("caso__hecho__tipo") if sesion else F("tipo")}
    if dimension == TOTAL:
        campos["g_valor"] = Value("")
    else:
        d = DIMENSIONES[dimension]
        campos["g_valor"] = F(d.campo_sesion if sesion else d.campo)
    if agrupar is not None:
        campos["g_fecha"] = agrupar
    return campos


def contar(
    por_fecha: dict[str, QuerySet],
    *,
    dimensiones: Iterable[str],
    agrupar_fecha: Callable[[str, str], object] | None,
    destino: dict,
) -> int:
    """Suma en `destino[(fecha, tipo, dimensión, valor)]` cada medida de cada fecha.
    `por_fecha` da el conjunto ya filtrado de hechos (recepción, cierre) y de sesiones;
    `agrupar_fecha(fecha, dimensión)` la expresión del día o mes de agrupación (o None).
    Devuelve las consultas hechas."""
    consultas = 0
    for dimension in [TOTAL, *dimensiones]:
        for fecha in (RECEPCION, CIERRE, SESION):
            if dimension != TOTAL and dimension not in DIMENSIONES_POR_FECHA[fecha]:
                continue
            agrupar = agrupar_fecha(fecha, dimension) if agrupar_fecha else None
            campos = _campos(fecha, dimension, agrupar)
            filas = por_fecha[fecha].values(**campos).annotate(**_conteos(fecha)).order_by()
            consultas += 1
            for fila in filas:
                valor = como_texto(fila.pop("g_valor"))
                if dimension in _SIN_VACIOS and not valor:
                    continue
                clave = (fila.pop("g_fecha", None), fila.pop("g_tipo"), dimension, valor)
                destino.setdefault(clave, {}).update(fila)
    consultas += _histogramas(por_fecha[CIERRE], agrupar_fecha, destino)
    return consultas


def _histogramas(cierre: QuerySet, agrupar_fecha, destino: dict) -> int:
    """Días a cierre y causas de conclusión anticipada, solo del total."""
    agrupar = agrupar_fecha(CIERRE, TOTAL) if agrupar_fecha else None
    base = {"g_tipo": F("tipo"), **({"g_fecha": agrupar} if agrupar is not None else {})}
    dias = cierre.values(**base, g_dias=F("dias_a_cierre")).annotate(n=Count("pk")).order_by()
    causas = (
        cierre.filter(resultado=Resultado.ANTICIPADA)
        .values(**base, g_causa=F("causa"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    for filas, campo, llave in ((dias, "dias_a_cierre", "g_dias"), (causas, "causas", "g_causa")):
        for fila in filas:
            clave = (fila.get("g_fecha"), fila["g_tipo"], TOTAL, "")
            cifras = destino.setdefault(clave, {})
            histograma = cifras.setdefault(campo, {})
            histograma[como_texto(fila[llave])] = (
                histograma.get(como_texto(fila[llave]), 0) + fila["n"]
            )
    return 2


# --- El resumen diario ----------------------------------------------------------------


def inicio_entre(desde: date, hasta: date) -> Q:
    """Sesiones que empiezan de `desde` a `hasta` (días completos, hora de México), como
    rango de la columna: así se usa su índice (`inicio__date` aplicaría una función a cada
    renglón)."""
    zona = timezone.get_current_timezone()
    inicio = datetime.combine(desde, time.min, tzinfo=zona)
    fin = datetime.combine(hasta + timedelta(days=1), time.min, tzinfo=zona)
    return Q(inicio__gte=inicio, inicio__lt=fin)


def inicio_en_dias(dias: Iterable[date]) -> Q:
    """Sesiones de esos días: un rango por cada tramo de días seguidos."""
    q = Q(pk__in=[])
    tramos: list[list[date]] = []
    for dia in sorted(set(dias)):
        if tramos and dia - tramos[-1][1] == timedelta(days=1):
            tramos[-1][1] = dia
        else:
            tramos.append([dia, dia])
    for desde, hasta in tramos:
        q |= inicio_entre(desde, hasta)
    return q


def _por_dia(fecha: str, _dimension: str):
    return TruncDate("inicio") if fecha == SESION else F(CAMPO_DE_FECHA[fecha])


def _conjuntos_de_dias(dias: Iterable[date] | None) -> dict[str, QuerySet]:
    hechos_qs = HechoCaso.objects.all()
    sesiones = Sesion.objects.filter(caso__hecho__isnull=False)
    if dias is None:
        return {
            RECEPCION: hechos_qs,
            CIERRE: hechos_qs.filter(concluido__isnull=False),
            SESION: sesiones,
        }
    dias = sorted(dias)
    return {
        RECEPCION: hechos_qs.filter(recibido__in=dias),
        CIERRE: hechos_qs.filter(concluido__in=dias),
        SESION: sesiones.filter(inicio_en_dias(dias)),
    }


def rehacer_dias(dias: Iterable[date] | None) -> int:
    """Rehace el resumen de esos días (todos, con None). Devuelve los renglones escritos.
    Se llama dentro de una transacción."""
    destino: dict = {}
    contar(
        _conjuntos_de_dias(dias),
        dimensiones=DIMENSIONES,
        agrupar_fecha=_por_dia,
        destino=destino,
    )
    viejos = ResumenDiario.objects.all()
    if dias is not None:
        viejos = viejos.filter(fecha__in=sorted(dias))
    viejos.delete()
    medidas = set(MEDIDAS)
    renglones = [
        ResumenDiario(
            fecha=fecha,
            tipo=tipo,
            dimension=dimension,
            valor=valor[:200],
            **{k: v for k, v in cifras.items() if k in medidas},
            dias_a_cierre=cifras.get("dias_a_cierre", {}),
            causas=cifras.get("causas", {}),
        )
        for (fecha, tipo, dimension, valor), cifras in destino.items()
        if fecha is not None
    ]
    ResumenDiario.objects.bulk_create(renglones, batch_size=2000)
    meses = None if dias is None else {d.replace(day=1) for d in dias}
    return len(renglones) + rehacer_meses(meses)


def _rango_del_mes(mes: date) -> tuple[date, date]:
    siguiente = (mes.replace(day=28) + timedelta(days=4)).replace(day=1)
    return mes, siguiente - timedelta(days=1)


def rehacer_meses(meses: Iterable[date] | None) -> int:
    """Rehace el resumen mensual de esos meses (todos, con None) sumando sus días. Se llama
    dentro de una transacción, tras rehacer los días."""
    diarios = ResumenDiario.objects.all()
    mensuales = ResumenMensual.objects.all()
    if meses is not None:
        meses = sorted(set(meses))
        if not meses:
            return 0
        rangos = Q(pk__in=[])
        for mes in meses:
            rangos |= Q(fecha__range=_rango_del_mes(mes))
        diarios = diarios.filter(rangos)
        mensuales = mensuales.filter(mes__in=meses)
    mensuales.delete()
    sumas = {m: Sum(m) for m in MEDIDAS}
    filas = (
        diarios.annotate(g_mes=TruncMonth("fecha"))
        .values("g_mes", "tipo", "dimension", "valor")
        .annotate(**sumas)
        .order_by()
    )
    renglones = {
        (f["g_mes"], f["tipo"], f["dimension"], f["valor"]): ResumenMensual(
            mes=f["g_mes"],
            tipo=f["tipo"],
            dimension=f["dimension"],
            valor=f["valor"],
            **{m: f[m] or 0 for m in MEDIDAS},
        )
        for f in filas
    }
    for fecha, tipo, dias, causas in diarios.filter(dimension=TOTAL).values_list(
        "fecha", "tipo", "dias_a_cierre", "causas"
    ):
        renglon = renglones.get((fecha.replace(day=1), tipo, TOTAL, ""))
        if renglon is not None:
            cifras = {"dias_a_cierre": renglon.dias_a_cierre, "causas": renglon.causas}
            _sumar(cifras, {"dias_a_cierre": dias or {}, "causas": causas or {}})
            renglon.dias_a_cierre, renglon.causas = cifras["dias_a_cierre"], cifras["causas"]
    ResumenMensual.objects.bulk_create(renglones.values(), batch_size=2000)
    return len(renglones)


def rehacer_abiertos() -> int:
    """Los casos abiertos hoy por persona y tipo (la carga de trabajo sin filtros)."""
    AbiertoHoy.objects.all().delete()
    filas = (
        HechoCaso.objects.filter(abierto=True)
        .values("tipo", "responsable_id")
        .annotate(n=Count("pk"), vencidos=Count("pk", filter=Q(procedimiento=Cumplimiento.VENCIDO)))
        .order_by()
    )
    nuevos = [
        AbiertoHoy(
            tipo=f["tipo"],
            responsable_id=f["responsable_id"],
            abiertos=f["n"],
            vencidos=f["vencidos"],
        )
        for f in filas
    ]
    AbiertoHoy.objects.bulk_create(nuevos)
    return len(nuevos)


# --- Los hechos -------------------------------------------------------------------------

_CAMPOS_DEL_HECHO = [
    f.name for f in HechoCaso._meta.concrete_fields if f.name not in ("caso", "calculado_en")
]


def _guardar_hechos(nuevos: list[HechoCaso]) -> None:
    HechoCaso.objects.bulk_create(
        nuevos,
        update_conflicts=True,
        unique_fields=["caso"],
        update_fields=[*_CAMPOS_DEL_HECHO, "calculado_en"],
        batch_size=1000,
    )


def recalcular_hechos(ids: Iterable[int]) -> set[date]:
    """Recalcula y guarda los hechos de esos casos; devuelve los días que tocaban antes y
    los que tocan ahora (los que hay que rehacer en el resumen)."""
    ids = sorted(set(ids))
    dias: set[date] = set()
    for i in range(0, len(ids), LOTE):
        lote = ids[i : i + LOTE]
        for anteriores in HechoCaso.objects.filter(pk__in=lote).values_list("dias", flat=True):
            dias.update(date.fromisoformat(d) for d in anteriores)
        nuevos = hechos.calcular(lote)
        for hecho in nuevos:
            dias.update(date.fromisoformat(d) for d in hecho.dias)
        _guardar_hechos(nuevos)
        vivos = {h.caso_id for h in nuevos}
        HechoCaso.objects.filter(pk__in=[c for c in lote if c not in vivos]).delete()
    return dias


def _con_plazo_corriendo() -> QuerySet:
    corriendo = Q(abierto=True)
    for campo in ("invitacion", "registro", "procedimiento", "resolucion"):
        corriendo |= Q(**{campo: Cumplimiento.EN_PLAZO})
    return HechoCaso.objects.filter(corriendo)


@dataclass
class Refresco:
    casos: int
    dias: int
    renglones: int
    milisegundos: int


def _estado() -> EstadoResumen:
    EstadoResumen.objects.get_or_create(pk=1)
    return EstadoResumen.objects.select_for_update().get(pk=1)


def refrescar() -> Refresco:
    """Lo nuevo desde el último refresco. Dos refrescos a la vez se esperan (el renglón del
    estado se bloquea), así que ninguno cuenta dos veces ni deja un día a medias."""
    inicio = reloj.monotonic()
    ahora = timezone.now()
    hoy = timezone.localdate()
    with transaction.atomic():
        estado = _estado()
        tope = Evento.objects.aggregate(m=Max("id"))["m"] or 0
        nuevos = Evento.objects.filter(id__lte=tope).filter(
            Q(id__gt=estado.ultimo_evento) | Q(creado_en__gte=(estado.datos_al or ahora) - TRASLAPE)
        )
        ids = set(nuevos.values_list("caso_id", flat=True).distinct())
        if estado.abiertos_al != hoy:
            ids |= set(_con_plazo_corriendo().values_list("caso_id", flat=True))
            ids |= set(Caso.objects.filter(hecho__isnull=True).values_list("pk", flat=True))
        dias = recalcular_hechos(ids)
        renglones = rehacer_dias(dias) if dias else 0
        if ids:
            rehacer_abiertos()
        estado.ultimo_evento = tope
        estado.datos_al = ahora
        estado.abiertos_al = hoy
        estado.duracion_ms = int((reloj.monotonic() - inicio) * 1000)
        estado.save()
    logger.info(
        "Resumen de estadística: %d casos, %d días, %d renglones en %d ms",
        len(ids),
        len(dias),
        renglones,
        estado.duracion_ms,
    )
    return Refresco(len(ids), len(dias), renglones, estado.duracion_ms)


def rehacer() -> Refresco:
    """Todo desde cero: los hechos de cada caso y el resumen entero."""
    inicio = reloj.monotonic()
    ahora = timezone.now()
    tope = Evento.objects.aggregate(m=Max("id"))["m"] or 0
    ids = list(Caso.objects.order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), LOTE):
        with transaction.atomic():
            _guardar_hechos(hechos.calcular(ids[i : i + LOTE]))
    with transaction.atomic():
        estado = _estado()
        HechoCaso.objects.exclude(caso__in=Caso.objects.all()).delete()
        renglones = rehacer_dias(None)
        rehacer_abiertos()
        estado.ultimo_evento = tope
        estado.datos_al = ahora
        estado.abiertos_al = timezone.localdate()
        estado.duracion_ms = int((reloj.monotonic() - inicio) * 1000)
        estado.save()
    return Refresco(len(ids), 0, renglones, estado.duracion_ms)


# --- Leer lo contado ------------------------------------------------------------------


def _por_mes(fecha: str, dimension: str):
    if dimension != TOTAL:
        return None
    if fecha == SESION:
        return TruncMonth("inicio")
    return TruncMonth(CAMPO_DE_FECHA[fecha])


def _mes(valor) -> date:
    return valor.date().replace(day=1) if hasattr(valor, "date") else valor.replace(day=1)


def _a_cifras(destino: dict, consultas: int) -> Cifras:
    cifras = Cifras(consultas=consultas)
    for (fecha, tipo, dimension, valor), medidas in destino.items():
        if dimension == TOTAL:
            acumulado = cifras.por_mes.setdefault((_mes(fecha), tipo), {})
            _sumar(acumulado, medidas)
        else:
            _sumar(cifras.por_dimension.setdefault((dimension, valor, tipo), {}), medidas)
    return cifras


def _sumar(acumulado: dict, medidas: dict) -> None:
    for clave, valor in medidas.items():
        if isinstance(valor, dict):
            histograma = acumulado.setdefault(clave, {})
            for k, n in valor.items():
                histograma[k] = histograma.get(k, 0) + n
        else:
            acumulado[clave] = acumulado.get(clave, 0) + (valor or 0)


def desde_hechos(
    filtro_hechos: Q, filtro_sesiones: Q, desde: date, hasta: date, dimensiones
) -> Cifras:
    """Cuenta directo sobre los hechos (con cualquier filtro)."""
    hechos_qs = HechoCaso.objects.filter(filtro_hechos)
    por_fecha = {
        RECEPCION: hechos_qs.filter(recibido__range=(desde, hasta)),
        CIERRE: hechos_qs.filter(concluido__range=(desde, hasta)),
        SESION: Sesion.objects.filter(
            filtro_sesiones,
            inicio_entre(desde, hasta),
            caso__hecho__isnull=False,
        ),
    }
    destino: dict = {}
    consultas = contar(por_fecha, dimensiones=dimensiones, agrupar_fecha=_por_mes, destino=destino)
    return _a_cifras(destino, consultas)


def _partir_en_meses(desde: date, hasta: date) -> tuple[list[date], list[tuple[date, date]]]:
    """Los meses completos del periodo y los tramos de días sueltos al principio y al fin."""
    primero = desde if desde.day == 1 else _rango_del_mes(desde.replace(day=1))[1] + timedelta(1)
    meses, mes = [], primero
    while _rango_del_mes(mes)[1] <= hasta:
        meses.append(mes)
        mes = _rango_del_mes(mes)[1] + timedelta(days=1)
    if not meses:
        return [], [(desde, hasta)]
    sueltos = []
    if desde < meses[0]:
        sueltos.append((desde, meses[0] - timedelta(days=1)))
    fin = _rango_del_mes(meses[-1])[1]
    if fin < hasta:
        sueltos.append((fin + timedelta(days=1), hasta))
    return meses, sueltos


def _leer(base, campo_fecha: str, dimensiones, destino: dict) -> None:
    """Suma en `destino` el total por mes, las dimensiones del periodo y los histogramas."""
    sumas = {m: Sum(m) for m in MEDIDAS}
    total = base.filter(dimension=TOTAL)
    if campo_fecha == "fecha":
        total = total.annotate(g_mes=TruncMonth("fecha"))
    else:
        total = total.annotate(g_mes=F("mes"))
    for fila in total.values("g_mes", "tipo").annotate(**sumas).order_by():
        _sumar(destino.setdefault((fila.pop("g_mes"), fila.pop("tipo"), TOTAL, ""), {}), fila)
    por_dimension = (
        base.filter(dimension__in=list(dimensiones))
        .values("dimension", "valor", "tipo")
        .annotate(**sumas)
        .order_by()
    )
    for fila in por_dimension:
        clave = (None, fila.pop("tipo"), fila.pop("dimension"), fila.pop("valor"))
        _sumar(destino.setdefault(clave, {}), fila)
    histogramas = base.filter(dimension=TOTAL).values_list(
        campo_fecha, "tipo", "dias_a_cierre", "causas"
    )
    for fecha, tipo, dias, causas in histogramas:
        cifras = destino.setdefault((fecha.replace(day=1), tipo, TOTAL, ""), {})
        _sumar(cifras, {"dias_a_cierre": dias or {}, "causas": causas or {}})


def desde_resumen(tipos: list[str], desde: date, hasta: date, dimensiones) -> Cifras:
    """Lee el resumen (sin filtros de dimensión): los meses completos del mensual y los
    días sueltos del diario; tres consultas por cada parte."""
    meses, sueltos = _partir_en_meses(desde, hasta)
    destino: dict = {}
    consultas = 0
    if meses:
        base = ResumenMensual.objects.filter(mes__in=meses, tipo__in=tipos)
        _leer(base, "mes", dimensiones, destino)
        consultas += 3
    if sueltos:
        rangos = Q(pk__in=[])
        for inicio, fin in sueltos:
            rangos |= Q(fecha__range=(inicio, fin))
        base = ResumenDiario.objects.filter(rangos, tipo__in=tipos)
        _leer(base, "fecha", dimensiones, destino)
        consultas += 3
    return _a_cifras(destino, consultas)

"""Las metas del POA: lo logrado mes por mes contra la meta del año y la proyección al cierre.

Proyección: lo logrado hasta hoy al mismo ritmo por el resto del año (logrado ÷ días
transcurridos × días del año). Un año ya terminado se proyecta en lo logrado; uno que no ha
empezado, sin proyección."""

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.forms import modelformset_factory
from django.utils import timezone
from django.utils.translation import gettext as _

from casos.models import Modulo
from plantillas.models import Documento, EstadoDocumento, TipoDocumento

from .definiciones import INDICADORES, TOTAL, medidas_del_indicador
from .forms import NOMBRE_DE_MES, MetaForm, ProgramaForm
from .models import MetaPOA, ProgramaPOA, ResumenMensual
from .tablas import Celda, Columna, Renglon, Tabla

NOTA = _(
    "Lo logrado se cuenta con las mismas definiciones del tablero, en todo el año y sin "
    "filtros. Proyección: lo logrado hasta hoy, al mismo ritmo, hasta el 31 de diciembre."
)


@dataclass
class Avance:
    meta: MetaPOA
    indicador_texto: str
    mensual: list[int]
    logrado: int
    porcentaje: float | None
    proyeccion: int | None
    acumulado: list[int | None] = field(default_factory=list)


def _fraccion_del_anio(anio: int, hoy: date) -> float | None:
    if hoy.year < anio:
        return None
    if hoy.year > anio:
        return 1.0
    dias = 366 if calendar.isleap(anio) else 365
    return hoy.timetuple().tm_yday / dias


def mensual_por_indicador(anio: int) -> dict[str, list[int]]:
    """Lo logrado de cada indicador en cada mes del año (tres consultas en total)."""
    medidas = sorted({m for i in INDICADORES.values() for m in medidas_del_indicador(i)})
    de_resumen = [m for m in medidas if m not in ("jornadas", "informes")]
    filas = (
        ResumenMensual.objects.filter(mes__year=anio, dimension__in=[TOTAL, "canal"])
        .values("mes", "tipo", "dimension", "valor")
        .annotate(**{m: Sum(m) for m in de_resumen})
        .order_by()
    )
    salida = {clave: [0] * 12 for clave in INDICADORES}
    for fila in filas:
        for clave, ind in INDICADORES.items():
            if ind.medida in ("jornadas", "informes"):
                continue
            if ind.tipo and fila["tipo"] != ind.tipo:
                continue
            quiere = ("canal", ind.canal) if ind.canal else (TOTAL, "")
            if (fila["dimension"], fila["valor"]) != quiere:
                continue
            salida[clave][fila["mes"].month - 1] += sum(
                fila[m] or 0 for m in medidas_del_indicador(ind)
            )
    jornadas = (
        Modulo.objects.filter(fecha__year=anio)
        .annotate(mes=TruncMonth("fecha"))
        .values("mes")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for fila in jornadas:
        salida["jornadas"][fila["mes"].month - 1] += fila["n"]
    informes = (
        Documento.objects.filter(
            tipo=TipoDocumento.INFORME_ESTADISTICO,
            estado=EstadoDocumento.LISTO,
            version=1,
            informe__automatico=True,
            informe__desde__year=anio,
        )
        .values_list("informe__desde", flat=True)
        .distinct()
    )
    for desde in informes:
        salida["informes"][desde.month - 1] += 1
    return salida


def avance(*, anio: int, hoy: date | None = None) -> list[Avance]:
    hoy = hoy or timezone.localdate()
    metas = list(MetaPOA.objects.filter(anio=anio).select_related("programa"))
    if not metas:
        return []
    por_indicador = mensual_por_indicador(anio)
    fraccion = _fraccion_del_anio(anio, hoy)
    salida = []
    for meta in metas:
        mensual = por_indicador.get(meta.indicador, [0] * 12)
        logrado = sum(mensual)
        proyeccion = round(logrado / fraccion) if fraccion else None
        ultimo_mes = 12 if hoy.year > anio else (hoy.month if hoy.year == anio else 0)
        acumulado, suma = [], 0
        for i, valor in enumerate(mensual):
            suma += valor
            acumulado.append(suma if i < ultimo_mes else None)
        indicador = INDICADORES.get(meta.indicador)
        salida.append(
            Avance(
                meta=meta,
                indicador_texto=str(indicador.etiqueta) if indicador else meta.indicador,
                mensual=mensual,
                logrado=logrado,
                porcentaje=round(100 * logrado / meta.meta, 1) if meta.meta else None,
                proyeccion=proyeccion,
                acumulado=acumulado,
            )
        )
    return salida


def tabla_de_avance(avances: list[Avance], *, con_meses: bool = True) -> Tabla:
    meses = 12 if con_meses else 0
    renglones = [
        Renglon(
            f"{a.meta.programa.clave}. {a.meta.actividad}",
            [
                Celda(a.indicador_texto),
                Celda(a.meta.meta),
                Celda(a.logrado),
                Celda(a.porcentaje),
                Celda(a.proyeccion),
                *[Celda(v) for v in a.mensual[:meses]],
            ],
            str(a.meta.pk),
        )
        for a in avances
    ]
    return Tabla(
        "metas",
        _("Avance de las metas del POA"),
        [
            Columna("actividad", _("Programa y actividad"), "t"),
            Columna("indicador", _("Se mide con"), "t"),
            Columna("meta", _("Meta del año"), "n"),
            Columna("logrado", _("Logrado"), "n"),
            Columna("porcentaje", _("% de la meta"), "%"),
            Columna("proyeccion", _("Proyección al cierre"), "n"),
            *[Columna(f"m{n:02d}", str(NOMBRE_DE_MES[n])[:3], "n") for n in range(1, meses + 1)],
        ],
        renglones,
        nota=str(NOTA),
    )


# --- Edición de programas y metas ----------------------------------------------------------

ProgramasFormSet = modelformset_factory(ProgramaPOA, form=ProgramaForm, extra=1, can_delete=False)
MetasFormSet = modelformset_factory(MetaPOA, form=MetaForm, extra=3, can_delete=True)


class Edicion:
    """Los programas del POA y las metas de un año, en dos juegos de formularios."""

    def __init__(self, *, anio: int, datos=None):
        self.anio = anio
        self.programas = ProgramasFormSet(
            datos, queryset=ProgramaPOA.objects.all(), prefix="programas"
        )
        self.metas = MetasFormSet(
            datos,
            queryset=MetaPOA.objects.filter(anio=anio).select_related("programa"),
            prefix="metas",
        )
        self.errores: list[str] = []

    def es_valida(self) -> bool:
        return self.programas.is_valid() and self.metas.is_valid()

    def agregar_error(self, error) -> None:
        self.errores.extend(getattr(error, "messages", [str(error)]))

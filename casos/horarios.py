"""Horarios de atención de las salas y horarios libres para programar una sesión.

Una sesión en sala va dentro del horario de atención de esa sala (`HorarioSala`: uno o varios
intervalos por día de la semana), en día hábil, a futuro, dentro del plazo del procedimiento
(LGMASC art. 64) y sin chocar con otra sesión programada de la sala ni de la persona
facilitadora. El servicio que programa revisa lo mismo (`sesiones._validar_horario`): lo que
aquí se ofrece es una ayuda, la regla la aplica el servicio.

La búsqueda hace siempre las mismas consultas, haya diez sesiones o diez mil: el horario de la
sala, los inhábiles del municipio, las sesiones ocupadas del rango (una sola vez) y, con caso,
sus prórrogas.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .calendario import Calendario
from .models import Caso, DiaSemana, Sala, Sesion

# Cada cuánto empieza un horario ofrecido dentro de un intervalo de la sala.
PASO = timedelta(minutes=30)
# Días hábiles (con horario en la sala) que se ofrecen de una vez.
DIAS_OFRECIDOS = 5
# Hasta dónde se busca un día con horario (una sala que solo abre un día al mes).
DIAS_DE_BUSQUEDA = 62
# Lo más que dura una sesión (el servicio no programa más): acota por abajo la búsqueda de
# sesiones ocupadas, para que el índice (estado, inicio) lea solo las del rango.
DURACION_MAXIMA = timedelta(hours=8)

Intervalos = dict[int, list[tuple[time, time]]]


def intervalos_de(sala: Sala) -> Intervalos:
    """Los intervalos de atención de la sala por día de la semana (0 = lunes), en orden.
    Usa los horarios ya cargados si vienen con `prefetch_related("horarios")`."""
    por_dia: Intervalos = defaultdict(list)
    for horario in sala.horarios.all():
        por_dia[horario.dia_semana].append((horario.abre, horario.cierra))
    for lista in por_dia.values():
        lista.sort()
    return dict(por_dia)


def _hora(valor: time) -> str:
    return f"{valor.hour}:{valor.minute:02d}"


def describir(por_dia: Intervalos) -> str:
    """El horario en palabras: «lunes a viernes de 9:00 a 14:00 y de 16:00 a 19:00; sábado
    de 9:00 a 13:00». Junta los días seguidos con los mismos intervalos."""
    grupos: list[tuple[list[int], tuple]] = []
    for dia in range(7):
        intervalos = tuple(por_dia.get(dia, ()))
        if not intervalos:
            continue
        if grupos and grupos[-1][1] == intervalos and grupos[-1][0][-1] == dia - 1:
            grupos[-1][0].append(dia)
        else:
            grupos.append(([dia], intervalos))
    partes = []
    for dias, intervalos in grupos:
        if len(dias) == 1:
            nombre = str(DiaSemana(dias[0]).label)
        elif len(dias) == 2:
            nombre = _("%(a)s y %(b)s") % {
                "a": DiaSemana(dias[0]).label,
                "b": DiaSemana(dias[1]).label,
            }
        else:
            nombre = _("%(a)s a %(b)s") % {
                "a": DiaSemana(dias[0]).label,
                "b": DiaSemana(dias[-1]).label,
            }
        horas = _(" y ").join(
            _("de %(abre)s a %(cierra)s") % {"abre": _hora(a), "cierra": _hora(c)}
            for a, c in intervalos
        )
        partes.append(f"{nombre} {horas}")
    return "; ".join(partes)


def dentro_del_horario(por_dia: Intervalos, inicio: datetime, fin: datetime) -> bool:
    """Si [inicio, fin) cabe completa en uno de los intervalos de ese día (hora de México)."""
    local_inicio, local_fin = timezone.localtime(inicio), timezone.localtime(fin)
    if local_inicio.date() != local_fin.date():
        return False
    return any(
        abre <= local_inicio.time() and local_fin.time() <= cierra
        for abre, cierra in por_dia.get(local_inicio.weekday(), ())
    )


def error_de_horario(sala: Sala, por_dia: Intervalos, inicio: datetime, fin: datetime) -> str:
    """El mensaje para una sesión fuera del horario de la sala (vacío si cabe)."""
    if not por_dia:
        return _(
            "La sala %(sala)s no tiene horario de atención registrado: la coordinación lo da "
            "de alta en la administración de la oficina (/oficina/)."
        ) % {"sala": sala}
    if dentro_del_horario(por_dia, inicio, fin):
        return ""
    local_inicio, local_fin = timezone.localtime(inicio), timezone.localtime(fin)
    return _(
        "La sala %(sala)s atiende %(horario)s; la sesión del %(dia)s %(fecha)s de %(de)s a "
        "%(a)s queda fuera de ese horario. Elija uno de los horarios libres o una hora dentro "
        "del horario de la sala."
    ) % {
        "sala": sala,
        "horario": describir(por_dia),
        "dia": DiaSemana(local_inicio.weekday()).label,
        "fecha": date_format(local_inicio, "d/m/Y"),
        "de": _hora(local_inicio.time()),
        "a": _hora(local_fin.time()),
    }


@dataclass(frozen=True)
class DiaLibre:
    fecha: date
    horas: list[datetime]


@dataclass(frozen=True)
class HorariosLibres:
    """Lo que se ofrece al programar: los días con sus horas libres, en orden."""

    sala: Sala
    duracion: timedelta
    dias: list[DiaLibre] = field(default_factory=list)
    horario: str = ""
    sin_horario: bool = False
    limite: date | None = None
    # El día siguiente al último revisado, para pedir los que siguen.
    siguiente: date | None = None

    @property
    def hay(self) -> bool:
        return any(dia.horas for dia in self.dias)


def ocupadas(
    *, sala: Sala, mediador, desde: datetime, hasta: datetime, excluir: Sesion | None = None
) -> list[tuple[datetime, datetime]]:
    """Los intervalos de las sesiones programadas de la sala o de la persona facilitadora que
    tocan [desde, hasta), en una sola consulta."""
    filtro = Q(sala=sala)
    if mediador is not None:
        filtro |= Q(mediador=mediador)
    sesiones = (
        Sesion.objects.que_chocan(desde, hasta)
        .filter(inicio__gt=desde - DURACION_MAXIMA)
        .filter(filtro)
    )
    if excluir is not None:
        sesiones = sesiones.exclude(pk=excluir.pk)
    return list(sesiones.values_list("inicio", "fin"))


def _momento(fecha: date, hora: time) -> datetime:
    return timezone.make_aware(datetime.combine(fecha, hora))


def horarios_libres(
    *,
    sala: Sala,
    mediador,
    duracion: timedelta,
    desde: date | None = None,
    dias: int = DIAS_OFRECIDOS,
    caso: Caso | None = None,
    excluir: Sesion | None = None,
    calendario: Calendario | None = None,
) -> HorariosLibres:
    """Los horarios libres de la sala para la persona facilitadora en los siguientes `dias`
    días hábiles en que la sala atiende, desde `desde` (hoy si no se da): cada `PASO` dentro de
    los intervalos de la sala en que cabe la `duracion`, a futuro, sin pasar del plazo del
    procedimiento del caso (art. 64) y sin chocar con otra sesión programada de la sala o de la
    persona facilitadora (`excluir`: la sesión que se está moviendo)."""
    from .plazos import procedimiento_vence_el

    ahora = timezone.now()
    hoy = timezone.localdate()
    desde = max(desde or hoy, hoy)
    por_dia = intervalos_de(sala)
    limite = procedimiento_vence_el(caso) if caso is not None else None
    resultado = {
        "sala": sala,
        "duracion": duracion,
        "horario": describir(por_dia),
        "limite": limite,
    }
    if not por_dia:
        return HorariosLibres(**resultado, sin_horario=True)
    cal = calendario or Calendario()
    fechas: list[date] = []
    actual = desde
    tope = desde + timedelta(days=DIAS_DE_BUSQUEDA)
    if limite is not None:
        tope = min(tope, limite + timedelta(days=1))
    while len(fechas) < dias and actual < tope:
        if actual.weekday() in por_dia and cal.es_habil(actual):
            fechas.append(actual)
        actual += timedelta(days=1)
    if not fechas:
        return HorariosLibres(**resultado, siguiente=None)
    ocupado = ocupadas(
        sala=sala,
        mediador=mediador,
        desde=_momento(fechas[0], time.min),
        hasta=_momento(fechas[-1] + timedelta(days=1), time.min),
        excluir=excluir,
    )
    # Cada ocupada, en los días (hora de México) que toca: cada horario solo se compara con
    # las de su día.
    por_fecha: dict[date, list[tuple[datetime, datetime]]] = defaultdict(list)
    for inicio_ocupado, fin_ocupado in ocupado:
        dia = timezone.localtime(inicio_ocupado).date()
        while dia <= timezone.localtime(fin_ocupado).date():
            por_fecha[dia].append((inicio_ocupado, fin_ocupado))
            dia += timedelta(days=1)
    salida = []
    for fecha in fechas:
        horas = []
        del_dia = por_fecha.get(fecha, ())
        for abre, cierra in por_dia[fecha.weekday()]:
            inicio = _momento(fecha, abre)
            cierre = _momento(fecha, cierra)
            while inicio + duracion <= cierre:
                fin = inicio + duracion
                libre = inicio > ahora and not any(o < fin and f > inicio for o, f in del_dia)
                if libre:
                    horas.append(inicio)
                inicio += PASO
        salida.append(DiaLibre(fecha=fecha, horas=horas))
    siguiente = actual if actual < tope else None
    return HorariosLibres(**resultado, dias=salida, siguiente=siguiente)

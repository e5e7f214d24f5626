"""Qué cuenta cada cifra. Cada definición está aquí una sola vez y la usan el resumen diario,
el cálculo directo sobre los hechos (con filtros), la lista de casos detrás de cada cifra, el
informe mensual y la transparencia. Las notas que cita cada página salen de este archivo.

Tres fechas ordenan todo:
- **recepción** (`HechoCaso.recibido`): lo que se dice de las solicitudes recibidas en el
  periodo (admisión, canal, plazos legales de esas solicitudes);
- **cierre** (`HechoCaso.concluido`): lo concluido en el periodo y su resultado;
- **sesión** (`Sesion.inicio`): las sesiones del periodo.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casos.models import Canal, EstadoSesion, TipoCaso

from .models import Cumplimiento, Resultado, Revision

RECEPCION, CIERRE, SESION = "recepcion", "cierre", "sesion"


@dataclass(frozen=True)
class Medida:
    clave: str
    etiqueta: str
    fecha: str  # RECEPCION, CIERRE o SESION
    # Sobre HechoCaso (o sobre Sesion, si la fecha es la de la sesión).
    filtro: Q


def _m(clave, etiqueta, fecha, filtro=None):
    return Medida(clave, etiqueta, fecha, filtro if filtro is not None else Q())


def _plazo(prefijo: str, campo: str) -> list[Medida]:
    return [
        _m(f"{prefijo}_a_tiempo", _("dentro del plazo"), RECEPCION, Q(**{campo: "a_tiempo"})),
        _m(f"{prefijo}_fuera", _("fuera del plazo"), RECEPCION, Q(**{campo: "fuera"})),
        _m(f"{prefijo}_vencido", _("vencido sin hacerse"), RECEPCION, Q(**{campo: "vencido"})),
        _m(f"{prefijo}_en_plazo", _("aún en plazo"), RECEPCION, Q(**{campo: "en_plazo"})),
    ]


_LISTA = [
    _m("recibidas", _("Solicitudes recibidas"), RECEPCION),
    _m("admitidas", _("Admitidas"), RECEPCION, Q(revision=Revision.ADMITIDA)),
    _m("no_admitidas", _("No admitidas"), RECEPCION, Q(revision=Revision.NO_ADMITIDA)),
    _m(
        "canalizadas", _("Canalizadas a otra instancia"), RECEPCION, Q(revision=Revision.CANALIZADA)
    ),
    _m("en_revision", _("Aún en revisión"), RECEPCION, Q(revision=Revision.PENDIENTE)),
    _m(
        "ase_canalizadas",
        _("Asesorías canalizadas a una dependencia"),
        RECEPCION,
        Q(tipo=TipoCaso.ASESORIA) & ~Q(dependencia=""),
    ),
    *_plazo("inv", "invitacion"),
    *_plazo("reg", "registro"),
    *_plazo("proc", "procedimiento"),
    *_plazo("res", "resolucion"),
    _m("concluidas", _("Concluidas"), CIERRE),
    _m("convenio_total", Resultado.CONVENIO_TOTAL.label, CIERRE, Q(resultado="convenio_total")),
    _m(
        "convenio_parcial",
        Resultado.CONVENIO_PARCIAL.label,
        CIERRE,
        Q(resultado="convenio_parcial"),
    ),
    _m("sin_acuerdo", Resultado.SIN_ACUERDO.label, CIERRE, Q(resultado="sin_acuerdo")),
    _m("anticipadas", Resultado.ANTICIPADA.label, CIERRE, Q(resultado="anticipada")),
    _m("c_no_admitidas", Resultado.NO_ADMITIDA.label, CIERRE, Q(resultado="no_admitida")),
    _m("c_canalizadas", Resultado.CANALIZADA.label, CIERRE, Q(resultado="canalizada")),
    _m("primer_contacto", Resultado.PRIMER_CONTACTO.label, CIERRE, Q(resultado="primer_contacto")),
    _m("resueltas", Resultado.RESUELTA.label, CIERRE, Q(resultado="resuelta")),
    _m("convertidas", Resultado.CONVERTIDA.label, CIERRE, Q(resultado="convertida")),
    _m(
        "incumplidos", _("Convenios incumplidos (según el seguimiento)"), CIERRE, Q(incumplido=True)
    ),
    *[
        _m(f"satisf_{n}", _("Satisfacción %(n)d de 5") % {"n": n}, CIERRE, Q(satisfaccion=n))
        for n in range(1, 6)
    ],
    _m("ses_celebradas", _("Sesiones celebradas"), SESION, Q(estado=EstadoSesion.CELEBRADA)),
    _m("ses_diferidas", _("Sesiones diferidas"), SESION, Q(estado=EstadoSesion.DIFERIDA)),
    _m(
        "ses_inasistencia",
        _("Sesiones no celebradas por inasistencia"),
        SESION,
        Q(estado=EstadoSesion.INASISTENCIA),
    ),
]
MEDIDAS: dict[str, Medida] = {m.clave: m for m in _LISTA}
POR_FECHA: dict[str, list[Medida]] = {
    f: [m for m in _LISTA if m.fecha == f] for f in (RECEPCION, CIERRE, SESION)
}

# Lo que cuenta como mediación que llegó a sesionar (base del porcentaje con convenio).
MEDIACIONES_CONCLUIDAS = ("convenio_total", "convenio_parcial", "sin_acuerdo", "anticipadas")
CON_CONVENIO = ("convenio_total", "convenio_parcial")


@dataclass(frozen=True)
class Dimension:
    clave: str
    etiqueta: str
    # Campo de HechoCaso; el de Sesion (para las sesiones) puede ser otro.
    campo: str
    campo_sesion: str


DIMENSIONES: dict[str, Dimension] = {
    d.clave: d
    for d in [
        Dimension("canal", _("Canal"), "canal", "caso__hecho__canal"),
        Dimension("localidad", _("Localidad"), "localidad_id", "caso__hecho__localidad_id"),
        Dimension("categoria", _("Categoría"), "categoria_id", "caso__hecho__categoria_id"),
        Dimension("modulo", _("Jornada de módulo"), "modulo_id", "caso__hecho__modulo_id"),
        # Las sesiones cuentan para quien las facilitó; lo demás, para quien lleva el caso.
        Dimension("persona", _("Persona"), "responsable_id", "mediador_id"),
        Dimension("dependencia", _("Dependencia"), "dependencia", "caso__hecho__dependencia"),
    ]
}
TOTAL = "total"
# Qué se cuenta por cada dimensión: lo de la solicitud, por todas; lo concluido, por las que
# muestran cierres (no por módulo ni por dependencia); las sesiones, solo en el total y por
# persona (quien facilitó). Así el resumen y las cuentas directas no hacen consultas que
# ninguna tabla usa.
DIMENSIONES_POR_FECHA = {
    RECEPCION: ("canal", "localidad", "categoria", "modulo", "persona", "dependencia"),
    CIERRE: ("canal", "localidad", "categoria", "persona"),
    SESION: ("persona",),
}

CANALES = dict(Canal.choices)


# --- Las notas que se citan en las páginas ----------------------------------------------

NOTAS = {
    "recepcion": _(
        "Solicitudes recibidas: por la fecha en que se recibieron (hora de México), por "
        "cualquier canal. Su admisión, canalización y plazos se cuentan en el periodo en que "
        "llegaron, aunque se hayan decidido después."
    ),
    "cierre": _(
        "Concluidas: por la fecha de cierre de la mediación o de la asesoría. Una mediación "
        "con convenio concluye el día en que se firma el convenio (lo que sigue, registro y "
        "seguimiento, ya no es el procedimiento); las demás, el día en que se registró su "
        "conclusión con su causa. Un convenio incumplido es uno firmado cuyo seguimiento "
        "encontró una cláusula sin cumplir."
    ),
    "con_convenio": _(
        "Porcentaje con convenio: convenios de acuerdo total o parcial entre las mediaciones "
        "concluidas en el periodo que pasaron la admisión (con convenio, sin acuerdo o con "
        "conclusión anticipada). No cuentan las no admitidas ni las canalizadas."
    ),
    "dias": _(
        "Días a cierre: días hábiles (lunes a viernes, sin los inhábiles del calendario) de la "
        "recepción al cierre. En asesoría se descuentan los días hábiles en que el reloj "
        "estuvo en pausa esperando a la persona solicitante."
    ),
    "plazos": _(
        "Plazos legales de las solicitudes recibidas en el periodo: invitación a la otra "
        "parte dentro de los días hábiles del art. 69 LGMASC contados desde la admisión; "
        "convenio enviado a registro dentro de los del art. 98 contados desde la firma; "
        "procedimiento concluido dentro de los meses del art. 64 desde la admisión (o de la "
        "prórroga acordada). Cada caso usa las cifras de plazos que le rigen. «Vencido» es un "
        "plazo que pasó sin hacerse; «aún en plazo», uno que todavía corre."
    ),
    "sesiones": _(
        "Sesiones: por la fecha de la sesión. Una sesión no celebrada por inasistencia es la "
        "que se registró así; las sesiones cuentan para la persona que las facilitó."
    ),
    "asesoria": _(
        "Asesoría: resuelta en el primer contacto cuando así se registró al resolverla; "
        "canalizada cuando se envió un oficio a otra dependencia (se cuenta la primera); "
        "convertida cuando abrió un caso de mediación ligado."
    ),
    "carga": _(
        "Carga de trabajo: casos que la persona lleva hoy (abiertos) y, del periodo, los que "
        "recibió a su cargo, los que concluyó y las sesiones que facilitó."
    ),
    "satisfaccion": _(
        "Satisfacción: respuestas de la encuesta (1 a 5) de las asesorías concluidas en el "
        "periodo; el promedio solo cuenta a quien respondió."
    ),
    "arco": _(
        "Derechos ARCO: solicitudes recibidas en el periodo (hora de México), por derecho. El "
        "plazo de respuesta es el que rige a cada solicitud (días hábiles, con la ampliación si "
        "se notificó); mientras se espera la información pedida a la persona el plazo no "
        "corre, y al entregarla se cuenta de nuevo. No dependen de los filtros de casos."
    ),
}


# --- Indicadores con que se miden las metas del POA ---------------------------------------


@dataclass(frozen=True)
class Indicador:
    clave: str
    etiqueta: str
    # Una medida del resumen (se suma por mes) o «jornadas» (módulos con fecha en el mes).
    medida: str
    tipo: str = ""  # "" cuenta los dos tipos de caso
    canal: str = ""


INDICADORES: dict[str, Indicador] = {
    i.clave: i
    for i in [
        Indicador("sesiones", _("Sesiones de mediación celebradas"), "ses_celebradas"),
        Indicador("mediaciones", _("Solicitudes de mediación recibidas"), "recibidas", "MED"),
        Indicador("convenios", _("Convenios firmados"), "convenio_total+convenio_parcial", "MED"),
        Indicador("asesorias", _("Solicitudes de asesoría recibidas"), "recibidas", "ASE"),
        Indicador(
            "personas_modulo",
            _("Personas atendidas en módulos itinerantes"),
            "recibidas",
            canal="modulo",
        ),
        Indicador(
            "asesorias_telefono",
            _("Asesorías por la línea telefónica"),
            "recibidas",
            "ASE",
            canal="telefono",
        ),
        Indicador("jornadas", _("Jornadas de módulo itinerante"), "jornadas"),
        Indicador("informes", _("Informes estadísticos mensuales emitidos"), "informes"),
    ]
}


def medidas_del_indicador(indicador: Indicador) -> list[str]:
    return indicador.medida.split("+")


CUMPLIMIENTOS = dict(Cumplimiento.choices)

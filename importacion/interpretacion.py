"""Cada celda del registro anterior, vuelta dato del sistema: fechas (dd/mm/aaaa,
aaaa-mm-dd o fecha de Excel), tipo, canal, etapa, resultado, teléfono y correo. Lo que no se
entiende es un `Invalido` con un mensaje en español que dice qué venía y qué se espera."""

import re
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from casos.models import Canal, CausaConclusion, TipoCaso
from casos.telefonos import normalizar_telefono
from casos.texto import limpiar_texto, normalizar_busqueda


class Invalido(Exception):
    """La celda no se puede interpretar; el mensaje dice por qué."""


def texto(valor) -> str:
    """El contenido de una celda como texto de una línea (un número entero de Excel sin
    «.0»; una fecha como dd/mm/aaaa)."""
    if valor is None:
        return ""
    if isinstance(valor, bool):
        return _("sí") if valor else _("no")
    if isinstance(valor, float) and valor.is_integer():
        return str(int(valor))
    if isinstance(valor, datetime):
        return (
            valor.strftime("%d/%m/%Y")
            if valor.time() == time(0)
            else valor.strftime("%d/%m/%Y %H:%M")
        )
    if isinstance(valor, date):
        return valor.strftime("%d/%m/%Y")
    return limpiar_texto(str(valor), una_linea=True)


def texto_largo(valor) -> str:
    """Como `texto`, pero conserva los saltos de línea (el relato)."""
    if isinstance(valor, str):
        return limpiar_texto(valor)
    return texto(valor)


def clave(valor) -> str:
    """El texto sin acentos, mayúsculas ni signos, para compararlo con listas de nombres."""
    return re.sub(r"[^a-z0-9]+", " ", normalizar_busqueda(texto(valor))).strip()


# --- Fechas ---------------------------------------------------------------------------------

_DMA = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})(?:[ T]+(\d{1,2}):(\d{2})(?::\d{2})?)?$"
)
_AMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$")
# Números de serie de Excel entre 1982 y 2064: otro número no es una fecha.
_SERIE_MIN, _SERIE_MAX = 30000, 60000
_EPOCA_EXCEL = datetime(1899, 12, 30)
_FORMATOS = "dd/mm/aaaa o aaaa-mm-dd"


def _formar(anio: int, mes: int, dia: int, hora: int | None, minuto: int | None, original):
    try:
        fecha = date(anio, mes, dia)
    except ValueError:
        if mes > 12 and dia <= 12:
            raise Invalido(
                _(
                    "«%(v)s»: no existe el mes %(mes)d; ¿está como mes/día? Escriba la fecha "
                    "como día/mes/año (dd/mm/aaaa)."
                )
                % {"v": original, "mes": mes}
            ) from None
        raise Invalido(_("«%(v)s» no es una fecha que exista.") % {"v": original}) from None
    if hora is None:
        return fecha, None
    if hora > 23 or minuto > 59:
        raise Invalido(_("«%(v)s»: la hora no es válida.") % {"v": original})
    return fecha, time(hora, minuto)


def _de_texto(cadena: str):
    if m := _AMD.match(cadena):
        anio, mes, dia = int(m[1]), int(m[2]), int(m[3])
        hora, minuto = (int(m[4]), int(m[5])) if m[4] else (None, None)
        return _formar(anio, mes, dia, hora, minuto, cadena)
    if m := _DMA.match(cadena):
        if len(m[3]) != 4:
            raise Invalido(
                _("«%(v)s»: escriba el año con cuatro dígitos (dd/mm/aaaa).") % {"v": cadena}
            )
        dia, mes, anio = int(m[1]), int(m[2]), int(m[3])
        hora, minuto = (int(m[4]), int(m[5])) if m[4] else (None, None)
        return _formar(anio, mes, dia, hora, minuto, cadena)
    if re.fullmatch(r"\d+(\.\d+)?", cadena):
        return _de_serie(float(cadena), cadena)
    raise Invalido(
        _("«%(v)s» no es una fecha; use %(formatos)s.") % {"v": cadena, "formatos": _FORMATOS}
    )


def _de_serie(numero: float, original) -> tuple[date, time | None]:
    if not _SERIE_MIN <= numero <= _SERIE_MAX:
        raise Invalido(
            _("«%(v)s» no es una fecha; use %(formatos)s.") % {"v": original, "formatos": _FORMATOS}
        )
    momento = _EPOCA_EXCEL + timedelta(days=numero)
    momento = momento.replace(microsecond=0)
    return momento.date(), (momento.time() if momento.time() != time(0) else None)


def fecha(valor) -> datetime | None:
    """La fecha (y hora, si la trae) en hora de México; None si la celda está vacía. Sin hora,
    a las 12:00 (a mediodía la fecha no cambia con ningún horario)."""
    if valor is None or (isinstance(valor, str) and not valor.strip()):
        return None
    if isinstance(valor, datetime):
        dia, hora = valor.date(), (valor.time() if valor.time() != time(0) else None)
    elif isinstance(valor, date):
        dia, hora = valor, None
    elif isinstance(valor, int | float) and not isinstance(valor, bool):
        dia, hora = _de_serie(float(valor), texto(valor))
    else:
        dia, hora = _de_texto(texto(valor))
    if dia.year < 1990:
        raise Invalido(_("«%(v)s»: la fecha es demasiado antigua.") % {"v": texto(valor)})
    return timezone.make_aware(datetime.combine(dia, hora or time(12, 0)))


# --- Listas de valores ----------------------------------------------------------------------

TIPOS = {
    "med": TipoCaso.MEDIACION,
    "m": TipoCaso.MEDIACION,
    "mediacion": TipoCaso.MEDIACION,
    "mediacion comunitaria": TipoCaso.MEDIACION,
    "ase": TipoCaso.ASESORIA,
    "a": TipoCaso.ASESORIA,
    "asesoria": TipoCaso.ASESORIA,
    "asesoria ciudadana": TipoCaso.ASESORIA,
    "orientacion": TipoCaso.ASESORIA,
}

CANALES = {
    "telefono": Canal.TELEFONO,
    "telefonica": Canal.TELEFONO,
    "linea telefonica": Canal.TELEFONO,
    "llamada": Canal.TELEFONO,
    "tel": Canal.TELEFONO,
    "modulo": Canal.MODULO,
    "modulo itinerante": Canal.MODULO,
    "itinerante": Canal.MODULO,
    "web": Canal.WEB,
    "internet": Canal.WEB,
    "en linea": Canal.WEB,
    "formulario web": Canal.WEB,
    "pagina web": Canal.WEB,
    "presencial": Canal.PRESENCIAL,
    "presencial en oficina": Canal.PRESENCIAL,
    "oficina": Canal.PRESENCIAL,
    "ventanilla": Canal.PRESENCIAL,
    "personal": Canal.PRESENCIAL,
    "comparecencia": Canal.PRESENCIAL,
    "escrito": Canal.PRESENCIAL,
    "oficio": Canal.PRESENCIAL,
}

# Etapas del registro anterior: (etapa del sistema, causa de conclusión que ya implica).
ETAPAS = {
    **dict.fromkeys(
        ("recibida", "recibido", "nueva", "nuevo", "registrada", "abierta", "pendiente"),
        ("recibida", ""),
    ),
    **dict.fromkeys(("en revision", "revision", "por revisar"), ("en_revision", "")),
    **dict.fromkeys(("admitida", "admitido"), ("admitida", "")),
    **dict.fromkeys(("asignada", "asignado"), ("asignada", "")),
    **dict.fromkeys(("clasificada", "clasificado"), ("clasificada", "")),
    **dict.fromkeys(
        ("invitacion", "invitacion enviada", "invitada", "en invitacion", "invitando"),
        ("invitacion", ""),
    ),
    **dict.fromkeys(
        ("sesion", "sesion programada", "en mediacion", "en sesion", "mediacion en curso"),
        ("en_mediacion", ""),
    ),
    **dict.fromkeys(
        (
            "convenio",
            "convenio firmado",
            "en validacion",
            "validacion",
            "en registro",
            "seguimiento",
            "en seguimiento",
        ),
        ("convenio", ""),
    ),
    **dict.fromkeys(
        (
            "en atencion",
            "atencion",
            "esperando al ciudadano",
            "esperando a la persona",
            "en espera",
            "canalizada en espera",
            "en canalizacion",
        ),
        ("en_atencion", ""),
    ),
    **dict.fromkeys(
        ("concluida", "concluido", "cerrada", "cerrado", "terminada", "finalizada", "archivada"),
        ("concluida", ""),
    ),
    **dict.fromkeys(
        ("concluida con convenio", "convenio cumplido", "cumplido", "cumplida"),
        ("concluida", CausaConclusion.CONVENIO_TOTAL),
    ),
    **dict.fromkeys(
        ("concluida sin acuerdo", "sin acuerdo"), ("concluida", CausaConclusion.SIN_ACUERDO)
    ),
    **dict.fromkeys(
        ("no admitida", "no admitido", "improcedente"), ("concluida", CausaConclusion.NO_ADMITIDA)
    ),
    **dict.fromkeys(("canalizada", "canalizado"), ("concluida", CausaConclusion.CANALIZADA)),
    **dict.fromkeys(
        ("resuelta", "resuelto", "atendida", "atendido", "orientada"),
        ("concluida", CausaConclusion.RESUELTA),
    ),
    **dict.fromkeys(
        ("desistida", "desistimiento", "desistio"), ("concluida", CausaConclusion.DESISTIMIENTO)
    ),
}

RESULTADOS = {
    **{clave(c.label): c.value for c in CausaConclusion},
    **dict.fromkeys(
        (
            "convenio",
            "convenio total",
            "con convenio",
            "acuerdo",
            "acuerdo total",
            "con acuerdo",
            "convenio firmado",
            "cumplido",
        ),
        CausaConclusion.CONVENIO_TOTAL,
    ),
    **dict.fromkeys(("convenio parcial", "acuerdo parcial"), CausaConclusion.CONVENIO_PARCIAL),
    **dict.fromkeys(
        ("sin acuerdo", "no hubo acuerdo", "sin convenio", "no se llego a acuerdo"),
        CausaConclusion.SIN_ACUERDO,
    ),
    **dict.fromkeys(
        ("desistimiento", "desistio", "desistida", "se desistio"), CausaConclusion.DESISTIMIENTO
    ),
    **dict.fromkeys(
        ("no admitida", "improcedente", "no mediable", "no admitido"),
        CausaConclusion.NO_ADMITIDA,
    ),
    **dict.fromkeys(("canalizada", "canalizado", "se canalizo"), CausaConclusion.CANALIZADA),
    **dict.fromkeys(
        ("resuelta", "resuelto", "atendida", "atendido", "orientada", "orientacion"),
        CausaConclusion.RESUELTA,
    ),
    **dict.fromkeys(
        ("inasistencia", "inasistencias", "no asistio", "no asistieron"),
        CausaConclusion.INASISTENCIAS,
    ),
    **dict.fromkeys(
        ("invitacion fallida", "no acudio", "no localizada", "no se localizo"),
        CausaConclusion.INVITACION_FALLIDA,
    ),
    **dict.fromkeys(
        ("rechazo", "no acepto", "rechazo la invitacion"), CausaConclusion.RECHAZO_INVITADA
    ),
    **dict.fromkeys(
        ("conducta", "conducta agresiva", "conducta dilatoria"), CausaConclusion.CONDUCTA
    ),
    **dict.fromkeys(("muerte", "fallecimiento", "fallecio"), CausaConclusion.MUERTE),
    **dict.fromkeys(("plazo", "plazo vencido", "vencio el plazo"), CausaConclusion.PLAZO),
    **dict.fromkeys(("otra", "otro", "otra causa"), CausaConclusion.OTRA),
}


def tipo(valor) -> str:
    """MED o ASE; '' si la celda está vacía."""
    if not clave(valor):
        return ""
    try:
        return TIPOS[clave(valor)]
    except KeyError:
        raise Invalido(
            _("«%(v)s» no es un tipo: use MED (mediación) o ASE (asesoría).") % {"v": texto(valor)}
        ) from None


def canal(valor) -> str:
    """El canal de entrada; sin dato, presencial en oficina."""
    if not clave(valor):
        return Canal.PRESENCIAL
    try:
        return CANALES[clave(valor)]
    except KeyError:
        raise Invalido(
            _("«%(v)s» no es un canal: use teléfono, módulo, web o presencial.")
            % {"v": texto(valor)}
        ) from None


def etapa(valor) -> tuple[str, str]:
    """(etapa, causa implícita); ('', '') si la celda está vacía."""
    if not clave(valor):
        return "", ""
    try:
        return ETAPAS[clave(valor)]
    except KeyError:
        raise Invalido(
            _(
                "«%(v)s» no es un estado que el sistema conozca: use recibida, en revisión, "
                "admitida, invitación enviada, en mediación, convenio firmado, clasificada, "
                "asignada, en atención o concluida."
            )
            % {"v": texto(valor)}
        ) from None


def resultado(valor) -> str:
    """La causa de conclusión; '' si la celda está vacía."""
    if not clave(valor):
        return ""
    try:
        return RESULTADOS[clave(valor)]
    except KeyError:
        raise Invalido(
            _(
                "«%(v)s» no es un resultado que el sistema conozca: use convenio, convenio "
                "parcial, sin acuerdo, desistimiento, inasistencias, no admitida, canalizada o "
                "resuelta."
            )
            % {"v": texto(valor)}
        ) from None


def telefono(valor) -> str:
    """En E.164 con la normalización del proyecto (`casos.telefonos`); '' si está vacío."""
    cadena = texto(valor)
    try:
        return normalizar_telefono(cadena)
    except ValidationError as error:
        raise Invalido(" ".join(error.messages)) from None


def correo(valor) -> str:
    cadena = texto(valor).strip()
    if not cadena:
        return ""
    try:
        validate_email(cadena)
    except ValidationError:
        raise Invalido(_("«%(v)s» no es un correo electrónico válido.") % {"v": cadena}) from None
    if len(cadena) > 254:
        raise Invalido(_("El correo es demasiado largo."))
    return cadena

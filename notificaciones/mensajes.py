"""Los avisos que el sistema envía, en español llano.

Cada aviso tiene asunto y texto completo (correo) y una forma corta para SMS y WhatsApp que
cabe en 160 caracteres GSM-7 (en SMS se quitan los acentos que GSM-7 no tiene). Se redacta
al enviarse, con los datos de ese momento; si el aviso ya no corresponde (la sesión se
reprogramó, la cláusula ya se cumplió), `NoCorresponde` lo cancela con su motivo.
"""

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from casos import codigos
from casos.models import Centro, Clausula, Cumplimiento, Estado, EstadoSesion, Sesion

from .canales import Adjunto, dominio
from .ics import Cita, calendario


class NoCorresponde(Exception):
    """El aviso ya no tiene sentido; se cancela con este motivo."""


@dataclass(frozen=True)
class Aviso:
    clave: str
    descripcion: str
    asunto: str
    largo: str
    corto: str
    datos: Callable
    citas: Callable | None = None
    ciudadano: bool = True


# --- Utilidades de texto --------------------------------------------------------------------

# GSM 03.38: alfabeto básico (1 septeto) y extensión (2 septetos).
GSM7_BASICO = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")
_SUSTITUTOS = {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "«": '"'}
_SUSTITUTOS["»"] = '"'


def a_gsm7(texto: str) -> str:
    """Texto que cabe en GSM-7: «sesión» → «sesion»; conserva é, ñ, ü, ¿ y ¡."""
    salida = []
    for caracter in texto:
        if caracter in GSM7_BASICO or caracter in GSM7_EXTENSION:
            salida.append(caracter)
            continue
        if caracter in _SUSTITUTOS:
            salida.append(_SUSTITUTOS[caracter])
            continue
        base = unicodedata.normalize("NFD", caracter)[0]
        salida.append(base if base in GSM7_BASICO else "?")
    return "".join(salida)


def septetos_gsm7(texto: str) -> int:
    """Longitud en septetos (lo que cuenta para los 160 de un SMS)."""
    return sum(2 if c in GSM7_EXTENSION else 1 for c in texto)


def _recortar(texto: str, maximo: int) -> str:
    texto = " ".join((texto or "").split())
    return texto if len(texto) <= maximo else texto[: maximo - 1].rstrip() + "…"


def cuando_largo(momento) -> str:
    local = timezone.localtime(momento)
    return formats.date_format(local, r"l j \d\e F \d\e Y, \a \l\a\s H:i").lower() + " h"


def cuando_corto(momento) -> str:
    local = timezone.localtime(momento)
    return formats.date_format(local, r"D j/m H:i").lower()


def url_publica(ruta: str) -> str:
    return settings.URL_PUBLICA + ruta


# --- Enlaces públicos -----------------------------------------------------------------------


def _base36(numero: int) -> str:
    digitos = "0123456789abcdefghijklmnopqrstuvwxyz"
    texto = ""
    while True:
        numero, resto = divmod(numero, 36)
        texto = digitos[resto] + texto
        if not numero:
            return texto


def token_encuesta(caso_id: int) -> str:
    """Corto para que el enlace quepa en un SMS: el id en base 36 y 10 caracteres de HMAC."""
    firma = hmac.new(
        settings.SECRET_KEY.encode(), f"encuesta:{caso_id}".encode(), hashlib.sha256
    ).hexdigest()[:10]
    return f"{_base36(caso_id)}-{firma}"


def caso_de_token_encuesta(token: str) -> int | None:
    base, _, _firma = (token or "").partition("-")
    if not base or len(base) > 8 or not base.isalnum() or not base.isascii():
        return None
    caso_id = int(base, 36)
    return caso_id if hmac.compare_digest(token_encuesta(caso_id), token) else None


SAL_BAJA = "notificaciones.baja"


def enlace_baja(canal: str, destino: str) -> str:
    token = signing.dumps({"c": canal, "d": destino}, salt=SAL_BAJA, compress=True)
    return url_publica(reverse("notificaciones:baja", args=[token]))


# --- Datos de cada aviso --------------------------------------------------------------------


def _centro() -> dict:
    centro = Centro.actual()
    return {
        "centro": centro.nombre,
        "al_telefono": (_("al %(t)s") % {"t": _telefono_corto(centro.telefono)})
        if centro.telefono
        else _("a la oficina"),
        "horario": centro.horario or _("en horario de oficina"),
        "domicilio": centro.domicilio or centro.nombre,
        "firma": settings.AVISOS_FIRMA_SMS,
        "url_consulta": url_publica(reverse("portal:consulta")),
    }


def _telefono_corto(telefono: str) -> str:
    """El número sin extensión ni notas: recortarlo podría dar otro número."""
    base = re.split(r"(?i)\s*(ext|extensi|,|;|/)", telefono, maxsplit=1)[0].strip()
    return base[:18]


def _del_caso(mensaje) -> dict:
    caso = mensaje.caso
    nombre = mensaje.parte.nombre if mensaje.parte_id else ""
    if mensaje.usuario_id:
        nombre = mensaje.usuario.get_full_name() or mensaje.usuario.username
    return {
        **_centro(),
        "folio": caso.folio if caso else "",
        "nombre": nombre,
        "tipo": caso.get_tipo_display().lower() if caso else "",
    }


def _acuse(mensaje) -> dict:
    caso = mensaje.caso
    return {
        **_del_caso(mensaje),
        "codigo": codigos.mostrar_codigo(codigos.derivar_codigo(caso.folio, caso.codigo_sal)),
    }


def _invitacion(mensaje) -> dict:
    caso = mensaje.caso
    if not caso.abierto or caso.estado not in (Estado.ADMITIDA, Estado.INVITACION):
        raise NoCorresponde(_("El caso ya pasó la etapa de invitación."))
    responsable = caso.responsable
    return {
        **_del_caso(mensaje),
        "facilitador": (responsable.get_full_name() or responsable.username)
        if responsable
        else _("una persona facilitadora certificada"),
    }


def _sesion(mensaje, *, vigente: bool = True) -> dict:
    sesion = Sesion.objects.select_related("sala", "mediador").get(pk=mensaje.contexto["sesion"])
    if vigente:
        if sesion.estado != EstadoSesion.PROGRAMADA:
            raise NoCorresponde(
                _("La sesión ya no está programada (%(estado)s).")
                % {"estado": sesion.get_estado_display().lower()}
            )
        prevista = mensaje.contexto.get("inicio")
        if prevista and datetime.fromisoformat(prevista) != sesion.inicio:
            raise NoCorresponde(_("La sesión cambió de fecha."))
        if sesion.inicio <= timezone.now():
            raise NoCorresponde(_("La hora de la sesión ya pasó."))
    datos = {
        **_del_caso(mensaje),
        "numero": sesion.numero,
        "cuando": cuando_largo(sesion.inicio),
        "cuando_corto": cuando_corto(sesion.inicio),
        "lugar": sesion.donde,
        "lugar_corto": _recortar(sesion.donde, 24),
        "facilitador": sesion.mediador.get_full_name() or sesion.mediador.username,
        "_sesion": sesion,
    }
    anterior_id = mensaje.contexto.get("anterior")
    if anterior_id:
        anterior = Sesion.objects.get(pk=anterior_id)
        datos["antes"] = cuando_largo(anterior.inicio)
        datos["_anterior"] = anterior
    return datos


def _sesion_cancelada(mensaje) -> dict:
    return _sesion(mensaje, vigente=False)


def _cita(sesion: Sesion, datos: dict, destino: str, *, cancelada: bool = False) -> Cita:
    return Cita(
        uid=f"sesion-{sesion.pk}@{dominio()}",
        inicio=sesion.inicio,
        fin=sesion.fin,
        resumen=str(_("Sesión de mediación %(folio)s")) % {"folio": datos["folio"]},
        lugar=sesion.donde,
        descripcion=str(_("Facilitador(a): %(f)s. Informes: llame %(t)s."))
        % {"f": datos["facilitador"], "t": datos["al_telefono"]},
        organizador=settings.DEFAULT_FROM_EMAIL,
        asistente=destino,
        secuencia=1 if cancelada else 0,
        cancelada=cancelada,
    )


def _adjunto(cita: Cita, nombre: str) -> Adjunto:
    metodo = "CANCEL" if cita.cancelada else "REQUEST"
    return Adjunto(nombre, calendario(cita), f"text/calendar;method={metodo}")


def _citas_sesion(mensaje, datos) -> list[Adjunto]:
    adjuntos = [_adjunto(_cita(datos["_sesion"], datos, mensaje.destino), "sesion.ics")]
    if "_anterior" in datos:
        adjuntos.insert(
            0,
            _adjunto(
                _cita(datos["_anterior"], datos, mensaje.destino, cancelada=True), "cancelada.ics"
            ),
        )
    return adjuntos


def _citas_cancelada(mensaje, datos) -> list[Adjunto]:
    return [
        _adjunto(_cita(datos["_sesion"], datos, mensaje.destino, cancelada=True), "cancelada.ics")
    ]


def _clausula(mensaje) -> dict:
    clausula = Clausula.objects.select_related("convenio").get(pk=mensaje.contexto["clausula"])
    if clausula.cumplimiento != Cumplimiento.PENDIENTE:
        raise NoCorresponde(_("La cláusula ya se verificó."))
    if clausula.fecha_limite != timezone.localdate():
        raise NoCorresponde(_("Ya no es el día en que vence la cláusula."))
    if not mensaje.caso.abierto:
        raise NoCorresponde(_("El caso ya se cerró."))
    return {
        **_del_caso(mensaje),
        "numero": clausula.numero,
        "fecha": formats.date_format(clausula.fecha_limite, r"j \d\e F").lower(),
        "obligacion": _recortar(clausula.descripcion, 300),
    }


def _encuesta(mensaje) -> dict:
    caso = mensaje.caso
    if caso.satisfaccion is not None:
        raise NoCorresponde(_("La persona ya respondió la encuesta."))
    return {
        **_del_caso(mensaje),
        "url_encuesta": url_publica(reverse("encuesta", args=[token_encuesta(caso.pk)])),
    }


def _tarea(mensaje) -> dict:
    from viewflow.workflow.models import Task

    from flujos.selectors import ABIERTAS

    tarea = Task.objects.filter(pk=mensaje.contexto["tarea"]).first()
    if tarea is None or tarea.status not in ABIERTAS:
        raise NoCorresponde(_("La tarea ya se atendió."))
    if tarea.owner_id != mensaje.usuario_id:
        raise NoCorresponde(_("La tarea ya la tiene otra persona."))
    vence = (
        str(_(", vence el %(fecha)s")) % {"fecha": cuando_largo(tarea.scheduled)}
        if tarea.scheduled
        else ""
    )
    return {
        **_del_caso(mensaje),
        "tarea": mensaje.contexto.get("titulo", ""),
        "vence": vence,
        "url": url_publica(reverse("flujos:bandeja")),
    }


def _plazo(mensaje) -> dict:
    if mensaje.caso and not mensaje.caso.abierto:
        raise NoCorresponde(_("El caso ya concluyó."))
    return {
        **_del_caso(mensaje),
        "que": mensaje.contexto["que"],
        "fecha": mensaje.contexto["fecha"],
        "url": url_publica(reverse("casos:detalle", args=[mensaje.caso.folio]))
        if mensaje.caso
        else settings.URL_PUBLICA,
    }


def _resumen(mensaje) -> dict:
    renglones = mensaje.contexto["renglones"]
    if not renglones:
        raise NoCorresponde(_("No hay trabajo vencido."))
    return {
        **_del_caso(mensaje),
        "n": len(renglones),
        "tareas": ngettext("tarea vencida", "tareas vencidas", len(renglones)),
        "lista": "\n".join(f"  • {r}" for r in renglones),
        "url": url_publica(reverse("flujos:bandeja")),
    }


# --- Catálogo -------------------------------------------------------------------------------

_CONTACTO = _("Si tiene dudas, llame %(al_telefono)s (%(horario)s).")

AVISOS = {
    a.clave: a
    for a in [
        Aviso(
            clave="acuse",
            descripcion=_("Acuse de la solicitud (folio y código)"),
            asunto=_("Su solicitud quedó registrada: folio %(folio)s"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "%(centro)s recibió su solicitud de %(tipo)s. Quedó registrada con el folio "
                "%(folio)s.\n\n"
                "Para ver en qué va su caso, entre a %(url_consulta)s con su folio y este "
                "código de consulta: %(codigo)s. Guárdelo y no lo comparta.\n\n"
            )
            + _CONTACTO,
            corto=_(
                "%(firma)s: folio %(folio)s, código %(codigo)s. Consulte su solicitud en "
                "%(url_consulta)s"
            ),
            datos=_acuse,
        ),
        Aviso(
            clave="codigo_nuevo",
            descripcion=_("Código de consulta nuevo"),
            asunto=_("Su nuevo código de consulta (folio %(folio)s)"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "Su nuevo código de consulta para el folio %(folio)s es %(codigo)s. El código "
                "anterior ya no funciona. Consulte su caso en %(url_consulta)s.\n\n"
                "Si usted no pidió un código nuevo, avísenos.\n\n"
            )
            + _CONTACTO,
            corto=_(
                "%(firma)s: nuevo código del folio %(folio)s: %(codigo)s. Consulte en "
                "%(url_consulta)s"
            ),
            datos=_acuse,
        ),
        Aviso(
            clave="codigo_reenviado",
            descripcion=_("Código de consulta (lo pidió la persona)"),
            asunto=_("Su código de consulta (folio %(folio)s)"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "Nos pidieron desde la consulta en línea su código del folio %(folio)s. Es "
                "%(codigo)s. Consulte su caso en %(url_consulta)s.\n\n"
                "Si usted no lo pidió, puede ignorar este mensaje; si cree que alguien más "
                "conoce su código, pida a la oficina uno nuevo.\n\n"
            )
            + _CONTACTO,
            corto=_(
                "%(firma)s: su código del folio %(folio)s es %(codigo)s. Consulte en "
                "%(url_consulta)s"
            ),
            datos=_acuse,
        ),
        Aviso(
            clave="invitacion",
            descripcion=_("Invitación a la otra parte"),
            asunto=_("Invitación a una mediación (folio %(folio)s)"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "%(centro)s le invita a participar en un procedimiento de mediación, folio "
                "%(folio)s. La mediación es voluntaria, gratuita y confidencial: una persona "
                "facilitadora certificada (%(facilitador)s) ayuda a que las partes platiquen y "
                "busquen juntas un acuerdo.\n\n"
                "Para conocer los detalles o agendar una sesión, llame %(al_telefono)s "
                "(%(horario)s) o acuda a %(domicilio)s."
            ),
            corto=_(
                "%(firma)s le invita a una mediación voluntaria y gratuita (folio %(folio)s). "
                "Informes y citas %(al_telefono)s"
            ),
            datos=_invitacion,
        ),
        Aviso(
            clave="sesion_programada",
            descripcion=_("Sesión programada"),
            asunto=_("Sesión de mediación: %(cuando)s"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "Se programó la sesión %(numero)s de mediación del folio %(folio)s.\n\n"
                "  Fecha y hora: %(cuando)s\n"
                "  Lugar: %(lugar)s\n"
                "  Facilitador(a): %(facilitador)s\n\n"
                "Adjuntamos la cita para su calendario. Traiga una identificación oficial. Si "
                "no puede asistir, avísenos lo antes posible %(al_telefono)s."
            ),
            corto=_(
                "%(firma)s: sesión de mediación %(folio)s, %(cuando_corto)s, %(lugar_corto)s. "
                "Dudas: llame %(al_telefono)s"
            ),
            datos=_sesion,
            citas=_citas_sesion,
        ),
        Aviso(
            clave="sesion_reprogramada",
            descripcion=_("Sesión reprogramada"),
            asunto=_("Cambió la fecha de su sesión de mediación: %(cuando)s"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "La sesión de mediación del folio %(folio)s que estaba programada para el "
                "%(antes)s cambió a:\n\n"
                "  Fecha y hora: %(cuando)s\n"
                "  Lugar: %(lugar)s\n"
                "  Facilitador(a): %(facilitador)s\n\n"
                "Adjuntamos la cita nueva para su calendario (y la cancelación de la anterior). "
                "Si no puede asistir, avísenos %(al_telefono)s."
            ),
            corto=_(
                "%(firma)s: su sesión %(folio)s cambió al %(cuando_corto)s, %(lugar_corto)s. "
                "Dudas: llame %(al_telefono)s"
            ),
            datos=_sesion,
            citas=_citas_sesion,
        ),
        Aviso(
            clave="sesion_cancelada",
            descripcion=_("Sesión cancelada"),
            asunto=_("Se canceló su sesión de mediación del %(cuando)s"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "La sesión de mediación del folio %(folio)s programada para el %(cuando)s se "
                "canceló. No necesita presentarse.\n\n"
            )
            + _CONTACTO,
            corto=_(
                "%(firma)s: se canceló la sesión %(folio)s del %(cuando_corto)s. No se presente. "
                "Dudas: llame %(al_telefono)s"
            ),
            datos=_sesion_cancelada,
            citas=_citas_cancelada,
        ),
        Aviso(
            clave="recordatorio_sesion",
            descripcion=_("Recordatorio de sesión"),
            asunto=_("Recordatorio: sesión de mediación el %(cuando)s"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "Le recordamos su sesión de mediación del folio %(folio)s.\n\n"
                "  Fecha y hora: %(cuando)s\n"
                "  Lugar: %(lugar)s\n\n"
                "Traiga una identificación oficial. Si no puede asistir, avísenos "
                "%(al_telefono)s."
            ),
            corto=_(
                "%(firma)s: recuerde su sesión %(folio)s el %(cuando_corto)s en "
                "%(lugar_corto)s. Traiga identificación"
            ),
            datos=_sesion,
        ),
        Aviso(
            clave="recordatorio_clausula",
            descripcion=_("Compromiso del convenio que vence hoy"),
            asunto=_("Hoy vence un compromiso de su convenio (folio %(folio)s)"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "Le recordamos que hoy, %(fecha)s, vence el compromiso de la cláusula "
                "%(numero)s del convenio del folio %(folio)s:\n\n  %(obligacion)s\n\n"
                "Si ya lo cumplió, no necesita hacer nada. Si tiene algún problema para "
                "cumplirlo, llame %(al_telefono)s."
            ),
            corto=_(
                "%(firma)s: hoy vence el compromiso de la cláusula %(numero)s de su convenio "
                "%(folio)s. Dudas: llame %(al_telefono)s"
            ),
            datos=_clausula,
        ),
        Aviso(
            clave="encuesta",
            descripcion=_("Pregunta de satisfacción"),
            asunto=_("¿Cómo le atendimos? (folio %(folio)s)"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "Su asesoría del folio %(folio)s quedó resuelta. ¿Nos ayuda con una sola "
                "pregunta? Califique la atención del 1 al 5 en %(url_encuesta)s\n\n"
                "Su respuesta nos sirve para mejorar. Gracias."
            ),
            corto=_(
                "%(firma)s: ¿Cómo le atendimos? Califique su asesoría del 1 al 5: %(url_encuesta)s"
            ),
            datos=_encuesta,
        ),
        Aviso(
            clave="tarea_asignada",
            descripcion=_("Tarea asignada"),
            asunto=_("Nueva tarea: %(tarea)s (%(folio)s)"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "Se le asignó la tarea «%(tarea)s» del caso %(folio)s%(vence)s.\n\n"
                "Su bandeja de tareas: %(url)s"
            ),
            corto=_("Nueva tarea: %(tarea)s (%(folio)s)."),
            datos=_tarea,
            ciudadano=False,
        ),
        Aviso(
            clave="plazo_por_vencer",
            descripcion=_("Plazo por vencer"),
            asunto=_("Plazo por vencer: %(que)s (%(folio)s)"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "%(que)s del caso %(folio)s: vence el %(fecha)s.\n\n"
                "Abra el expediente: %(url)s"
            ),
            corto=_("%(que)s (%(folio)s): vence el %(fecha)s."),
            datos=_plazo,
            ciudadano=False,
        ),
        Aviso(
            clave="resumen_diario",
            descripcion=_("Resumen diario de trabajo vencido"),
            asunto=_("Su trabajo vencido: %(n)s %(tareas)s"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "Tiene %(n)s %(tareas)s:\n\n%(lista)s\n\n"
                "Su bandeja de tareas: %(url)s"
            ),
            corto=_("Tiene %(n)s %(tareas)s."),
            datos=_resumen,
            ciudadano=False,
        ),
    ]
}

PIE_CORREO = _(
    "\n\n—\n%(centro)s. Este es un aviso automático.\n"
    "Si no desea recibir más avisos por correo: %(baja)s"
)
PIE_SMS = _("Resp BAJA p/no recibir")
PIE_WHATSAPP = _("\n\nResponda BAJA si no desea recibir más avisos por WhatsApp.")

DESCRIPCIONES = {clave: aviso.descripcion for clave, aviso in AVISOS.items()}

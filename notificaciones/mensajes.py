"""Los avisos que el sistema envía, en español llano.

Cada aviso tiene asunto y texto completo (correo) y una forma corta para SMS y WhatsApp que
cabe en 160 caracteres GSM-7 (en SMS se quitan los acentos que GSM-7 no tiene). Se redacta
al enviarse, con los datos de ese momento (`datos`); si el aviso ya no corresponde (la sesión
se reprogramó, la cláusula ya se cumplió), `datos.NoCorresponde` lo cancela con su motivo.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import datos


@dataclass(frozen=True)
class Aviso:
    """`datos` da los valores del texto; `citas`, los adjuntos de calendario del correo;
    `ciudadano`, si lleva el pie para darse de baja (al personal no se le pone); `urgente`,
    si responde a algo que la persona acaba de pedir (su folio, su código): sale aunque sea
    el horario de silencio (`silencio.hora_de_salida`)."""

    clave: str
    descripcion: str
    asunto: str
    largo: str
    corto: str
    datos: Callable
    citas: Callable | None = None
    ciudadano: bool = True
    urgente: bool = False


# --- GSM-7 (SMS) --------------------------------------------------------------------------

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


# --- Catálogo -------------------------------------------------------------------------------

_CONTACTO = _("Si tiene dudas, llame %(al_telefono)s (%(horario)s).")

AVISOS = {
    a.clave: a
    for a in [
        Aviso(
            clave="acuse",
            urgente=True,
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
            datos=datos.de_acuse,
        ),
        Aviso(
            clave="codigo_nuevo",
            urgente=True,
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
            datos=datos.de_acuse,
        ),
        Aviso(
            clave="codigo_reenviado",
            urgente=True,
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
            datos=datos.de_acuse,
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
            datos=datos.de_invitacion,
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
            datos=datos.de_sesion,
            citas=datos.citas_sesion,
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
            datos=datos.de_sesion,
            citas=datos.citas_sesion,
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
            datos=datos.de_sesion_cancelada,
            citas=datos.citas_cancelada,
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
            # Cabe en un SMS con la firma, el folio y la fecha más largos y el pie de BAJA.
            corto=_(
                "%(firma)s: sesión %(folio)s %(cuando_corto)s. Responda SI para confirmar, NO "
                "si no puede venir o CAMBIO para otra fecha"
            ),
            datos=datos.de_sesion,
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
            datos=datos.de_clausula,
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
            datos=datos.de_encuesta,
        ),
        # Solicitudes de derechos ARCO: al contacto que la persona dejó en la solicitud, por
        # el medio que eligió para la respuesta.
        Aviso(
            clave="arco_acuse",
            urgente=True,
            descripcion=_("Acuse de la solicitud ARCO (folio y código)"),
            asunto=_("Su solicitud de derechos ARCO quedó registrada: folio %(folio)s"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "%(centro)s recibió su solicitud de %(derecho)s. Quedó registrada con el folio "
                "%(folio)s y la respuesta llegará a más tardar el %(vence)s (el plazo se "
                "detiene si le pedimos información).\n\n"
                "Para ver en qué va, entre a %(url_consulta)s con su folio y este código de "
                "consulta: %(codigo)s. Guárdelo y no lo comparta.\n\n"
                "Antes de entregarle cualquier dato, la oficina verificará su identidad.\n\n"
            )
            + _CONTACTO,
            corto=_(
                "%(firma)s: solicitud ARCO %(folio)s, código %(codigo)s. Consulte en "
                "%(url_consulta)s"
            ),
            datos=datos.de_arco_acuse,
        ),
        Aviso(
            clave="arco_requerimiento",
            descripcion=_("Información pedida para la solicitud ARCO"),
            asunto=_("Necesitamos información para su solicitud %(folio)s"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "Para atender su solicitud de %(derecho)s, folio %(folio)s, necesitamos lo "
                "siguiente:\n\n  %(requerimiento)s\n\n"
                "Tiene hasta el %(vence)s para entregarlo en %(domicilio)s (%(horario)s). "
                "Mientras tanto el plazo de respuesta se detiene; si no lo entrega a tiempo, la "
                "solicitud se tendrá por no presentada.\n\n"
            )
            + _CONTACTO,
            corto=_(
                "%(firma)s: su solicitud %(folio)s requiere información; plazo %(vence)s. "
                "Informes %(al_telefono)s"
            ),
            datos=datos.de_arco_requerimiento,
        ),
        Aviso(
            clave="arco_ampliacion",
            descripcion=_("Plazo de la solicitud ARCO ampliado"),
            asunto=_("Se amplió el plazo para responder su solicitud %(folio)s"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "El plazo para responder su solicitud de %(derecho)s, folio %(folio)s, se "
                "amplió hasta el %(vence)s, por este motivo:\n\n  %(motivo)s\n\n"
            )
            + _CONTACTO,
            corto=_(
                "%(firma)s: la respuesta a su solicitud %(folio)s llegará a más tardar el "
                "%(vence)s (plazo ampliado)"
            ),
            datos=datos.de_arco_ampliacion,
        ),
        Aviso(
            clave="arco_respuesta",
            descripcion=_("Respuesta a la solicitud ARCO lista"),
            asunto=_("La respuesta a su solicitud %(folio)s está lista"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "La respuesta a su solicitud de %(derecho)s, folio %(folio)s, está lista "
                "(sentido: %(sentido)s).\n\n"
                "Puede descargarla en %(url_consulta)s con su folio y su código de consulta, o "
                "recogerla usted o su representante en %(domicilio)s (%(horario)s), con una "
                "identificación oficial.\n\n"
                "Si no está de acuerdo con la respuesta, puede interponer el recurso de "
                "revisión a más tardar el %(recurso)s.\n\n"
            )
            + _CONTACTO,
            corto=_(
                "%(firma)s: su respuesta %(folio)s está lista. Bájela en la consulta con folio "
                "y código. Dudas: %(al_telefono)s"
            ),
            datos=datos.de_arco_respuesta,
        ),
        Aviso(
            clave="tarea_asignada",
            descripcion=_("Tarea asignada"),
            asunto=_("Nueva tarea: %(tarea)s (%(folio)s)"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "Se le asignó la tarea «%(tarea)s» de %(folio)s%(vence)s.\n\n"
                "Su bandeja de tareas: %(url)s"
            ),
            corto=_("Nueva tarea: %(tarea)s (%(folio)s)."),
            datos=datos.de_tarea,
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
            datos=datos.de_plazo,
            ciudadano=False,
        ),
        Aviso(
            clave="sin_confirmar",
            descripcion=_("Sesión sin confirmar a 24 horas"),
            asunto=_("Sin confirmar: sesión %(numero)s de %(folio)s (%(cuando)s)"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "%(parte)s no ha confirmado su asistencia a la sesión %(numero)s del caso "
                "%(folio)s, programada para el %(cuando)s. Conviene llamarle.\n\n"
                "Abra el expediente: %(url)s"
            ),
            corto=_("Sin confirmar: %(parte)s, sesión %(folio)s %(cuando)s."),
            datos=datos.de_sin_confirmar,
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
            datos=datos.de_resumen,
            ciudadano=False,
        ),
        Aviso(
            clave="certificacion_por_vencer",
            descripcion=_("Certificación por vencer"),
            asunto=_("La certificación de %(mediador)s vence el %(fecha)s"),
            largo=_(
                "Hola, %(nombre)s:\n\n"
                "La certificación de %(mediador)s (número %(numero_certificacion)s, expedida "
                "por %(autoridad)s) vence el %(fecha)s: %(faltan)s.\n\n"
                "Qué hacer: la persona facilitadora tramita la renovación ante %(autoridad)s. "
                "Con la nueva constancia, la coordinación actualiza el número, la fecha de "
                "expedición y el escaneo en la administración de la oficina: %(url)s\n\n"
                "Con la certificación vencida no se le pueden asignar casos de mediación ni "
                "puede trabajar sus tareas (LGMASC art. 55)."
            ),
            corto=_("La certificación de %(mediador)s vence el %(fecha)s."),
            datos=datos.de_certificacion,
            ciudadano=False,
        ),
        # A las listas de la comunidad (`comunidad`): el texto es el que escribió la
        # coordinación; el pie para darse de baja lo pone la bandeja.
        Aviso(
            clave="comunitario",
            descripcion=_("Aviso a la comunidad"),
            asunto=_("Aviso de %(centro)s"),
            largo=_("%(texto)s"),
            corto=_("%(firma)s: %(texto)s"),
            datos=datos.de_comunidad,
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


def validar_plantillas_de_whatsapp() -> None:
    """Al arrancar: cada plantilla de TWILIO_WHATSAPP_PLANTILLAS es de un aviso a la
    ciudadanía que existe (la forma del JSON ya la revisó `config.settings`)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    ciudadanos = sorted(clave for clave, aviso in AVISOS.items() if aviso.ciudadano)
    for clave in settings.TWILIO_WHATSAPP_PLANTILLAS:
        if clave not in ciudadanos:
            raise ImproperlyConfigured(
                f"TWILIO_WHATSAPP_PLANTILLAS: «{clave}» no es un aviso a la ciudadanía; use uno "
                f"de: {', '.join(ciudadanos)}."
            )

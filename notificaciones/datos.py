"""Los datos con que se redacta cada aviso, tomados al enviarse.

Cada función recibe el `Mensaje` y devuelve el diccionario que llenan el asunto y los textos
del catálogo (`mensajes.AVISOS`); las llaves que empiezan con `_` son objetos para las citas
de calendario y no llegan al texto. Si el aviso ya no corresponde (la sesión se reprogramó,
la cláusula ya se cumplió), `NoCorresponde` lo cancela con su motivo.
"""

import re
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from casos import codigos, plazos
from casos.models import (
    Centro,
    Clausula,
    Cumplimiento,
    Estado,
    EstadoARCO,
    EstadoSesion,
    PerfilMediador,
    Sesion,
)
from casos.texto import nombre_de

from .canales import Adjunto, dominio
from .enlaces import token_encuesta, url_publica
from .ics import Cita, calendario


class NoCorresponde(Exception):
    """El aviso ya no tiene sentido; se cancela con este motivo."""


# --- Fechas y textos cortos -----------------------------------------------------------------


def _recortar(texto: str, maximo: int) -> str:
    texto = " ".join((texto or "").split())
    return texto if len(texto) <= maximo else texto[: maximo - 1].rstrip() + "…"


def cuando_largo(momento) -> str:
    local = timezone.localtime(momento)
    return formats.date_format(local, r"l j \d\e F \d\e Y, \a \l\a\s H:i").lower() + " h"


def cuando_corto(momento) -> str:
    local = timezone.localtime(momento)
    return formats.date_format(local, r"D j/m H:i").lower()


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
        # Un asunto que no es un caso (una solicitud ARCO) lleva su folio en el contexto.
        "folio": caso.folio if caso else mensaje.contexto.get("folio", ""),
        "nombre": nombre,
        "tipo": caso.get_tipo_display().lower() if caso else "",
    }


def de_acuse(mensaje) -> dict:
    caso = mensaje.caso
    return {
        **_del_caso(mensaje),
        "codigo": codigos.mostrar_codigo(codigos.derivar_codigo(caso.folio, caso.codigo_sal)),
    }


def de_invitacion(mensaje) -> dict:
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


def de_sesion(mensaje, *, vigente: bool = True) -> dict:
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


def de_sesion_cancelada(mensaje) -> dict:
    return de_sesion(mensaje, vigente=False)


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


def citas_sesion(mensaje, datos) -> list[Adjunto]:
    adjuntos = [_adjunto(_cita(datos["_sesion"], datos, mensaje.destino), "sesion.ics")]
    if "_anterior" in datos:
        adjuntos.insert(
            0,
            _adjunto(
                _cita(datos["_anterior"], datos, mensaje.destino, cancelada=True), "cancelada.ics"
            ),
        )
    return adjuntos


def citas_cancelada(mensaje, datos) -> list[Adjunto]:
    return [
        _adjunto(_cita(datos["_sesion"], datos, mensaje.destino, cancelada=True), "cancelada.ics")
    ]


def de_clausula(mensaje) -> dict:
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


def de_encuesta(mensaje) -> dict:
    caso = mensaje.caso
    if caso.satisfaccion is not None:
        raise NoCorresponde(_("La persona ya respondió la encuesta."))
    return {
        **_del_caso(mensaje),
        "url_encuesta": url_publica(reverse("encuesta", args=[token_encuesta(caso.pk)])),
    }


def de_tarea(mensaje) -> dict:
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


def de_plazo(mensaje) -> dict:
    if mensaje.caso and not mensaje.caso.abierto:
        raise NoCorresponde(_("El caso ya concluyó."))
    return {
        **_del_caso(mensaje),
        "que": mensaje.contexto["que"],
        "fecha": mensaje.contexto["fecha"],
        "url": url_publica(reverse("casos:detalle", args=[mensaje.caso.folio]))
        if mensaje.caso
        else url_publica(mensaje.contexto["url"])
        if mensaje.contexto.get("url")
        else settings.URL_PUBLICA,
    }


def de_sin_confirmar(mensaje) -> dict:
    """Al mediador: una parte no ha confirmado su asistencia y la sesión es en 24 h o menos.
    Ya no corresponde si respondió entretanto o la sesión dejó de estar programada."""
    from .models import Confirmacion, EstadoConfirmacion

    sesion = Sesion.objects.get(pk=mensaje.contexto["sesion"])
    if sesion.estado != EstadoSesion.PROGRAMADA or sesion.inicio <= timezone.now():
        raise NoCorresponde(_("La sesión ya no está programada a futuro."))
    respondio = (
        Confirmacion.objects.filter(sesion=sesion, parte_id=mensaje.contexto["parte"])
        .exclude(estado=EstadoConfirmacion.SIN_RESPUESTA)
        .exists()
    )
    if respondio:
        raise NoCorresponde(_("La parte ya respondió."))
    return {
        **_del_caso(mensaje),
        "parte": mensaje.contexto.get("nombre_parte", ""),
        "numero": sesion.numero,
        "cuando": cuando_largo(sesion.inicio),
        "url": url_publica(reverse("casos:detalle", args=[mensaje.caso.folio])),
    }


def de_resumen(mensaje) -> dict:
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


def de_certificacion(mensaje) -> dict:
    """Certificación por vencer (LGMASC art. 55). Si se renovó o ya venció antes de enviarse,
    el aviso ya no corresponde."""
    perfil = (
        PerfilMediador.objects.select_related("usuario")
        .filter(pk=mensaje.contexto["perfil"])
        .first()
    )
    if perfil is None or perfil.certificado_hasta.isoformat() != mensaje.contexto["vence"]:
        raise NoCorresponde(_("La certificación se renovó o se dio de baja."))
    faltan = (perfil.certificado_hasta - timezone.localdate()).days
    if faltan < 0:
        raise NoCorresponde(_("La certificación ya venció."))
    return {
        **_del_caso(mensaje),
        "mediador": nombre_de(perfil.usuario),
        "numero_certificacion": perfil.numero_certificacion,
        "autoridad": perfil.autoridad_emisora or _("la autoridad que la expidió"),
        "fecha": formats.date_format(perfil.certificado_hasta, "d/m/Y"),
        "faltan": ngettext("falta %(n)d día", "faltan %(n)d días", faltan) % {"n": faltan},
        "url": url_publica(reverse("oficina:casos_perfilmediador_change", args=[perfil.pk])),
    }


# --- Solicitudes de derechos ARCO ---------------------------------------------------------
# Van al contacto que la persona dejó en la solicitud (no a una parte de un caso).


def _dia(fecha) -> str:
    return formats.date_format(fecha, r"j \d\e F \d\e Y").lower() if fecha else ""


def _de_solicitud(mensaje) -> dict:
    solicitud = mensaje.solicitud_arco
    return {
        **_centro(),
        "folio": solicitud.folio,
        "nombre": solicitud.nombre,
        "derecho": solicitud.get_derecho_display().lower(),
    }


def de_arco_acuse(mensaje) -> dict:
    from casos.services.privacidad import codigo_de

    solicitud = mensaje.solicitud_arco
    vence = plazos.arco_respuesta_vence_el(solicitud)
    return {
        **_de_solicitud(mensaje),
        "codigo": codigos.mostrar_codigo(codigo_de(solicitud)),
        "vence": _dia(vence) or _("el plazo que marca la ley"),
    }


def de_arco_requerimiento(mensaje) -> dict:
    solicitud = mensaje.solicitud_arco
    if solicitud.estado != EstadoARCO.REQUERIDA:
        raise NoCorresponde(_("La solicitud ya no espera información de la persona."))
    return {
        **_de_solicitud(mensaje),
        "requerimiento": solicitud.requerimiento,
        "requerimiento_corto": _recortar(solicitud.requerimiento, 50),
        "vence": _dia(plazos.arco_desahogo_vence_el(solicitud)),
    }


def de_arco_ampliacion(mensaje) -> dict:
    solicitud = mensaje.solicitud_arco
    return {
        **_de_solicitud(mensaje),
        "motivo": solicitud.ampliacion_motivo,
        "vence": _dia(plazos.arco_respuesta_vence_el(solicitud)),
    }


def de_arco_respuesta(mensaje) -> dict:
    solicitud = mensaje.solicitud_arco
    return {
        **_de_solicitud(mensaje),
        "sentido": solicitud.get_sentido_display().lower(),
        "recurso": _dia(plazos.arco_recurso_vence_el(solicitud)),
    }


# --- Avisos comunitarios ----------------------------------------------------------------
# El texto lo escribe la coordinación (`comunidad`) y viaja en el contexto del mensaje.


def de_comunidad(mensaje) -> dict:
    return {**_centro(), "texto": mensaje.contexto.get("texto", "")}

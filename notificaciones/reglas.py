"""Qué hecho causa qué aviso. Los receptores corren dentro de la transacción del hecho (ver
`casos.senales`), así el aviso existe si y solo si el hecho quedó guardado."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casos import plazos
from casos.calendario import Calendario
from casos.models import (
    Caso,
    Convenio,
    Estado,
    EstadoRegistro,
    EstadoSesion,
    MedioRespuesta,
    PerfilMediador,
    RolParte,
    Sesion,
    SolicitudARCO,
    TipoCaso,
    TipoEvento,
    TipoEventoARCO,
)
from casos.services import mediacion as med
from flujos import asuntos
from flujos.selectors import tareas_humanas_abiertas, tareas_vencidas_por_persona

from .canales import activos
from .models import Canal, Mensaje
from .services import (
    REFERENCIA_SESION,
    avisar,
    avisar_a_parte,
    avisar_a_usuario,
    cancelar_de_partes,
    cancelar_pendientes,
    sesion_ya_avisada,
)

User = get_user_model()


def _partes(caso: Caso, rol: str | None = None):
    partes = caso.partes.all()
    return partes.filter(rol=rol) if rol else partes


# --- Ciudadanos -----------------------------------------------------------------------------


def al_recibir(sender, caso, partes=None, **kwargs):
    """`partes`: las que la recepción acaba de insertar (sin volver a leerlas). Son nuevas,
    así que la llave de su acuse no puede existir aún."""
    if partes is None or any(p.pk is None for p in partes):
        solicitantes, nueva = _partes(caso, RolParte.SOLICITANTE), False
    else:
        solicitantes, nueva = [p for p in partes if p.rol == RolParte.SOLICITANTE], True
    for parte in solicitantes:
        avisar_a_parte(parte, "acuse", f"acuse:{caso.pk}", llave_nueva=nueva)


def al_reexpedir_codigo(sender, caso, **kwargs):
    for parte in _partes(caso, RolParte.SOLICITANTE):
        avisar_a_parte(parte, "codigo_nuevo", f"codigo:{caso.pk}:{caso.codigo_sal[:12]}")


def al_pedir_codigo(sender, caso, pedido, **kwargs):
    for parte in _partes(caso, RolParte.SOLICITANTE):
        avisar_a_parte(parte, "codigo_reenviado", f"codigo-pedido:{caso.pk}:{pedido}")


def al_asignar(sender, caso, responsable, anterior, **kwargs):
    """La primera asignación de una mediación abre la invitación: se avisa a la otra parte
    que tenga teléfono o correo (la invitación formal del art. 72 sigue su curso)."""
    if caso.tipo != TipoCaso.MEDIACION or anterior is not None:
        return
    if caso.estado not in (Estado.ADMITIDA, Estado.INVITACION):
        return
    for parte in _partes(caso, RolParte.INVITADA):
        avisar_a_parte(parte, "invitacion", f"invitacion:{caso.pk}")


def _version(sesion: Sesion) -> str:
    """Lo que distingue las llaves de los avisos tras cada corrección de hora: los de antes
    quedaron cancelados y la misma llave no volvería a escribirse."""
    return f":c{sesion.correcciones}" if sesion.correcciones else ""


def recordatorios(sesion: Sesion) -> None:
    ahora = timezone.now()
    for horas in settings.AVISOS_RECORDATORIOS_HORAS:
        cuando = sesion.inicio - timedelta(hours=horas)
        if cuando <= ahora:
            continue  # ya no da tiempo: el aviso de programación hace las veces
        for parte in _partes(sesion.caso):
            avisar_a_parte(
                parte,
                "recordatorio_sesion",
                f"recordatorio:{sesion.pk}:{horas}h{_version(sesion)}",
                contexto={"sesion": sesion.pk, "inicio": sesion.inicio.isoformat()},
                referencia=f"{REFERENCIA_SESION}{sesion.pk}",
                cuando=cuando,
            )


def _avisos_de_sesion(sesion: Sesion, anterior: Sesion | None) -> None:
    contexto = {"sesion": sesion.pk, "inicio": sesion.inicio.isoformat()}
    if anterior is not None:
        contexto["anterior"] = anterior.pk
    plantilla = "sesion_reprogramada" if anterior is not None else "sesion_programada"
    for parte in _partes(sesion.caso):
        avisar_a_parte(
            parte,
            plantilla,
            f"{plantilla}:{sesion.pk}{_version(sesion)}",
            contexto=contexto,
            referencia=f"{REFERENCIA_SESION}{sesion.pk}",
        )
    recordatorios(sesion)


def al_programar_sesion(sender, sesion, anterior=None, **kwargs):
    if anterior is not None:
        cancelar_pendientes(f"{REFERENCIA_SESION}{anterior.pk}", _("La sesión se reprogramó."))
    _avisos_de_sesion(sesion, anterior)


def al_corregir_sesion(sender, sesion, antes, **kwargs):
    """Hora corregida antes de avisar: lo pendiente de la sesión se cancela y se escribe de
    nuevo con la hora correcta, así cada parte recibe un solo aviso y con la hora buena.

    Primero se cancela (el UPDATE toma los renglones pendientes: un worker que quiera
    reclamarlos después ya no los encuentra pendientes) y luego se revisa si algún aviso ya
    salió o está saliendo: entonces alguien ya supo de la sesión y la corrección se deshace,
    porque el cambio es un diferimiento (art. 76)."""
    cancelar_pendientes(
        f"{REFERENCIA_SESION}{sesion.pk}", _("Se corrigió la hora antes de avisar a las partes.")
    )
    if sesion_ya_avisada(sesion.pk):
        raise ValidationError(
            _(
                "Ya salió (o está saliendo) un aviso de esta sesión a una de las partes: "
                "cambiarla es un diferimiento (LGMASC art. 76)."
            )
        )
    anterior = sesion.caso.sesiones.filter(numero__lt=sesion.numero).order_by("-numero").first()
    if anterior is not None and anterior.estado != EstadoSesion.DIFERIDA:
        anterior = None
    _avisos_de_sesion(sesion, anterior)


def al_cancelar_sesiones(sender, sesiones, **kwargs):
    ahora = timezone.now()
    for sesion in sesiones:
        cancelar_pendientes(f"{REFERENCIA_SESION}{sesion.pk}", _("La sesión se canceló."))
        if sesion.inicio <= ahora:
            continue
        for parte in _partes(sesion.caso):
            avisar_a_parte(
                parte,
                "sesion_cancelada",
                f"sesion_cancelada:{sesion.pk}",
                contexto={"sesion": sesion.pk},
            )


def a_la_hora_del_dia(fecha) -> datetime:
    return timezone.make_aware(datetime.combine(fecha, time(settings.AVISOS_HORA_DEL_DIA)))


def al_firmar_convenio(sender, convenio, **kwargs):
    hoy = timezone.localdate()
    for clausula in convenio.clausulas.select_related("obligado"):
        if clausula.fecha_limite is None or clausula.fecha_limite < hoy:
            continue
        avisar_a_parte(
            clausula.obligado,
            "recordatorio_clausula",
            f"clausula:{clausula.pk}:{clausula.fecha_limite.isoformat()}",
            contexto={"clausula": clausula.pk},
            referencia=f"clausula:{clausula.pk}",
            cuando=max(a_la_hora_del_dia(clausula.fecha_limite), timezone.now()),
        )


def al_resolver_asesoria(sender, caso, **kwargs):
    for parte in _partes(caso, RolParte.SOLICITANTE):
        avisar_a_parte(parte, "encuesta", f"encuesta:{caso.pk}")


def al_bloquear_datos(sender, partes, usos=None, **kwargs):
    """Datos bloqueados (cancelación): nada pendiente sale a esas partes. Oposición a unos
    usos: solo se cancelan los avisos de esos usos (el caso sigue su curso)."""
    cancelar_de_partes(partes, usos)


# --- Solicitudes de derechos ARCO -----------------------------------------------------------

CANAL_DEL_MEDIO = {
    MedioRespuesta.CORREO: (Canal.CORREO, "correo"),
    MedioRespuesta.SMS: (Canal.SMS, "telefono"),
    MedioRespuesta.WHATSAPP: (Canal.WHATSAPP, "telefono"),
}


def avisar_a_titular(solicitud: SolicitudARCO, plantilla: str, llave: str) -> Mensaje | None:
    """El aviso de un hecho de la solicitud ARCO, por el medio que la persona eligió para la
    respuesta. En la oficina o en su domicilio no hay aviso electrónico: se entrega ahí, y
    la línea de tiempo de la solicitud lo dice (también si el canal está apagado)."""
    from casos.services.privacidad import registrar_evento

    from .mensajes import DESCRIPCIONES

    que = str(DESCRIPCIONES[plantilla])
    medio = CANAL_DEL_MEDIO.get(solicitud.medio_respuesta)
    if medio is None:
        registrar_evento(
            solicitud=solicitud,
            tipo=TipoEventoARCO.AVISO,
            descripcion=_(
                "Sin aviso electrónico de «%(que)s»: la persona eligió «%(medio)s»; se le "
                "comunica ahí."
            )
            % {"que": que, "medio": solicitud.get_medio_respuesta_display()},
            datos={"aviso": plantilla, "medio": solicitud.medio_respuesta},
        )
        return None
    canal, campo = medio
    destino = getattr(solicitud, campo)
    if canal not in activos() or not destino:
        registrar_evento(
            solicitud=solicitud,
            tipo=TipoEventoARCO.AVISO,
            descripcion=_(
                "No se pudo escribir el aviso «%(que)s»: %(canal)s no está disponible. "
                "Comuníquelo a la persona por otro medio."
            )
            % {"que": que, "canal": Canal(canal).label},
            datos={"aviso": plantilla, "canal": canal},
        )
        return None
    llave = f"{llave}:{canal}"
    if Mensaje.objects.filter(llave=llave).exists():
        return Mensaje.objects.get(llave=llave)
    mensaje = avisar(
        plantilla=plantilla,
        llave=llave,
        canal=canal,
        destino=destino,
        solicitud_arco=solicitud,
    )
    registrar_evento(
        solicitud=solicitud,
        tipo=TipoEventoARCO.AVISO,
        descripcion=_("Aviso «%(que)s» por %(canal)s a %(destino)s.")
        % {"que": que, "canal": Canal(canal).label.lower(), "destino": destino},
        datos={"aviso": plantilla, "mensaje": mensaje.pk},
    )
    return mensaje


def al_recibir_arco(sender, solicitud, codigo=None, **kwargs):
    avisar_a_titular(solicitud, "arco_acuse", f"arco-acuse:{solicitud.pk}")


def al_requerir_arco(sender, solicitud, **kwargs):
    avisar_a_titular(solicitud, "arco_requerimiento", f"arco-requerimiento:{solicitud.pk}")


def al_ampliar_arco(sender, solicitud, **kwargs):
    avisar_a_titular(solicitud, "arco_ampliacion", f"arco-ampliacion:{solicitud.pk}")


def al_responder_arco(sender, solicitud, **kwargs):
    avisar_a_titular(solicitud, "arco_respuesta", f"arco-respuesta:{solicitud.pk}")


# --- Personal -------------------------------------------------------------------------------


def al_asignar_tarea(sender, task, **kwargs) -> None:
    """Aviso a quien recibe una tarea (la señal no se envía a quien se la asignó a sí
    mismo)."""
    asunto = asuntos.de_tarea(task)
    avisar_a_usuario(
        task.owner,
        "tarea_asignada",
        f"tarea:{task.pk}",
        caso=asunto.caso,
        contexto={
            "tarea": task.pk,
            "titulo": str(task.flow_task.task_title or task.flow_task),
            **_del_asunto(asunto),
        },
    )


def _del_asunto(asunto) -> dict:
    """El folio y la página de un asunto que no es un caso (una solicitud ARCO): el aviso no
    se liga a un caso y los lleva en su contexto."""
    if asunto.caso is not None:
        return {}
    return {"folio": asunto.folio, "url": asunto.url}


def coordinacion():
    return User.objects.filter(is_active=True, groups__name="coordinador").exclude(email="")


def _fecha(fecha) -> str:
    return formats.date_format(fecha, r"l j \d\e F").lower()


def avisos_de_plazos() -> int:
    """Barrido del personal (idempotente: cada aviso lleva en su llave el plazo que avisa).

    - tareas que vencen el siguiente día hábil (entre ellas, la invitación del art. 69);
    - procedimientos cuyo plazo (art. 64) vence dentro de los días de «por vencer»;
    - convenios firmados que aún no se envían a registro (art. 98);
    - a partir de la hora del día, el resumen diario de tareas vencidas de cada persona.
    """
    cal = Calendario()
    hoy = timezone.localdate()
    manana = plazos.siguiente_dia_habil(hoy, cal)
    limite = plazos.por_vencer_hasta(hoy, cal)
    creados = 0
    coordinadores = list(coordinacion())

    tareas = tareas_humanas_abiertas(vencen_desde=hoy + timedelta(days=1), vencen_hasta=manana)
    for tarea in tareas:
        asunto = asuntos.de_tarea(tarea)
        destinatarios = [tarea.owner] if tarea.owner_id else coordinadores
        que = _("La tarea «%(t)s»") % {"t": tarea.flow_task.task_title or tarea.flow_task}
        for usuario in destinatarios:
            creados += bool(
                avisar_a_usuario(
                    usuario,
                    "plazo_por_vencer",
                    f"plazo:tarea:{tarea.pk}:{manana.isoformat()}",
                    caso=asunto.caso,
                    contexto={
                        "que": que,
                        "fecha": _fecha(timezone.localtime(tarea.scheduled)),
                        **_del_asunto(asunto),
                    },
                )
            )

    mediaciones = (
        Caso.objects.abiertos()
        .filter(tipo=TipoCaso.MEDIACION, admitido_en__isnull=False)
        .exclude(estado__in=[Estado.CONVENIO, Estado.VALIDACION, Estado.SEGUIMIENTO])
        .select_related("responsable")
        .prefetch_related("prorrogas")
    )
    for caso in mediaciones:
        vence = plazos.procedimiento_vence_el(caso)
        if vence is None or not hoy <= vence <= limite:
            continue
        creados += bool(
            avisar_a_usuario(
                caso.responsable,
                "plazo_por_vencer",
                f"plazo:procedimiento:{caso.pk}:{vence.isoformat()}",
                caso=caso,
                contexto={"que": _("El plazo del procedimiento (art. 64)"), "fecha": _fecha(vence)},
            )
        )

    convenios = Convenio.objects.filter(
        firmado_en__isnull=False,
        estado_registro=EstadoRegistro.SIN_ENVIAR,
        caso__estado__in=[Estado.CONVENIO, Estado.VALIDACION, Estado.SEGUIMIENTO],
    ).select_related("caso", "caso__responsable")
    for convenio in convenios:
        vence = plazos.registro_vence_el(convenio)
        if vence is None or not hoy <= vence <= limite:
            continue
        for usuario in {convenio.caso.responsable, *coordinadores} - {None}:
            creados += bool(
                avisar_a_usuario(
                    usuario,
                    "plazo_por_vencer",
                    f"plazo:registro:{convenio.pk}:{vence.isoformat()}",
                    caso=convenio.caso,
                    contexto={
                        "que": _("El envío del convenio a registro (art. 98)"),
                        "fecha": _fecha(vence),
                    },
                )
            )

    creados += _avisos_del_registro(hoy, limite, cal, coordinadores)

    if cal.es_habil(hoy) and timezone.localtime().hour >= settings.AVISOS_HORA_DEL_DIA:
        creados += resumen_diario(hoy)
    return creados


QUE_DEL_REGISTRO = {
    TipoEvento.PLAZO_REGISTRO_VENCIDO: gettext_lazy(
        "La respuesta del registro al convenio (arts. 103-111)"
    ),
    TipoEvento.PLAZO_PREVENCION_VENCIDO: gettext_lazy(
        "La corrección de la prevención del registro (arts. 103-111)"
    ),
}


def _avisos_del_registro(hoy, limite, cal, coordinadores) -> int:
    """Los términos del registro de convenios: antes de que venzan, aviso a la persona
    responsable y a la coordinación (la llave lleva el término, así que un reenvío tras una
    prevención tiene sus propios avisos); el que venció sin respuesta queda en el caso."""
    creados = 0
    en_registro = Convenio.objects.filter(
        estado_registro__in=[EstadoRegistro.ENVIADO, EstadoRegistro.PREVENIDO],
        caso__estado__in=[Estado.VALIDACION, Estado.SEGUIMIENTO],
    ).select_related("caso", "caso__responsable")
    for convenio in en_registro:
        for termino in med.plazos_de_registro(convenio, cal):
            if not hoy <= termino.vence <= limite:
                continue
            llave = (
                f"plazo:{termino.tipo_evento}:{convenio.pk}:"
                f"{termino.desde.isoformat()}:{termino.vence.isoformat()}"
            )
            for usuario in {convenio.caso.responsable, *coordinadores} - {None}:
                creados += bool(
                    avisar_a_usuario(
                        usuario,
                        "plazo_por_vencer",
                        llave,
                        caso=convenio.caso,
                        contexto={
                            "que": str(QUE_DEL_REGISTRO[termino.tipo_evento]),
                            "fecha": _fecha(termino.vence),
                        },
                    )
                )
    med.anotar_plazos_de_registro_vencidos(al=hoy)
    return creados


def resumen_diario(hoy) -> int:
    """Un aviso diario a cada persona con la lista de sus tareas vencidas."""
    vencidas = tareas_vencidas_por_persona(al=timezone.now())
    por_persona: dict = {}
    for tarea in vencidas:
        renglon = _("%(folio)s · %(tarea)s · venció el %(fecha)s") % {
            "folio": asuntos.de_tarea(tarea).folio,
            "tarea": tarea.flow_task.task_title or tarea.flow_task,
            "fecha": formats.date_format(timezone.localtime(tarea.scheduled), "d/m/Y"),
        }
        por_persona.setdefault(tarea.owner, []).append(renglon)
    creados = 0
    for usuario, renglones in por_persona.items():
        creados += bool(
            avisar_a_usuario(
                usuario,
                "resumen_diario",
                f"resumen:{hoy.isoformat()}",
                contexto={"renglones": renglones[:100]},
            )
        )
    return creados


def umbral_de_certificacion(vence, hoy) -> int | None:
    """El aviso que toca hoy a una certificación que vence en `vence`: el umbral más próximo
    al vencimiento (de CERTIFICACION_AVISOS_DIAS) que ya se alcanzó, o None si aún no toca
    ninguno o ya venció. Si el beat no corrió el día exacto, el siguiente día lo alcanza; y
    si se saltó varios umbrales, solo cuenta el más urgente (no tres correos juntos)."""
    faltan = (vence - hoy).days
    if faltan < 0:
        return None
    alcanzados = [d for d in settings.CERTIFICACION_AVISOS_DIAS if faltan <= d]
    return min(alcanzados) if alcanzados else None


def avisos_de_certificacion() -> int:
    """Avisa por correo a la persona facilitadora y a la coordinación que una certificación
    vence en los días de CERTIFICACION_AVISOS_DIAS (LGMASC art. 55). Idempotente: la llave
    lleva la certificación, la fecha de vencimiento y el umbral, así que otra corrida (o dos
    beats) no repite, y una certificación renovada (otra fecha) tiene sus propios avisos."""
    hoy = timezone.localdate()
    hasta = hoy + timedelta(days=max(settings.CERTIFICACION_AVISOS_DIAS, default=0))
    perfiles = PerfilMediador.objects.filter(
        usuario__is_active=True, certificado_hasta__gte=hoy, certificado_hasta__lte=hasta
    ).select_related("usuario")
    coordinadores = list(coordinacion())
    creados = 0
    for perfil in perfiles:
        dias = umbral_de_certificacion(perfil.certificado_hasta, hoy)
        if dias is None:
            continue
        vence = perfil.certificado_hasta.isoformat()
        for usuario in {perfil.usuario, *coordinadores}:
            creados += bool(
                avisar_a_usuario(
                    usuario,
                    "certificacion_por_vencer",
                    f"certificacion:{perfil.pk}:{vence}:{dias}d",
                    contexto={"perfil": perfil.pk, "vence": vence, "dias": dias},
                )
            )
    return creados

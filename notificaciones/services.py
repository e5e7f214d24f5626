"""Bandeja de salida: escribir avisos, enviarlos una sola vez, barrer, reintentar, dar de baja.

Garantías:
- `avisar` escribe en la transacción del hecho y es idempotente por llave: el mismo hecho
  dos veces es un solo aviso. Se encola al confirmar; si el broker no responde, el renglón
  queda pendiente y `despachar` lo encola cuando regresa.
- `enviar` reclama el renglón con un UPDATE condicional (pendiente → enviando) y solo envía
  si lo ganó; al terminar, el cierre exige el mismo número de intento (un worker lento cuyo
  reclamo venció no pisa al que lo retomó).
- Un worker que muere a medio envío deja el renglón «enviando»; al vencer su reclamo,
  `recuperar_reclamos` lo marca «en duda» y el siguiente intento pregunta primero al
  proveedor si el mensaje ya llegó.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection, send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casos.models import AvisosPor, Centro, TipoEvento, UsoOpuesto
from casos.services import mediacion as med
from casos.services.comun import registrar
from nucleo.colas import encolar
from nucleo.compiladas import ENTERO, Compilada
from nucleo.entradas import entero_ascii
from nucleo.reclamo import Reclamo

from .canales import CODIGO_BAJA_EN_PROVEEDOR, ErrorDeEnvio, Salida, activos, canal_de_envio
from .datos import NoCorresponde
from .enlaces import enlace_baja
from .mensajes import AVISOS, PIE_CORREO, PIE_SMS, PIE_WHATSAPP, a_gsm7
from .models import (
    AlertaOperativa,
    Baja,
    Canal,
    ConversacionWhatsApp,
    EntranteTwilio,
    Entrega,
    EstadoMensaje,
    LatidoTrabajador,
    Mensaje,
    OrigenBaja,
    RevisionBeat,
)
from .selectors import (
    alertas_abiertas,
    coordinacion_con_correo,
    dado_de_baja,
    enumerar,
    estado_de_trabajadores,
    hora_dicha,
    trabajos_de,
)
from .silencio import en_silencio, fin_del_silencio, hora_de_salida, se_silencia

logger = logging.getLogger(__name__)

# Los avisos que dependen de una sesión llevan esta referencia seguida de su id.
REFERENCIA_SESION = "sesion:"

MOTIVO_BAJA = gettext_lazy("La persona pidió no recibir avisos por este medio.")
MOTIVO_BLOQUEO = gettext_lazy("Los datos de la persona están bloqueados (derechos ARCO).")
MOTIVO_OPOSICION = gettext_lazy("La persona se opuso a recibir este aviso (derechos ARCO).")
CODIGO_OCULTO = "*****-*****"


def _reclamo() -> timedelta:
    return timedelta(seconds=settings.AVISOS_RECLAMO_SEGUNDOS)


# Reclamado hasta `reclamado_hasta`; un reclamo vencido no se retoma al enviar: lo devuelve
# `recuperar_reclamos` marcado «en duda», para preguntar al proveedor antes de reenviar.
RECLAMO = Reclamo(
    modelo=Mensaje,
    pendiente=EstadoMensaje.PENDIENTE,
    en_curso=EstadoMensaje.ENVIANDO,
    plazo=_reclamo,
    campo_vence="reclamado_hasta",
)


def _espera(intento: int) -> timedelta:
    """Espera antes del siguiente intento: se duplica en cada uno, hasta una hora."""
    return timedelta(seconds=min(settings.AVISOS_REINTENTO_SEGUNDOS * 2 ** (intento - 1), 3600))


def _agotado(mensaje: Mensaje) -> bool:
    return mensaje.intentos >= (mensaje.intentos_maximos or settings.AVISOS_INTENTOS)


MOTIVO_SIN_CONFIRMAR = gettext_lazy(
    "El envío se interrumpió y por este canal no se puede confirmar si llegó: revise con la "
    "persona y reintente si hace falta."
)


# --- Escribir avisos ------------------------------------------------------------------------


def avisar(
    *,
    plantilla: str,
    llave: str,
    canal: str,
    destino: str,
    caso=None,
    parte=None,
    usuario=None,
    solicitud_arco=None,
    contexto: dict | None = None,
    referencia: str = "",
    cuando=None,
    llave_nueva: bool = False,
) -> Mensaje:
    """Escribe un aviso en la bandeja de salida (dentro de la transacción en curso).

    Si ya existe uno con la misma llave, lo devuelve sin crear otro. `llave_nueva=True`
    cuando la llave no puede existir todavía porque lleva el id de algo insertado en la
    transacción en curso (el acuse de una parte recién recibida): se inserta sin buscarla
    antes ni abrir un savepoint (si aun así existiera, la llave única lo impide y la
    transacción se deshace)."""
    if plantilla not in AVISOS:
        raise ValueError(f"Aviso desconocido: {plantilla}")
    ahora = timezone.now()
    cuando = hora_de_salida(plantilla=plantilla, canal=canal, cuando=cuando or ahora)
    baja = dado_de_baja(canal=canal, destino=destino)
    ya = cuando <= ahora and not baja
    campos = dict(
        llave=llave[:200],
        defaults={
            "plantilla": plantilla,
            "canal": canal,
            "destino": destino,
            "caso": caso,
            "parte": parte,
            "usuario": usuario,
            "solicitud_arco": solicitud_arco,
            "contexto": contexto or {},
            "referencia": referencia,
            "programado_para": cuando,
            "estado": EstadoMensaje.CANCELADO if baja else EstadoMensaje.PENDIENTE,
            "ultimo_error": str(MOTIVO_BAJA) if baja else "",
            "encolado_en": ahora if ya else None,
        },
    )
    if llave_nueva:
        mensaje, creado = Mensaje.objects.create(llave=campos["llave"], **campos["defaults"]), True
    else:
        mensaje, creado = Mensaje.objects.get_or_create(**campos)
    if creado and ya:
        transaction.on_commit(lambda: _encolar(mensaje.pk), robust=True)
    return mensaje


def _encolar(mensaje_id: int) -> None:
    from .tasks import enviar_aviso

    if not encolar(enviar_aviso, mensaje_id):
        # Sin broker: que el siguiente barrido lo intente de nuevo sin esperar.
        Mensaje.objects.filter(pk=mensaje_id, estado=EstadoMensaje.PENDIENTE).update(
            encolado_en=None
        )


def canales_de_parte(parte) -> list[tuple[str, str]]:
    """Por dónde avisar a una parte: su preferencia si se puede; si no, correo y SMS según
    los datos que dejó. Solo canales encendidos en la configuración."""
    encendidos = activos()
    posibles = {
        Canal.CORREO: parte.correo,
        Canal.SMS: parte.telefono,
        Canal.WHATSAPP: parte.telefono,
    }
    if parte.avisos_por == AvisosPor.NINGUNO:
        return []
    preferido = parte.avisos_por
    if preferido and preferido in encendidos and posibles.get(preferido):
        return [(preferido, posibles[preferido])]
    return [
        (canal, posibles[canal])
        for canal in (Canal.CORREO, Canal.SMS)
        if canal in encendidos and posibles[canal]
    ]


# Avisos a los que no se opone quien se opone a «avisos»: le dan su folio y su código, o los
# pidió ella misma. La encuesta es su propio uso.
NO_SON_AVISOS = frozenset({"acuse", "codigo_nuevo", "codigo_reenviado", "encuesta"})


def plantillas_de_uso(uso: str) -> frozenset[str]:
    """Los avisos a una parte que cubre un uso de sus datos (`UsoOpuesto`)."""
    if uso == UsoOpuesto.ENCUESTA:
        return frozenset({"encuesta"})
    if uso == UsoOpuesto.AVISOS:
        return frozenset(
            clave
            for clave, aviso in AVISOS.items()
            if aviso.ciudadano and clave not in NO_SON_AVISOS and not clave.startswith("arco_")
        )
    return frozenset()


def motivo_para_no_avisar(parte, plantilla: str) -> str:
    """Por qué no se le envía este aviso a la parte (datos bloqueados o suprimidos, u
    oposición a ese uso); vacío si se le puede enviar."""
    if parte.bloqueada_en or parte.suprimida_en:
        return str(MOTIVO_BLOQUEO)
    if any(plantilla in plantillas_de_uso(uso) for uso in parte.usos_opuestos or []):
        return str(MOTIVO_OPOSICION)
    return ""


def avisar_a_parte(parte, plantilla: str, llave: str, **opciones) -> list[Mensaje]:
    """Un aviso por cada canal por el que se le puede avisar a la parte (ver
    `canales_de_parte`); la llave lleva la parte y el canal. Ninguno si sus datos están
    bloqueados o se opuso a ese uso (derechos ARCO)."""
    if motivo_para_no_avisar(parte, plantilla):
        return []
    return [
        avisar(
            plantilla=plantilla,
            llave=f"{llave}:{parte.pk}:{canal}",
            canal=canal,
            destino=destino,
            caso=parte.caso,
            parte=parte,
            **opciones,
        )
        for canal, destino in canales_de_parte(parte)
    ]


def avisar_a_usuario(usuario, plantilla: str, llave: str, **opciones) -> Mensaje | None:
    """Al personal se le avisa por correo (si tiene y si el canal está encendido)."""
    if not usuario or not usuario.is_active or not usuario.email:
        return None
    if Canal.CORREO not in activos():
        return None
    return avisar(
        plantilla=plantilla,
        llave=f"{llave}:{usuario.pk}",
        canal=Canal.CORREO,
        destino=usuario.email,
        usuario=usuario,
        **opciones,
    )


def cancelar_de_partes(partes, usos=None) -> int:
    """Cancela lo pendiente a esas partes: todo si sus datos se bloquearon; con `usos`, solo
    los avisos de esos usos (oposición). Lo ya enviado no se toca."""
    pendientes = Mensaje.objects.filter(parte_id__in=list(partes), estado=EstadoMensaje.PENDIENTE)
    motivo = MOTIVO_BLOQUEO
    if usos:
        plantillas = frozenset().union(*(plantillas_de_uso(u) for u in usos))
        pendientes = pendientes.filter(plantilla__in=plantillas)
        motivo = MOTIVO_OPOSICION
    return pendientes.update(
        estado=EstadoMensaje.CANCELADO, ultimo_error=str(motivo)[:500], encolado_en=None
    )


def cancelar_pendientes(referencia: str, motivo: str) -> int:
    """Cancela lo pendiente de un objeto (p. ej. los recordatorios de una sesión que se
    reprogramó). Lo ya enviado no se toca."""
    return Mensaje.objects.filter(referencia=referencia, estado=EstadoMensaje.PENDIENTE).update(
        estado=EstadoMensaje.CANCELADO, ultimo_error=motivo[:500], encolado_en=None
    )


# --- Redactar y enviar ----------------------------------------------------------------------


def plantilla_de_whatsapp(plantilla: str) -> dict | None:
    """La plantilla aprobada de WhatsApp de ese aviso (`TWILIO_WHATSAPP_PLANTILLAS`)."""
    return settings.TWILIO_WHATSAPP_PLANTILLAS.get(plantilla)


def url_de_recibos() -> str:
    """La URL pública a la que Twilio manda los recibos de entrega (StatusCallback)."""
    from django.urls import reverse

    return settings.URL_PUBLICA.rstrip("/") + reverse("notificaciones:estado_twilio")


def _lleva_codigo(plantilla: str) -> bool:
    """Si el texto del aviso muestra el código de consulta (lo que se guarda va sin él)."""
    aviso = AVISOS[plantilla]
    return any("%(codigo)" in str(t) for t in (aviso.asunto, aviso.largo, aviso.corto))


def redactar(mensaje: Mensaje, *, ocultar: bool = False, con_plantilla: bool = False) -> Salida:
    """El aviso listo para su canal. `ocultar` tapa el código de consulta (para guardar o
    mostrar lo enviado sin revelarlo). `con_plantilla`: WhatsApp fuera de la ventana de
    24 h, con la plantilla aprobada del aviso y sus variables en orden."""
    aviso = AVISOS[mensaje.plantilla]
    datos = aviso.datos(mensaje)
    if ocultar and "codigo" in datos:
        datos["codigo"] = CODIGO_OCULTO
    valores = {k: v for k, v in datos.items() if not k.startswith("_")}
    asunto = str(aviso.asunto) % valores
    adjuntos = []
    if mensaje.canal == Canal.CORREO:
        texto = str(aviso.largo) % valores
        if aviso.ciudadano:
            texto += str(PIE_CORREO) % {
                "centro": valores["centro"],
                "baja": enlace_baja(mensaje.canal, mensaje.destino),
            }
        if aviso.citas:
            adjuntos = aviso.citas(mensaje, datos)
    else:
        texto = str(aviso.corto) % valores
        if aviso.ciudadano and mensaje.canal == Canal.SMS:
            texto = f"{texto.rstrip(' .')}. {PIE_SMS}"
        elif aviso.ciudadano:
            texto += str(PIE_WHATSAPP)
        if mensaje.canal == Canal.SMS:
            texto = a_gsm7(texto)
    contenido_sid, variables = "", {}
    if con_plantilla:
        configurada = plantilla_de_whatsapp(mensaje.plantilla)
        contenido_sid = configurada["sid"]
        faltan = [v for v in configurada.get("variables", []) if v not in valores]
        if faltan:
            raise ValueError(
                _("La plantilla de WhatsApp de «%(aviso)s» pide datos que el aviso no tiene: %(f)s")
                % {"aviso": mensaje.plantilla, "f": ", ".join(faltan)}
            )
        variables = {
            str(i): str(valores[nombre])
            for i, nombre in enumerate(configurada.get("variables", []), start=1)
        }
    return Salida(
        llave=mensaje.llave,
        canal=mensaje.canal,
        destino=mensaje.destino,
        asunto=asunto,
        texto=texto,
        creado_en=mensaje.creado_en,
        adjuntos=adjuntos,
        contenido_sid=contenido_sid,
        variables=variables,
        estado_url=url_de_recibos() if mensaje.canal != Canal.CORREO else "",
    )


def dentro_de_ventana(numero: str, *, ahora=None) -> bool:
    """Si la persona escribió por WhatsApp desde ese número en las últimas 24 h (entonces se
    le puede escribir en texto libre)."""
    ahora = ahora or timezone.now()
    return ConversacionWhatsApp.objects.filter(
        numero=numero, ultimo_entrante_en__gt=ahora - VENTANA_WHATSAPP
    ).exists()


VENTANA_WHATSAPP = timedelta(hours=24)


def registrar_conversacion_whatsapp(*, numero: str, cuando=None) -> None:
    """La persona acaba de escribir por WhatsApp: se abre (o renueva) su ventana de 24 h."""
    cuando = cuando or timezone.now()
    ConversacionWhatsApp.objects.update_or_create(
        numero=numero, defaults={"ultimo_entrante_en": cuando}
    )


def _recorrer_por_silencio(mensaje_id: int, ahora) -> bool:
    """Un SMS o WhatsApp no urgente que iba a salir de noche (se retrasó) se recorre al fin
    del silencio. True si se recorrió."""
    fila = (
        Mensaje.objects.filter(pk=mensaje_id, estado=EstadoMensaje.PENDIENTE)
        .values("plantilla", "canal")
        .first()
    )
    if fila is None or not se_silencia(**fila) or not en_silencio(ahora):
        return False
    return bool(
        Mensaje.objects.filter(pk=mensaje_id, estado=EstadoMensaje.PENDIENTE).update(
            programado_para=fin_del_silencio(ahora), encolado_en=None
        )
    )


# Cada envío lee su aviso con el caso, la parte, la cuenta y la solicitud ARCO: el SQL de
# esa unión se arma una vez por proceso (`nucleo.compiladas`).
_MENSAJE_PARA_ENVIAR = Compilada(
    lambda pk: Mensaje.objects.select_related("caso", "parte", "usuario", "solicitud_arco").filter(
        pk=pk
    ),
    ENTERO,
)


def enviar(mensaje_id: int) -> str:
    """Envía un aviso si este proceso gana su reclamo. Devuelve el estado final (o
    «ocupado» si otro lo tiene, ya salió o aún no es hora)."""
    ahora = timezone.now()
    if _recorrer_por_silencio(mensaje_id, ahora):
        return "silencio"
    if not RECLAMO.reclamar(mensaje_id, ahora=ahora, si=Q(programado_para__lte=ahora)):
        return "ocupado"
    leidos = _MENSAJE_PARA_ENVIAR.modelos(mensaje_id)
    if not leidos:  # se borró entre el reclamo y la lectura
        raise Mensaje.DoesNotExist(mensaje_id)
    mensaje = leidos[0]

    def cerrar(estado: str, **campos) -> str:
        RECLAMO.cerrar(mensaje, estado=estado, reclamado_hasta=None, **campos)
        return estado

    if dado_de_baja(canal=mensaje.canal, destino=mensaje.destino):
        return cerrar(EstadoMensaje.CANCELADO, ultimo_error=str(MOTIVO_BAJA))
    if mensaje.parte_id and (motivo := motivo_para_no_avisar(mensaje.parte, mensaje.plantilla)):
        return cerrar(EstadoMensaje.CANCELADO, ultimo_error=motivo)
    canal = canal_de_envio(mensaje.canal)
    if canal is None:
        return cerrar(
            EstadoMensaje.FALLIDO,
            ultimo_error=_("El canal %(canal)s está apagado en la configuración.")
            % {"canal": mensaje.get_canal_display()},
        )
    fuera_de_ventana = (
        mensaje.canal == Canal.WHATSAPP
        and canal.verificable
        and not canal.guarda_texto_completo
        and not dentro_de_ventana(mensaje.destino)
    )
    if fuera_de_ventana and plantilla_de_whatsapp(mensaje.plantilla) is None:
        return _pasar_a_sms(mensaje, cerrar)
    try:
        salida = redactar(mensaje, con_plantilla=fuera_de_ventana)
        guardar = (
            redactar(mensaje, ocultar=True)
            if _lleva_codigo(mensaje.plantilla) and not canal.guarda_texto_completo
            else salida
        )
    except NoCorresponde as motivo:
        return cerrar(EstadoMensaje.CANCELADO, ultimo_error=str(motivo)[:500])
    except Exception as error:  # un dato que ya no existe, una plantilla mal escrita
        logger.exception("No se pudo redactar el aviso %s", mensaje_id)
        return cerrar(
            EstadoMensaje.FALLIDO,
            ultimo_error=(_("No se pudo redactar: %(e)s") % {"e": error})[:500],
        )
    if mensaje.en_duda and not canal.verificable:
        return cerrar(EstadoMensaje.FALLIDO, ultimo_error=str(MOTIVO_SIN_CONFIRMAR))
    try:
        proveedor_id = _ya_recibido(mensaje, canal, salida) if mensaje.en_duda else None
        if not proveedor_id:
            proveedor_id = canal.enviar(salida)
    except Exception as error:
        return _tras_error(mensaje, canal, error, cerrar)
    enviado_en = timezone.now()
    estado = cerrar(
        EstadoMensaje.ENVIADO,
        enviado_en=enviado_en,
        proveedor_id=proveedor_id[:100],
        asunto=guardar.asunto[:200],
        texto=guardar.texto,
        en_duda=False,
        ultimo_error="",
    )
    anotar_sesion_avisada(mensaje, enviado_en)
    return estado


def anotar_sesion_avisada(mensaje: Mensaje, cuando) -> None:
    """El primer aviso de una sesión que le llega a una parte la deja «avisada»: desde ahí,
    cambiarla es un diferimiento (LGMASC art. 76), no una corrección."""
    if mensaje.parte_id and mensaje.referencia.startswith(REFERENCIA_SESION):
        sesion_id = entero_ascii(mensaje.referencia.removeprefix(REFERENCIA_SESION))
        if sesion_id is not None:
            med.marcar_avisada(sesion_id=sesion_id, cuando=cuando)


def _tras_error(mensaje: Mensaje, canal, error: Exception, cerrar) -> str:
    """Cierra un intento que falló: reintento con espera, falla definitiva, o baja si el
    proveedor dice que la persona se dio de baja (21610)."""
    mensaje_id = mensaje.pk
    conocido = isinstance(error, ErrorDeEnvio)
    if not conocido:
        logger.exception("Error inesperado al enviar el aviso %s", mensaje_id)
    # Un corte a medias o un error inesperado: pudo haber salido.
    en_duda = mensaje.en_duda or not conocido or error.ambiguo
    if en_duda and not canal.verificable:
        return cerrar(
            EstadoMensaje.FALLIDO,
            en_duda=True,
            ultimo_error=f"{error} — {MOTIVO_SIN_CONFIRMAR}"[:500],
        )
    if conocido and error.codigo == CODIGO_BAJA_EN_PROVEEDOR:
        estado = cerrar(EstadoMensaje.FALLIDO, en_duda=False, ultimo_error=str(error)[:500])
        dar_de_baja(canal=mensaje.canal, destino=mensaje.destino, origen=OrigenBaja.PROVEEDOR)
        return estado
    if (conocido and error.permanente) or _agotado(mensaje):
        return cerrar(EstadoMensaje.FALLIDO, en_duda=en_duda, ultimo_error=str(error)[:500])
    return cerrar(
        EstadoMensaje.PENDIENTE,
        en_duda=en_duda,
        ultimo_error=str(error)[:500],
        programado_para=timezone.now() + _espera(mensaje.intentos),
        encolado_en=None,
    )


def _pasar_a_sms(mensaje: Mensaje, cerrar) -> str:
    """WhatsApp fuera de la ventana de 24 h y sin plantilla aprobada para este aviso: Meta
    no lo entregaría. Este aviso se cierra y sale uno igual por SMS (una vez: llave propia);
    el caso lo dice."""
    if Canal.SMS not in activos():
        return cerrar(
            EstadoMensaje.FALLIDO,
            ultimo_error=_(
                "Fuera de la ventana de 24 h de WhatsApp, sin plantilla aprobada para este "
                "aviso y con el SMS apagado: no se pudo enviar."
            ),
        )
    with transaction.atomic():
        estado = cerrar(
            EstadoMensaje.CANCELADO,
            ultimo_error=_(
                "Fuera de la ventana de 24 h de WhatsApp y sin plantilla aprobada: se envía "
                "por SMS."
            ),
        )
        avisar(
            plantilla=mensaje.plantilla,
            llave=f"sms-en-lugar:{mensaje.pk}",
            canal=Canal.SMS,
            destino=mensaje.destino,
            caso=mensaje.caso,
            parte=mensaje.parte,
            usuario=mensaje.usuario,
            solicitud_arco=mensaje.solicitud_arco,
            contexto=mensaje.contexto,
            referencia=mensaje.referencia,
        )
        if mensaje.caso_id:
            registrar(
                caso=mensaje.caso,
                tipo=TipoEvento.CONTACTO,
                descripcion=_(
                    "El aviso «%(aviso)s» a %(nombre)s salió por SMS en lugar de WhatsApp: la "
                    "persona no ha escrito en las últimas 24 h y el aviso no tiene plantilla "
                    "aprobada de WhatsApp."
                )
                % {"aviso": AVISOS[mensaje.plantilla].descripcion, "nombre": _para(mensaje)},
                datos={"aviso": mensaje.pk},
            )
    return estado


def _para(mensaje: Mensaje) -> str:
    if mensaje.parte_id:
        return mensaje.parte.nombre
    if mensaje.usuario_id:
        return mensaje.usuario.get_full_name() or mensaje.usuario.username
    return _("la persona")


# --- Recibos de entrega (StatusCallback de Twilio) ------------------------------------------

ENTREGA_DE_TWILIO = {
    "accepted": Entrega.EN_COLA,
    "scheduled": Entrega.EN_COLA,
    "queued": Entrega.EN_COLA,
    "sending": Entrega.SALIO,
    "sent": Entrega.SALIO,
    "delivered": Entrega.ENTREGADO,
    "read": Entrega.LEIDO,
    "undelivered": Entrega.NO_ENTREGADO,
    "failed": Entrega.FALLIDO,
}
# Cuánto avanzó un mensaje: un recibo solo cuenta si avanza (llegan en desorden). Leído va
# al final; no entregado y falló cierran como entregado.
AVANCE = {
    "": 0,
    Entrega.EN_COLA: 1,
    Entrega.SALIO: 2,
    Entrega.ENTREGADO: 3,
    Entrega.NO_ENTREGADO: 3,
    Entrega.FALLIDO: 3,
    Entrega.LEIDO: 4,
}
ENTREGA_FALLIDA = frozenset({Entrega.NO_ENTREGADO, Entrega.FALLIDO})


def registrar_recibo(*, sid: str, estado: str, codigo_error: str = "") -> Mensaje | None:
    """Un recibo de entrega de Twilio. Actualiza `Mensaje.entrega` solo si avanza (un
    «sent» que llega después de «delivered» no lo regresa) con un UPDATE condicional: un
    recibo repetido o dos a la vez no actúan dos veces. El 21610 deja la baja; un SMS que
    no se entregó se reenvía una vez por el otro canal de la parte. Devuelve el aviso si
    este recibo lo cambió."""
    entrega = ENTREGA_DE_TWILIO.get((estado or "").strip().lower())
    # Solo identificadores de mensajes de Twilio (SM…/MM…): nunca «bandeja».
    if not sid.startswith(("SM", "MM")) or entrega is None:
        return None
    menores = [e for e, avance in AVANCE.items() if avance < AVANCE[entrega]]
    with transaction.atomic():
        cambio = Mensaje.objects.filter(proveedor_id=sid, entrega__in=menores).update(
            entrega=entrega, entrega_error=(codigo_error or "")[:20], entrega_en=timezone.now()
        )
        if not cambio:
            return None
        mensaje = Mensaje.objects.select_related("caso", "parte").filter(proveedor_id=sid).first()
        if codigo_error == CODIGO_BAJA_EN_PROVEEDOR:
            dar_de_baja(canal=mensaje.canal, destino=mensaje.destino, origen=OrigenBaja.PROVEEDOR)
        elif entrega in ENTREGA_FALLIDA and mensaje.canal == Canal.SMS:
            reenviar_por_otro_canal(mensaje=mensaje)
    return mensaje


def otro_canal_de_parte(parte, canal: str, plantilla: str) -> tuple[str, str] | None:
    """Por dónde más se le puede avisar a la parte si `canal` no le llegó: correo si tiene;
    si no, WhatsApp (si no es el que falló y Meta lo entregaría: la persona escribió en las
    últimas 24 h o el aviso tiene plantilla aprobada; si no, acabaría otra vez en SMS). Solo
    canales encendidos y sin baja."""
    encendidos = activos()
    opciones = [(Canal.CORREO, parte.correo), (Canal.WHATSAPP, parte.telefono)]
    for otro, destino in opciones:
        if otro == canal or otro not in encendidos or not destino:
            continue
        if dado_de_baja(canal=otro, destino=destino):
            continue
        if otro == Canal.WHATSAPP and not (
            dentro_de_ventana(destino) or plantilla_de_whatsapp(plantilla)
        ):
            continue
        return otro, destino
    return None


def _ya_va_por(mensaje: Mensaje, canal: str) -> bool:
    """Si el mismo aviso ya se le escribió a la parte por `canal` (`avisar_a_parte` escribe
    uno por canal, con el canal al final de la llave) y no falló."""
    sufijo = f":{mensaje.canal}"
    if not mensaje.llave.endswith(sufijo):
        return False
    hermano = mensaje.llave.removesuffix(sufijo) + f":{canal}"
    return (
        Mensaje.objects.filter(llave=hermano)
        .exclude(estado__in=[EstadoMensaje.FALLIDO, EstadoMensaje.CANCELADO])
        .exists()
    )


def reenviar_por_otro_canal(*, mensaje: Mensaje) -> Mensaje | None:
    """Un aviso a una parte que el proveedor no entregó se escribe una vez más por su otro
    canal (llave `reenvio:<aviso>`: un recibo repetido no lo duplica). El caso lo dice."""
    if not mensaje.parte_id or motivo_para_no_avisar(mensaje.parte, mensaje.plantilla):
        return None
    otro = otro_canal_de_parte(mensaje.parte, mensaje.canal, mensaje.plantilla)
    que = AVISOS[mensaje.plantilla].descripcion
    if otro is None:
        if mensaje.caso_id:
            registrar(
                caso=mensaje.caso,
                tipo=TipoEvento.CONTACTO,
                descripcion=_(
                    "El %(canal)s «%(aviso)s» a %(nombre)s no se entregó y la parte no tiene "
                    "otro medio de aviso: comuníquese por teléfono."
                )
                % {"canal": mensaje.get_canal_display(), "aviso": que, "nombre": _para(mensaje)},
                datos={"aviso": mensaje.pk},
            )
        return None
    canal, destino = otro
    llave = f"reenvio:{mensaje.pk}"
    if Mensaje.objects.filter(llave=llave).exists() or _ya_va_por(mensaje, canal):
        return None
    nuevo = avisar(
        plantilla=mensaje.plantilla,
        llave=llave,
        canal=canal,
        destino=destino,
        caso=mensaje.caso,
        parte=mensaje.parte,
        contexto=mensaje.contexto,
        referencia=mensaje.referencia,
    )
    if mensaje.caso_id:
        registrar(
            caso=mensaje.caso,
            tipo=TipoEvento.CONTACTO,
            descripcion=_(
                "El %(canal)s «%(aviso)s» a %(nombre)s no se entregó: se reenvía por %(otro)s."
            )
            % {
                "canal": mensaje.get_canal_display(),
                "aviso": que,
                "nombre": _para(mensaje),
                "otro": Canal(canal).label.lower(),
            },
            datos={"aviso": mensaje.pk, "reenvio": nuevo.pk},
        )
    return nuevo


def sesion_ya_avisada(sesion_id: int) -> bool:
    """Si algún aviso de la sesión a una parte salió, está saliendo o pudo haber salido (un
    envío interrumpido que no se pudo confirmar)."""
    return (
        Mensaje.objects.filter(referencia=f"{REFERENCIA_SESION}{sesion_id}", parte__isnull=False)
        .filter(Q(estado__in=[EstadoMensaje.ENVIANDO, EstadoMensaje.ENVIADO]) | Q(en_duda=True))
        .exists()
    )


def _ya_recibido(mensaje: Mensaje, canal, salida: Salida) -> str | None:
    """El mensaje que el proveedor recibió en el intento interrumpido: uno igual, posterior
    al aviso, que ningún otro aviso haya tomado (los recordatorios de 48 y 24 h dicen lo
    mismo)."""
    candidatos = canal.ya_enviado(salida)
    if not candidatos:
        return None
    tomados = set(
        Mensaje.objects.filter(proveedor_id__in=candidatos)
        .exclude(pk=mensaje.pk)
        .values_list("proveedor_id", flat=True)
    )
    return next((sid for sid in candidatos if sid not in tomados), None)


# --- Barridos (Celery beat) -----------------------------------------------------------------


def despachar(limite: int = 500) -> int:
    """Encola lo pendiente cuya hora llegó (recordatorios, reintentos, lo que no se pudo
    encolar) y que no se encoló hace poco. Usa el índice parcial de pendientes."""
    from .tasks import enviar_aviso

    ahora = timezone.now()
    ids = list(
        Mensaje.objects.filter(estado=EstadoMensaje.PENDIENTE, programado_para__lte=ahora)
        .filter(Q(encolado_en__isnull=True) | Q(encolado_en__lt=ahora - _reclamo()))
        .order_by("programado_para")
        .values_list("pk", flat=True)[:limite]
    )
    if not ids:
        return 0
    Mensaje.objects.filter(pk__in=ids).update(encolado_en=ahora)
    for posicion, mensaje_id in enumerate(ids):
        if not encolar(enviar_aviso, mensaje_id):
            Mensaje.objects.filter(pk__in=ids[posicion:]).update(encolado_en=None)
            return posicion
    return len(ids)


def recuperar_reclamos() -> int:
    """Devuelve a pendiente lo que un worker reclamó y no terminó (murió o se colgó)."""
    ahora = timezone.now()
    vencidos = Mensaje.objects.filter(RECLAMO.vencidos(ahora=ahora))
    agotados = vencidos.filter(
        Q(intentos_maximos=0, intentos__gte=settings.AVISOS_INTENTOS)
        | Q(intentos_maximos__gt=0, intentos__gte=F("intentos_maximos"))
    ).update(
        estado=EstadoMensaje.FALLIDO,
        reclamado_hasta=None,
        en_duda=True,
        ultimo_error=_(
            "El envío se interrumpió en cada intento; puede que haya llegado. Revise antes de "
            "reintentar."
        ),
    )
    devueltos = vencidos.update(
        estado=EstadoMensaje.PENDIENTE,
        reclamado_hasta=None,
        encolado_en=None,
        en_duda=True,
        ultimo_error=_(
            "El envío se interrumpió; antes de reenviarlo se revisa si ya había llegado."
        ),
    )
    if agotados or devueltos:
        logger.warning("Avisos con reclamo vencido: %s devueltos, %s fallidos", devueltos, agotados)
    return agotados + devueltos


# --- Acciones del personal y del ciudadano --------------------------------------------------


def _destino_actual(mensaje: Mensaje) -> str:
    if mensaje.usuario_id:
        return mensaje.usuario.email
    if mensaje.parte_id:
        parte = mensaje.parte
        return parte.correo if mensaje.canal == Canal.CORREO else parte.telefono
    if mensaje.solicitud_arco_id:
        solicitud = mensaje.solicitud_arco
        return solicitud.correo if mensaje.canal == Canal.CORREO else solicitud.telefono
    return mensaje.destino


def reintentar(*, mensaje: Mensaje, actor) -> Mensaje:
    """Vuelve a enviar un aviso que falló, al dato de contacto vigente de la persona."""
    with transaction.atomic():
        mensaje = Mensaje.objects.select_for_update(of=("self",)).get(pk=mensaje.pk)
        if mensaje.estado != EstadoMensaje.FALLIDO:
            raise ValidationError(_("Solo se reintenta un aviso que falló."))
        destino = _destino_actual(mensaje)
        if not destino:
            raise ValidationError(
                _("La persona ya no tiene %(canal)s registrado; corrija sus datos primero.")
                % {"canal": mensaje.get_canal_display().lower()}
            )
        if dado_de_baja(canal=mensaje.canal, destino=destino):
            raise ValidationError(str(MOTIVO_BAJA))
        ahora = timezone.now()
        mensaje.destino = destino
        mensaje.estado = EstadoMensaje.PENDIENTE
        mensaje.intentos_maximos = mensaje.intentos + settings.AVISOS_INTENTOS
        canal = canal_de_envio(mensaje.canal)
        if canal is not None and not canal.verificable:
            mensaje.en_duda = False  # la persona del personal ya lo revisó
        mensaje.programado_para = ahora
        mensaje.encolado_en = ahora
        mensaje.save()
        if mensaje.caso_id:
            registrar(
                caso=mensaje.caso,
                tipo=TipoEvento.TAREA,
                actor=actor,
                descripcion=_("Se reintentó el aviso «%(aviso)s» por %(canal)s.")
                % {
                    "aviso": AVISOS[mensaje.plantilla].descripcion,
                    "canal": mensaje.get_canal_display(),
                },
                datos={"aviso": mensaje.pk},
            )
        transaction.on_commit(lambda: _encolar(mensaje.pk), robust=True)
    return mensaje


def dar_de_baja(*, canal: str, destino: str, origen: str) -> Baja:
    """La persona no quiere más avisos por este canal y destino: se cancela lo pendiente."""
    with transaction.atomic():
        baja, _creada = Baja.objects.get_or_create(
            canal=canal, destino=destino, defaults={"origen": origen}
        )
        Mensaje.objects.filter(canal=canal, destino=destino, estado=EstadoMensaje.PENDIENTE).update(
            estado=EstadoMensaje.CANCELADO, ultimo_error=str(MOTIVO_BAJA)
        )
    return baja


def dar_de_alta(*, canal: str, destino: str) -> int:
    """Deshace una baja (la persona lo pide de nuevo en la oficina)."""
    return Baja.objects.filter(canal=canal, destino=destino).delete()[0]


def registrar_entrante(*, clave: str, ventana: timedelta) -> bool:
    """Anota una petición entrante de Twilio ya atendida. True si `clave` no se vio dentro de
    `ventana`; False si es una repetición (un reintento o una copia reenviada). Llamar dentro
    de la transacción que actúa: si lo que sigue falla, la anotación se revierte y el
    reintento de Twilio sí actúa."""
    EntranteTwilio.objects.filter(recibido_en__lt=timezone.now() - ventana).delete()
    try:
        with transaction.atomic():
            EntranteTwilio.objects.create(clave=clave)
    except IntegrityError:
        return False
    return True


# --- Salud de los workers -------------------------------------------------------------------

# Un worker que no late en una semana ya no existe (contenedor recreado): su renglón se borra.
LATIDOS_OLVIDADOS = timedelta(days=7)


def registrar_latido(
    *,
    nombre: str,
    pid: int,
    colas: list[str],
    pool: str,
    arrancado_en,
    procesos_vivos: int,
) -> LatidoTrabajador:
    """El latido de un worker (lo escribe su proceso principal): un renglón por worker."""
    ahora = timezone.now()
    valores = {
        "pid": pid,
        "colas": ",".join(colas),
        "pool": pool[:40],
        "arrancado_en": arrancado_en,
        "ultimo_latido": ahora,
        "procesos_vivos": procesos_vivos,
        "detenido_en": None,
    }
    if procesos_vivos > 0:
        valores["ultimo_latido_vivo"] = ahora
    latido, _creado = LatidoTrabajador.objects.update_or_create(nombre=nombre, defaults=valores)
    return latido


def registrar_alto(*, nombre: str, pid: int) -> int:
    """El worker se detiene en orden. Solo toca su propio renglón: si otro proceso con el
    mismo nombre ya lo ocupa (el que lo reemplazó), no lo pisa."""
    return LatidoTrabajador.objects.filter(nombre=nombre, pid=pid).update(
        detenido_en=timezone.now(), procesos_vivos=0
    )


def registrar_revision_beat(*, nombre: str, pid: int) -> None:
    """La marca de vida del beat: un UPDATE (o un INSERT la primera vez) por revisión."""
    RevisionBeat.objects.update_or_create(
        nombre=nombre, defaults={"pid": pid, "ultima_revision": timezone.now()}
    )


def revisar_trabajadores() -> dict[str, bool]:
    """La revisión del beat (`notificaciones.trabajadores`): por cola vigilada, si algún
    worker vivo la atiende. Una cola sin ninguno abre su alerta (una por interrupción) y la
    coordinación recibe un correo; cuando vuelve uno, la alerta se cierra y llega otro correo
    («se restableció»). Los correos salen aquí mismo por el correo de Django, no por la cola,
    que es justo lo que está detenido; si el servidor de correo falla, se reintentan en la
    siguiente revisión. Devuelve, por cola, si está detenida."""
    ahora = timezone.now()
    estados = estado_de_trabajadores(ahora=ahora)
    abiertas = alertas_abiertas()
    for cola, estado in estados.items():
        alerta = abiertas.get(cola)
        if estado.detenida and alerta is None:
            _abrir_alerta(cola=cola, desde=estado.ultimo_vivo or ahora, ahora=ahora)
        elif not estado.detenida and alerta is not None:
            AlertaOperativa.objects.filter(pk=alerta.pk, hasta__isnull=True).update(hasta=ahora)
            logger.warning(
                "Cola «%s»: se restableció (%s) tras estar detenida desde %s.",
                cola,
                ", ".join(estado.vivos),
                timezone.localtime(alerta.desde).isoformat(timespec="seconds"),
            )
    _avisar_interrupciones()
    _avisar_restablecimientos()
    LatidoTrabajador.objects.filter(ultimo_latido__lt=ahora - LATIDOS_OLVIDADOS).delete()
    return {cola: estado.detenida for cola, estado in estados.items()}


def _abrir_alerta(*, cola: str, desde, ahora) -> None:
    try:
        with transaction.atomic():
            AlertaOperativa.objects.create(cola=cola, desde=desde, detectada_en=ahora)
    except IntegrityError:
        return  # otro beat la abrió al mismo tiempo
    logger.error(
        "Cola «%s»: ningún worker vivo desde %s (umbral: %s s). Los trabajos de esa cola "
        "quedan pendientes hasta que arranque uno; se avisa a la coordinación por correo.",
        cola,
        timezone.localtime(desde).isoformat(timespec="seconds"),
        settings.TRABAJADOR_SIN_LATIDO_SEGUNDOS,
    )


def _correo_de_interrupcion(alertas: list[AlertaOperativa], nombre: str, centro: str):
    colas = [alerta.cola for alerta in alertas]
    que, pendiente = trabajos_de(colas)
    desde = hora_dicha(min(alerta.desde for alerta in alertas), con_fecha=True)
    asunto = _("Trabajo en segundo plano detenido desde %(desde)s") % {"desde": desde}
    cuerpo = _(
        "Hola, %(nombre)s:\n\n"
        "En %(centro)s, el trabajo en segundo plano (%(que)s) está detenido desde %(desde)s: "
        "ningún proceso de trabajo ha dado señales de vida desde entonces.\n\n"
        "Lo pendiente no se pierde: los %(pendiente)s quedan guardados y saldrán solos al "
        "restablecerse.\n\n"
        "Avise a soporte técnico. Recibirá otro correo cuando se restablezca.\n\n"
        "Para soporte técnico: ningún worker de Celery de %(colas)s ha latido con procesos "
        "vivos en los últimos %(umbral)s segundos. Revise «docker compose ps» y la bitácora "
        "del worker («docker compose logs worker»); «python manage.py latido» muestra el "
        "último latido de cada worker.\n"
    ) % {
        "nombre": nombre,
        "centro": centro,
        "que": enumerar(que),
        "desde": desde,
        "pendiente": enumerar(pendiente),
        "colas": (_("la cola %s") if len(colas) == 1 else _("las colas %s"))
        % enumerar(f"«{cola}»" for cola in colas),
        "umbral": settings.TRABAJADOR_SIN_LATIDO_SEGUNDOS,
    }
    return asunto, cuerpo


def _correo_de_restablecimiento(alertas: list[AlertaOperativa], nombre: str, centro: str):
    que, pendiente = trabajos_de([alerta.cola for alerta in alertas])
    desde = min(alerta.desde for alerta in alertas)
    hasta = max(alerta.hasta for alerta in alertas)
    asunto = _("Se restableció el trabajo en segundo plano")
    cuerpo = _(
        "Hola, %(nombre)s:\n\n"
        "En %(centro)s, el trabajo en segundo plano (%(que)s) se restableció %(hasta)s. "
        "Estuvo detenido desde %(desde)s (%(duracion)s).\n\n"
        "Los %(pendiente)s que quedaron pendientes salen ahora solos; no hace falta hacer "
        "nada.\n"
    ) % {
        "nombre": nombre,
        "centro": centro,
        "que": enumerar(que),
        "hasta": hora_dicha(hasta, con_fecha=True),
        "desde": hora_dicha(desde, con_fecha=True),
        "duracion": timesince(desde, hasta),
        "pendiente": enumerar(pendiente),
    }
    return asunto, cuerpo


def _avisar_interrupciones() -> None:
    pendientes = AlertaOperativa.objects.filter(hasta__isnull=True, aviso_inicio_en__isnull=True)
    _avisar_a_coordinacion(pendientes, "aviso_inicio_en", _correo_de_interrupcion)


def _avisar_restablecimientos() -> None:
    pendientes = AlertaOperativa.objects.filter(hasta__isnull=False, aviso_fin_en__isnull=True)
    _avisar_a_coordinacion(pendientes, "aviso_fin_en", _correo_de_restablecimiento)


def _avisar_a_coordinacion(pendientes, campo: str, redactar_correo) -> None:
    """Un correo por persona de la coordinación que junta las alertas pendientes de aviso.
    Cada alerta se reclama antes de enviar (dos beats no avisan dos veces) y, si el envío
    falla, se suelta para la siguiente revisión."""
    ahora = timezone.now()
    alertas = []
    for alerta in pendientes.order_by("desde", "pk"):
        if AlertaOperativa.objects.filter(pk=alerta.pk, **{f"{campo}__isnull": True}).update(
            **{campo: ahora}
        ):
            alertas.append(alerta)
    if not alertas:
        return
    centro = Centro.actual().nombre
    correos = [
        (
            *redactar_correo(alertas, persona.get_full_name() or persona.username, centro),
            settings.DEFAULT_FROM_EMAIL,
            [persona.email],
        )
        for persona in coordinacion_con_correo()
    ]
    if not correos:
        logger.warning(
            "No hay nadie del rol coordinador con correo: la alerta queda registrada sin aviso."
        )
        return
    try:
        conexion = get_connection(timeout=settings.AVISOS_TIMEOUT_SEGUNDOS)
        send_mass_mail(correos, fail_silently=False, connection=conexion)
    except Exception as error:  # noqa: BLE001 (servidor de correo caído, rechazo, tiempo)
        AlertaOperativa.objects.filter(pk__in=[a.pk for a in alertas]).update(
            **{campo: None}, ultimo_error=f"{type(error).__name__}: {error}"[:500]
        )
        logger.warning(
            "No se pudo avisar a la coordinación por correo (%s); se reintenta en la "
            "siguiente revisión.",
            error,
        )
        return
    AlertaOperativa.objects.filter(pk__in=[a.pk for a in alertas]).update(ultimo_error="")
    logger.info("Aviso a la coordinación enviado a %s persona(s).", len(correos))

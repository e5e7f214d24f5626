"""Plazos del sistema: cada fecha de vencimiento se calcula aquí, a partir de los hechos del
caso y del calendario de días hábiles, y cita el artículo del que viene.

Las cifras (días hábiles, meses, veces) son datos fechados (`ValorDePlazo`, ver
`casos.cifras`): cada cálculo pide la que rige **a ese caso**. Hay dos niveles:

- `*_vence_el(...)`: el día en que vence el plazo (una fecha), para reglas, avisos y
  pantallas;
- `vence_*(caso)` y los temporizadores: el momento (fecha y hora) que guarda cada tarea
  o temporizador del flujo; `flujos.plazos` los asigna a cada nodo.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from . import cifras, selectors
from .calendario import Calendario
from .models import Caso, Convenio, EstadoRegistro, sumar_meses


def plazo(nombre: str, *, caso: Caso | None) -> int:
    """La cifra de un plazo o límite del procedimiento que rige al caso (la de su fecha de
    plazos, `casos.cifras`); con `caso=None`, la que rige hoy."""
    return cifras.del_caso(nombre, caso).valor


def fecha_local(momento: datetime) -> date:
    """El día (hora de México) en que ocurrió un momento."""
    return timezone.localtime(momento).date()


def fin_del_dia(fecha: date) -> datetime:
    """Un plazo en días vence al terminar ese día, hora de México."""
    return timezone.make_aware(datetime.combine(fecha, time(23, 59)))


# Una lista de muchos casos con sus plazos (Open311) precarga las prórrogas y las pausas de
# todos en dos consultas, como listas: leer `caso.prorrogas.all()` de lo precargado clona
# un queryset por caso, y eso cuesta más que el propio cálculo.
_PRECARGADAS = {"prorrogas": "prorrogas_de_plazos", "esperas": "esperas_de_plazos"}


def precargas(*relaciones: str) -> tuple[Prefetch, ...]:
    """Para `prefetch_related(*plazos.precargas("esperas"))` de una lista de casos (por
    omisión, prórrogas y pausas; las prórrogas pueden venir ya con el caso,
    `selectors.con_ultima_prorroga`). Sin orden: el cálculo toma la última prórroga y suma
    las pausas, y el orden de esos modelos (por caso, es decir, por la fecha de recepción del
    caso) obligaría a unirlos con los casos."""
    return tuple(
        Prefetch(
            relacion,
            queryset=getattr(Caso, relacion).rel.related_model.objects.order_by(),
            to_attr=_PRECARGADAS[relacion],
        )
        for relacion in relaciones or _PRECARGADAS
    )


def precargar(caso: Caso, relacion: str, modelos: list) -> None:
    """Deja en el caso sus prórrogas o pausas ya leídas (p. ej. por una consulta compilada),
    como las deja `precargas`: el cálculo de plazos no vuelve a leerlas."""
    setattr(caso, _PRECARGADAS[relacion], modelos)


def _de_caso(caso: Caso, relacion: str) -> list:
    precargadas = getattr(caso, _PRECARGADAS[relacion], None)
    if precargadas is not None:
        return precargadas
    return list(getattr(caso, relacion).order_by())


# --- Mediación: el procedimiento ------------------------------------------------------------


def procedimiento_vence_el(caso: Caso) -> date | None:
    """LGMASC art. 64: el procedimiento dura a lo más los meses configurados desde la
    admisión, o hasta la fecha de la última prórroga acordada por las partes. None si no se
    admitió."""
    if caso.admitido_en is None:
        return None
    if hasattr(caso, "ultima_prorroga"):  # leída con el caso (`selectors.con_ultima_prorroga`)
        ultima = caso.ultima_prorroga
    else:
        ultima = max((p.nueva_fecha_limite for p in _de_caso(caso, "prorrogas")), default=None)
    if ultima is not None:
        return ultima
    return sumar_meses(fecha_local(caso.admitido_en), plazo("DURACION_MAXIMA_MESES", caso=caso))


def certificacion_no_cubre_plazo(caso: Caso, certificado_hasta: date | None) -> date | None:
    """El día en que vence el procedimiento (art. 64) si la certificación de quien lo
    llevaría termina antes (art. 55: sin certificación vigente no puede seguir atendiéndolo);
    None si la cubre o si el caso aún no tiene plazo."""
    vence = procedimiento_vence_el(caso)
    if vence is None or certificado_hasta is None or certificado_hasta >= vence:
        return None
    return vence


def aviso_no_admision_vence_el(caso: Caso) -> date:
    """LGMASC art. 66: la no admisión se notifica al día hábil siguiente."""
    return Calendario().sumar(
        fecha_local(caso.concluido_en), plazo("NO_ADMISION_AVISO_DIAS_HABILES", caso=caso)
    )


def invitacion_vence_el(caso: Caso, calendario: Calendario | None = None) -> date | None:
    """LGMASC art. 69: la invitación sale dentro de 5 días hábiles (configurable) desde la
    admisión. None si no se admitió."""
    if caso.admitido_en is None:
        return None
    return (calendario or Calendario()).sumar(
        fecha_local(caso.admitido_en), plazo("INVITACION_DIAS_HABILES", caso=caso)
    )


def nueva_invitacion_vence_el(caso: Caso) -> date | None:
    """Tras un intento sin respuesta, el siguiente sale en los mismos días hábiles del
    art. 69, contados desde el intento anterior; el primero, desde la admisión."""
    ultima = selectors.ultima_invitacion(caso=caso)
    if ultima is None:
        return invitacion_vence_el(caso)
    return Calendario().sumar(
        fecha_local(ultima.fecha), plazo("INVITACION_DIAS_HABILES", caso=caso)
    )


def programacion_vence_el(caso: Caso) -> date:
    """Plazo interno para programar la sesión: los días hábiles del art. 69 contados desde
    hoy, sin rebasar el fin del procedimiento (art. 64)."""
    propio = Calendario().sumar(timezone.localdate(), plazo("INVITACION_DIAS_HABILES", caso=caso))
    return min(propio, procedimiento_vence_el(caso))


def registro_de_sesion_vence_el(caso: Caso) -> date | None:
    """Plazo interno: la asistencia y el resultado de la sesión se registran a más tardar el
    día hábil siguiente (de ese registro salen las inasistencias del art. 78). None si no hay
    sesión programada."""
    sesion = selectors.proxima_sesion_programada(caso=caso)
    return Calendario().sumar(fecha_local(sesion.fin), 1) if sesion else None


# --- Mediación: convenio, registro y seguimiento --------------------------------------------


def registro_vence_el(convenio: Convenio) -> date | None:
    """LGMASC arts. 98 y 103-111: el convenio se envía a registro dentro de 10 días hábiles
    desde la firma; si el registro lo previene, se corrige y reenvía en 10 días hábiles desde
    la prevención. None si aún no se firma."""
    if convenio.estado_registro == EstadoRegistro.PREVENIDO and convenio.prevenido_en:
        return Calendario().sumar(
            convenio.prevenido_en, plazo("PREVENCION_DIAS_HABILES", caso=convenio.caso)
        )
    return envio_a_registro_vence_el(convenio)


def envio_a_registro_vence_el(
    convenio: Convenio, calendario: Calendario | None = None
) -> date | None:
    """LGMASC art. 98: el primer envío del convenio a registro, dentro de 10 días hábiles
    (configurable) desde la firma. None si aún no se firma."""
    if convenio.firmado_en is None:
        return None
    return (calendario or Calendario()).sumar(
        fecha_local(convenio.firmado_en), plazo("REGISTRO_ENVIO_DIAS_HABILES", caso=convenio.caso)
    )


def respuesta_registro_vence_el(convenio: Convenio, calendario: Calendario | None = None) -> date:
    """LGMASC arts. 103-111: el registro tiene 30 días hábiles (configurable) desde el envío
    para validar o prevenir el convenio."""
    return (calendario or Calendario()).sumar(
        convenio.enviado_registro_en, plazo("REGISTRO_RESPUESTA_DIAS_HABILES", caso=convenio.caso)
    )


def seguimiento_vence_el(caso: Caso) -> date | None:
    """LGMASC art. 94: cada cláusula fija el tiempo para cumplirse; el seguimiento vence en
    la fecha de la primera cláusula pendiente. None si ninguna tiene fecha."""
    return selectors.primera_fecha_de_clausula(caso=caso)


# --- Asesoría -------------------------------------------------------------------------------


def primer_contacto_vence_el(caso: Caso) -> date:
    """Plazo interno de primer contacto: N días hábiles (1, configurable) desde la recepción.
    Es también el plazo de la coordinación para revisar una solicitud de mediación."""
    return Calendario().sumar(
        fecha_local(caso.recibido_en), plazo("ASESORIA_PRIMER_CONTACTO_DIAS_HABILES", caso=caso)
    )


def dias_habiles_en_pausa(caso: Caso, calendario: Calendario | None = None) -> int:
    """Días hábiles en que el reloj de la asesoría estuvo detenido esperando al ciudadano
    (la espera abierta cuenta hasta hoy)."""
    calendario = calendario or Calendario()
    ahora = timezone.now()
    return sum(
        calendario.entre(fecha_local(e.desde), fecha_local(e.hasta or ahora))
        for e in _de_caso(caso, "esperas")
    )


def resolucion_vence_el(caso: Caso, calendario: Calendario | None = None) -> date:
    """Plazo interno de resolución de la asesoría: N días hábiles (10, configurable) desde la
    recepción, más los días hábiles en pausa esperando al ciudadano."""
    calendario = calendario or Calendario()
    dias = plazo("ASESORIA_RESOLUCION_DIAS_HABILES", caso=caso) + dias_habiles_en_pausa(
        caso, calendario
    )
    return calendario.sumar(fecha_local(caso.recibido_en), dias)


# --- Derechos ARCO (LGPDPPSO; cifras [por confirmar] en `casos.cifras`) --------------------


def _cifra_arco(clave: str, solicitud) -> int:
    return cifras.de_solicitud(clave, solicitud).valor


def arco_requerimiento_vence_el(solicitud, calendario: Calendario | None = None) -> date:
    """Último día para pedir a la persona información que falte: N días hábiles (5) desde
    la presentación."""
    return (calendario or Calendario()).sumar(
        fecha_local(solicitud.recibida_en),
        _cifra_arco("ARCO_REQUERIMIENTO_DIAS_HABILES", solicitud),
    )


def arco_desahogo_vence_el(solicitud, calendario: Calendario | None = None) -> date | None:
    """Último día para que la persona entregue lo que se le pidió: N días hábiles (10) desde
    el requerimiento. None si no se le pidió nada."""
    if solicitud.requerida_en is None:
        return None
    return (calendario or Calendario()).sumar(
        fecha_local(solicitud.requerida_en),
        _cifra_arco("ARCO_DESAHOGO_DIAS_HABILES", solicitud),
    )


def arco_respuesta_vence_el(solicitud, calendario: Calendario | None = None) -> date | None:
    """Último día para responder: N días hábiles (20) desde la presentación, más la
    ampliación (10) si se notificó. El requerimiento de información interrumpe el plazo:
    mientras se espera a la persona no corre (None), y una vez que entrega lo pedido se
    cuenta completo desde ese día."""
    if solicitud.requerida_en is not None and solicitud.desahogada_en is None:
        return None
    calendario = calendario or Calendario()
    inicio = solicitud.desahogada_en or solicitud.recibida_en
    dias = _cifra_arco("ARCO_RESPUESTA_DIAS_HABILES", solicitud)
    if solicitud.ampliada_en is not None:
        dias += _cifra_arco("ARCO_AMPLIACION_DIAS_HABILES", solicitud)
    return calendario.sumar(fecha_local(inicio), dias)


def arco_respuesta_sin_ampliar_vence_el(solicitud, calendario: Calendario | None = None):
    """El plazo de respuesta sin la ampliación: la ampliación solo puede notificarse dentro
    de él."""
    if solicitud.requerida_en is not None and solicitud.desahogada_en is None:
        return None
    inicio = solicitud.desahogada_en or solicitud.recibida_en
    return (calendario or Calendario()).sumar(
        fecha_local(inicio), _cifra_arco("ARCO_RESPUESTA_DIAS_HABILES", solicitud)
    )


def arco_recurso_vence_el(solicitud, calendario: Calendario | None = None) -> date | None:
    """Último día para interponer el recurso de revisión: N días hábiles (15) desde que se
    notificó la respuesta."""
    if solicitud.respondida_en is None:
        return None
    return (calendario or Calendario()).sumar(
        fecha_local(solicitud.respondida_en), _cifra_arco("ARCO_RECURSO_DIAS_HABILES", solicitud)
    )


def arco_efectividad_vence_el(solicitud, calendario: Calendario | None = None) -> date | None:
    """Último día para hacer efectivo un derecho procedente: N días hábiles (15) desde que se
    notificó la respuesta."""
    if solicitud.respondida_en is None:
        return None
    return (calendario or Calendario()).sumar(
        fecha_local(solicitud.respondida_en),
        _cifra_arco("ARCO_EFECTIVIDAD_DIAS_HABILES", solicitud),
    )


def vence_verificacion_arco(solicitud) -> datetime:
    """Acreditar la identidad o pedir lo que falte: hasta el fin del plazo para requerir."""
    return fin_del_dia(arco_requerimiento_vence_el(solicitud))


def vence_desahogo_arco(solicitud) -> datetime | None:
    fecha = arco_desahogo_vence_el(solicitud)
    return fin_del_dia(fecha) if fecha else None


def vence_respuesta_arco(solicitud) -> datetime | None:
    fecha = arco_respuesta_vence_el(solicitud)
    return fin_del_dia(fecha) if fecha else None


# --- Avisos al personal ---------------------------------------------------------------------


def siguiente_dia_habil(dia: date, calendario: Calendario | None = None) -> date:
    """El día hábil que sigue a `dia` (el aviso de «vence mañana» mira hasta ahí)."""
    return (calendario or Calendario()).sumar(dia, 1)


def por_vencer_hasta(dia: date, calendario: Calendario | None = None) -> date:
    """Último día de la ventana «por vencer»: N días hábiles (configurable) después de `dia`."""
    return (calendario or Calendario()).sumar(dia, plazo("POR_VENCER_DIAS_HABILES", caso=None))


# --- Vencimientos de las tareas y temporizadores del flujo ----------------------------------


def vence_primer_contacto(caso: Caso) -> datetime:
    """Revisar, clasificar o asignar la solicitud: fin del día del primer contacto."""
    return fin_del_dia(primer_contacto_vence_el(caso))


def vence_aviso_no_admision(caso: Caso) -> datetime:
    """Avisar la no admisión (art. 66): fin del día hábil siguiente."""
    return fin_del_dia(aviso_no_admision_vence_el(caso))


def vence_invitacion(caso: Caso) -> datetime:
    """Asignar e invitar (art. 69): fin del día en que debe salir la invitación."""
    return fin_del_dia(nueva_invitacion_vence_el(caso))


def vence_programacion(caso: Caso) -> datetime:
    """Programar la sesión: fin del día del plazo interno, dentro del art. 64."""
    return fin_del_dia(programacion_vence_el(caso))


def vence_registro_de_sesion(caso: Caso) -> datetime | None:
    """Registrar la sesión: fin del día hábil siguiente a la sesión programada."""
    fecha = registro_de_sesion_vence_el(caso)
    return fin_del_dia(fecha) if fecha else None


def vence_procedimiento(caso: Caso) -> datetime:
    """LGMASC art. 64: fin del plazo del procedimiento (con sus prórrogas). Sin admisión el
    temporizador se arma a 90 días."""
    limite = procedimiento_vence_el(caso)
    return fin_del_dia(limite) if limite else timezone.now() + timedelta(days=90)


def vence_envio_a_registro(caso: Caso) -> datetime:
    """Enviar el convenio a registro (arts. 98 y 103-111): fin del día del plazo."""
    return fin_del_dia(registro_vence_el(caso.convenio))


def vence_respuesta_registro(caso: Caso) -> datetime:
    """Registrar la respuesta del registro (arts. 103-111): fin del día del plazo."""
    return fin_del_dia(respuesta_registro_vence_el(caso.convenio))


def vence_seguimiento(caso: Caso) -> datetime | None:
    """Dar seguimiento (art. 94): fin del día de la primera cláusula pendiente."""
    fecha = seguimiento_vence_el(caso)
    return fin_del_dia(fecha) if fecha else None


def vence_resolucion(caso: Caso) -> datetime:
    """Atender la asesoría y hacer la encuesta: fin del día del plazo de resolución."""
    return fin_del_dia(resolucion_vence_el(caso))


def inicio_de_sesion(caso: Caso) -> datetime:
    """Momento en que la sesión programada empieza (el temporizador la hace registrable)."""
    sesion = selectors.proxima_sesion_programada(caso=caso)
    return sesion.inicio if sesion else timezone.now()


def esperar_clausulas_hasta(caso: Caso) -> datetime:
    """Art. 94: el seguimiento se abre a las 9:00 del día de la primera cláusula por cumplir
    (o ya, si no hay fecha o ya pasó)."""
    fecha = seguimiento_vence_el(caso)
    if fecha is None:
        return timezone.now()
    return max(timezone.now(), timezone.make_aware(datetime.combine(fecha, time(9, 0))))

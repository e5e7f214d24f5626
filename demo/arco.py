"""Solicitudes de derechos ARCO de la demostración, una en cada estado de su flujo: recién
recibida, en pausa esperando a la persona, en trámite con el plazo ampliado, y respondidas
(acceso a sus datos en tres casos, rectificación de un caso concluido, oposición a los avisos)
o tenida por no presentada. Cada una avanza por sus tareas, como la trabajaría la persona que
atiende la privacidad; sus respuestas en PDF las genera el worker de la demo."""

from datetime import timedelta

import time_machine
from django.db.models import Count
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casos.models import ESTADOS_FINALES, Canal, Caso, Parte, RolParte, SolicitudARCO
from casos.services import privacidad as arco
from flujos import services as flujos
from flujos.tareas import procesos_de
from notificaciones.models import EstadoMensaje, Mensaje
from notificaciones.services import enviar
from privacidad import services as privacidad

from .guion import CAL, hora_local

ABIERTAS = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def _hace(dias_habiles: int, hora: int = 11):
    """Un momento de hace N días hábiles, a la hora dada (hora de México)."""
    hoy = timezone.localdate()
    dia = hoy
    for _ in range(dias_habiles):
        dia -= timedelta(days=1)
        while not CAL.es_habil(dia):
            dia -= timedelta(days=1)
    return hora_local(dia, hora)


def _tarea(solicitud) -> Task:
    return Task.objects.get(
        process__in=procesos_de(solicitud), flow_task_type="HUMAN", status__in=ABIERTAS
    )


def _paso(solicitud, persona, accion):
    """Toma la tarea abierta de la solicitud (si aún no es suya) y la completa con `accion`."""
    task = _tarea(solicitud)
    if task.owner_id != persona.pk:
        flujos.tomar_tarea(task=task, usuario=persona)
        task.refresh_from_db()
    flujos.completar_tarea(task=task, usuario=persona, accion=accion)
    solicitud.refresh_from_db()
    _avisos_hasta(solicitud, timezone.now())
    return solicitud


def _en_la_tarea(solicitud, persona, servicio, **argumentos):
    task = _tarea(solicitud)
    if task.owner_id != persona.pk:
        flujos.tomar_tarea(task=task, usuario=persona)
        task.refresh_from_db()
    return privacidad.en_la_tarea(
        task=task, actor=persona, servicio=servicio, solicitud=solicitud, **argumentos
    )


def _acreditar(solicitud, persona, detalle="INE vigente, revisada en ventanilla"):
    return _paso(
        solicitud,
        persona,
        lambda: arco.acreditar_identidad(
            solicitud=solicitud, actor=persona, medio="identificacion", detalle=detalle
        ),
    )


def _responder(solicitud, persona, *, sentido="procedente", causa="", respuesta):
    return _paso(
        solicitud,
        persona,
        lambda: arco.responder(
            solicitud=solicitud,
            actor=persona,
            sentido=sentido,
            causa_improcedencia=causa,
            fundamento=(
                "Ley General de Protección de Datos Personales en Posesión de Sujetos "
                "Obligados, derechos ARCO [por confirmar el artículo vigente]."
            ),
            respuesta=respuesta,
        ),
    )


def _recibir(instante, *, persona=None, **datos):
    with time_machine.travel(instante, tick=False):
        solicitud = arco.recibir_solicitud_arco(actor=persona, **datos).solicitud
        _avisos_hasta(solicitud, timezone.now())
    return solicitud


def _avisos_hasta(solicitud, hasta) -> None:
    """Los avisos de la solicitud cuya hora ya pasó salen a su hora (como en los casos)."""
    pendientes = Mensaje.objects.filter(
        solicitud_arco=solicitud, estado=EstadoMensaje.PENDIENTE, programado_para__lte=hasta
    ).order_by("programado_para")
    for mensaje in pendientes:
        with time_machine.travel(mensaje.programado_para + timedelta(seconds=20), tick=False):
            enviar(mensaje.pk)


def _persona_con_varios_casos() -> tuple[str, str, list[Parte]] | None:
    """Quien llamó varias veces (mismo teléfono, varios casos): su nombre, su teléfono y sus
    renglones de parte."""
    repetido = (
        Parte.objects.filter(rol=RolParte.SOLICITANTE)
        .exclude(telefono="")
        .values("telefono")
        .annotate(n=Count("caso", distinct=True))
        .filter(n__gte=2)
        .order_by("-n", "telefono")
        .first()
    )
    if repetido is None:
        return None
    partes = list(
        Parte.objects.filter(telefono=repetido["telefono"], rol=RolParte.SOLICITANTE)
        .select_related("caso")
        .order_by("caso__recibido_en")[:3]
    )
    return partes[0].nombre, repetido["telefono"], partes


def _parte_de_caso_concluido(rol: str, excluir=()) -> Parte | None:
    return (
        Parte.objects.filter(caso__estado__in=ESTADOS_FINALES, rol=rol)
        .exclude(pk__in=[p.pk for p in excluir])
        .exclude(correo="", telefono="")
        .select_related("caso")
        .order_by("caso__recibido_en")
        .first()
    )


def sembrar_arco(usuarios: dict) -> int:
    """Siembra las solicitudes ARCO de la demo si aún no hay ninguna; devuelve cuántas."""
    if SolicitudARCO.objects.exists() or not Caso.objects.exists():
        return 0
    oficial, operadora = usuarios["transparencia"], usuarios["operadora"]
    ahora = timezone.now()
    hechas = []

    # Tenida por no presentada: se le pidió su identificación y no la entregó a tiempo.
    s = _recibir(
        _hace(45),
        derecho="acceso",
        canal=Canal.WEB,
        nombre="Ernesto Villaseñor Cárdenas",
        medio_respuesta="correo",
        correo="ernesto.villasenor@correo.invalid",
        descripcion="Quiero saber qué datos tienen de mí; creo que alguien me registró.",
    )
    with time_machine.travel(_hace(44), tick=False):
        _paso(
            s,
            oficial,
            lambda: arco.requerir_informacion(
                solicitud=s,
                actor=oficial,
                requerimiento=(
                    "Para entregarle sus datos necesitamos que acredite su identidad: acuda "
                    "con una identificación oficial vigente o envíe su firma electrónica."
                ),
            ),
        )
    with time_machine.travel(_hace(25), tick=False):
        _paso(s, oficial, lambda: arco.tener_por_no_presentada(solicitud=s, actor=oficial))
    hechas.append(s)

    # Acceso: la persona que llamó varias veces recibe sus datos de todos sus casos.
    frecuente = _persona_con_varios_casos()
    if frecuente is not None:
        nombre, telefono, partes = frecuente
        s = _recibir(
            _hace(30),
            persona=operadora,
            derecho="acceso",
            canal=Canal.TELEFONO,
            nombre=nombre,
            telefono=telefono,
            medio_respuesta="sms",
            descripcion=(
                "Llamó para pedir una copia de todos los datos que la oficina tiene de ella "
                "en sus trámites."
            ),
        )
        with time_machine.travel(_hace(28), tick=False):
            _acreditar(s, oficial)
            _en_la_tarea(s, oficial, arco.identificar_datos, partes=partes)
        with time_machine.travel(_hace(20), tick=False):
            _responder(
                s,
                oficial,
                respuesta=(
                    "Le entregamos, en el anexo, los datos que la oficina guarda de usted en "
                    "sus casos, los avisos que le enviamos y quién consultó sus expedientes. "
                    "Lo tratado en las sesiones de mediación es confidencial y no se incluye."
                ),
            )
        hechas.append(s)

    # Rectificación de un caso ya concluido: el nombre se corrige y la historia se conserva.
    parte = _parte_de_caso_concluido(RolParte.SOLICITANTE)
    if parte is not None:
        s = _recibir(
            _hace(15),
            derecho="rectificacion",
            canal=Canal.PRESENCIAL,
            persona=oficial,
            nombre=parte.nombre,
            correo=parte.correo,
            telefono=parte.telefono,
            medio_respuesta="oficina",
            descripcion=(
                f"Mi nombre quedó mal escrito en el caso {parte.caso.folio}: falta mi segundo "
                "apellido."
            ),
            folios_referidos=parte.caso.folio,
        )
        with time_machine.travel(_hace(15, 12), tick=False):
            _acreditar(s, oficial, "Credencial para votar, revisada en persona")
            _en_la_tarea(s, oficial, arco.identificar_datos, partes=[parte])
            _en_la_tarea(s, oficial, arco.rectificar, parte=parte, nombre=f"{parte.nombre} Orozco")
        with time_machine.travel(_hace(14), tick=False):
            _responder(
                s,
                oficial,
                respuesta=(
                    "Se corrigió su nombre en el expediente. Los documentos ya firmados no se "
                    "modifican: esta respuesta se anexa al expediente como constancia."
                ),
            )
        hechas.append(s)

    # Oposición a los avisos: deja de recibir recordatorios; su caso sigue.
    otra = _parte_de_caso_concluido(RolParte.INVITADA)
    if otra is not None:
        s = _recibir(
            _hace(10),
            derecho="oposicion",
            canal=Canal.WEB,
            nombre=otra.nombre,
            correo=otra.correo or "sin-correo@correo.invalid",
            medio_respuesta="correo",
            descripcion="No quiero recibir más mensajes ni recordatorios de la oficina.",
            folios_referidos=otra.caso.folio,
        )
        with time_machine.travel(_hace(9), tick=False):
            _acreditar(s, oficial, "Firma electrónica avanzada (SAT), validada")
            _en_la_tarea(s, oficial, arco.identificar_datos, partes=[otra])
            _en_la_tarea(s, oficial, arco.registrar_oposicion, partes=[otra], usos=["avisos"])
            _responder(
                s,
                oficial,
                respuesta="Desde hoy no le enviaremos avisos ni recordatorios.",
            )
        hechas.append(s)

    # En trámite con el plazo ampliado: cancelación de datos de un caso concluido.
    cancelar = _parte_de_caso_concluido(RolParte.INVITADA, excluir=[otra] if otra else [])
    if cancelar is not None:
        s = _recibir(
            _hace(12),
            derecho="cancelacion",
            canal=Canal.PRESENCIAL,
            persona=oficial,
            nombre=cancelar.nombre,
            domicilio="Domicilio conocido, Atotonilco el Alto",
            medio_respuesta="domicilio",
            descripcion="Pido que borren mis datos del caso en el que me invitaron.",
            folios_referidos=cancelar.caso.folio,
        )
        with time_machine.travel(_hace(12, 12), tick=False):
            _acreditar(s, oficial)
            _en_la_tarea(s, oficial, arco.identificar_datos, partes=[cancelar])
        with time_machine.travel(_hace(3), tick=False):
            task = _tarea(s)
            privacidad.ampliar_plazo(
                task=task,
                solicitud=s,
                actor=oficial,
                motivo=(
                    "El expediente está en el archivo de concentración y debe revisarse qué "
                    "datos se conservan por obligación legal."
                ),
            )
        hechas.append(s)

    # En pausa: se pidió a la persona su identificación (el plazo no corre).
    s = _recibir(
        _hace(4),
        persona=operadora,
        derecho="rectificacion",
        canal=Canal.TELEFONO,
        nombre="Luz Elena Pelayo Íñiguez",
        telefono="+523919171234",
        medio_respuesta="whatsapp",
        descripcion="Mi teléfono cambió y quiero que lo corrijan en mi asesoría.",
    )
    with time_machine.travel(_hace(3, 10), tick=False):
        _paso(
            s,
            oficial,
            lambda: arco.requerir_informacion(
                solicitud=s,
                actor=oficial,
                requerimiento="Acuda con su identificación oficial para acreditar su identidad.",
            ),
        )
    hechas.append(s)

    # Recién recibida por el formulario público: en la cola, por acreditar la identidad.
    hechas.append(
        _recibir(
            _hace(1),
            derecho="portabilidad",
            canal=Canal.WEB,
            nombre="Tomás Guerrero Anaya",
            correo="tomas.guerrero@correo.invalid",
            medio_respuesta="correo",
            descripcion="Quiero una copia de mis datos en un archivo que pueda usar.",
        )
    )
    for solicitud in hechas:
        _avisos_hasta(solicitud, ahora)
    return len(hechas)

"""Acciones sobre un caso que mueven su flujo: una función por acción, que hace todo.

Cada acción que una persona o el sistema toma sobre un caso (tomar, soltar o reasignar una
tarea, corregir la hora de una sesión o diferirla, prorrogar el plazo, verificar una
cláusula, concluir, reabrir, aplicar las cifras de plazos de hoy) es una sola función que
aplica la regla de dominio (servicios de `casos`), mueve el flujo, pone al día los
temporizadores y vencimientos (`Task.scheduled`) y deja el evento. Las vistas, la API, las
tareas de Celery, la demostración y los comandos llaman estas funciones: ninguno puede
olvidar un paso.

Todas toman primero el candado de los procesos del caso (el mismo orden que al completar una
tarea: proceso y luego caso); si otra persona lo está moviendo, `TareaNoDisponible`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from casos.models import Caso, Clausula, Prorroga, Sala, Sesion, TipoCaso
from casos.services import asesoria as ase
from casos.services import mediacion as med
from casos.services import plazos as cifras_de_plazos

from . import asuntos, selectors, tareas
from .tareas import TareaNoDisponible

__all__ = [
    "TareaNoDisponible",
    "completar_tarea",
    "concluir_anticipadamente",
    "corregir_hora_de_sesion",
    "diferir_sesion",
    "iniciar_importado",
    "prorrogar_plazo",
    "reabrir_asesoria",
    "reasignar_tarea",
    "recalcular_plazos_de",
    "soltar_tarea",
    "tomar_tarea",
    "trabajar_en_tarea",
    "verificar_clausula",
]

# Lo que pasa en el caso cuando alguien toma una tarea de ese nodo.
AL_TOMAR: dict[str, Callable[..., object]] = {
    # La coordinación toma la solicitud: el caso pasa a «en revisión» (visible al ciudadano).
    "revisar": med.iniciar_revision,
}


def tomar_tarea(*, task: Task, usuario) -> Task:
    """Asigna la tarea a quien la toma (si su rol lo permite y nadie la tiene) y aplica lo
    que el nodo hace al tomarse (p. ej. tomar «revisar» inicia la revisión)."""
    efecto = AL_TOMAR.get(task.flow_task.name)
    return tareas.tomar(
        task=task,
        usuario=usuario,
        al_tomar=(lambda: efecto(caso=asuntos.objeto_de(task.process), actor=usuario))
        if efecto is not None
        else None,
    )


def soltar_tarea(*, task: Task, usuario) -> Task:
    """Devuelve la tarea a la cola (quien la tiene, o la coordinación)."""
    return tareas.soltar(task=task, usuario=usuario)


def reasignar_tarea(*, task: Task, usuario, nuevo) -> Task:
    """La coordinación pasa la tarea a otra persona con el rol del paso; si la tarea es de
    quien lleva el caso, pasarla es pasar el caso."""
    return tareas.reasignar(task=task, usuario=usuario, nuevo=nuevo)


def completar_tarea(*, task: Task, usuario, accion: Callable[[], object]) -> object:
    """Ejecuta la acción de dominio del paso y completa la tarea en una sola transacción."""
    return tareas.completar(task=task, usuario=usuario, accion=accion)


def trabajar_en_tarea(*, task: Task, usuario, accion: Callable[[], object]) -> object:
    """Una acción dentro de una tarea abierta de quien actúa, sin completarla, bajo el
    candado del proceso (p. ej. rectificar un dato antes de responder una solicitud ARCO)."""
    return tareas.trabajar(task=task, usuario=usuario, accion=accion)


def diferir_sesion(
    *,
    caso: Caso,
    actor,
    motivo: str,
    inicio: datetime,
    duracion_min: int | None = None,
    sala: Sala | None = None,
    lugar: str | None = None,
) -> Sesion:
    """LGMASC art. 76: difiere la sesión programada del caso (dos veces como máximo) y mueve
    el temporizador que espera la sesión, los vencimientos y los recordatorios a la hora
    nueva."""
    return _cambiar_sesion_programada(
        caso,
        lambda sesion: med.diferir_sesion(
            sesion=sesion,
            actor=actor,
            motivo=motivo,
            nuevo_inicio=inicio,
            duracion_min=duracion_min,
            sala=sala,
            lugar=lugar,
        ),
    )


def _cambiar_sesion_programada(caso: Caso, cambio) -> Sesion:
    """Bajo el candado del caso: la sesión programada, su cambio (`cambio(sesion)` devuelve la
    sesión que queda) y los plazos a la hora nueva: el temporizador que espera la sesión, los
    vencimientos y los recordatorios."""
    with tareas.candado_del_caso(caso):
        sesion = caso.sesiones.programadas().first()
        if sesion is None:
            raise ValidationError(_("El caso no tiene una sesión programada."))
        nueva = cambio(sesion)
        # Los plazos se calculan con el caso recién leído bajo el candado, no con el que
        # trajo quien llama (una API o una tarea pueden traer uno viejo).
        tareas.recalcular_plazos(caso=nueva.caso)
    return nueva


def corregir_hora_de_sesion(
    *,
    caso: Caso,
    actor,
    inicio: datetime,
    duracion_min: int | None = None,
    sala: Sala | None = None,
    lugar: str | None = None,
) -> Sesion:
    """Corrige la hora (o el lugar) de la sesión programada del caso antes de que las partes
    sepan de ella, sin usar uno de los diferimientos del art. 76, y mueve el temporizador que
    espera la sesión, los vencimientos y los avisos a la hora correcta."""
    return _cambiar_sesion_programada(
        caso,
        lambda sesion: med.corregir_hora(
            sesion=sesion,
            actor=actor,
            nuevo_inicio=inicio,
            duracion_min=duracion_min,
            sala=sala,
            lugar=lugar,
        ),
    )


def prorrogar_plazo(
    *, caso: Caso, actor, nueva_fecha_limite: date, consentimiento: str
) -> Prorroga:
    """LGMASC art. 64: registra la ampliación del plazo acordada por las partes y mueve los
    temporizadores que vigilan el fin del procedimiento."""
    with tareas.candado_del_caso(caso):
        prorroga = med.prorrogar(
            caso=caso,
            actor=actor,
            nueva_fecha_limite=nueva_fecha_limite,
            consentimiento=consentimiento,
        )
        tareas.recalcular_plazos(caso=prorroga.caso)
    return prorroga


def verificar_clausula(*, clausula: Clausula, actor, cumplida: bool, nota: str = "") -> Clausula:
    """Seguimiento: registra si la parte obligada cumplió la cláusula; la tarea de
    seguimiento vence ahora con la siguiente cláusula pendiente."""
    caso = clausula.convenio.caso
    with tareas.candado_del_caso(caso):
        clausula = med.verificar_clausula(
            clausula=clausula, actor=actor, cumplida=cumplida, nota=nota
        )
        tareas.recalcular_plazos(caso=clausula.convenio.caso)
    return clausula


def concluir_anticipadamente(*, caso: Caso, actor, causa: str, motivo: str) -> Caso:
    """LGMASC art. 78: concluye la mediación antes de tiempo (desistimiento, conducta,
    muerte…), cancela sus sesiones programadas y sus tareas pendientes y termina el proceso."""
    with tareas.candado_del_caso(caso):
        caso = med.concluir_anticipadamente(caso=caso, actor=actor, causa=causa, motivo=motivo)
        tareas.cerrar_pendientes(caso=caso)
    return caso


def reabrir_asesoria(*, caso: Caso, actor, motivo: str) -> Caso:
    """Reabre una asesoría cerrada (su asesor o la coordinación) y arranca de nuevo su flujo
    en «atender»."""
    from .flows import AsesoriaFlow

    with tareas.candado_del_caso(caso):
        caso = ase.reabrir(caso=caso, actor=actor, motivo=motivo)
        AsesoriaFlow.reapertura.run(caso=caso)
    return caso


@dataclass
class PlazosRecalculados:
    """Un caso al que se aplicaron las cifras de hoy: qué cifras cambiaron y cuántos
    vencimientos o temporizadores de su flujo se movieron."""

    caso: Caso
    aplicadas: cifras_de_plazos.CifrasAplicadas
    movidas: int

    @property
    def cambio(self) -> bool:
        return bool(self.aplicadas.cambios)


def recalcular_plazos_de(*, casos: Iterable[Caso], actor, motivo: str) -> list[PlazosRecalculados]:
    """La coordinación aplica a casos abiertos las cifras de plazos que rigen hoy (p. ej.
    tras una reforma): cada caso pasa a seguirlas, deja su evento con cada cifra que cambió,
    y sus tareas y temporizadores se mueven a los vencimientos nuevos, como al diferir una
    sesión o prorrogar el plazo. Todo o nada: si un caso no puede recalcularse (concluyó,
    otra persona lo está moviendo), ninguno cambia."""
    if not actor.has_perm("casos.asignar_responsable"):
        raise PermissionDenied
    casos = list(casos)
    if not casos:
        raise ValidationError(_("Elija al menos un caso."))
    concluidos = [c.folio for c in casos if not c.abierto]
    if concluidos:
        raise ValidationError(
            _("Estos casos ya concluyeron y sus plazos no se recalculan: %(folios)s.")
            % {"folios": ", ".join(concluidos)}
        )
    resultados = []
    with transaction.atomic():
        for caso in casos:
            with tareas.candado_del_caso(caso):
                aplicadas = cifras_de_plazos.aplicar_cifras_de_hoy(
                    caso=caso, actor=actor, motivo=motivo
                )
                movidas = tareas.recalcular_plazos(caso=aplicadas.caso) if aplicadas.cambios else 0
            resultados.append(
                PlazosRecalculados(caso=aplicadas.caso, aplicadas=aplicadas, movidas=movidas)
            )
    return resultados


# Pasos en que un caso del registro anterior entra a su flujo («fin»: llega concluido).
ENTRADAS_IMPORTADAS = {
    TipoCaso.MEDIACION: ("revisar", "asignar", "invitar", "programar", "convenio", "fin"),
    TipoCaso.ASESORIA: ("clasificar", "asignar_asesor", "atender", "fin"),
}


def iniciar_importado(*, caso: Caso, entrada: str) -> None:
    """Arranca el flujo de un caso del registro anterior directamente en el paso `entrada`
    (su nodo de entrada lo lleva ahí; con «fin» el proceso nace terminado, sin tareas). La
    tarea nace como cualquier otra: con su permiso de rol, a nombre de quien lleva el caso si
    el paso es suyo, y con el vencimiento que dan las fechas del caso (`casos.plazos`); sin
    el aviso de «tarea asignada» (`tareas.SIN_AVISOS_DE_TAREA`)."""
    from .flows import AsesoriaFlow, MediacionFlow

    if entrada not in ENTRADAS_IMPORTADAS.get(caso.tipo, ()):
        raise ValidationError(
            _("Un caso de %(tipo)s no puede entrar a su flujo en «%(paso)s».")
            % {"tipo": caso.get_tipo_display().lower(), "paso": entrada}
        )
    if (entrada == "fin") == caso.abierto:
        raise ValidationError(
            _("Solo un caso concluido entra a su flujo ya terminado (%(folio)s).")
            % {"folio": caso.folio}
        )
    flujo = MediacionFlow if caso.tipo == TipoCaso.MEDIACION else AsesoriaFlow
    ficha = tareas.SIN_AVISOS_DE_TAREA.set(True)
    try:
        flujo.importado.run(caso=caso, _process_data={"importado": True, "entrada": entrada})
    finally:
        tareas.SIN_AVISOS_DE_TAREA.reset(ficha)


def iniciar_llamada(*, caso: Caso, parte, sesion: Sesion, respuesta: str, respuesta_texto: str):
    """Arranca la llamada a una parte que respondió NO o CAMBIO al recordatorio de su sesión:
    nace la tarea «Llamar a la parte» a nombre de quien lleva el caso. Una sola abierta por
    parte y sesión (si vuelve a responder, se actualiza lo que dijo)."""
    from .flows import LlamadaFlow

    abierta = selectors.llamada_abierta(caso=caso, parte_id=parte.pk, sesion_id=sesion.pk)
    datos = {
        "parte": parte.pk,
        "sesion": sesion.pk,
        "respuesta": respuesta,
        "respuesta_texto": respuesta_texto,
    }
    if abierta is not None:
        proceso = abierta.process
        proceso.data = {**(proceso.data or {}), **datos}
        proceso.save(update_fields=["data"])
        return abierta
    return LlamadaFlow.inicio.run(caso=caso, _process_data=datos)


def registrar_llamada(*, caso: Caso, actor, llamada, nota: str):
    """La nota de la llamada a la parte queda en la bitácora del caso."""
    from casos.models import TipoEvento
    from casos.services.comun import registrar

    nombre = llamada.parte.nombre if llamada.parte else _("la parte")
    return registrar(
        caso=caso,
        tipo=TipoEvento.CONTACTO,
        actor=actor,
        descripcion=_("Llamada a %(nombre)s (%(respuesta)s): %(nota)s")
        % {"nombre": nombre, "respuesta": llamada.respuesta.lower(), "nota": nota.strip()},
        datos={
            "parte": llamada.parte.pk if llamada.parte else None,
            "sesion": llamada.sesion.pk if llamada.sesion else None,
        },
    )

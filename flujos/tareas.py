"""Operaciones sobre tareas fuera de las vistas de viewflow: tomar, soltar, reasignar y
completar. viewflow no revisa permisos cuando se le llama directo: aquí sí, siempre bajo el
candado del proceso (select_for_update), de modo que dos personas que toman la misma tarea
a la vez no la obtienen ambas."""

import random
import time
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casos.texto import nombre_de

from . import asuntos
from .senales import tarea_asignada

# Quién mueve el flujo en este momento: las tareas que se crean a su paso y quedan a su nombre
# no le generan aviso (ya lo sabe); las que van a otra persona, sí.
QUIEN_MUEVE: ContextVar = ContextVar("quien_mueve", default=None)
# Al importar el registro anterior nacen cientos de tareas a la vez: no sale un aviso por
# cada una (cada quien las encuentra en su bandeja y en el resumen diario).
SIN_AVISOS_DE_TAREA: ContextVar[bool] = ContextVar("sin_avisos_de_tarea", default=False)


def avisar_si_es_de_otra_persona(task: Task) -> None:
    """Señal `tarea_asignada` si la tarea quedó a nombre de otra persona que quien mueve."""
    if SIN_AVISOS_DE_TAREA.get():
        return
    quien = QUIEN_MUEVE.get()
    if task.owner_id and task.owner_id != getattr(quien, "pk", None):
        tarea_asignada.send(sender=Task, task=task)


class TareaNoDisponible(Exception):
    """La tarea ya no se puede tomar o completar (otra persona la tiene, ya terminó…)."""


def _bajo_candado(task: Task, operacion: Callable[[Any], Any], usuario=None):
    flow_class = task.flow_task.flow_class
    ficha = QUIEN_MUEVE.set(usuario)
    try:
        with flow_class.lock(task.process_id):
            task.refresh_from_db()
            activation = task.flow_task.activation_class(task)
            return operacion(activation)
    except FlowLockFailed:
        raise TareaNoDisponible(
            _("Otra persona está moviendo este asunto en este momento. Intente de nuevo.")
        ) from None
    finally:
        QUIEN_MUEVE.reset(ficha)


def _exigir_certificacion(task: Task, usuario) -> None:
    """Las tareas de mediación las trabaja solo quien tiene certificación vigente
    (LGMASC arts. 42-43 y 55)."""
    if task.owner_permission != "casos.atender_mediacion":
        return
    from casos.selectors import perfil_mediador

    perfil = perfil_mediador(usuario_id=usuario.pk)
    if perfil is None or not perfil.vigente():
        raise TareaNoDisponible(
            _("%(nombre)s no tiene certificación vigente de facilitador(a).")
            % {"nombre": nombre_de(usuario)}
        )


def _al_pasar_tarea(task: Task, *, actor, nuevo) -> None:
    """Lo que cambia en el artefacto (el caso, la solicitud…) cuando la tarea pasa a otra
    persona: en un caso, quien toma una tarea de quien lo lleva pasa a llevarlo
    (`flujos.asuntos`)."""
    asuntos.de_proceso(task.process).al_pasar_tarea(task, actor=actor, nuevo=nuevo)


def tomar(*, task: Task, usuario, al_tomar: Callable[[], Any] | None = None) -> Task:
    """Asigna la tarea a quien la toma, si nadie la tiene y si su rol lo permite.

    `al_tomar` corre bajo el mismo candado y en la misma transacción (lo que el nodo hace
    al tomarse, p. ej. iniciar la revisión): si falla, la tarea queda sin tomar."""

    def operacion(activation):
        if task.owner_id != usuario.pk:
            if task.owner_permission and not usuario.has_perm(task.owner_permission):
                raise PermissionDenied
            _exigir_certificacion(task, usuario)
            if task.owner_id is not None:
                raise TareaNoDisponible(
                    _("%(nombre)s ya tomó esta tarea.") % {"nombre": nombre_de(task.owner)}
                )
            if task.status != STATUS.NEW or not activation.assign.can_proceed():
                raise TareaNoDisponible(_("Esta tarea ya no está disponible."))
            if not task.flow_task.can_assign(usuario, task):
                raise PermissionDenied
            _al_pasar_tarea(task, actor=usuario, nuevo=usuario)
            activation.assign(usuario)
        if al_tomar is not None:
            al_tomar()
        return task

    return _bajo_candado(task, operacion)


def soltar(*, task: Task, usuario) -> Task:
    """Devuelve la tarea a la cola (quien la tiene, o quien asigna casos)."""

    def operacion(activation):
        if task.owner_id is None:
            return task
        if task.owner_id != usuario.pk and not usuario.has_perm("casos.asignar_responsable"):
            raise PermissionDenied
        if not activation.unassign.can_proceed():
            raise TareaNoDisponible(_("Esta tarea ya no está disponible."))
        activation.unassign()
        return task

    return _bajo_candado(task, operacion)


def reasignar(*, task: Task, usuario, nuevo) -> Task:
    """La coordinación pasa la tarea a otra persona con el permiso del paso."""
    if not usuario.has_perm("casos.asignar_responsable"):
        raise PermissionDenied

    def operacion(activation):
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            raise TareaNoDisponible(_("Esta tarea ya no está disponible."))
        if task.owner_permission and not nuevo.has_perm(task.owner_permission):
            raise TareaNoDisponible(
                _("%(nombre)s no tiene el rol para esta tarea.") % {"nombre": nombre_de(nuevo)}
            )
        _exigir_certificacion(task, nuevo)
        anterior = task.owner
        _al_pasar_tarea(task, actor=usuario, nuevo=nuevo)
        if task.status == STATUS.NEW:
            activation.assign(nuevo)
        else:
            activation.reassign(user=nuevo)
        adaptador = asuntos.de_proceso(task.process)
        adaptador.registrar_reasignacion(
            adaptador.objeto(task.process),
            actor=usuario,
            descripcion=_("Tarea «%(tarea)s» pasada de %(de)s a %(a)s.")
            % {
                "tarea": task.flow_task,
                "de": nombre_de(anterior) if anterior else _("la cola"),
                "a": nombre_de(nuevo),
            },
            task=task,
        )
        avisar_si_es_de_otra_persona(task)
        return task

    return _bajo_candado(task, operacion, usuario)


def completar(*, task: Task, usuario, accion: Callable[[], Any]) -> Any:
    """Ejecuta la acción de dominio y completa la tarea en una sola transacción: si la
    acción falla (regla de la ley, dato inválido), la tarea queda como estaba."""

    def operacion(activation):
        if task.status not in (STATUS.ASSIGNED, STATUS.STARTED):
            raise TareaNoDisponible(_("Esta tarea ya se completó o se canceló."))
        if not task.flow_task.can_execute(usuario, task):
            raise PermissionDenied
        # La certificación pudo vencer después de tomar la tarea (art. 55).
        _exigir_certificacion(task, usuario)
        with transaction.atomic():
            if task.status == STATUS.ASSIGNED:
                activation.start(None)
            resultado = accion()
            activation.execute()
        return resultado

    return _bajo_candado(task, operacion, usuario)


def trabajar(*, task: Task, usuario, accion: Callable[[], Any]) -> Any:
    """Una acción dentro de una tarea que no la completa (p. ej. rectificar un dato antes de
    responder): bajo el mismo candado del proceso y en una transacción, solo si la tarea
    sigue abierta y es de quien actúa."""

    def operacion(activation):
        if task.status not in (STATUS.ASSIGNED, STATUS.STARTED):
            raise TareaNoDisponible(_("Esta tarea ya se completó o se canceló."))
        if not task.flow_task.can_execute(usuario, task):
            raise PermissionDenied
        _exigir_certificacion(task, usuario)
        with transaction.atomic():
            return accion()

    return _bajo_candado(task, operacion, usuario)


def cerrar_pendientes(*, caso, usuario=None) -> int:
    """Al concluir un caso fuera del flujo (p. ej. desistimiento), cancela sus tareas abiertas
    y da por terminado el proceso."""
    from django.utils import timezone
    from viewflow.workflow.models import Process

    procesos = procesos_de(caso).filter(finished__isnull=True).exclude(status=STATUS.CANCELED)
    canceladas = 0
    for proceso in procesos:
        with proceso.flow_class.lock(proceso.pk):
            abiertas = Task.objects.filter(process=proceso, finished__isnull=True)
            canceladas += abiertas.update(status=STATUS.CANCELED, finished=timezone.now())
            Process.objects.filter(pk=proceso.pk).update(
                status=STATUS.CANCELED, finished=timezone.now()
            )
    return canceladas


def procesos_de(caso):
    """Procesos de viewflow de un caso (ligados por `artifact`)."""
    from django.contrib.contenttypes.models import ContentType
    from viewflow.workflow.models import Process

    return Process.objects.filter(
        artifact_content_type=ContentType.objects.get_for_model(type(caso)),
        artifact_object_id=caso.pk,
    )


def recalcular_plazos(*, caso) -> int:
    """Vuelve a calcular los vencimientos de las tareas abiertas del caso y las fechas de sus
    temporizadores, tras un hecho que los mueve (diferir una sesión, una prórroga, verificar
    una cláusula). Un solo lugar para que ningún temporizador quede con una fecha vieja."""
    from . import plazos

    cambiadas = 0
    for task in Task.objects.filter(
        process__in=procesos_de(caso), status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.SCHEDULED]
    ):
        nombre = task.flow_task.name
        if task.flow_task_type == "HUMAN":
            nuevo = plazos.vence_tarea(nombre, caso)
        else:
            nuevo = plazos.vence_temporizador(nombre, caso)
        if nuevo is not None and nuevo != task.scheduled:
            Task.objects.filter(pk=task.pk).update(scheduled=nuevo)
            cambiadas += 1
    return cambiadas


@contextmanager
def candado_del_caso(caso, *, intentos: int = 5):
    """Toma primero el candado de los procesos abiertos del caso (el mismo orden que al
    completar una tarea: proceso y luego caso), para acciones fuera de una tarea.

    No se anida el candado de viewflow (atrapa el error de la base dentro de su propio
    bloque atómico, y dentro de otra transacción eso la deja inservible): cada intento va
    en su propio punto de guardado, que se deshace si el renglón está tomado."""
    abiertos = list(procesos_de(caso).filter(finished__isnull=True).order_by("pk"))
    with transaction.atomic():
        for proceso in abiertos:
            _bloquear_proceso(proceso, intentos=intentos)
        yield


def _bloquear_proceso(proceso, *, intentos: int) -> None:
    modelo = proceso.flow_class.process_class._default_manager
    for intento in range(intentos):
        try:
            with transaction.atomic():
                modelo.filter(pk=proceso.pk).select_for_update(nowait=True).exists()
            return
        except DatabaseError:
            if intento < intentos - 1:
                time.sleep(((intento + 1) * random.random() + 2**intento) / 10)
    raise TareaNoDisponible(
        _("Otra persona está moviendo este caso en este momento. Intente de nuevo.")
    )

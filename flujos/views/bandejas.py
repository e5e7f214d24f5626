"""Bandeja, cola y plazos; abrir, tomar, soltar y reasignar una tarea."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.status import STATUS

from casos.permisos import requiere_permiso
from casos.texto import nombre_de

from .. import asuntos, selectors, services


def _contexto_del_asunto(task) -> dict:
    """El artefacto de la tarea (el caso, la solicitud…) y su adaptador (`flujos.asuntos`)."""
    adaptador = asuntos.de_proceso(task.process)
    objeto = adaptador.objeto(task.process)
    asunto = adaptador.asunto(objeto)
    return {
        "adaptador": adaptador,
        "objeto": objeto,
        "asunto": asunto,
        "caso": asunto.caso,
        "resumen": adaptador.plantilla_resumen,
        # El resumen de cada tipo lee el artefacto por su nombre («caso», «solicitud»).
        adaptador.atributo: objeto,
    }


@requiere_permiso("casos.view_caso")
def tarea(request, pk):
    """Abre la tarea: quien la tiene la trabaja; quien puede tomarla ve el botón para hacerlo."""
    task = selectors.tarea_humana(pk=pk)
    flow_task = task.flow_task
    if task.status in (STATUS.ASSIGNED, STATUS.STARTED) and flow_task.can_execute(
        request.user, task
    ):
        return flow_task.view(request, task=task)
    datos = _contexto_del_asunto(task)
    adaptador, objeto, asunto = datos["adaptador"], datos["objeto"], datos["asunto"]
    if task.status == STATUS.NEW and flow_task.can_assign(request.user, task):
        # En la cola se ve solo lo necesario para tomarla, salvo que el asunto ya sea suyo.
        completo = adaptador.puede_ver(request.user, objeto)
        if completo:
            adaptador.registrar_acceso(
                usuario=request.user,
                objeto=objeto,
                vista="tarea",
                request=request,
                detalle=f"tarea:{task.pk}",
            )
        contexto = {"task": task, "completo": completo, **datos}
        return render(request, "flujos/tomar.html", contexto)
    if task.status in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED) and task.owner_id:
        if not adaptador.pide_acceso_excepcional and not adaptador.puede_ver(request.user, objeto):
            raise PermissionDenied
        messages.info(
            request, _("Esta tarea la tiene %(nombre)s.") % {"nombre": nombre_de(task.owner)}
        )
        return redirect(asunto.url)
    if task.status in (STATUS.DONE, STATUS.CANCELED) and adaptador.puede_ver(request.user, objeto):
        # Una liga vieja (un aviso, el historial del navegador) dice qué pasó con la tarea.
        adaptador.registrar_acceso(
            usuario=request.user,
            objeto=objeto,
            vista="tarea",
            request=request,
            detalle=f"tarea:{task.pk}",
        )
        return render(request, "flujos/terminada.html", {"task": task, **datos})
    raise PermissionDenied


@requiere_permiso("casos.view_caso")
@require_POST
def tomar(request, pk):
    """Abrir una tarea de la cola es tomarla: el enlace de la bandeja, de la cola y del caso
    es un botón que envía aquí (POST: ni un prefetch ni un GET cambian de dueño la tarea).
    Si otra persona ganó, se dice quién la tiene."""
    task = selectors.tarea_humana(pk=pk)
    try:
        services.tomar_tarea(task=task, usuario=request.user)
    except services.TareaNoDisponible as error:
        messages.error(request, str(error))
        adaptador = asuntos.de_proceso(task.process)
        objeto = adaptador.objeto(task.process)
        if adaptador.puede_ver(request.user, objeto):
            return redirect(adaptador.asunto(objeto).url)
        return redirect("flujos:cola")
    return redirect("flujos:tarea", pk=task.pk)


@requiere_permiso("casos.view_caso")
@require_POST
def soltar(request, pk):
    task = selectors.tarea_humana(pk=pk)
    try:
        services.soltar_tarea(task=task, usuario=request.user)
    except services.TareaNoDisponible as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("La tarea volvió a la cola."))
    return redirect("flujos:bandeja")


@requiere_permiso("casos.view_caso", "casos.asignar_responsable")
@require_POST
def reasignar(request, pk):
    task = selectors.tarea_humana(pk=pk)
    nuevo = selectors.usuario_activo(pk=request.POST.get("usuario"))
    try:
        services.reasignar_tarea(task=task, usuario=request.user, nuevo=nuevo)
    except services.TareaNoDisponible as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Tarea reasignada."))
    return redirect(asuntos.de_tarea(task).url)


def _lista(request, vista: str, pagina, filtros):
    for fila in pagina.object_list:
        # Solo se enlaza lo que esta persona puede seguir: su tarea, o una que puede tomar
        # (un botón: abrirla la toma).
        fila.puede_tomar = fila.task.status == STATUS.NEW and fila.task.flow_task.can_assign(
            request.user, fila.task
        )
        fila.es_suya = fila.task.owner_id == request.user.pk
    contexto = {
        "pagina": pagina,
        "filtros": filtros,
        "vista": vista,
        "tipos": selectors.tipos_de_tarea(),
        "personas": selectors.personas_con_tareas() if vista == "plazos" else [],
    }
    return render(request, "flujos/bandeja.html", contexto)


@requiere_permiso("casos.view_caso")
def bandeja(request):
    """Mis tareas, por vencimiento (las vencidas primero)."""
    filtros = selectors.FiltrosBandeja.desde(request.GET)
    pagina = selectors.bandeja(
        usuario=request.user, filtros=filtros, pagina=request.GET.get("pagina")
    )
    return _lista(request, "bandeja", pagina, filtros)


@requiere_permiso("casos.view_caso")
def cola(request):
    """Tareas sin dueño que mi rol puede tomar."""
    filtros = selectors.FiltrosBandeja.desde(request.GET)
    pagina = selectors.cola(usuario=request.user, filtros=filtros, pagina=request.GET.get("pagina"))
    return _lista(request, "cola", pagina, filtros)


@requiere_permiso("casos.view_caso", "casos.asignar_responsable")
def plazos(request):
    """Para la coordinación: todas las tareas abiertas vencidas o por vencer."""
    filtros = selectors.FiltrosBandeja.desde(request.GET)
    if not filtros.vencimiento:
        filtros.vencimiento = "por_vencer"
    pagina = selectors.todas(filtros=filtros, pagina=request.GET.get("pagina"))
    return _lista(request, "plazos", pagina, filtros)

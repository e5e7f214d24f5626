from django import template
from viewflow.workflow.status import STATUS

from casos.selectors import puede_actuar_en
from casos.services.mediacion import ESTADOS_CONCLUSION_ANTICIPADA

from .. import selectors

register = template.Library()


@register.inclusion_tag("flujos/_avance.html", takes_context=True)
def avance_del_caso(context, caso):
    """Avance del flujo en la página del caso: pasos hechos, tarea actual y quién la tiene,
    plazos con días hábiles restantes (y según qué fecha se cuentan sus cifras) y las acciones
    que el usuario puede hacer."""
    usuario = context["request"].user
    tareas = [t for t in selectors.tareas_del_caso(caso) if t.flow_task_type == "HUMAN"]
    abiertas = [t for t in tareas if t.status in selectors.ABIERTAS]
    for t in abiertas:
        # Abrir una tarea de la cola es tomarla (un botón que envía el formulario).
        t.puede_tomar = t.status == STATUS.NEW and t.flow_task.can_assign(usuario, t)
    hechas = [t for t in tareas if t.status == STATUS.DONE]
    puede_dirigir = usuario.has_perm("casos.asignar_responsable")
    puede_actuar = puede_actuar_en(usuario, caso)
    return {
        "caso": caso,
        "abiertas": abiertas,
        "hechas": hechas,
        "plazos": selectors.plazos_del_caso(caso),
        "cifras": selectors.cifras_del_caso(caso),
        "puede_actuar": caso.abierto and puede_actuar,
        "puede_dirigir": puede_dirigir,
        "puede_reabrir": puede_actuar,
        "puede_concluir": caso.estado in ESTADOS_CONCLUSION_ANTICIPADA,
        "sesion": caso.sesiones.programadas().select_related("sala").first()
        if caso.tipo == "MED"
        else None,
        "personal": selectors.personal_para(caso) if puede_dirigir else [],
        "request": context["request"],
        "perms": context.get("perms"),
        "csrf_token": context.get("csrf_token"),
    }

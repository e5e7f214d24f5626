from django import template

from casos.selectors import puede_actuar_en

from ..models import Mensaje

register = template.Library()


@register.inclusion_tag("notificaciones/_avisos_del_caso.html", takes_context=True)
def avisos_del_caso(context, caso):
    """Cada aviso del caso, enviado o pendiente: canal, destinatario, hora, estado y error."""
    usuario = context["request"].user
    return {
        "caso": caso,
        "avisos": Mensaje.objects.filter(caso=caso)
        .select_related("parte", "usuario")
        .order_by("-programado_para", "-id"),
        "puede_reintentar": usuario.has_perm("notificaciones.reintentar_aviso")
        and (usuario.has_perm("notificaciones.ver_avisos") or puede_actuar_en(usuario, caso)),
        "csrf_token": context.get("csrf_token"),
        "siguiente": context["request"].get_full_path(),
    }


@register.filter
def destinatario(mensaje) -> str:
    if mensaje.parte_id:
        return mensaje.parte.nombre
    if mensaje.usuario_id:
        return mensaje.usuario.get_full_name() or mensaje.usuario.username
    return ""

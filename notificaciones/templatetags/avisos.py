from django import template

from ..selectors import asistencia_del_caso, avisos_de_caso, puede_reintentar

register = template.Library()


@register.inclusion_tag("notificaciones/_avisos_del_caso.html", takes_context=True)
def avisos_del_caso(context, caso):
    """Cada aviso del caso, enviado o pendiente: canal, destinatario, hora, estado y error."""
    usuario = context["request"].user
    return {
        "caso": caso,
        "avisos": avisos_de_caso(caso=caso),
        "puede_reintentar": puede_reintentar(usuario=usuario, caso=caso),
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


@register.inclusion_tag("notificaciones/_asistencia_del_caso.html", name="asistencia_del_caso")
def asistencia_del_caso_tag(caso):
    """Las sesiones próximas del caso con lo que respondió cada parte al recordatorio."""
    return {"sesiones": asistencia_del_caso(caso=caso)}

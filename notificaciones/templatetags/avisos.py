from html import escape

from django import template
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from casos.templatetags.formato import hora_local, opcion, telefono

from ..selectors import asistencia_del_caso, avisos_de_caso, puede_reintentar

register = template.Library()


# La página del caso muestra los avisos más recientes; «ver todos» (`?avisos=todos`) los
# muestra todos en la misma página, con la misma política de acceso.
AVISOS_EN_EL_CASO = 50


@register.inclusion_tag("notificaciones/_avisos_del_caso.html", takes_context=True)
def avisos_del_caso(context, caso):
    """Los avisos del caso, enviados o pendientes, del más reciente al más antiguo: canal,
    destinatario, hora, estado y error."""
    request = context["request"]
    usuario = request.user
    avisos = avisos_de_caso(caso=caso)
    todos = request.GET.get("avisos") == "todos"
    hay_mas = False
    if not todos:
        avisos = list(avisos[: AVISOS_EN_EL_CASO + 1])
        hay_mas = len(avisos) > AVISOS_EN_EL_CASO
        avisos = avisos[:AVISOS_EN_EL_CASO]
    return {
        "caso": caso,
        "avisos": avisos,
        "hay_mas": hay_mas,
        "mostrados": AVISOS_EN_EL_CASO,
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


def _estado(m) -> str:
    """El estado del aviso, su entrega según el proveedor, los intentos y el último error."""
    html = f"<strong>{escape(opcion(m, 'estado'))}</strong>"
    if m.entrega:
        html += f'<br><span class="entrega entrega-{escape(m.entrega)}">'
        html += escape(opcion(m, "entrega"))
        if m.entrega_error:
            html += " (" + escape(gettext("error %(c)s") % {"c": m.entrega_error}) + ")"
        html += "</span>"
        if m.entrega_en:
            html += f' <span class="pequeno">{hora_local(m.entrega_en, "%d/%m %H:%M")}</span>'
    if m.intentos > 1:
        intentos = ngettext("%(n)s intento", "%(n)s intentos", m.intentos) % {"n": m.intentos}
        html += f' <span class="pequeno">({escape(intentos)})</span>'
    if m.ultimo_error:
        html += f'<br><span class="pequeno">{escape(m.ultimo_error)}</span>'
    return html


@register.simple_tag(takes_context=True)
def filas_de_avisos(
    context, avisos, *, con_folio: bool, mostrar_texto: bool, puede_reintentar, siguiente
) -> str:
    """Un renglón por aviso: cuándo (y cuándo salió), el caso, qué aviso, canal, para quién y
    a dónde, estado con su entrega, y reintentar o ver el texto. Una página lleva decenas o
    cientos de avisos: armarlos aquí, escapando cada dato con `html.escape` (lo mismo que hace
    la plantilla), cuesta una fracción de lo que cuesta una plantilla por renglón."""
    csrf = escape(str(context.get("csrf_token") or ""))
    reintentar = escape(gettext("Reintentar"))
    ver_texto = escape(gettext("Ver texto"))
    siguiente = escape(str(siguiente or ""))
    filas = []
    for m in avisos:
        cuando = hora_local(m.programado_para, "%d/%m/%Y %H:%M")
        if m.enviado_en:
            salio = gettext("salió %(h)s") % {"h": hora_local(m.enviado_en, "%d/%m %H:%M")}
            cuando += f'<br><span class="pequeno">{escape(salio)}</span>'
        folio = ""
        if con_folio:
            if m.caso:
                enlace = reverse("casos:detalle", args=[m.caso.folio])
                folio = f'<a href="{escape(enlace)}">{escape(m.caso.folio)}</a>'
            elif m.solicitud_arco:
                folio = escape(m.solicitud_arco.folio)
            folio = f'<td class="nowrap">{folio}</td>'
        destino = m.destino if m.canal == "correo" else telefono(m.destino)
        accion = ""
        if m.reintentable and puede_reintentar:
            url = escape(reverse("notificaciones:reintentar", args=[m.pk]))
            accion = (
                f'<form method="post" action="{url}">\n    <input type="hidden" '
                f'name="csrfmiddlewaretoken" value="{csrf}"><input type="hidden" '
                f'name="siguiente" value="{siguiente}">\n    <button type="submit" '
                f'class="secundario">{reintentar}</button></form>'
            )
        texto = ""
        if m.texto and mostrar_texto:
            asunto = ""
            if m.asunto and m.canal == "correo":
                asunto = f"<p><strong>{escape(m.asunto)}</strong></p>"
            texto = (
                f"<details><summary>{ver_texto}</summary>{asunto}"
                f'<p class="texto-aviso">{linebreaksbr(m.texto, autoescape=True)}</p></details>'
            )
        filas.append(
            f'<tr class="aviso-{escape(m.estado)}">\n  <td>{cuando}</td>\n  {folio}'
            f"<td>{escape(m.descripcion)}</td>\n  <td>{escape(opcion(m, 'canal'))}</td>\n"
            f'  <td>{escape(destinatario(m))}<br><span class="pequeno">{escape(destino)}</span>'
            f"</td>\n  <td>{_estado(m)}</td>\n  <td>{accion}\n    {texto}\n  </td>\n</tr>\n"
        )
    return mark_safe("".join(filas))

from django import template

from casos.selectors import puede_actuar_en

from ..documentos import DOCUMENTOS, disponibles
from ..selectors import documentos_de_caso, ultimo_acuse

register = template.Library()


@register.inclusion_tag("plantillas/_documentos.html", takes_context=True)
def documentos_del_caso(context, caso):
    """Documentos del caso (la versión más reciente primero) y los que se pueden pedir ahora."""
    puede = puede_actuar_en(context["request"].user, caso)
    return {
        "caso": caso,
        "documentos": documentos_de_caso(caso=caso),
        "puede": puede,
        "disponibles": disponibles(caso) if puede else [],
        "con_formulario": {t for t, d in DOCUMENTOS.items() if d.formulario is not None},
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def acuse_de(caso):
    return ultimo_acuse(caso=caso)

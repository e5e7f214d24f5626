from django import template

from casos.selectors import puede_actuar_en

from ..documentos import DOCUMENTOS, disponibles
from ..models import Documento

register = template.Library()


@register.inclusion_tag("plantillas/_documentos.html", takes_context=True)
def documentos_del_caso(context, caso):
    """Documentos del caso (la versión más reciente primero) y los que se pueden pedir ahora."""
    puede = puede_actuar_en(context["request"].user, caso)
    return {
        "caso": caso,
        "documentos": Documento.objects.filter(caso=caso)
        .select_related("caso")
        .order_by("tipo", "referencia", "-version"),
        "puede": puede,
        "disponibles": disponibles(caso) if puede else [],
        "con_formulario": {t for t, d in DOCUMENTOS.items() if d.formulario is not None},
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def acuse_de(caso):
    return Documento.objects.filter(caso=caso, tipo="acuse").order_by("-version").first()

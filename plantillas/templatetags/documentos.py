from django import template

from ..models import Documento

register = template.Library()


@register.inclusion_tag("plantillas/_documentos.html")
def documentos_del_caso(caso):
    """Documentos del caso, la versión más reciente primero."""
    return {
        "documentos": Documento.objects.filter(caso=caso).order_by("tipo", "referencia", "-version")
    }


@register.simple_tag
def acuse_de(caso):
    return Documento.objects.filter(caso=caso, tipo="acuse").order_by("-version").first()

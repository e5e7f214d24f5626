"""Datos bloqueados en las plantillas: lo decide `casos.acceso`, aquí solo se muestra."""

from django import template

from casos import acceso

register = template.Library()


@register.filter
def nombre_visible(parte) -> str:
    """El nombre de la parte o, si sus datos están bloqueados, la leyenda que lo dice."""
    return acceso.nombre_para_mostrar(parte)


@register.filter
def bloqueada(parte) -> bool:
    return parte is not None and acceso.parte_bloqueada(parte)

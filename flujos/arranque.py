"""Cada solicitud recibida arranca su flujo en la misma transacción: no hay caso sin proceso."""

from casos.models import TipoCaso


def iniciar_flujo(sender, caso, **kwargs):
    from .flows import AsesoriaFlow, MediacionFlow

    flujo = MediacionFlow if caso.tipo == TipoCaso.MEDIACION else AsesoriaFlow
    flujo.inicio.run(caso=caso)

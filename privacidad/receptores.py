"""Qué hace esta capa cuando ocurre un hecho de `casos.senales` sobre una solicitud ARCO."""

from django.dispatch import receiver

from casos.senales import arco_recibida


@receiver(arco_recibida, dispatch_uid="privacidad-iniciar-flujo")
def iniciar_flujo(sender, solicitud, **kwargs):
    """Cada solicitud recibida arranca su flujo en la misma transacción: no hay solicitud
    sin proceso (ni sin su primera tarea, con su plazo)."""
    from .flows import ArcoFlow

    ArcoFlow.inicio.run(solicitud=solicitud)

"""Corrección de los datos de contacto de una parte desde el expediente."""

from ..models import Parte
from .mediacion.convenio import actualizar_parte


def corregir_contacto_parte(
    *, parte: Parte, actor, telefono: str, correo: str, domicilio: str
) -> Parte:
    """Teléfono (ya en E.164), correo y domicilio de una parte, corregidos por quien actúa
    sobre el caso: así una invitación nunca se detiene por un domicilio que falta. El evento
    del caso guarda lo anterior y lo nuevo."""
    return actualizar_parte(
        parte=parte, actor=actor, telefono=telefono, correo=correo, domicilio=domicilio
    )

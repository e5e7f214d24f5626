"""Lo que devuelven los pasos que bifurcan el flujo (invitación y sesión): qué sigue y el
hecho registrado. Lo lee `flujos`."""

from dataclasses import dataclass


class Siguiente:
    """Qué sigue tras registrar una invitación o una sesión (lo lee el flujo)."""

    PROGRAMAR = "programar"
    REINTENTAR = "reintentar"
    CONVENIO = "convenio"
    CONCLUIDO = "concluido"


@dataclass(frozen=True)
class ResultadoPaso:
    """El paso que sigue (`Siguiente`) y el objeto que se registró (invitación o sesión)."""

    siguiente: str
    objeto: object

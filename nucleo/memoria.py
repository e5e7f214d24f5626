"""Lo que casi nunca cambia y cada página pide (los datos de la oficina, las cifras de los
plazos, el formulario ciudadano en blanco), guardado en la memoria de cada proceso.

Un valor guardado vale a lo más `SEGUNDOS`; además se olvida al instante en el proceso que
guarda o borra lo que lo cambia (por señal), y al empezar cada tarea de Celery. Otro proceso
web lo ve a más tardar `SEGUNDOS` después. Así una página pública no consulta la base para
saber el nombre de la oficina en cada petición.

Las pruebas olvidan todo entre una y otra (`olvidar_todo`): la base vuelve atrás al terminar
cada prueba, sin señales.
"""

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

# Cuánto puede tardar otro proceso en ver un cambio de configuración de la oficina.
SEGUNDOS = 10.0

T = TypeVar("T")
_registro: list["DelProceso"] = []


class DelProceso(Generic[T]):
    """`cargar(clave)` guardado en este proceso por clave (el idioma, p. ej.) hasta
    `segundos` o hasta `olvidar()`."""

    def __init__(self, cargar: Callable[[Hashable], T], segundos: float = SEGUNDOS):
        self._cargar = cargar
        self._segundos = segundos
        self._guardados: dict[Hashable, tuple[float, T]] = {}
        _registro.append(self)

    def __call__(self, clave: Hashable = None) -> T:
        ahora = time.monotonic()
        guardado = self._guardados.get(clave)
        if guardado is not None and guardado[0] > ahora:
            return guardado[1]
        valor = self._cargar(clave)
        self._guardados[clave] = (ahora + self._segundos, valor)
        return valor

    def guardar(self, clave: Hashable, valor: T) -> None:
        """Para lo que se obtiene al atender una petición (la página ya dibujada)."""
        self._guardados[clave] = (time.monotonic() + self._segundos, valor)

    def buscar(self, clave: Hashable) -> T | None:
        """Lo guardado y vigente para esa clave, sin cargarlo."""
        guardado = self._guardados.get(clave)
        return guardado[1] if guardado is not None and guardado[0] > time.monotonic() else None

    def olvidar(self, **_senal) -> None:
        """Receptor de señales (`post_save`, `post_delete`, `task_prerun`)."""
        self._guardados.clear()


def olvidar_todo(**_senal) -> None:
    for memoria in _registro:
        memoria.olvidar()

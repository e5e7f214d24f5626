"""Cada solicitud recibida arranca su flujo en la misma transacción: no hay caso sin proceso."""

from contextlib import contextmanager
from contextvars import ContextVar

from viewflow.workflow import lock

from casos.models import TipoCaso

# Verdadero mientras arranca el flujo de un caso recién recibido (ver `CandadoDeRenglon`).
_arrancando: ContextVar[bool] = ContextVar("flujos_arrancando", default=False)


class CandadoDeRenglon(lock.SelectForUpdateLock):
    """El candado de viewflow por renglón de proceso (`SELECT … FOR UPDATE NOWAIT` en un
    savepoint), salvo en el arranque de un caso recién recibido.

    Ahí el proceso se acaba de insertar en la transacción de la recepción: ninguna otra
    transacción puede verlo (ni tomar su renglón) hasta el COMMIT, así que el candado no
    protege de nada y son dos enunciados y un savepoint de más en cada recepción. Solo el
    primer candado del arranque (el de ese proceso, que viewflow pide justo tras insertarlo)
    se omite; cualquier otro, y todos los demás pasos del flujo, lo toman como siempre."""

    @contextmanager
    def __call__(self, flow_class, process_pk):
        if _arrancando.get():
            _arrancando.set(False)
            yield
            return
        with super().__call__(flow_class, process_pk):
            yield


candado_de_renglon = CandadoDeRenglon()


def iniciar_flujo(sender, caso, **kwargs):
    from .flows import AsesoriaFlow, MediacionFlow

    flujo = MediacionFlow if caso.tipo == TipoCaso.MEDIACION else AsesoriaFlow
    marca = _arrancando.set(True)
    try:
        flujo.inicio.run(caso=caso)
    finally:
        _arrancando.reset(marca)

"""Reclamar y cerrar una fila de una bandeja de salida (avisos, documentos).

Reclamar es un UPDATE condicional de «pendiente» a «en curso» que suma un intento y sella la
hora del reclamo: solo actúa el proceso que cambió la fila. Cerrar es otro UPDATE que exige
que la fila siga en curso con el MISMO número de intento con que se reclamó: un worker lento
cuyo reclamo venció, y que otro retomó, no pisa el resultado del nuevo.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models
from django.db.models import F, Q


@dataclass(frozen=True)
class Reclamo:
    """Cómo se reclama una fila de `modelo`.

    `plazo` dice cuánto vale un reclamo (se llama en cada uso, para leer la configuración
    vigente). La hora del reclamo se guarda de una de dos formas: `campo_vence` (hasta cuándo
    vale) o `campo_desde` (cuándo se tomó)."""

    modelo: type[models.Model]
    pendiente: str
    en_curso: str
    plazo: Callable[[], timedelta]
    campo_vence: str = ""
    campo_desde: str = ""
    campo_estado: str = "estado"
    campo_intentos: str = "intentos"

    def __post_init__(self):
        if bool(self.campo_vence) == bool(self.campo_desde):
            raise ValueError("Indique campo_vence o campo_desde (uno de los dos).")

    def _sello(self, ahora: datetime) -> dict:
        if self.campo_vence:
            return {self.campo_vence: ahora + self.plazo()}
        return {self.campo_desde: ahora}

    def vencidos(self, *, ahora: datetime) -> Q:
        """Filas en curso cuyo reclamo ya venció (el worker murió o se colgó)."""
        if self.campo_vence:
            vencido = Q(**{f"{self.campo_vence}__lt": ahora})
        else:
            vencido = Q(**{f"{self.campo_desde}__lt": ahora - self.plazo()})
        return Q(**{self.campo_estado: self.en_curso}) & vencido

    def reclamar(
        self, pk: int, *, ahora: datetime, si: Q | None = None, retomar_vencido: bool = False
    ) -> bool:
        """Toma la fila si está pendiente (y cumple `si`) o, con `retomar_vencido`, si otro la
        tiene con el reclamo vencido. Suma un intento. True solo para quien la ganó."""
        libre = Q(**{self.campo_estado: self.pendiente})
        if si is not None:
            libre &= si
        if retomar_vencido:
            libre |= self.vencidos(ahora=ahora)
        ganadas = self.modelo._default_manager.filter(libre, pk=pk).update(
            **{
                self.campo_estado: self.en_curso,
                self.campo_intentos: F(self.campo_intentos) + 1,
                **self._sello(ahora),
            }
        )
        return ganadas == 1

    def cerrar(self, fila: models.Model, *, estado: str, **campos) -> bool:
        """Deja la fila en `estado` (y escribe `campos`) si sigue en curso con el intento que
        tenía `fila` al leerse tras el reclamo. False: otro la retomó y su cierre es el que
        cuenta."""
        cerradas = self.modelo._default_manager.filter(
            pk=fila.pk,
            **{
                self.campo_estado: self.en_curso,
                self.campo_intentos: getattr(fila, self.campo_intentos),
            },
        ).update(**{self.campo_estado: estado}, **campos)
        return cerradas == 1

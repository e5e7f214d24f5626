"""Señales de los flujos, para que las apps de arriba (avisos) reaccionen sin que `flujos`
las importe.

- `tarea_asignada(task)`: una tarea quedó a nombre de otra persona que quien movió el flujo
  (a quien se la asigna a sí misma no se le avisa: ya lo sabe). Se envía dentro de la
  transacción del paso.
"""

from django.dispatch import Signal

tarea_asignada = Signal()

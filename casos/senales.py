"""Señales de dominio: ganchos para que otras apps reaccionen a hechos del expediente.

`caso_recibido` se envía DENTRO de la transacción que crea el caso, para que un receptor
pueda escribir en la misma transacción (p. ej. la bandeja de salida de notificaciones) y
encolar su trabajo con `transaction.on_commit`. Argumentos: caso, codigo (en claro, para el
acuse y el mensaje al ciudadano).
"""

from django.dispatch import Signal

caso_recibido = Signal()

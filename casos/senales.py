"""Señales de dominio: ganchos para que otras apps reaccionen a hechos del expediente.

Todas se envían DENTRO de la transacción del hecho, para que un receptor escriba en la misma
transacción (la bandeja de salida de avisos, la solicitud de un documento) y encole su
trabajo con `transaction.on_commit`: si la transacción se deshace, no queda nada.

- `caso_recibido(caso, codigo, partes)`: solicitud registrada (codigo en claro, para el
  acuse; `partes`, las recién insertadas). Solo la envía la recepción, con el caso recién
  insertado en la transacción en curso.
- `responsable_asignado(caso, responsable, anterior)`: asignación o reasignación.
- `sesion_programada(sesion, anterior)`: sesión nueva; `anterior` es la diferida, si la hay.
- `sesion_corregida(sesion, antes)`: se corrigió la hora de una sesión de la que las partes
  aún no sabían (`antes`: el inicio anterior). Un receptor que encuentre que alguien ya
  supo de ella levanta `ValidationError` y la corrección se deshace.
- `sesiones_canceladas(sesiones)`: sesiones programadas que ya no se celebrarán.
- `convenio_firmado(convenio)`: las partes firmaron.
- `asesoria_resuelta(caso)`: una asesoría quedó resuelta.
- `codigo_reexpedido(caso, codigo)`: se emitió un código de consulta nuevo.
- `codigo_pedido(caso, pedido)`: la persona pidió desde la consulta pública que se le vuelva
  a enviar su código (`pedido`: identificador único de esa petición).
- `arco_recibida(solicitud, codigo)`: solicitud de derechos ARCO registrada.
- `arco_requerida(solicitud)`: se pidió información a la persona titular.
- `arco_ampliada(solicitud)`: se amplió el plazo de respuesta.
- `arco_respondida(solicitud)`: se emitió la respuesta (PDF y aviso).
- `datos_bloqueados(partes, usos=None)`: datos de partes bloqueados (cancelación) o con
  oposición a los `usos` nombrados: sus avisos pendientes se cancelan.
"""

from django.dispatch import Signal

caso_recibido = Signal()
responsable_asignado = Signal()
sesion_programada = Signal()
sesion_corregida = Signal()
sesiones_canceladas = Signal()
convenio_firmado = Signal()
asesoria_resuelta = Signal()
codigo_reexpedido = Signal()
codigo_pedido = Signal()
arco_recibida = Signal()
arco_requerida = Signal()
arco_ampliada = Signal()
arco_respondida = Signal()
datos_bloqueados = Signal()

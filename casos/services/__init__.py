"""Servicios del expediente: toda escritura pasa por aquí y deja un Evento.

`recepcion` recibe solicitudes de todos los canales; `mediacion` (paquete, un módulo por
etapa) y `asesoria` llevan los procedimientos; `plazos` registra cifras de plazos y aplica a
un caso las de hoy; `comun` guarda las piezas compartidas (candado, validaciones, eventos,
canalización). Las fechas de vencimiento se calculan en
`casos.plazos` y las consultas reutilizables están en `casos.selectors`.
"""

from .partes import corregir_contacto_parte
from .recepcion import (
    DatosPersona,
    DecisionDuplicado,
    Recepcion,
    SolicitudRecibida,
    recibir_con_revision,
    recibir_solicitud,
    reenviar_codigo,
    reexpedir_codigo,
    registrar_contacto,
)

"""Lo que la persona ve de su solicitud ARCO en la consulta pública por folio y código: el
estado y su explicación, los pasos públicos y el plazo de respuesta (o que está en pausa y
hasta cuándo tiene para entregar lo pedido). Ningún dato personal ni lo que pidió."""

from casos import plazos
from casos.calendario import Calendario
from casos.models import ESTADOS_ARCO_FINALES, EstadoARCO, SolicitudARCO

from . import selectors


def estado_arco(solicitud: SolicitudARCO) -> dict:
    calendario = Calendario()
    en_pausa = solicitud.estado == EstadoARCO.REQUERIDA
    concluida = solicitud.estado in ESTADOS_ARCO_FINALES
    return {
        "solicitud": solicitud,
        "explicacion": solicitud.explicacion_estado,
        "pasos": list(selectors.eventos_publicos(solicitud)),
        "en_pausa": en_pausa,
        "concluida": concluida,
        "respuesta_vence": None
        if concluida or en_pausa
        else plazos.arco_respuesta_vence_el(solicitud, calendario),
        "desahogo_vence": plazos.arco_desahogo_vence_el(solicitud, calendario)
        if en_pausa
        else None,
        "recurso_vence": plazos.arco_recurso_vence_el(solicitud, calendario)
        if solicitud.respondida_en
        else None,
    }

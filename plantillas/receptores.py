"""Cada solicitud recibida genera su acuse (en la misma transacción se registra; el PDF se
hace en el worker); una hora corregida antes de avisar reemplaza la invitación que la llevaba."""

from .models import TipoDocumento


def acuse_al_recibir(sender, caso, **kwargs):
    """`caso_recibido` solo lo envía la recepción, con el caso recién insertado."""
    from .services import solicitar_documento

    solicitar_documento(
        caso=caso,
        tipo=TipoDocumento.ACUSE,
        actor=caso.capturado_por,
        con_evento=False,
        caso_nuevo=True,
    )


def acuse_al_reexpedir_codigo(sender, caso, **kwargs):
    """El acuse lleva el código: al cambiar, se genera una versión con el nuevo."""
    from .services import solicitar_documento

    solicitar_documento(caso=caso, tipo=TipoDocumento.ACUSE, con_evento=False)


def invitacion_al_corregir_hora(sender, sesion, antes, **kwargs):
    """La invitación ya generada con la hora mal capturada se reemplaza por una versión nueva
    con la hora correcta (la anterior se conserva, como toda versión)."""
    from .selectors import invitaciones_con_sesion
    from .services import solicitar_documento

    for documento in invitaciones_con_sesion(caso=sesion.caso, sesion_id=sesion.pk):
        solicitar_documento(
            caso=sesion.caso,
            tipo=TipoDocumento.INVITACION,
            referencia=documento.referencia,
            con_evento=False,
        )

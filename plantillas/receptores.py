"""Cada solicitud recibida genera su acuse (en la misma transacción se registra; el PDF se
hace en el worker)."""

from .models import TipoDocumento


def acuse_al_recibir(sender, caso, **kwargs):
    from .services import solicitar_documento

    solicitar_documento(
        caso=caso, tipo=TipoDocumento.ACUSE, actor=caso.capturado_por, con_evento=False
    )


def acuse_al_reexpedir_codigo(sender, caso, **kwargs):
    """El acuse lleva el código: al cambiar, se genera una versión con el nuevo."""
    from .services import solicitar_documento

    solicitar_documento(caso=caso, tipo=TipoDocumento.ACUSE, con_evento=False)

"""La `api_key` de Open311 es un `api.TokenAPI` de alcance «open311».

Un token de la API del personal no sirve como `api_key`, y una `api_key` no abre la API
del personal (con datos personales): un sistema externo solo puede registrar solicitudes.
"""

from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from api.models import AlcanceToken, TokenAPI
from api.services import token_vigente

from .formatos import ErrorOpen311

PERMISO = "casos.capturar_solicitud"


@sensitive_variables("api_key")
def token_que_captura(api_key: str) -> TokenAPI:
    """El token activo de alcance Open311, de un usuario activo que puede capturar
    solicitudes; si no, 403."""
    if not api_key:
        raise ErrorOpen311(403, _("api_key: es obligatoria para registrar solicitudes."))
    token_api = token_vigente(api_key)
    if token_api is None or token_api.alcance != AlcanceToken.OPEN311:
        raise ErrorOpen311(403, _("api_key inválida o revocada."))
    if not token_api.usuario.has_perm(PERMISO):
        raise ErrorOpen311(403, _("api_key sin permiso para registrar solicitudes."))
    return token_api

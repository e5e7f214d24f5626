from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from rest_framework import authentication, exceptions

from .models import AlcanceToken
from .services import marcar_uso, token_vigente


class TokenAPIAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>` (también se acepta `Token <token>`)."""

    palabras = (b"bearer", b"token")

    @sensitive_variables("partes", "token")
    def authenticate(self, request):
        partes = authentication.get_authorization_header(request).split()
        if not partes or partes[0].lower() not in self.palabras:
            return None
        if len(partes) != 2:
            raise exceptions.AuthenticationFailed(_("Encabezado Authorization mal formado."))
        try:
            token = partes[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Token inválido.")) from None
        token_api = token_vigente(token)
        if token_api is None:
            raise exceptions.AuthenticationFailed(_("Token inválido o revocado."))
        if token_api.alcance != AlcanceToken.PERSONAL:
            raise exceptions.AuthenticationFailed(
                _("Este token es una api_key de Open311: no sirve para la API del personal.")
            )
        marcar_uso(token_api=token_api)
        return token_api.usuario, token_api

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class SesionWebAuthentication(authentication.SessionAuthentication):
    """La sesión de la web (para probar desde /api/docs/). Exige el token CSRF al escribir."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                _("Falta el token CSRF de la sesión: recargue la página e intente de nuevo.")
            ) from None

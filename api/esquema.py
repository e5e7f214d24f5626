"""El esquema OpenAPI: el esquema de autenticación por token y qué rutas documenta."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenAPIEsquema(OpenApiAuthenticationExtension):
    target_class = "api.autenticacion.TokenAPIAuthentication"
    name = "tokenAPI"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "`Authorization: Bearer <token>`. El token lo emite la administración con "
                "`manage.py emitir_token <usuario>` y actúa con los permisos de ese usuario."
            ),
        }


class SesionWebEsquema(OpenApiAuthenticationExtension):
    target_class = "api.autenticacion.SesionWebAuthentication"
    name = "sesionWeb"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "La sesión abierta en la web (solo para probar desde /api/docs/).",
        }


def solo_api_del_personal(endpoints, **kwargs):
    """Documenta solo `/api/v1/`: Open311 y las pantallas no son parte de esta API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cuentas.views import Entrar

# Swagger UI trae su script de arranque y un estilo en línea: solo en esta página se permiten,
# con el nonce de cada respuesta (ver nucleo/templates/drf_spectacular/swagger_ui.html).
documentacion_api = csp_update({"script-src": [NONCE], "style-src": [NONCE]})(
    SpectacularSwaggerView.as_view(url_name="api_esquema")
)

urlpatterns = [
    path("", include("portal.urls")),
    path("casos/", include("casos.urls")),
    path("tareas/", include("flujos.urls")),
    path("documentos/", include("plantillas.urls")),
    path("avisos/", include("notificaciones.urls")),
    path("importar/", include("importacion.urls")),
    path("e/", include("notificaciones.urls_encuesta")),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_esquema"),
    path("api/docs/", documentacion_api, name="api_docs"),
    path("open311/v2/", include("open311.urls")),
    path("cuentas/entrar/", Entrar.as_view(), name="login"),
    path("cuentas/salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("cuentas/", include("cuentas.urls")),
    path("admin/", admin.site.urls),
]
# Ningún archivo subido o generado se sirve por una URL estática, tampoco con DEBUG=True:
# los documentos salen solo por vistas que aplican la política de acceso (casos.acceso), y
# el logotipo del centro, que es público, por su propia vista.

admin.site.site_header = "Administración del centro de mediación"
admin.site.site_title = "Administración"
admin.site.index_title = "Catálogos y configuración"

import json
import sys

from csp.constants import NONCE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cuentas.views import Entrar
from nucleo import disponibilidad
from oficina.sitio import sitio as sitio_oficina
from open311.formatos import ErrorOpen311, responder_error

# Swagger UI trae su script de arranque y un estilo en línea: solo en esta página se permiten,
# con el nonce de cada respuesta (ver nucleo/templates/drf_spectacular/swagger_ui.html).
documentacion_api = csp_update({"script-src": [NONCE], "style-src": [NONCE]})(
    SpectacularSwaggerView.as_view(url_name="api_esquema")
)

urlpatterns = [
    # Open311 primero: sus lecturas son las más pedidas por otros sistemas y así no se
    # prueban antes todas las rutas del portal (ninguna otra empieza con «open311/»).
    path("open311/v2/", include("open311.urls")),
    path("", include("portal.urls")),
    path("casos/", include("casos.urls")),
    path("tareas/", include("flujos.urls")),
    path("documentos/", include("plantillas.urls")),
    path("avisos/", include("notificaciones.urls")),
    path("agenda/", include("agenda.urls")),
    path("comunidad/", include("comunidad.urls")),
    path("importar/", include("importacion.urls")),
    path("tablero/", include("estadistica.urls")),
    path("transparencia/", include("estadistica.urls_transparencia")),
    path("privacidad/", include("privacidad.urls")),
    path("arco/", include("privacidad.urls_publicas")),
    path("modulos/", include("modulos.urls")),
    path("e/", include("notificaciones.urls_encuesta")),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_esquema"),
    path("api/docs/", documentacion_api, name="api_docs"),
    path("cuentas/entrar/", Entrar.as_view(), name="login"),
    path("cuentas/salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("cuentas/", include("cuentas.urls")),
    path("oficina/", sitio_oficina.urls),
    path("admin/", admin.site.urls),
    # La salud para el balanceador y docker compose: JSON propio, también con la base caída.
    path("salud/", include("operacion.urls")),
]
# Ningún archivo subido o generado se sirve por una URL estática, tampoco con DEBUG=True:
# los documentos salen solo por vistas que aplican la política de acceso (casos.acceso), y
# el logotipo del centro, que es público, por su propia vista.


def _no_disponible(request) -> str:
    mensaje = _("El servicio no está disponible por un momento. Reintente en %(s)d segundos.") % {
        "s": settings.REINTENTO_SEGUNDOS
    }
    if disponibilidad.escribia(request):
        mensaje += " " + _("Los datos de esta petición no se guardaron.")
    return mensaje


def error_del_servidor(request):
    """`handler500`: Django lo llama dentro del `except` de toda excepción no atrapada, la de
    una vista y la de un middleware (la carga de la sesión). Si es la base de datos o el broker
    que no responden, 503 con `Retry-After` en el formato de quien pregunta: la API del
    personal, su `{"detail": ...}`; Open311, el error GeoReport en JSON o XML según la
    extensión; lo demás, la página en español (nucleo/disponibilidad.py). Cualquier otro error,
    la página 500. Solo con DEBUG=False: con DEBUG=True Django muestra su página técnica."""
    caida = disponibilidad.caida_en(sys.exc_info()[1])
    if caida is None:
        return defaults.server_error(request)
    ruta = request.path_info
    if ruta.startswith("/api/"):
        cuerpo = json.dumps({"detail": _no_disponible(request)}, ensure_ascii=False)
        respuesta = HttpResponse(cuerpo, content_type="application/json")
    elif ruta.startswith("/open311/"):
        formato = "xml" if ruta.endswith(".xml") else "json"
        respuesta = responder_error(ErrorOpen311(503, _no_disponible(request)), formato)
    else:
        respuesta = disponibilidad.pagina(request)
    return disponibilidad.preparar(respuesta, request=request, caida=caida)


handler500 = error_del_servidor

admin.site.site_header = "Administración del centro de mediación"
admin.site.site_title = "Administración"
admin.site.index_title = "Catálogos y configuración"

"""Las URL del sistema más el piso del framework: una vista que responde «ok» después de
pasar por toda la pila de middleware (sesión, CSRF, autenticación, segundo paso, CSP, axes…).
Solo la monta `piso.ajustes`."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler500
from config.urls import urlpatterns as urls_del_sistema

__all__ = ["handler500", "urlpatterns"]


def piso(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("_piso/", piso), *urls_del_sistema]

"""La página pública para presentar una solicitud ARCO (`/arco/`)."""

from django.urls import path

from .views import publicas

app_name = "arco"

urlpatterns = [
    path("", publicas.solicitud, name="solicitud"),
    path("enviada/", publicas.enviada, name="enviada"),
]

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("privacidad/", views.privacidad, name="privacidad"),
    path("solicitud/", views.solicitud, name="solicitud"),
    path("solicitud/enviada/", views.solicitud_enviada, name="solicitud_enviada"),
    path("solicitud/acuse/", views.acuse_ciudadano, name="acuse"),
    path("consulta/", views.consulta, name="consulta"),
    path("consulta/codigo/", views.codigo_perdido, name="codigo_perdido"),
    path("consulta/documento/<str:token>/", views.documento, name="documento"),
    path("logo/", views.logo, name="logo"),
]

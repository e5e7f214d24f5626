from django.urls import path

from . import views

app_name = "plantillas"

urlpatterns = [
    path("<int:pk>/", views.descargar, name="descargar"),
    path("<int:pk>/estado/", views.estado, name="estado"),
    path("<int:pk>/firmado/", views.descargar_firmado, name="firmado"),
    path("<int:pk>/firmado/subir/", views.subir_firmado, name="subir_firmado"),
    path("caso/<str:folio>/<str:tipo>/generar/", views.generar, name="generar"),
    path("remisiones/", views.remisiones, name="remisiones"),
    path("registro/", views.reloj_registro, name="reloj_registro"),
]

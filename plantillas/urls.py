from django.urls import path

from . import views

app_name = "plantillas"

urlpatterns = [
    path("<int:pk>/", views.descargar, name="descargar"),
    path("caso/<str:folio>/<str:tipo>/generar/", views.generar, name="generar"),
]

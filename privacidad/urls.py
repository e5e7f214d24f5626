"""Páginas del personal para las solicitudes ARCO (`/privacidad/`)."""

from django.urls import path

from .views import paginas

app_name = "privacidad"

urlpatterns = [
    path("", paginas.lista, name="lista"),
    path("nueva/", paginas.nueva, name="nueva"),
    path("recibida/<str:folio>/", paginas.recibida, name="recibida"),
    path("<str:folio>/", paginas.detalle, name="detalle"),
]

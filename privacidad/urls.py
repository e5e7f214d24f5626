"""Páginas del personal para las solicitudes ARCO (`/privacidad/`)."""

from django.urls import path

from .views import exportacion
from .views import solicitudes

app_name = "privacidad"

urlpatterns: list = [
    path("<str:folio>/datos.json", exportacion.exportacion, name="exportacion"),
    path("<str:folio>/", solicitudes.detalle, name="detalle"),
]

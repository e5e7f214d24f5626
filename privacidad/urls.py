"""Páginas del personal para las solicitudes ARCO (`/privacidad/…`).

`/privacidad/` a secas es el aviso de privacidad público (`portal:privacidad`, en los acuses
y en Open311): la lista del personal va en `/privacidad/solicitudes/`."""

from django.urls import path

from .views import exportacion, paginas

app_name = "privacidad"

urlpatterns = [
    path("solicitudes/", paginas.lista, name="lista"),
    path("nueva/", paginas.nueva, name="nueva"),
    path("recibida/<str:folio>/", paginas.recibida, name="recibida"),
    path("<str:folio>/datos.json", exportacion.exportacion, name="exportacion"),
    path("<str:folio>/", paginas.detalle, name="detalle"),
]

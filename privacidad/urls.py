"""Páginas del personal para las solicitudes ARCO (`/privacidad/`)."""

app_name = "privacidad"

urlpatterns: list = []

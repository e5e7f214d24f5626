from django.urls import path

from . import views_transparencia as views

app_name = "transparencia"

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("datos/<int:anio>.json", views.datos_json, name="json"),
    path("datos/<int:anio>/<slug:clave>.csv", views.datos_csv, name="csv"),
    path("diccionario.csv", views.diccionario, name="diccionario"),
]

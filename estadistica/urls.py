from django.urls import path

from . import views

app_name = "estadistica"

urlpatterns = [
    path("", views.tablero, name="tablero"),
    path("casos/", views.casos, name="casos"),
    path("exportar/<slug:clave>.<str:formato>", views.exportar, name="exportar"),
    path("metas/", views.metas, name="metas"),
    path("informes/", views.informes, name="informes"),
]

from django.urls import path

from . import views

app_name = "importacion"

urlpatterns = [
    path("", views.subir, name="subir"),
    path("ejemplo/registro_anterior.<str:formato>", views.ejemplo, name="ejemplo"),
    path("<int:pk>/", views.resultado, name="resultado"),
    path("<int:pk>/estado/", views.estado, name="estado"),
    path("<int:pk>/columnas/", views.columnas, name="columnas"),
    path("<int:pk>/revision/", views.vista_previa, name="vista_previa"),
    path("<int:pk>/importar/", views.importar, name="importar"),
    path("<int:pk>/descartar/", views.descartar, name="descartar"),
]

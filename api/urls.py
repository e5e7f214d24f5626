from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("llamantes/", views.llamante, name="llamante"),
    path("casos/", views.crear_caso, name="crear_caso"),
]

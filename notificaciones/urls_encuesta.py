"""El enlace corto de la encuesta de satisfacción (`/e/<token>/`), que va en los SMS: fuera
del espacio `avisos/` para que quepa en 160 caracteres. Conserva el nombre `encuesta`."""

from django.urls import path

from . import views

urlpatterns = [
    path("<str:token>/", views.encuesta, name="encuesta"),
]

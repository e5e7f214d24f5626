from django.urls import path

from . import views

app_name = "notificaciones"

urlpatterns = [
    path("", views.lista, name="lista"),
    path("<int:pk>/reintentar/", views.reintentar, name="reintentar"),
    path("baja/<str:token>/", views.baja, name="baja"),
    path("entrante/twilio/", views.entrante_twilio, name="entrante_twilio"),
    path("estado/twilio/", views.estado_twilio, name="estado_twilio"),
]

from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("oficina/", views.oficina, name="oficina"),
    path("mediador/<int:pk>/", views.mediador, name="mediador"),
    path("salas/", views.salas, name="salas"),
    path("sala/<int:pk>/", views.sala, name="sala"),
    path("suscripcion/", views.suscripcion, name="suscripcion"),
    path("suscripcion/crear/", views.crear_suscripcion, name="crear_suscripcion"),
    path("suscripcion/quitar/", views.revocar_suscripcion, name="revocar_suscripcion"),
    path("ical/<slug:token>.ics", views.calendario, name="ical"),
]

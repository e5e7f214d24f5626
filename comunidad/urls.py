from django.urls import path

from . import views

app_name = "comunidad"

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("listas/nueva/", views.lista_nueva, name="lista_nueva"),
    path("listas/<int:pk>/", views.lista, name="lista"),
    path("contactos/", views.contactos, name="contactos"),
    path("contactos/nuevo/", views.contacto_nuevo, name="contacto_nuevo"),
    path("contactos/<int:pk>/", views.contacto, name="contacto"),
    path("contactos/<int:pk>/baja/", views.contacto_baja, name="contacto_baja"),
    path("contactos/<int:pk>/alta/", views.contacto_alta, name="contacto_alta"),
    path("avisos/nuevo/", views.aviso_nuevo, name="aviso_nuevo"),
    path("avisos/<int:pk>/", views.aviso, name="aviso"),
]

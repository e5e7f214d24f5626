from django.urls import path

from . import views

app_name = "modulos"

urlpatterns = [
    path("", views.pagina, name="pagina"),
    path("catalogos.json", views.catalogos, name="catalogos"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifiesto.webmanifest", views.manifiesto, name="manifiesto"),
    path("contrasena/", views.comprobar_contrasena, name="contrasena"),
    path("sincronizar/", views.sincronizar, name="sincronizar"),
    path("hoy.json", views.hoy, name="hoy"),
    path("por-decidir/", views.por_decidir, name="por_decidir"),
    path("formato.pdf", views.formato_en_papel, name="formato"),
]

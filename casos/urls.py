from django.urls import path

from . import views
from .models import Canal

app_name = "casos"

urlpatterns = [
    path("", views.buscar, name="buscar"),
    path("nueva/", views.nueva_solicitud, name="nueva"),
    path("modulo/", views.nueva_solicitud, {"canal": Canal.MODULO}, name="nueva_modulo"),
    path("por-telefono/", views.casos_de_telefono, name="por_telefono"),
    path("accesos/", views.bitacora, name="bitacora"),
    path("accesos/<int:pk>/revisado/", views.revisar_excepcional, name="revisar_excepcional"),
    path("<str:folio>/", views.detalle, name="detalle"),
    path("<str:folio>/recibida/", views.solicitud_recibida, name="recibida"),
    path("<str:folio>/codigo/", views.reexpedir_codigo, name="reexpedir_codigo"),
    path("<str:folio>/acceso/", views.acceso_excepcional, name="acceso_excepcional"),
    path("<str:folio>/bloqueados/", views.revelar_bloqueados, name="revelar_bloqueados"),
    path("<str:folio>/partes/<int:pk>/", views.datos_parte, name="datos_parte"),
]

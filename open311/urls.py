"""GeoReport v2: cada recurso en `.json` y `.xml`. Lo demás responde 404 con el error del spec."""

from django.urls import path, re_path

from . import views

app_name = "open311"


def _en_cada_formato(ruta: str, vista, nombre: str) -> list:
    # Mismo nombre para los dos: `reverse` sin formato da el último registrado, .json.
    return [
        path(f"{ruta}.{formato}", vista, {"formato": formato}, name=nombre)
        for formato in ("xml", "json")
    ]


urlpatterns = [
    *_en_cada_formato("discovery", views.descubrimiento, "descubrimiento"),
    *_en_cada_formato("services", views.servicios, "servicios"),
    *_en_cada_formato("services/<str:codigo>", views.servicio, "servicio"),
    *_en_cada_formato("requests", views.solicitudes, "solicitudes"),
    *_en_cada_formato("requests/<str:identificador>", views.solicitud, "solicitud"),
    re_path(r"^(?P<resto>.*)$", views.no_encontrado),
]

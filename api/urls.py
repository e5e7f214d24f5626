from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("llamantes/", views.Llamante.as_view(), name="llamante"),
    # GET: lista con filtros; POST: alta (la URL de siempre del conmutador).
    path("casos/", views.Casos.as_view(), name="casos"),
    # `path`: cualquier texto llega a la vista y un folio que no existe da 404 en JSON.
    path("casos/<path:folio>/", views.DetalleCaso.as_view(), name="caso"),
    path("tareas/", views.MisTareas.as_view(), name="mis_tareas"),
]

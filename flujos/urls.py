from django.urls import path

from . import views

app_name = "flujos"

urlpatterns = [
    path("", views.bandeja, name="bandeja"),
    path("cola/", views.cola, name="cola"),
    path("plazos/", views.plazos, name="plazos"),
    path("<int:pk>/", views.tarea, name="tarea"),
    path("<int:pk>/tomar/", views.tomar, name="tomar"),
    path("<int:pk>/soltar/", views.soltar, name="soltar"),
    path("<int:pk>/reasignar/", views.reasignar, name="reasignar"),
    path("caso/<str:folio>/diferir/", views.diferir, name="diferir"),
    path("caso/<str:folio>/prorroga/", views.prorrogar, name="prorrogar"),
    path("caso/<str:folio>/concluir/", views.concluir, name="concluir"),
    path("caso/<str:folio>/reabrir/", views.reabrir, name="reabrir"),
]

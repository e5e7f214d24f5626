from django.urls import path

from .views import acciones, bandejas, recalculo

app_name = "flujos"

urlpatterns = [
    path("", bandejas.bandeja, name="bandeja"),
    path("cola/", bandejas.cola, name="cola"),
    path("plazos/", bandejas.plazos, name="plazos"),
    path("plazos/recalcular/", recalculo.recalcular_plazos, name="recalcular_plazos"),
    path("<int:pk>/", bandejas.tarea, name="tarea"),
    path("<int:pk>/tomar/", bandejas.tomar, name="tomar"),
    path("<int:pk>/soltar/", bandejas.soltar, name="soltar"),
    path("<int:pk>/reasignar/", bandejas.reasignar, name="reasignar"),
    path("caso/<str:folio>/diferir/", acciones.diferir, name="diferir"),
    path("caso/<str:folio>/corregir-hora/", acciones.corregir_hora, name="corregir_hora"),
    path("caso/<str:folio>/prorroga/", acciones.prorrogar, name="prorrogar"),
    path("caso/<str:folio>/concluir/", acciones.concluir, name="concluir"),
    path("caso/<str:folio>/reabrir/", acciones.reabrir, name="reabrir"),
]

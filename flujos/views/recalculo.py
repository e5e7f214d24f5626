"""La coordinación aplica las cifras de plazos de hoy a casos abiertos que siguen otras
(`flujos.services.recalcular_plazos_de`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from casos.permisos import requiere_permiso

from .. import forms, selectors, services
from .pasos import agregar_errores


@requiere_permiso("casos.view_caso", "casos.asignar_responsable")
def recalcular_plazos(request):
    """Lista los casos abiertos con cifras distintas de las de hoy; al enviar, recalcula los
    elegidos con el motivo dado."""
    folio = request.GET.get("folio", "")
    filas = selectors.casos_por_recalcular(folio=folio)
    datos = request.POST if request.method == "POST" else None
    form = forms.RecalculoForm(datos, filas=filas)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            elegidos = set(form.cleaned_data["casos"])
            try:
                resultados = services.recalcular_plazos_de(
                    casos=[f.caso for f in filas if str(f.caso.pk) in elegidos],
                    actor=request.user,
                    motivo=form.cleaned_data["motivo"],
                )
            except ValidationError as error:
                agregar_errores(form, error)
            except services.TareaNoDisponible as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _resumen(resultados))
                return redirect("flujos:recalcular_plazos")
        status = 400
    contexto = {"filas": filas, "form": form, "folio": folio}
    return render(request, "flujos/recalcular_plazos.html", contexto, status=status)


def _resumen(resultados) -> str:
    casos = sum(r.cambio for r in resultados)
    movidas = sum(r.movidas for r in resultados)
    return ngettext(
        "Se recalcularon los plazos de %(n)d caso",
        "Se recalcularon los plazos de %(n)d casos",
        casos,
    ) % {"n": casos} + ngettext(
        "; se movió %(m)d vencimiento del flujo.",
        "; se movieron %(m)d vencimientos del flujo.",
        movidas,
    ) % {"m": movidas}

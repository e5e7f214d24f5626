"""Páginas propias de la administración de la oficina: la propuesta de días inhábiles y la
descarga del escaneo de una certificación. Las envuelve el sitio (`sitio.admin_view`), que
ya exige el permiso de la oficina."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cuentas.services import certificado_consultado
from plantillas.entrega import entregar_privado

from . import selectors, services
from .forms import ConfirmarInhabilesForm, ProponerInhabilesForm


def _exigir(request, permiso: str) -> None:
    if not request.user.has_perm(permiso):
        raise PermissionDenied


def proponer_inhabiles(request):
    """Propone jueves y viernes santos, 2 de noviembre y 12 de diciembre del año elegido (sin
    los que ya están); solo se guardan los que la coordinación confirma."""
    from .sitio import sitio

    _exigir(request, "casos.add_diainhabil")
    if request.method == "POST":
        anio = ProponerInhabilesForm(request.POST)
        anio = anio.cleaned_data["anio"] if anio.is_valid() else timezone.localdate().year
    else:
        pedido = ProponerInhabilesForm(request.GET or {"anio": timezone.localdate().year + 1})
        anio = pedido.cleaned_data["anio"] if pedido.is_valid() else timezone.localdate().year
    propuestas = services.proponer_inhabiles(anio=anio)
    confirmar = ConfirmarInhabilesForm(
        request.POST or None,
        propuestas=propuestas,
        initial={"anio": anio, "fechas": [p.fecha.isoformat() for p in propuestas]},
    )
    if request.method == "POST" and confirmar.is_valid():
        fechas = [date.fromisoformat(f) for f in confirmar.cleaned_data["fechas"]]
        try:
            dias = services.agregar_inhabiles(anio=anio, fechas=fechas)
        except ValidationError as error:
            confirmar.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Se agregó %(n)d día inhábil de %(anio)d.",
                    "Se agregaron %(n)d días inhábiles de %(anio)d.",
                    len(dias),
                )
                % {"n": len(dias), "anio": anio},
            )
            return redirect("oficina:casos_diainhabil_changelist")
    contexto = {
        **sitio.each_context(request),
        "title": _("Proponer los días inhábiles usuales de %(anio)d") % {"anio": anio},
        "anio": anio,
        "pedido": ProponerInhabilesForm(initial={"anio": anio}),
        "form": confirmar,
        "propuestas": propuestas,
    }
    return render(request, "oficina/proponer_inhabiles.html", contexto)


def constancia(request, pk: int):
    """El escaneo de la constancia de certificación, solo para quien puede ver las
    certificaciones; cada apertura queda en la bitácora de cuentas."""
    _exigir(request, "casos.view_perfilmediador")
    perfil = selectors.perfil_con_constancia(pk=pk)
    certificado_consultado(
        actor=request.user, cuenta=perfil.usuario, ip=request.META.get("REMOTE_ADDR")
    )
    nombre = perfil.certificado.name.rsplit("/", 1)[-1]
    return entregar_privado(perfil.certificado, perfil.certificado_tipo, nombre)

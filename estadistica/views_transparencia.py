"""Transparencia: la página pública y los datos abiertos (JSON, CSV y diccionario), con URL
estable por año para que un portal o una persona periodista los reutilice."""

from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from casos.models import Centro

from . import datos_abiertos, transparencia
from .selectors import datos_al

# Las cifras se refrescan cada pocos minutos: un proxy o el navegador pueden guardarlas ese
# tiempo.
publica = cache_control(public=True, max_age=300)
PRIMER_ANIO = 2000


def _anio(valor, hoy: date) -> int:
    try:
        anio = int(valor) if valor else hoy.year
    except (TypeError, ValueError):
        return hoy.year
    return anio if PRIMER_ANIO <= anio <= hoy.year else hoy.year


def _metadatos(request, anio: int, hoy: date) -> dict:
    centro = Centro.objects.filter(pk=1).first()
    cuando = datos_al()
    return {
        "titulo": _("Estadística de mediación y asesoría %(a)d") % {"a": anio},
        "publicado_por": f"{centro.nombre}, {centro.municipio}" if centro else "",
        "periodo": f"{anio}-01-01/{min(date(anio, 12, 31), hoy).isoformat()}",
        "datos_al": timezone.localtime(cuando).isoformat() if cuando else None,
        "licencia": transparencia.LICENCIA,
        "url": request.build_absolute_uri(reverse("transparencia:json", args=[anio])),
    }


@publica
@require_GET
def inicio(request):
    hoy = timezone.localdate()
    anio = _anio(request.GET.get("anio"), hoy)
    tablas = transparencia.tablas_publicas(anio, hoy)
    return render(
        request,
        "estadistica/transparencia.html",
        {
            "anio": anio,
            "anios": list(range(hoy.year, max(PRIMER_ANIO, hoy.year - 6), -1)),
            "tablas": tablas,
            "graficas": transparencia.graficas(tablas),
            "datos_al": datos_al(),
            "nota": transparencia.NOTA_SUPRESION,
        },
    )


@publica
@require_GET
def datos_json(request, anio: int):
    hoy = timezone.localdate()
    if not PRIMER_ANIO <= anio <= hoy.year:
        raise Http404(_("No hay datos de ese año."))
    contenido = datos_abiertos.a_json(
        transparencia.tablas_publicas(anio, hoy), _metadatos(request, anio, hoy)
    )
    return HttpResponse(contenido, content_type="application/json; charset=utf-8")


@publica
@require_GET
def datos_csv(request, anio: int, clave: str):
    hoy = timezone.localdate()
    if not PRIMER_ANIO <= anio <= hoy.year:
        raise Http404(_("No hay datos de ese año."))
    tablas = {t.clave: t for t in transparencia.tablas_publicas(anio, hoy)}
    if clave not in tablas:
        raise Http404(_("Esa tabla no existe."))
    respuesta = HttpResponse(
        datos_abiertos.a_csv_largo(tablas[clave]), content_type="text/csv; charset=utf-8"
    )
    respuesta["Content-Disposition"] = f'attachment; filename="{clave}-{anio}.csv"'
    return respuesta


@publica
@require_GET
def diccionario(request):
    hoy = timezone.localdate()
    respuesta = HttpResponse(
        datos_abiertos.diccionario_csv(transparencia.tablas_publicas(hoy.year, hoy)),
        content_type="text/csv; charset=utf-8",
    )
    respuesta["Content-Disposition"] = 'attachment; filename="diccionario-de-datos.csv"'
    return respuesta

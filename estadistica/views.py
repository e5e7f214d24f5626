"""El tablero de la Dirección: cifras del periodo con sus filtros, la lista de casos detrás
de cada cifra, las exportaciones y las metas del POA."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casos import acceso
from casos.permisos import requiere_permiso

from . import exportar as exportaciones
from . import metas as metas_poa
from . import selectors, services
from .forms import FiltrosForm

VER = selectors.VER
FIJAR_METAS = "estadistica.fijar_metas"
POR_PAGINA = 50


def _filtros(request):
    form = FiltrosForm(request.GET or None)
    return form, form.filtros()


@never_cache
@require_GET
@requiere_permiso(VER)
def tablero(request):
    form, filtros = _filtros(request)
    t = selectors.tablero(usuario=request.user, filtros=filtros)
    anio = filtros.hasta.year
    avance = metas_poa.avance(anio=anio)
    for a in avance:
        a.grafica = services.grafica_de_meta(a)
    return render(
        request,
        "estadistica/tablero.html",
        {
            "form": form,
            "t": t,
            "graficas": services.graficas_del_tablero(t),
            "avance": avance,
            "tabla_metas": metas_poa.tabla_de_avance(avance),
            "anio": anio,
            "puede_fijar_metas": request.user.has_perm(FIJAR_METAS),
            "consulta": request.GET.urlencode(),
        },
    )


_CIFRA = ("medida", "tipo", "dim", "valor", "mes", "causa")


@never_cache
@require_GET
@requiere_permiso(VER)
def casos(request):
    form, filtros = _filtros(request)
    cifra = {k: request.GET.get(k, "")[:200] for k in _CIFRA}
    titulo = selectors.titulo_de_la_cifra(cifra["medida"])
    if not titulo:
        raise Http404(_("Esa cifra no existe."))
    lista = selectors.casos_de_la_cifra(usuario=request.user, filtros=filtros, **cifra)
    pagina = Paginator(lista, POR_PAGINA).get_page(request.GET.get("pagina"))
    acceso.registrar_acceso(
        usuario=request.user, casos=list(pagina), vista="estadistica", request=request
    )
    sin_pagina = request.GET.copy()
    sin_pagina.pop("pagina", None)
    return render(
        request,
        "estadistica/casos.html",
        {
            "titulo": titulo,
            "filtros": filtros,
            "pagina": pagina,
            "consulta": sin_pagina.urlencode(),
            "volver": filtros.parametros,
        },
    )


@never_cache
@require_GET
@requiere_permiso(VER)
def exportar(request, clave: str, formato: str):
    if formato not in ("csv", "xlsx"):
        raise Http404(_("Formato no disponible: use csv o xlsx."))
    _form, filtros = _filtros(request)
    t = selectors.tablero(usuario=request.user, filtros=filtros)
    if clave == "metas":
        tabla = metas_poa.tabla_de_avance(metas_poa.avance(anio=filtros.hasta.year))
    elif clave in t.tablas:
        tabla = t.tablas[clave]
    else:
        raise Http404(_("Esa tabla no existe."))
    encabezado = services.encabezado_de(filtros, t.datos_al)
    nombre = f"{clave}-{filtros.desde:%Y%m%d}-{filtros.hasta:%Y%m%d}"
    if formato == "csv":
        return exportaciones.respuesta_csv(tabla, encabezado, nombre)
    return exportaciones.respuesta_xlsx(tabla, encabezado, nombre)


@never_cache
@require_http_methods(["GET", "POST"])
@requiere_permiso(VER, FIJAR_METAS)
def metas(request):
    hoy = timezone.localdate()
    try:
        anio = int(request.GET.get("anio") or request.POST.get("anio") or hoy.year)
    except ValueError:
        anio = hoy.year
    if not 2000 <= anio <= 2100:
        anio = hoy.year
    edicion = metas_poa.Edicion(anio=anio, datos=request.POST if request.method == "POST" else None)
    if request.method == "POST" and edicion.es_valida():
        try:
            cambios = services.guardar_metas(edicion=edicion, actor=request.user)
        except ValidationError as error:
            edicion.agregar_error(error)
        else:
            messages.success(
                request,
                _("Se guardaron las metas de %(a)d (%(n)d cambios).") % {"a": anio, "n": cambios},
            )
            return redirect(f"{request.path}?anio={anio}")
    return render(
        request,
        "estadistica/metas.html",
        {"edicion": edicion, "anio": anio, "anios": [anio - 1, anio, anio + 1]},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@requiere_permiso(VER)
def informes(request):
    form, filtros = _filtros(request)
    if request.method == "POST":
        form = FiltrosForm(request.POST)
        if form.is_valid():
            documento = services.pedir_informe(filtros=form.filtros(), actor=request.user)
            messages.success(
                request,
                _("Se pidió el informe %(n)s; estará listo en unos momentos.") % {"n": documento},
            )
            return redirect("estadistica:informes")
    return render(
        request,
        "estadistica/informes.html",
        {"form": form, "informes": services.informes_recientes(usuario=request.user)},
    )

"""Páginas de la importación (coordinación): subir el archivo, relacionar columnas, vista
previa con cada error, importar y ver el resultado. Las lecturas están en `selectors`, las
escrituras en `services`."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casos.permisos import requiere_permiso

from . import selectors, services
from .campos import CAMPOS
from .forms import SIN_COLUMNA, FormularioArchivo, FormularioColumnas
from .models import EstadoImportacion
from .selectors import IMPORTAR

EJEMPLOS = Path(__file__).resolve().parent / "ejemplo"
TIPOS_EJEMPLO = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
ERRORES_POR_PAGINA = 100


@requiere_permiso(IMPORTAR)
def subir(request):
    formulario = FormularioArchivo(request.POST or None, request.FILES or None)
    if request.method == "POST" and formulario.is_valid():
        try:
            importacion = services.subir(
                archivo=formulario.cleaned_data["archivo"], actor=request.user
            )
        except ValidationError as error:
            formulario.add_error("archivo", error.messages)
        else:
            return redirect("importacion:columnas", pk=importacion.pk)
    return render(
        request,
        "importacion/subir.html",
        {
            "formulario": formulario,
            "importaciones": selectors.importaciones_recientes(usuario=request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


@requiere_permiso(IMPORTAR)
def ejemplo(request, formato):
    if formato not in TIPOS_EJEMPLO:
        raise Http404
    return FileResponse(
        (EJEMPLOS / f"registro_anterior.{formato}").open("rb"),
        as_attachment=True,
        filename=f"registro_anterior.{formato}",
        content_type=TIPOS_EJEMPLO[formato],
    )


def _a_donde(importacion):
    """La página que corresponde al estado de la importación."""
    if importacion.estado == EstadoImportacion.SUBIDA:
        return redirect("importacion:columnas", pk=importacion.pk)
    if importacion.estado in (EstadoImportacion.CON_ERRORES, EstadoImportacion.LISTA):
        return redirect("importacion:vista_previa", pk=importacion.pk)
    return redirect("importacion:resultado", pk=importacion.pk)


@requiere_permiso(IMPORTAR)
def columnas(request, pk):
    importacion = selectors.importacion_para(usuario=request.user, pk=pk)
    if not importacion.editable:
        return _a_donde(importacion)
    ejemplos = selectors.ejemplos_de_columnas(importacion)
    inicial = {
        campo.clave: str(importacion.columnas[campo.clave])
        if campo.clave in importacion.columnas
        else SIN_COLUMNA
        for campo in CAMPOS
    }
    formulario = FormularioColumnas(
        request.POST or None,
        initial=inicial,
        encabezados=importacion.encabezados,
        ejemplos=ejemplos,
    )
    if request.method == "POST" and formulario.is_valid():
        try:
            services.relacionar_columnas(
                importacion=importacion, columnas=formulario.columnas(), actor=request.user
            )
        except ValidationError as error:
            formulario.agregar_errores(error)
        else:
            return redirect("importacion:vista_previa", pk=importacion.pk)
    return render(
        request,
        "importacion/columnas.html",
        {"importacion": importacion, "formulario": formulario},
        status=400 if request.method == "POST" else 200,
    )


@requiere_permiso(IMPORTAR)
def vista_previa(request, pk):
    importacion = selectors.importacion_para(usuario=request.user, pk=pk)
    if importacion.estado not in (EstadoImportacion.CON_ERRORES, EstadoImportacion.LISTA):
        return _a_donde(importacion)
    errores = Paginator(importacion.errores, ERRORES_POR_PAGINA).get_page(request.GET.get("pagina"))
    return render(
        request,
        "importacion/vista_previa.html",
        {
            "importacion": importacion,
            "errores": errores,
            "pagina": errores,
            "resumen": importacion.resumen,
        },
    )


@requiere_permiso(IMPORTAR)
@require_POST
def importar(request, pk):
    importacion = selectors.importacion_para(usuario=request.user, pk=pk)
    try:
        services.pedir_importacion(importacion=importacion, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _a_donde(importacion)
    return redirect("importacion:resultado", pk=importacion.pk)


@requiere_permiso(IMPORTAR)
def resultado(request, pk):
    importacion = selectors.importacion_para(usuario=request.user, pk=pk)
    if importacion.estado in (
        EstadoImportacion.SUBIDA,
        EstadoImportacion.CON_ERRORES,
        EstadoImportacion.LISTA,
    ):
        if importacion.error:
            messages.error(request, importacion.error)
        return _a_donde(importacion)
    casos = None
    if importacion.estado == EstadoImportacion.IMPORTADA:
        casos = Paginator(selectors.casos_de(importacion), 200).get_page(request.GET.get("pagina"))
    return render(
        request,
        "importacion/resultado.html",
        {
            "importacion": importacion,
            "casos": casos,
            "pagina": casos,
            "por_responsable": selectors.abiertos_por_responsable(importacion)
            if casos is not None
            else [],
        },
    )


@requiere_permiso(IMPORTAR)
def estado(request, pk):
    """Para que «Importando…» cambie al resultado sin recargar a ciegas."""
    importacion = selectors.importacion_para(usuario=request.user, pk=pk)
    return JsonResponse(
        {
            "estado": importacion.estado,
            "texto": importacion.get_estado_display(),
            "en_curso": importacion.en_curso,
        }
    )


@requiere_permiso(IMPORTAR)
@require_POST
def descartar(request, pk):
    importacion = selectors.importacion_para(usuario=request.user, pk=pk)
    try:
        services.descartar(importacion=importacion, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _a_donde(importacion)
    messages.success(
        request,
        _("Se descartó «%(archivo)s» y se borró el archivo.")
        % {"archivo": importacion.nombre_archivo},
    )
    return redirect("importacion:subir")

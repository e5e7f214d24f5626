"""Lecturas de las importaciones: las recientes, una para trabajarla, lo que importó y unos
valores de ejemplo de cada columna del archivo (para relacionarlas)."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from casos.texto import nombre_de

from . import interpretacion, lectura
from .models import CasoImportado, Importacion

IMPORTAR = "importacion.importar_registros"


def _exigir_permiso(usuario) -> None:
    if not usuario.has_perm(IMPORTAR):
        raise PermissionDenied


def importaciones_recientes(*, usuario, limite: int = 20) -> list[Importacion]:
    _exigir_permiso(usuario)
    return list(Importacion.objects.select_related("creada_por")[:limite])


def importacion_para(*, usuario, pk: int) -> Importacion:
    _exigir_permiso(usuario)
    return get_object_or_404(Importacion.objects.select_related("creada_por", "pedida_por"), pk=pk)


def ejemplos_de_columnas(importacion: Importacion, *, cuantos: int = 3) -> list[list[str]]:
    """Los primeros valores no vacíos de cada columna del archivo (para reconocerla)."""
    ejemplos: list[list[str]] = [[] for _ in importacion.encabezados]
    if not importacion.archivo:
        return ejemplos
    with importacion.archivo.open("rb") as archivo, lectura.abrir(archivo) as hoja:
        for vistos, (_numero, valores) in enumerate(hoja.renglones):
            for indice, valor in enumerate(valores):
                texto = interpretacion.texto(valor)
                if texto and texto[:60] not in ejemplos[indice] and len(ejemplos[indice]) < cuantos:
                    ejemplos[indice].append(texto[:60])
            if vistos >= 200 or all(len(e) >= cuantos for e in ejemplos):
                break
    return ejemplos


def casos_de(importacion: Importacion) -> QuerySet[CasoImportado]:
    """Los casos que dejó una importación, en el orden del archivo (folio, estado, paso y
    responsable: ningún dato personal de la ciudadanía)."""
    return CasoImportado.objects.filter(importacion=importacion).select_related(
        "caso", "caso__responsable"
    )


def abiertos_por_responsable(importacion: Importacion) -> list[tuple[str, int]]:
    """Cuántos casos abiertos recibió cada persona (o la cola de la coordinación)."""
    cuenta = Counter(
        nombre_de(ci.caso.responsable) or "—" for ci in casos_de(importacion).exclude(entrada="fin")
    )
    return cuenta.most_common()

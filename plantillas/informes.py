"""Quién pone las cifras del informe estadístico mensual.

`plantillas` genera el PDF pero no sabe contar: la capa de estadística (más arriba) registra
aquí, en el `ready()` de su AppConfig, la función que arma el contenido de un informe:

    from plantillas import informes

    informes.registrar(contenido_del_informe)

El proveedor recibe el `InformeEstadistico` (periodo, parámetros del tablero, descripción de
los filtros) y devuelve un diccionario con:

- ``titulo`` (str): el título del informe («Informe estadístico mensual»).
- ``periodo`` (str): el periodo en palabras («noviembre de 2026»).
- ``filtros`` (lista de pares (etiqueta, valor)): los filtros aplicados; vacía sin filtros.
- ``datos_al`` (datetime o None): hasta cuándo llegan los datos.
- ``secciones`` (lista de {"titulo": str, "html": SafeString}): tablas HTML y gráficas SVG
  ya armadas. Lo que no venga marcado como seguro se escapa al llenar la plantilla.
- ``firma`` ({"nombre": str, "cargo": str}): quién firma por la Dirección.

Nunca datos personales: solo cifras agregadas.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import InformeEstadistico

Proveedor = Callable[["InformeEstadistico"], dict]

CLAVES = ("titulo", "periodo", "filtros", "datos_al", "secciones", "firma")


class SinProveedor(RuntimeError):
    """Nadie registró quién arma el contenido del informe estadístico."""


class ContenidoInvalido(ValueError):
    """El proveedor devolvió un contenido que no sigue el contrato."""


_registro: dict[str, Proveedor] = {}


def registrar(proveedor: Proveedor) -> None:
    """Registra la función que arma el contenido de los informes (la última registrada es la
    que vale: el `ready()` puede correr más de una vez sin duplicar nada)."""
    if not callable(proveedor):
        raise TypeError("El proveedor del informe estadístico debe ser una función.")
    _registro["proveedor"] = proveedor


def proveedor() -> Proveedor | None:
    """El proveedor registrado, o None."""
    return _registro.get("proveedor")


def contexto(informe: "InformeEstadistico") -> dict:
    """El contenido del informe según el proveedor registrado, ya revisado."""
    funcion = proveedor()
    if funcion is None:
        raise SinProveedor(
            "No hay quién arme el informe estadístico: la app de estadística debe llamar a "
            "plantillas.informes.registrar() en el ready() de su AppConfig."
        )
    return _revisado(funcion(informe))


def _revisado(contenido) -> dict:
    if not isinstance(contenido, dict):
        raise ContenidoInvalido("El proveedor del informe debe devolver un diccionario.")
    faltan = [clave for clave in CLAVES if clave not in contenido]
    if faltan:
        raise ContenidoInvalido("Al contenido del informe le falta: " + ", ".join(faltan) + ".")
    secciones = list(contenido["secciones"] or [])
    for seccion in secciones:
        if not isinstance(seccion, dict) or not {"titulo", "html"} <= set(seccion):
            raise ContenidoInvalido("Cada sección del informe lleva «titulo» y «html».")
    firma = contenido["firma"] or {}
    if not isinstance(firma, dict):
        raise ContenidoInvalido("La firma del informe es un diccionario con nombre y cargo.")
    return {
        "titulo": str(contenido["titulo"]),
        "periodo": str(contenido["periodo"]),
        "datos_al": contenido["datos_al"],
        "filtros": [(str(etiqueta), str(valor)) for etiqueta, valor in contenido["filtros"] or []],
        "secciones": secciones,
        "firma": {"nombre": firma.get("nombre", ""), "cargo": firma.get("cargo", "")},
    }

"""Quién arma el contenido de los documentos de una solicitud ARCO.

`plantillas` genera el PDF de la «Respuesta a una solicitud ARCO» y del anexo «Sus datos
personales», pero no decide qué se entrega ni qué se retiene: eso lo sabe la capa de
privacidad (más arriba), que registra aquí, en el `ready()` de su AppConfig, una función por
tipo de documento:

    from plantillas import arco

    arco.registrar(TipoDocumento.RESPUESTA_ARCO, contenido_de_la_respuesta)

El proveedor recibe el `Documento` (con su `solicitud`) y devuelve un diccionario con:

- ``titulo`` (str): el título del documento.
- ``secciones`` (lista): cada una un diccionario con ``titulo`` (str) y cualquiera de
  ``parrafos`` (lista de str), ``pares`` (lista de (etiqueta, valor)) y ``tabla``
  (``{"columnas": [str], "renglones": [[str]]}``).
- ``firma`` ({"nombre": str, "cargo": str}): quién firma por la oficina.

Todo es texto: la plantilla lo escapa (nada de HTML del proveedor).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Documento

Proveedor = Callable[["Documento"], dict]

CLAVES = ("titulo", "secciones", "firma")


class SinProveedor(RuntimeError):
    """Nadie registró quién arma el contenido de ese documento ARCO."""


class ContenidoInvalido(ValueError):
    """El proveedor devolvió un contenido que no sigue el contrato."""


_registro: dict[str, Proveedor] = {}


def registrar(tipo: str, proveedor: Proveedor) -> None:
    """Registra la función que arma el contenido de un tipo de documento ARCO (la última
    registrada es la que vale: el `ready()` puede correr más de una vez)."""
    if not callable(proveedor):
        raise TypeError("El proveedor de un documento ARCO debe ser una función.")
    _registro[str(tipo)] = proveedor


def proveedor(tipo: str) -> Proveedor | None:
    return _registro.get(str(tipo))


def _texto(valor) -> str:
    return "" if valor is None else str(valor)


def contexto(documento: "Documento") -> dict:
    """El contenido del documento según su proveedor, ya revisado y convertido a texto."""
    funcion = proveedor(documento.tipo)
    if funcion is None:
        raise SinProveedor(
            f"No hay quién arme el documento {documento.tipo}: la app de privacidad debe "
            "llamar a plantillas.arco.registrar() en el ready() de su AppConfig."
        )
    contenido = funcion(documento)
    if not isinstance(contenido, dict):
        raise ContenidoInvalido("El proveedor del documento ARCO debe devolver un diccionario.")
    faltan = [clave for clave in CLAVES if clave not in contenido]
    if faltan:
        raise ContenidoInvalido("Al documento ARCO le falta: " + ", ".join(faltan) + ".")
    secciones = []
    for seccion in contenido["secciones"] or []:
        if not isinstance(seccion, dict) or "titulo" not in seccion:
            raise ContenidoInvalido("Cada sección del documento ARCO lleva «titulo».")
        tabla = seccion.get("tabla")
        secciones.append(
            {
                "titulo": _texto(seccion["titulo"]),
                "parrafos": [_texto(p) for p in seccion.get("parrafos") or []],
                "pares": [(_texto(e), _texto(v)) for e, v in seccion.get("pares") or []],
                "tabla": {
                    "columnas": [_texto(c) for c in tabla.get("columnas") or []],
                    "renglones": [[_texto(c) for c in r] for r in tabla.get("renglones") or []],
                }
                if tabla
                else None,
            }
        )
    firma = contenido["firma"] or {}
    return {
        "titulo": _texto(contenido["titulo"]),
        "secciones": secciones,
        "firma": {"nombre": _texto(firma.get("nombre")), "cargo": _texto(firma.get("cargo"))},
    }

"""Salida GeoReport v2: el mismo dato en JSON o en XML, y los errores en el formato del spec."""

import json
import re
import xml.etree.ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

TIPOS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# En XML, cada renglón de una lista toma el nombre que fija el spec según su contenedor.
RENGLONES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}

# Caracteres que XML 1.0 no admite ni escapados (ElementTree no los filtra).
_NO_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ErrorOpen311(Exception):
    """Error que se responde como `[{"code", "description"}]` con ese código HTTP."""

    def __init__(self, codigo: int, *descripciones: str):
        super().__init__(*descripciones)
        self.codigo = codigo
        self.descripciones = [str(d) for d in descripciones]


def fecha_w3c(momento, zona=None) -> str | None:
    """ISO 8601 con segundos y desfase, en hora de México (W3C-DTF, como pide el spec).
    `zona`: la zona ya obtenida, para quien da formato a miles de fechas."""
    if momento is None:
        return None
    return timezone.localtime(momento, zona).isoformat(timespec="seconds")


def _texto(valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, bool):
        return "true" if valor else "false"
    return _NO_XML.sub("", str(valor))


def _llenar(elemento: ET.Element, valor) -> None:
    if isinstance(valor, dict):
        for nombre, contenido in valor.items():
            _llenar(ET.SubElement(elemento, nombre), contenido)
    elif isinstance(valor, list | tuple):
        renglon = RENGLONES[elemento.tag]
        for contenido in valor:
            _llenar(ET.SubElement(elemento, renglon), contenido)
    else:
        elemento.text = _texto(valor)


def a_xml(raiz: str, datos) -> bytes:
    elemento = ET.Element(raiz)
    _llenar(elemento, datos)
    cuerpo = ET.tostring(elemento, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + cuerpo).encode(errors="replace")


def a_json(datos) -> bytes:
    # Un error que repite lo recibido puede traer un sustituto suelto (\ud800), que UTF-8 no
    # admite: sale como «?» en vez de tumbar la respuesta.
    return json.dumps(datos, ensure_ascii=False).encode(errors="replace")


def responder(datos, *, raiz: str, formato: str, status: int = 200) -> HttpResponse:
    cuerpo = a_xml(raiz, datos) if formato == "xml" else a_json(datos)
    return HttpResponse(cuerpo, status=status, content_type=TIPOS[formato])


def responder_error(error: ErrorOpen311, formato: str) -> HttpResponse:
    datos = [{"code": error.codigo, "description": d} for d in error.descripciones]
    return responder(datos, raiz="errors", formato=formato, status=error.codigo)

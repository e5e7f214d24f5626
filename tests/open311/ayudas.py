"""Campos del spec y ayudas para leer respuestas de Open311."""

import json
import xml.etree.ElementTree as ET

from django.urls import reverse

from casos.models import Caso, Categoria
from open311.identificadores import folio_de, identificador_de

# Campos del spec (GeoReport v2), en su orden.
CAMPOS_SERVICIO = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
CAMPOS_ATRIBUTO = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]
CAMPOS_SOLICITUD = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
CAMPOS_CREADA = ["service_request_id", "service_notice", "account_id"]
CAMPOS_DESCUBRIMIENTO = ["changeset", "contact", "key_service", "endpoints"]
CAMPOS_ENDPOINT = ["specification", "url", "changeset", "type", "formats"]


def url(nombre: str, *args, formato: str = "json") -> str:
    kwargs = {"formato": formato}
    if args:
        kwargs[{"open311:servicio": "codigo", "open311:solicitud": "identificador"}[nombre]] = args[
            0
        ]
    return reverse(nombre, kwargs=kwargs)


def leer(respuesta, formato: str = "json"):
    """El cuerpo ya interpretado: objeto JSON o raíz XML."""
    if formato == "xml":
        assert respuesta.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        return ET.fromstring(respuesta.content)
    return json.loads(respuesta.content)


def codigo_de(categoria: Categoria, tipo: str) -> str:
    return f"{tipo}-{categoria.pk}"


def ident(caso: Caso | str) -> str:
    """El `service_request_id` público de un caso (o de un folio)."""
    return identificador_de(caso if isinstance(caso, str) else caso.folio)


__all__ = ["folio_de", "ident"]

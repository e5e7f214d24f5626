"""Fixtures de Open311: api_key de la operadora y cuerpo de un POST válido."""

import pytest

from api.models import AlcanceToken
from api.services import emitir_token
from casos.models import Localidad, TipoCaso

from .ayudas import codigo_de


@pytest.fixture
def api_key(operadora):
    return emitir_token(nombre="app 311", usuario=operadora, alcance=AlcanceToken.OPEN311)


@pytest.fixture
def cuerpo(api_key, cat_mediacion, cat_asesoria, localidad):
    """Formulario de un POST válido (mediación por omisión)."""

    def armar(tipo=TipoCaso.MEDIACION, **extra):
        categoria = cat_mediacion if tipo == TipoCaso.MEDIACION else cat_asesoria
        datos = {
            "api_key": api_key,
            "service_code": codigo_de(categoria, tipo),
            "first_name": "Rosa",
            "last_name": "Gutiérrez Cano",
            "phone": "391 555 0101",
            "email": "rosa.gutierrez@correo.mx",
            "description": "El taller de junto trabaja con el esmeril hasta la madrugada.",
            "address_string": "Calle Morelos 45, Centro",
            "attribute[localidad]": str(localidad.pk),
            "attribute[aviso_privacidad]": "si",
        }
        if tipo == TipoCaso.MEDIACION:
            datos |= {
                "attribute[otra_nombre]": "Ernesto Villaseñor",
                "attribute[otra_domicilio]": "Calle Morelos 47",
            }
        datos.update(extra)
        return {k: v for k, v in datos.items() if v is not None}

    return armar


@pytest.fixture
def otra_localidad(catalogos):
    return Localidad.objects.exclude(pk=Localidad.objects.first().pk).first()

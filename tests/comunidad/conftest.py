import itertools

import pytest
from django.utils import timezone

from casos.models import Localidad
from comunidad import services

_numeros = itertools.count(1000)


@pytest.fixture
def milpillas(catalogos):
    return Localidad.objects.get(nombre="Milpillas")


@pytest.fixture
def lista(milpillas):
    return services.crear_lista(nombre="Milpillas: comité y delegados", localidad=milpillas)


@pytest.fixture
def otra_lista(milpillas):
    return services.crear_lista(nombre="Milpillas: líderes", localidad=milpillas)


def consentimiento(aviso, **extra):
    return {
        "fecha": timezone.localdate(),
        "forma": "escrito",
        "ante": "Formato firmado en la delegación",
        "aviso": aviso,
        **extra,
    }


@pytest.fixture
def nuevo_contacto(coordinadora, milpillas, aviso):
    """Un contacto con consentimiento (o sin él, con `consentimiento=None`)."""

    def crear(*, listas=(), canal="sms", telefono=None, con_consentimiento=True, **extra):
        return services.registrar_contacto(
            nombre=extra.pop("nombre", f"Contacto {next(_numeros)}"),
            telefono=telefono or f"+52331{next(_numeros):07d}",
            canal=canal,
            localidad=extra.pop("localidad", milpillas),
            actor=coordinadora,
            listas=listas,
            consentimiento=consentimiento(aviso) if con_consentimiento else None,
            **extra,
        )

    return crear

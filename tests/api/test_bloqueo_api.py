"""La API del personal no entrega datos bloqueados: ni en la búsqueda, ni en la lista, ni en el
expediente, ni en el conmutador, ni al revisar duplicados en el alta."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from casos import services
from casos.models import Caso, RolParte
from tests.casos.test_bloqueo import (
    ARCO,
    CONSERVACION,
    CORREO,
    NOMBRE,
    OTRA,
    TELEFONO,
    TELEFONO_TEXTO,
    _bloquear,
)

from .datos import cuerpo_caso, url_caso


@pytest.fixture
def bloqueado(nuevo_caso, privacidad):
    caso = nuevo_caso(
        solicitante=services.DatosPersona(nombre=NOMBRE, telefono=TELEFONO, correo=CORREO)
    ).caso
    _bloquear(caso, privacidad)
    return caso


def _sin_datos(respuesta) -> None:
    texto = json.dumps(respuesta.json(), ensure_ascii=False)
    for dato in (NOMBRE, TELEFONO, TELEFONO_TEXTO, CORREO, "9876", "Bloqueada"):
        assert dato not in texto, f"{dato!r} salió en la respuesta"


@pytest.mark.parametrize("texto", [NOMBRE, "bloqueada", TELEFONO_TEXTO, "5432"])
def test_la_busqueda_de_la_api_no_la_encuentra(api, coordinadora, bloqueado, texto):
    respuesta = api(coordinadora, "get", reverse("api:casos"), {"q": texto})
    assert respuesta.status_code == 200
    assert respuesta.json()["resultados"] == []


def test_la_lista_da_la_leyenda_en_lugar_del_nombre(api, coordinadora, bloqueado):
    respuesta = api(coordinadora, "get", reverse("api:casos"), {"q": OTRA})
    [caso] = respuesta.json()["resultados"]
    assert caso["folio"] == bloqueado.folio and caso["solicitante"] == ARCO
    _sin_datos(respuesta)


def test_el_expediente_enmascara_a_la_bloqueada_y_no_a_la_otra_parte(api, coordinadora, bloqueado):
    respuesta = api(coordinadora, "get", url_caso(bloqueado.folio))
    assert respuesta.status_code == 200
    solicitante, otra = respuesta.json()["partes"]
    assert solicitante["rol"] == RolParte.SOLICITANTE and solicitante["datos_bloqueados"] is True
    assert solicitante["nombre"] == ARCO
    assert solicitante["telefono"] == solicitante["correo"] == solicitante["domicilio"] == ""
    assert otra["datos_bloqueados"] is False
    assert otra["nombre"] == OTRA and otra["domicilio"] == "Calle Hidalgo 12"
    _sin_datos(respuesta)


def test_privacidad_tampoco_los_ve_por_la_api(api, privacidad, bloqueado):
    """Revelar es de la página del caso, con motivo: la API nunca los entrega."""
    from casos import acceso

    acceso.revelar_bloqueados(
        usuario=privacidad, caso=bloqueado, motivo="Atender el recurso de revisión."
    )
    respuesta = api(privacidad, "get", url_caso(bloqueado.folio))
    assert respuesta.status_code == 200
    _sin_datos(respuesta)


def test_un_caso_por_conservacion_no_da_partes_ni_relato(api, coordinadora, nuevo_caso):
    caso = nuevo_caso(solicitante=services.DatosPersona(nombre=NOMBRE, telefono=TELEFONO)).caso
    Caso.objects.filter(pk=caso.pk).update(bloqueado_en=timezone.now())
    respuesta = api(coordinadora, "get", url_caso(caso.folio))
    datos = respuesta.json()
    assert [p["nombre"] for p in datos["partes"]] == [CONSERVACION, CONSERVACION]
    assert datos["resumen"] == CONSERVACION
    assert "Pedro" not in json.dumps(datos, ensure_ascii=False)
    _sin_datos(respuesta)


def test_el_conmutador_no_encuentra_el_telefono_bloqueado(api, operadora, bloqueado):
    respuesta = api(operadora, "get", reverse("api:llamante"), {"telefono": TELEFONO_TEXTO})
    assert respuesta.status_code == 200
    assert respuesta.json()["casos"] == [] and respuesta.json()["otros_abiertos"] == []


def test_el_alta_no_ve_duplicado_en_el_telefono_bloqueado(api, operadora, bloqueado):
    cuerpo = cuerpo_caso(solicitante={"nombre": "Otra Persona", "telefono": TELEFONO_TEXTO})
    respuesta = api(operadora, "post", reverse("api:casos"), cuerpo)
    assert respuesta.status_code == 201, respuesta.content
    assert respuesta.json()["folio"] != bloqueado.folio

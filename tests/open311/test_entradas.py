"""Identificadores de Open311 solo con dígitos ASCII: `service_code`, `service_request_id`,
la clave de la localidad, coordenadas y fechas. Con dígitos de otras escrituras o
superíndices se responde el error del spec (400 o 404) en el formato pedido, nunca 500."""

import json

import pytest

from casos.models import Caso, TipoCaso
from open311.identificadores import identificador_de

from .ayudas import codigo_de, leer, url

ARABES = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ANCHOS = str.maketrans("0123456789", "０１２３４５６７８９")
FORMATOS = ["json", "xml"]


def _errores(respuesta, formato):
    if formato == "xml":
        return [
            (int(e.findtext("code")), e.findtext("description")) for e in leer(respuesta, "xml")
        ]
    return [(e["code"], e["description"]) for e in leer(respuesta)]


def _otras_escrituras(texto: str) -> list[str]:
    return [texto.translate(ARABES), texto.translate(ANCHOS), texto + "²"]


@pytest.mark.parametrize("formato", FORMATOS)
def test_service_code_con_digitos_de_otra_escritura_no_existe(client, catalogos, formato):
    from casos.models import Categoria

    codigo = codigo_de(Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first(), "MED")
    assert client.get(url("open311:servicio", codigo, formato=formato)).status_code == 200
    for raro in _otras_escrituras(codigo):
        respuesta = client.get(url("open311:servicio", raro, formato=formato))
        assert respuesta.status_code == 404, raro
        ((estado, descripcion),) = _errores(respuesta, formato)
        assert estado == 404 and descripcion.startswith("service_code «")


@pytest.mark.parametrize("formato", FORMATOS)
def test_filtro_service_code_con_otra_escritura_no_coincide(client, nuevo_caso, formato):
    caso = nuevo_caso().caso
    codigo = codigo_de(caso.categoria, caso.tipo)
    respuesta = client.get(url("open311:solicitudes"), {"service_code": codigo})
    assert [r["service_request_id"] for r in leer(respuesta)] == [identificador_de(caso.folio)]
    for raro in _otras_escrituras(codigo):
        respuesta = client.get(url("open311:solicitudes"), {"service_code": raro})
        assert respuesta.status_code == 200 and leer(respuesta) == [], raro


@pytest.mark.parametrize("formato", FORMATOS)
def test_folio_con_otra_escritura_o_superindice_no_existe(client, nuevo_caso, formato):
    caso = nuevo_caso().caso
    anio = caso.folio.split("-")[1]
    for raro in [*_otras_escrituras(caso.folio), f"MED-{anio}-¹"]:
        respuesta = client.get(url("open311:solicitud", raro, formato=formato))
        assert respuesta.status_code == 404, raro
        ((estado, descripcion),) = _errores(respuesta, formato)
        assert estado == 404 and descripcion == "Ese service_request_id no existe."
        lista = client.get(
            url("open311:solicitudes", formato=formato), {"service_request_id": raro}
        )
        assert lista.status_code == 200, raro


LOCALIDAD_INVALIDA = (
    "attribute[localidad]: Elija una localidad vigente de la lista (vea la definición del "
    "servicio)."
)


@pytest.mark.parametrize("formato", FORMATOS)
@pytest.mark.parametrize("como", ["formulario", "json"])
def test_localidad_con_otra_escritura_o_superindice_da_400(client, reloj, cuerpo, formato, como):
    pk = cuerpo()["attribute[localidad]"]
    for raro in [*_otras_escrituras(pk), "²", "①"]:
        envio = cuerpo(**{"attribute[localidad]": raro})
        if como == "json":
            envio = {"data": json.dumps(envio), "content_type": "application/json"}
        else:
            envio = {"data": envio}
        respuesta = client.post(url("open311:solicitudes", formato=formato), **envio)
        assert respuesta.status_code == 400, raro
        assert (400, LOCALIDAD_INVALIDA) in _errores(respuesta, formato)
    assert not Caso.objects.exists()


def test_coordenadas_solo_con_digitos_ascii(client, reloj, cuerpo):
    for lat, lon in (("٢٠.٥", "-١٠٣.٣"), ("２０.５", "-103.3"), ("20.5", "-10³")):
        respuesta = client.post(url("open311:solicitudes"), cuerpo(lat=lat, long=lon))
        assert respuesta.status_code == 400, (lat, lon)
        assert any(d.startswith(("lat:", "long:")) for _, d in _errores(respuesta, "json"))
    assert not Caso.objects.exists()


def test_fechas_solo_con_digitos_ascii(client, catalogos):
    for fecha in ("٢٠٢٦-٠١-٠١", "２０２６-０１-０１", "2026-01-01T00:00:00 ٠٦:٠٠", "2026-01-0¹"):
        respuesta = client.get(url("open311:solicitudes"), {"start_date": fecha})
        assert respuesta.status_code == 400, fecha
        ((estado, descripcion),) = _errores(respuesta, "json")
        assert descripcion.startswith("start_date: use el formato W3C")

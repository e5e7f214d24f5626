"""Contrato GeoReport v2: cada recurso, en JSON y en XML, con los campos del spec."""

import re

import pytest

from casos.models import Categoria, Localidad, TipoCaso
from casos.services import mediacion as med

from .ayudas import (
    CAMPOS_ATRIBUTO,
    CAMPOS_DESCUBRIMIENTO,
    CAMPOS_ENDPOINT,
    CAMPOS_SERVICIO,
    CAMPOS_SOLICITUD,
    codigo_de,
    ident,
    leer,
    url,
)

W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
TIPOS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def hijos(elemento) -> list[str]:
    return [h.tag for h in elemento]


@pytest.mark.parametrize("formato", ["json", "xml"])
def test_cada_recurso_responde_con_su_tipo_de_contenido(client, catalogos, formato):
    codigo = codigo_de(Categoria.objects.filter(tipo="MED").first(), "MED")
    for direccion in (
        url("open311:descubrimiento", formato=formato),
        url("open311:servicios", formato=formato),
        url("open311:servicio", codigo, formato=formato),
        url("open311:solicitudes", formato=formato),
    ):
        respuesta = client.get(direccion)
        assert respuesta.status_code == 200, direccion
        assert respuesta["Content-Type"] == TIPOS[formato]
        assert "public" in respuesta["Cache-Control"]


def test_descubrimiento_json(client, catalogos, settings):
    settings.URL_PUBLICA = "https://mediacion.ejemplo.gob.mx"
    datos = leer(client.get(url("open311:descubrimiento")))
    assert list(datos) == CAMPOS_DESCUBRIMIENTO
    assert W3C.match(datos["changeset"])
    assert datos["contact"] and datos["key_service"]
    (endpoint,) = datos["endpoints"]
    assert list(endpoint) == CAMPOS_ENDPOINT
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "https://mediacion.ejemplo.gob.mx/open311/v2"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert W3C.match(endpoint["changeset"])


def test_descubrimiento_xml(client, catalogos):
    raiz = leer(client.get(url("open311:descubrimiento", formato="xml")), "xml")
    assert raiz.tag == "discovery"
    assert hijos(raiz) == CAMPOS_DESCUBRIMIENTO
    (endpoint,) = raiz.find("endpoints")
    assert endpoint.tag == "endpoint" and hijos(endpoint) == CAMPOS_ENDPOINT
    assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]
    assert hijos(endpoint.find("formats")) == ["format", "format"]


def test_servicios_una_por_tipo_y_categoria_vigente(client, catalogos):
    Categoria.objects.filter(nombre="Daños a bienes").update(activo=False)
    datos = leer(client.get(url("open311:servicios")))
    esperados = [
        f"{tipo}-{c.pk}"
        for tipo in ("MED", "ASE")
        for c in Categoria.objects.activos().order_by("orden", "nombre")
        if c.tipo in ("", tipo)
    ]
    assert [s["service_code"] for s in datos] == esperados
    for servicio in datos:
        assert list(servicio) == CAMPOS_SERVICIO
        assert servicio["metadata"] is True and servicio["type"] == "realtime"
        assert servicio["group"] in ("Mediación", "Asesoría")
        assert isinstance(servicio["keywords"], str) and servicio["description"]
    nombres = {s["service_name"] for s in datos}
    assert "Daños a bienes" not in nombres
    # Las que se canalizan también se reciben, en mediación y en asesoría.
    violencia = Categoria.objects.get(nombre="Violencia contra las mujeres")
    codigos = {s["service_code"] for s in datos}
    assert {f"MED-{violencia.pk}", f"ASE-{violencia.pk}"} <= codigos


def test_servicios_xml(client, catalogos):
    raiz = leer(client.get(url("open311:servicios", formato="xml")), "xml")
    assert raiz.tag == "services"
    assert set(hijos(raiz)) == {"service"}
    for servicio in raiz:
        assert hijos(servicio) == CAMPOS_SERVICIO
        assert servicio.findtext("metadata") == "true"
        assert servicio.findtext("type") == "realtime"


def test_definicion_de_mediacion_json(client, catalogos, cat_mediacion):
    datos = leer(client.get(url("open311:servicio", codigo_de(cat_mediacion, "MED"))))
    assert list(datos) == ["service_code", "attributes"]
    assert datos["service_code"] == f"MED-{cat_mediacion.pk}"
    atributos = {a["code"]: a for a in datos["attributes"]}
    assert list(atributos) == [
        "instrucciones",
        "localidad",
        "aviso_privacidad",
        "avisos_por",
        "otra_nombre",
        "otra_telefono",
        "otra_domicilio",
        "clave_idempotencia",
    ]
    tipos_validos = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
    for orden, atributo in enumerate(datos["attributes"], start=1):
        assert list(atributo) == CAMPOS_ATRIBUTO
        assert atributo["datatype"] in tipos_validos
        assert atributo["order"] == orden
        assert isinstance(atributo["required"], bool) and isinstance(atributo["variable"], bool)
        assert atributo["description"]
        for valor in atributo["values"]:
            assert list(valor) == ["key", "name"]
    requeridos = {c for c, a in atributos.items() if a["required"]}
    assert requeridos == {"localidad", "aviso_privacidad", "otra_nombre"}
    assert atributos["instrucciones"]["variable"] is False
    assert [v["key"] for v in atributos["localidad"]["values"]] == [
        str(pk) for pk in Localidad.objects.activos().values_list("pk", flat=True)
    ]
    assert [v["key"] for v in atributos["aviso_privacidad"]["values"]] == ["si"]
    assert "/privacidad/" in atributos["aviso_privacidad"]["datatype_description"]
    assert {v["key"] for v in atributos["avisos_por"]["values"]} == {
        "sms",
        "whatsapp",
        "correo",
        "ninguno",
    }


def test_definicion_de_asesoria_no_pide_otra_parte(client, catalogos, cat_asesoria):
    datos = leer(client.get(url("open311:servicio", codigo_de(cat_asesoria, "ASE"))))
    codigos = [a["code"] for a in datos["attributes"]]
    assert not [c for c in codigos if c.startswith("otra_")]
    assert {"localidad", "aviso_privacidad"} <= set(codigos)


def test_definicion_xml(client, catalogos, cat_mediacion):
    respuesta = client.get(url("open311:servicio", codigo_de(cat_mediacion, "MED"), formato="xml"))
    raiz = leer(respuesta, "xml")
    assert raiz.tag == "service_definition"
    assert hijos(raiz) == ["service_code", "attributes"]
    atributos = raiz.find("attributes")
    assert set(hijos(atributos)) == {"attribute"}
    for atributo in atributos:
        assert hijos(atributo) == CAMPOS_ATRIBUTO
        assert atributo.findtext("required") in ("true", "false")
        assert atributo.findtext("variable") in ("true", "false")
        for valor in atributo.find("values"):
            assert valor.tag == "value" and hijos(valor) == ["key", "name"]
    localidad = next(a for a in atributos if a.findtext("code") == "localidad")
    assert len(localidad.find("values")) == Localidad.objects.activos().count()


@pytest.mark.parametrize("formato", ["json", "xml"])
@pytest.mark.parametrize("codigo", ["MED-999999", "XYZ-1", "nada", "ASE-{med}", "MED-{inactiva}"])
def test_servicio_desconocido_da_404_con_el_error_del_spec(
    client, catalogos, cat_mediacion, formato, codigo
):
    inactiva = Categoria.objects.create(nombre="Vieja", tipo="MED", activo=False)
    codigo = codigo.format(med=cat_mediacion.pk, inactiva=inactiva.pk)
    respuesta = client.get(url("open311:servicio", codigo, formato=formato))
    assert respuesta.status_code == 404
    assert respuesta["Content-Type"] == TIPOS[formato]
    if formato == "json":
        (error,) = leer(respuesta)
        assert list(error) == ["code", "description"]
        assert error["code"] == 404 and "service_code" in error["description"]
    else:
        raiz = leer(respuesta, "xml")
        assert raiz.tag == "errors" and hijos(raiz) == ["error"]
        assert hijos(raiz[0]) == ["code", "description"]
        assert raiz[0].findtext("code") == "404"


@pytest.mark.parametrize(
    "ruta", ["discovery.html", "services.csv", "services", "requests/MED-2026-00001.txt", ""]
)
def test_extension_desconocida_da_404(client, catalogos, ruta):
    respuesta = client.get(f"/open311/v2/{ruta}")
    assert respuesta.status_code == 404
    (error,) = leer(respuesta)
    assert error["code"] == 404


@pytest.mark.parametrize("formato", ["json", "xml"])
def test_metodo_no_permitido_da_405(client, catalogos, formato):
    for nombre, metodo in (
        ("open311:servicios", "post"),
        ("open311:descubrimiento", "delete"),
        ("open311:solicitudes", "put"),
    ):
        respuesta = getattr(client, metodo)(url(nombre, formato=formato))
        assert respuesta.status_code == 405, nombre
        assert respuesta["Content-Type"] == TIPOS[formato]
        assert "GET" in respuesta["Allow"]
        cuerpo = leer(respuesta, formato)
        codigo = cuerpo[0]["code"] if formato == "json" else int(cuerpo[0].findtext("code"))
        assert codigo == 405


def test_solicitud_json_con_los_campos_del_spec(client, reloj, nuevo_caso, coordinadora):
    abierta = nuevo_caso().caso
    med.admitir(caso=abierta, actor=coordinadora)
    asesoria = nuevo_caso(TipoCaso.ASESORIA).caso
    datos = leer(client.get(url("open311:solicitudes")))
    assert [d["service_request_id"] for d in datos] == [ident(asesoria), ident(abierta)]
    for renglon in datos:
        assert list(renglon) == CAMPOS_SOLICITUD
        assert renglon["status"] == "open"
        for campo in ("requested_datetime", "updated_datetime", "expected_datetime"):
            assert W3C.match(renglon[campo]), campo
        assert renglon["requested_datetime"].endswith("-06:00")
        for campo in ("description", "address", "address_id", "zipcode", "lat", "long"):
            assert renglon[campo] is None
        assert renglon["media_url"] is None
        assert renglon["agency_responsible"]
    mediacion = datos[1]
    assert mediacion["service_code"] == f"MED-{abierta.categoria_id}"
    assert mediacion["service_name"] == abierta.categoria.nombre
    assert mediacion["status_notes"].startswith("Admitida.")
    # LGMASC art. 64: tres meses desde la admisión, hasta el final del día.
    assert mediacion["expected_datetime"] == "2027-02-24T23:59:00-06:00"
    # Asesoría: 10 días hábiles desde la recepción.
    assert datos[0]["expected_datetime"] == "2026-12-08T23:59:00-06:00"


def test_solicitud_cerrada_sin_fecha_esperada(client, reloj, nuevo_caso, coordinadora):
    caso = nuevo_caso().caso
    med.no_admitir(caso=caso, actor=coordinadora, motivo="El asunto no es mediable.")
    (renglon,) = leer(client.get(url("open311:solicitud", ident(caso))))
    assert renglon["status"] == "closed"
    assert renglon["expected_datetime"] is None
    assert renglon["status_notes"].startswith("No admitida.")


def test_recibida_sin_admitir_aun_no_tiene_plazo(client, reloj, nuevo_caso):
    caso = nuevo_caso().caso
    (renglon,) = leer(client.get(url("open311:solicitud", ident(caso))))
    assert renglon["expected_datetime"] is None
    assert renglon["status_notes"].startswith("Recibida.")


def test_solicitudes_xml(client, reloj, nuevo_caso):
    caso = nuevo_caso().caso
    raiz = leer(client.get(url("open311:solicitudes", formato="xml")), "xml")
    assert raiz.tag == "service_requests"
    (renglon,) = raiz
    assert renglon.tag == "request"
    assert hijos(renglon) == CAMPOS_SOLICITUD
    assert renglon.findtext("service_request_id") == ident(caso)
    assert renglon.findtext("status") == "open"
    assert renglon.findtext("description") == ""
    assert renglon.findtext("lat") == ""
    assert W3C.match(renglon.findtext("requested_datetime"))


@pytest.mark.parametrize("formato", ["json", "xml"])
def test_una_solicitud_por_folio(client, reloj, nuevo_caso, formato):
    caso = nuevo_caso().caso
    nuevo_caso()
    respuesta = client.get(url("open311:solicitud", ident(caso), formato=formato))
    assert respuesta.status_code == 200
    if formato == "json":
        (renglon,) = leer(respuesta)
        assert list(renglon) == CAMPOS_SOLICITUD
        assert renglon["service_request_id"] == ident(caso)
    else:
        raiz = leer(respuesta, "xml")
        assert raiz.tag == "service_requests" and hijos(raiz) == ["request"]
        assert raiz[0].findtext("service_request_id") == ident(caso)
    # El identificador se acepta como lo escribiría una persona.
    tecleado = f"{ident(caso)[:8]} {ident(caso)[8:]}".lower()
    en_minusculas = url("open311:solicitud", tecleado)
    assert leer(client.get(en_minusculas))[0]["service_request_id"] == ident(caso)


@pytest.mark.parametrize("formato", ["json", "xml"])
def test_solicitud_desconocida_da_404(client, catalogos, formato):
    respuesta = client.get(url("open311:solicitud", "MED-2026-99999", formato=formato))
    assert respuesta.status_code == 404
    cuerpo = leer(respuesta, formato)
    if formato == "json":
        assert cuerpo[0]["code"] == 404 and "service_request_id" in cuerpo[0]["description"]
    else:
        assert cuerpo.tag == "errors" and cuerpo[0].findtext("code") == "404"


def test_los_asuntos_que_se_canalizan_no_se_publican(client, reloj, nuevo_caso):
    violencia = Categoria.objects.get(nombre="Violencia contra las mujeres")
    oculto = nuevo_caso(TipoCaso.ASESORIA, categoria=violencia).caso
    visible = nuevo_caso(TipoCaso.ASESORIA).caso
    datos = leer(client.get(url("open311:solicitudes")))
    assert [d["service_request_id"] for d in datos] == [ident(visible)]
    assert client.get(url("open311:solicitud", ident(oculto))).status_code == 404
    por_id = leer(client.get(url("open311:solicitudes"), {"service_request_id": ident(oculto)}))
    assert por_id == []


def test_jurisdiccion_distinta_da_404(client, catalogos, settings):
    settings.OPEN311_JURISDICCION = "atotonilco.gob.mx"
    assert client.get(url("open311:servicios"), {"jurisdiction_id": "otra"}).status_code == 404
    (error,) = leer(client.get(url("open311:servicios"), {"jurisdiction_id": "otra"}))
    assert error["code"] == 404 and "jurisdiction_id" in error["description"]
    bien = client.get(url("open311:servicios"), {"jurisdiction_id": "atotonilco.gob.mx"})
    assert bien.status_code == 200
    assert client.get(url("open311:servicios")).status_code == 200


def test_sin_jurisdiccion_configurada_se_ignora(client, catalogos, settings):
    settings.OPEN311_JURISDICCION = ""
    respuesta = client.get(url("open311:servicios"), {"jurisdiction_id": "cualquiera"})
    assert respuesta.status_code == 200


def test_el_xml_escapa_lo_que_escriben_en_el_catalogo(client, catalogos):
    Categoria.objects.create(nombre='Ruido <fiesta> & "otros"\x07', tipo="ASE", orden=1)
    raiz = leer(client.get(url("open311:servicios", formato="xml")), "xml")
    nombres = [s.findtext("service_name") for s in raiz]
    assert 'Ruido <fiesta> & "otros"' in nombres

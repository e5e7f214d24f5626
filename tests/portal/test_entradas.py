"""Páginas públicas con folios, códigos, ids de catálogo y enlaces escritos con dígitos de
otras escrituras, superíndices o marcas invisibles: se responden como un dato equivocado
(400 o 404 con su mensaje), nunca con un 500 ni tomándolos por el número."""

import pytest
from django.urls import reverse

from casos.models import Caso, Categoria, Localidad, TipoCaso

from .test_solicitud_publica import datos_web

ARABES = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ANCHOS = str.maketrans("0123456789", "０１２３４５６７８９")


def _folios_raros(folio: str) -> list[str]:
    anio = folio.split("-")[1]
    return [
        folio.translate(ARABES),
        folio.translate(ANCHOS),
        f"MED-{anio}-¹",
        folio[:-1] + "²",
    ]


def test_consulta_con_folio_de_otra_escritura_no_encuentra_nada(client, nuevo_caso):
    recibida = nuevo_caso()
    for folio in _folios_raros(recibida.caso.folio):
        respuesta = client.post(
            reverse("portal:consulta"), {"folio": folio, "codigo": recibida.codigo}
        )
        assert respuesta.status_code == 404, folio
        assert "No encontramos una solicitud con ese folio y código" in respuesta.content.decode()


def test_una_marca_de_direccion_invisible_se_quita_y_el_folio_vale(client, nuevo_caso):
    recibida = nuevo_caso()
    respuesta = client.post(
        reverse("portal:consulta"),
        {"folio": "\u200f" + recibida.caso.folio, "codigo": recibida.codigo},
    )
    assert respuesta.status_code == 200
    assert recibida.caso.folio in respuesta.content.decode()


def test_consulta_con_codigo_de_otra_escritura_no_encuentra_nada(client, nuevo_caso):
    recibida = nuevo_caso()
    codigo = recibida.codigo.translate(ANCHOS)
    assert codigo != recibida.codigo
    respuesta = client.post(
        reverse("portal:consulta"), {"folio": recibida.caso.folio, "codigo": codigo}
    )
    assert respuesta.status_code == 404


def test_codigo_perdido_con_folio_de_otra_escritura_pide_escribirlo_bien(client, nuevo_caso):
    caso = nuevo_caso().caso
    for folio in _folios_raros(caso.folio):
        respuesta = client.post(reverse("portal:codigo_perdido"), {"folio": folio})
        assert respuesta.status_code == 400, folio
        assert "Escriba el folio como aparece en su acuse" in respuesta.content.decode()


@pytest.mark.parametrize("campo", ["categoria", "localidad"])
def test_solicitud_con_id_de_catalogo_de_otra_escritura_pide_elegir(client, catalogos, campo):
    modelo = Categoria if campo == "categoria" else Localidad
    pk = str(
        Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first().pk
        if campo == "categoria"
        else modelo.objects.first().pk
    )
    for raro in (pk.translate(ARABES), pk.translate(ANCHOS), pk + "²", "²", "9" * 30):
        respuesta = client.post(reverse("portal:solicitud"), datos_web(**{campo: raro}))
        assert respuesta.status_code == 400, raro
        assert "Elija una opción de la lista." in respuesta.content.decode()
    assert not Caso.objects.exists()


@pytest.mark.parametrize("token", ["١٢٣", "ａｂｃ:ｄｅｆ", "x" * 5000, "\u200fabc:def"])
def test_enlace_de_documento_con_texto_raro_vencido(client, catalogos, token):
    respuesta = client.get(reverse("portal:documento", args=[token]))
    assert respuesta.status_code == 404

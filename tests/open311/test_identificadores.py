"""El `service_request_id` público no deja ver la secuencia de folios: nada público permite
saber que existe un caso oculto, ni su categoría ni su fecha."""

import re

import pytest

from casos.models import Categoria, TipoCaso
from open311.identificadores import SIMBOLOS, folio_de, identificador_de

from .ayudas import leer, url

CROCKFORD = re.compile(rf"^[0-9A-HJKMNP-TV-Z]{{{SIMBOLOS}}}$")


@pytest.fixture
def con_ocultos(reloj, nuevo_caso):
    """Asesorías alternando visibles y ocultas (violencia contra las mujeres)."""
    violencia = Categoria.objects.get(nombre="Violencia contra las mujeres")
    visibles, ocultos = [], []
    for i in range(10):
        if i % 3 == 1:
            ocultos.append(nuevo_caso(TipoCaso.ASESORIA, categoria=violencia).caso)
        else:
            visibles.append(nuevo_caso(TipoCaso.ASESORIA).caso)
    return visibles, ocultos


def _sin_csrf_ni_id(respuesta, *identificadores) -> bytes:
    cuerpo = respuesta.content
    for identificador in identificadores:
        cuerpo = cuerpo.replace(identificador.encode(), b"ID")
    return cuerpo


def test_la_lista_no_publica_folios_ni_deja_reconstruir_la_secuencia(client, con_ocultos):
    visibles, ocultos = con_ocultos
    respuesta = client.get(url("open311:solicitudes"))
    texto = respuesta.content.decode()
    ids = [r["service_request_id"] for r in leer(respuesta)]
    assert len(ids) == len(visibles) == len(set(ids))
    assert all(CROCKFORD.match(i) for i in ids)
    for caso in visibles + ocultos:
        assert caso.folio not in texto
        assert f"{caso.numero:05d}" not in texto
    # Más recientes primero, como siempre; pero los identificadores no siguen ese orden, y
    # los de folios seguidos no se parecen: no hay hueco que contar.
    assert ids != sorted(ids) and ids != sorted(ids, reverse=True)
    seguidos = [identificador_de(f"ASE-2026-{n:05d}") for n in range(1, 11)]
    for a, b in zip(seguidos, seguidos[1:], strict=False):
        iguales = sum(x == y for x, y in zip(a, b, strict=True))
        assert iguales <= SIMBOLOS // 4, (a, b)


def test_el_identificador_de_un_caso_oculto_responde_como_uno_inexistente(client, con_ocultos):
    visibles, ocultos = con_ocultos
    oculto = identificador_de(ocultos[0].folio)
    nunca = identificador_de("ASE-2026-00777")
    for formato in ("json", "xml"):
        de_oculto = client.get(url("open311:solicitud", oculto, formato=formato))
        de_nadie = client.get(url("open311:solicitud", nunca, formato=formato))
        inventado = client.get(url("open311:solicitud", "K7QM4X2P9RABCDEF", formato=formato))
        assert de_oculto.status_code == de_nadie.status_code == inventado.status_code == 404
        assert de_oculto.content == de_nadie.content == inventado.content
        for encabezado in ("Content-Type", "Cache-Control"):
            assert de_oculto[encabezado] == de_nadie[encabezado] == inventado[encabezado]
    # En la lista filtrada por identificador, tampoco.
    por_id = {
        i: client.get(url("open311:solicitudes"), {"service_request_id": i})
        for i in (oculto, nunca)
    }
    assert leer(por_id[oculto]) == leer(por_id[nunca]) == []
    assert _sin_csrf_ni_id(por_id[oculto], oculto) == _sin_csrf_ni_id(por_id[nunca], nunca)


def test_el_folio_ya_no_sirve_de_identificador_publico(client, con_ocultos):
    """Con el folio se podría recorrer la serie y ver qué números faltan."""
    visibles, ocultos = con_ocultos
    for caso in (visibles[0], ocultos[0]):
        assert client.get(url("open311:solicitud", caso.folio)).status_code == 404
        filtrada = client.get(url("open311:solicitudes"), {"service_request_id": caso.folio})
        assert leer(filtrada) == []
    visible = identificador_de(visibles[0].folio)
    (renglon,) = leer(client.get(url("open311:solicitud", visible)))
    assert renglon["service_request_id"] == visible


def test_el_identificador_se_acepta_como_se_teclea(client, con_ocultos):
    visible = identificador_de(con_ocultos[0][0].folio)
    escrito = f"{visible[:4]}-{visible[4:8]} {visible[8:]}".lower().replace("0", "o")
    (renglon,) = leer(client.get(url("open311:solicitud", escrito)))
    assert renglon["service_request_id"] == visible


def test_sin_la_clave_no_hay_identificador(client, con_ocultos, settings):
    visible = con_ocultos[0][0]
    antes = identificador_de(visible.folio)
    settings.OPEN311_ID_CLAVE = "otra-clave-del-servidor"
    despues = identificador_de(visible.folio)
    assert despues != antes and folio_de(antes) != visible.folio
    assert client.get(url("open311:solicitud", antes)).status_code == 404
    assert client.get(url("open311:solicitud", despues)).status_code == 200


def test_ida_y_vuelta_en_los_extremos():
    for folio in ("MED-2026-00001", "ASE-2000-00001", "MED-9999-999999999"):
        assert folio_de(identificador_de(folio)) == folio
    for basura in ("", "MED-2026-00001", "x" * 500, "\x00" * 16, "0" * SIMBOLOS):
        assert folio_de(basura) == ""


def test_el_post_responde_el_identificador_y_el_aviso_lleva_el_folio(client, reloj, cuerpo):
    """El sistema externo sigue la solicitud con el identificador; la persona consulta con
    el folio y su código (van en `service_notice`)."""
    from casos.models import Caso

    (creada,) = leer(client.post(url("open311:solicitudes"), cuerpo()))
    caso = Caso.objects.get()
    assert creada["service_request_id"] == identificador_de(caso.folio)
    assert caso.folio in creada["service_notice"]
    (renglon,) = leer(client.get(url("open311:solicitud", creada["service_request_id"])))
    assert renglon["service_request_id"] == creada["service_request_id"]

"""Identificadores escritos con cualquier texto Unicode: cada analizador acepta solo ASCII y
ninguna página ni API pública o del personal responde 5xx, escriba lo que se escriba.

`str.isdigit()` e `int()` aceptan dígitos de otras escrituras («١٢٣», «１２３») y `isdigit()`
también superíndices («²») que `int()` luego rechaza con un error."""

import pytest
from django.http import Http404
from django.urls import reverse

from casos import codigos
from flujos import selectors as flujos
from notificaciones import enlaces
from nucleo.entradas import entero_ascii
from open311 import catalogo
from portal.estado import documento_de_enlace

ARABES = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ANCHOS = str.maketrans("0123456789", "０１２３４５６７８９")
RAROS = ["١٢", "１２", "²", "1²", "①", "𝟙", "٣", "\u200f1", "1\u200f", "1\x00", "", "-1", " 1"]


# --- Cada analizador, directo ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [("42", 42), ("007", 7), (0, 0), (42, 42), ("9" * 18, 10**18 - 1)],
)
def test_entero_ascii_lee_digitos_ascii_e_int(valor, esperado):
    assert entero_ascii(valor) == esperado


@pytest.mark.parametrize("valor", [*RAROS, "9" * 19, 10**18, -1, True, False, None, 1.0, b"1"])
def test_entero_ascii_rechaza_lo_demas(valor):
    assert entero_ascii(valor) is None


@pytest.mark.parametrize(
    "texto",
    [
        "MED-2026-00042".translate(ARABES),
        "MED-2026-00042".translate(ANCHOS),
        "MED-2026-¹",
        "MED-2026-4²",
        "MED-²⁰²⁶-42",
        "aſe-2026-42",  # «ſ».upper() es «S»
        "\u200fMED-2026-42",
        "MED-2026-\u200f42",
    ],
)
def test_folio_solo_con_letras_y_digitos_ascii(texto):
    assert codigos.normalizar_folio(texto) == ""


def test_folio_sigue_aceptando_sus_formas_comunes():
    for texto in ("med 2026 42", "MED-2026-00042", "med_2026.42", "MED\u00a02026\u300042"):
        assert codigos.normalizar_folio(texto) == "MED-2026-00042"


def test_codigo_de_consulta_descarta_lo_que_no_es_ascii():
    assert codigos.normalizar_codigo("k7qm4-x2p9r") == "K7QM4X2P9R"
    assert codigos.normalizar_codigo("ı") == ""  # «ı».upper() es «I»
    assert codigos.normalizar_codigo("１２３") == ""


@pytest.mark.parametrize("codigo", ["MED-١", "MED-１", "MED-1²", "ASE-²", "aſe-1", "MED-\u200f1"])
def test_service_code_solo_ascii(codigo):
    assert catalogo.leer_codigo(codigo) is None
    assert catalogo.leer_codigo("med-12") == ("MED", 12)


@pytest.mark.parametrize("valor", [*(r for r in RAROS if r != " 1"), "9" * 30])
def test_filtros_de_bandeja_ignoran_ids_mal_escritos(valor):
    filtros = flujos.FiltrosBandeja.desde({"localidad": valor, "categoria": valor})
    assert (filtros.localidad, filtros.categoria) == (None, None)
    assert flujos.FiltrosBandeja.desde({"localidad": " 12 "}).localidad == 12


@pytest.mark.django_db
@pytest.mark.parametrize("valor", [*RAROS, "9" * 30, None])
def test_tarea_persona_y_clausula_con_id_mal_escrito_no_existen(valor):
    for buscar in (
        lambda: flujos.tarea_humana(pk=valor),
        lambda: flujos.usuario_activo(pk=valor),
        lambda: flujos.clausula_del_caso(caso=None, pk=valor),
    ):
        with pytest.raises(Http404):
            buscar()


@pytest.mark.parametrize("valor", [*RAROS, "ａｂｃ-１２３", "1-" + "é" * 10, "x" * 5000])
def test_tokens_de_encuesta_baja_y_documento_con_texto_raro(valor):
    assert enlaces.caso_de_token_encuesta(valor) is None
    assert enlaces.destino_de_baja(valor) is None
    assert documento_de_enlace(valor, sesion="marca") is None


# --- Por HTTP -------------------------------------------------------------------------------


@pytest.mark.parametrize("ruta", ["flujos:bandeja", "flujos:cola", "flujos:plazos"])
def test_bandejas_con_filtros_mal_escritos_no_fallan(cliente_de, coordinadora, ruta):
    cliente = cliente_de(coordinadora)
    for valor in ("²", "١", "9" * 30, "MED-2026-¹"):
        for parametro in ("localidad", "categoria", "folio", "pagina"):
            respuesta = cliente.get(reverse(ruta), {parametro: valor})
            assert respuesta.status_code == 200, (parametro, valor)


@pytest.mark.parametrize("token", ["MED-٢٠٢٦-٠٠٠٠١", "1-é", "ａ-ｂ", "\u200f1-abc"])
def test_encuesta_con_token_no_ascii_es_un_enlace_invalido(client, catalogos, token):
    respuesta = client.get(reverse("encuesta", args=[token]))
    assert respuesta.status_code == 404

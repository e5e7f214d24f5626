"""Identificadores escritos con cualquier texto Unicode: cada analizador acepta solo ASCII y
ninguna página ni API pública o del personal responde 5xx, escriba lo que se escriba.

`str.isdigit()` e `int()` aceptan dígitos de otras escrituras («١٢٣», «１２３») y `isdigit()`
también superíndices («²») que `int()` luego rechaza con un error."""

import json
import re
from urllib.parse import quote

import pytest
from django.http import Http404, QueryDict
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as ajustes
from hypothesis import strategies as st

from api.models import AlcanceToken
from api.services import emitir_token
from casos import codigos
from casos.models import Categoria, Localidad, TipoCaso
from flujos import selectors as flujos
from notificaciones import enlaces
from nucleo.entradas import entero_ascii
from open311 import catalogo
from open311 import entrada as entrada_311
from open311.formatos import ErrorOpen311
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


# --- Con cualquier texto (hypothesis) -------------------------------------------------------

# Lo que más rompe: dígitos de otras escrituras, superíndices y números en círculo (pasan
# `isdigit()` pero no `int()`), marcas de dirección, nulo, BOM y separadores.
_DIGITOS_RAROS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳０１２３４５６７８９߀०१२²³¹⁰①⑩𝟙𝟘"
_DIFICILES = list(
    _DIGITOS_RAROS + "ⅫıſK\u200e\u200f\u202e\u2066\x00\ufeff\u00a0\u3000 \t\n"
    "-_./:+%&=?#[]{}\"'\\0123456789MEDASmedas"
)
# Sin sustitutos sueltos: el cliente de pruebas no puede codificarlos en una URL ni en un
# formulario (en un cuerpo JSON sí viajan, escapados).
_CARACTER = st.one_of(
    st.characters(blacklist_categories=("Cs",)),
    st.characters(whitelist_categories=("Nd", "No", "Nl")),
    st.sampled_from(_DIFICILES),
)
TEXTO = st.text(_CARACTER, max_size=40)
TEXTO_JSON = st.text(st.one_of(st.characters(), st.sampled_from(_DIFICILES)), max_size=40)
_DIGITO = st.one_of(
    st.sampled_from("0123456789"),
    st.sampled_from(_DIGITOS_RAROS),
    st.characters(whitelist_categories=("Nd", "No")),
)
# Un «número» de cualquier escritura, y folios casi bien escritos con esos números.
NUMERO = st.text(_DIGITO, min_size=1, max_size=10)
FOLIO = st.one_of(
    TEXTO,
    st.builds(
        "{}{}{}{}{}".format,
        st.sampled_from(["MED", "ASE", "med", "Ase", "MED\u200f", "ＭＥＤ", "aſe"]),
        st.sampled_from(["-", " ", "_", ".", "/", "\u00a0", "--"]),
        st.text(_DIGITO, min_size=4, max_size=4),
        st.sampled_from(["-", " ", "\u3000"]),
        st.text(_DIGITO, min_size=1, max_size=9),
    ),
)
PARAMETRO = st.one_of(TEXTO, FOLIO, NUMERO)
# Lo que ya tumbó alguna vez una página: se prueba siempre, además de lo que se genere.
SUPERINDICE = "MED-2026-¹"

RAPIDO = ajustes(max_examples=200, deadline=None, database=None)
# Cada ejemplo hace peticiones con la base: pocos, y con las fixtures de la función (la base
# y las personas se crean una vez por prueba, no por ejemplo).
HTTP = ajustes(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_FOLIO_CANONICO = re.compile(r"(MED|ASE)-[0-9]{4}-[0-9]{5,9}", re.ASCII)


def _sin_5xx(respuesta, *contexto):
    assert respuesta.status_code < 500, (contexto, respuesta.content[:500])
    return respuesta


@RAPIDO
@given(TEXTO_JSON)
def test_entero_ascii_con_cualquier_texto(texto):
    valor = entero_ascii(texto)
    assert valor is None or (texto.isascii() and texto.isdigit() and valor == int(texto))


@RAPIDO
@given(FOLIO)
def test_folio_con_cualquier_texto(texto):
    folio = codigos.normalizar_folio(texto)
    assert folio == "" or (_FOLIO_CANONICO.fullmatch(folio) and folio.isascii())
    assert codigos.normalizar_folio(folio) == folio


@RAPIDO
@given(TEXTO_JSON)
def test_codigo_de_consulta_con_cualquier_texto(texto):
    assert set(codigos.normalizar_codigo(texto)) <= set(codigos.ALFABETO)
    assert codigos.codigo_coincide("MED-2026-00001", "sal", texto) in (True, False)


@RAPIDO
@given(PARAMETRO)
def test_service_code_con_cualquier_texto(texto):
    leido = catalogo.leer_codigo(texto)
    assert leido is None or (leido[0] in ("MED", "ASE") and isinstance(leido[1], int))


@RAPIDO
@given(PARAMETRO, PARAMETRO, TEXTO)
def test_filtros_de_bandeja_con_cualquier_texto(localidad, categoria, folio):
    filtros = flujos.FiltrosBandeja.desde(
        {"localidad": localidad, "categoria": categoria, "folio": folio, "vencimiento": folio}
    )
    for leido, texto in ((filtros.localidad, localidad), (filtros.categoria, categoria)):
        assert leido is None or leido == int(texto.strip())
    assert len(filtros.folio) <= 30 and filtros.vencimiento in ("", "vencidas", "por_vencer")


@RAPIDO
@given(TEXTO)
def test_tokens_con_cualquier_texto(token):
    assert enlaces.caso_de_token_encuesta(token) is None
    assert enlaces.destino_de_baja(token) is None
    assert documento_de_enlace(token, sesion="marca") is None


@RAPIDO
@given(
    st.dictionaries(
        st.sampled_from(
            ["service_request_id", "service_code", "status", "start_date", "end_date", "otro"]
        ),
        PARAMETRO,
    )
)
def test_filtros_de_open311_con_cualquier_texto(parametros):
    consulta = QueryDict(mutable=True)
    consulta.update(parametros)
    try:
        entrada_311.filtros_de(consulta)
    except ErrorOpen311 as error:
        assert error.codigo == 400 and error.descripciones


@pytest.mark.django_db
@HTTP
@given(PARAMETRO)
@example(pk="²")
def test_tarea_persona_y_clausula_con_cualquier_texto(pk):
    for buscar in (flujos.tarea_humana, flujos.usuario_activo):
        try:
            buscar(pk=pk)
        except Http404:
            pass
    try:
        flujos.clausula_del_caso(caso=None, pk=pk)
    except Http404:
        pass


# Por HTTP: las páginas públicas.


def _en_ruta(prefijo: str, texto: str) -> str:
    return f"{prefijo}{quote(texto, safe='')}/"


@pytest.fixture
def sin_limites(settings):
    settings.CONSULTA_FALLOS_LIMITE = 10**6
    settings.SOLICITUD_PUBLICA_LIMITE = 10**6
    settings.CODIGO_PERDIDO_LIMITE_IP = 10**6
    settings.CODIGO_PERDIDO_LIMITE_FOLIO = 10**6


@HTTP
@given(folio=FOLIO, codigo=TEXTO)
@example(folio=SUPERINDICE, codigo="")
def test_consulta_publica_con_cualquier_texto(client, catalogos, sin_limites, folio, codigo):
    _sin_5xx(client.get(reverse("portal:consulta"), {"folio": folio}), folio)
    _sin_5xx(client.post(reverse("portal:consulta"), {"folio": folio, "codigo": codigo}), folio)
    _sin_5xx(client.get(reverse("portal:codigo_perdido"), {"folio": folio}), folio)
    _sin_5xx(client.post(reverse("portal:codigo_perdido"), {"folio": folio}), folio)


CAMPOS_SOLICITUD = [
    "tipo",
    "categoria",
    "localidad",
    "nombre",
    "telefono",
    "correo",
    "avisos_por",
    "resumen",
    "otra_nombre",
    "otra_telefono",
    "otra_domicilio",
    "aviso",
]


@HTTP
@given(cambios=st.dictionaries(st.sampled_from(CAMPOS_SOLICITUD), PARAMETRO, max_size=4))
def test_solicitud_publica_con_cualquier_texto(client, catalogos, sin_limites, cambios):
    datos = {
        "tipo": "MED",
        "categoria": str(Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first().pk),
        "localidad": str(Localidad.objects.first().pk),
        "nombre": "Martha Padilla",
        "correo": "martha@correo.mx",
        "resumen": "Los perros del vecino se salen.",
        "otra_nombre": "Fernando Ruvalcaba",
        "otra_domicilio": "Calle Allende 210",
        "aviso": "on",
    }
    _sin_5xx(client.post(reverse("portal:solicitud"), datos | cambios), cambios)


@HTTP
@given(token=TEXTO)
@example(token="MED-٢٠٢٦-١")
def test_enlaces_publicos_con_cualquier_texto(client, catalogos, token):
    for prefijo in ("/consulta/documento/", "/avisos/baja/", "/e/"):
        _sin_5xx(client.get(_en_ruta(prefijo, token)), prefijo, token)
    _sin_5xx(client.post(_en_ruta("/e/", token), {"satisfaccion": token}), token)
    _sin_5xx(client.post(_en_ruta("/avisos/baja/", token)), token)


# Por HTTP: Open311, con y sin api_key.


PARAMETROS_311 = [
    "service_request_id",
    "service_code",
    "status",
    "start_date",
    "end_date",
    "jurisdiction_id",
]
CAMPOS_311 = [
    "service_code",
    "first_name",
    "last_name",
    "phone",
    "email",
    "description",
    "address_string",
    "address_id",
    "lat",
    "long",
    "jurisdiction_id",
    "attribute[localidad]",
    "attribute[aviso_privacidad]",
    "attribute[avisos_por]",
    "attribute[otra_nombre]",
    "attribute[otra_telefono]",
    "attribute[otra_domicilio]",
    "attribute[clave_idempotencia]",
]


@HTTP
@given(
    parametros=st.dictionaries(st.sampled_from(PARAMETROS_311) | TEXTO, PARAMETRO, max_size=4),
    ruta=PARAMETRO,
    formato=st.sampled_from(["json", "xml"]),
)
@example(parametros={"service_request_id": SUPERINDICE}, ruta=SUPERINDICE, formato="xml")
def test_lecturas_de_open311_con_cualquier_texto(client, catalogos, parametros, ruta, formato):
    base = "/open311/v2/"
    _sin_5xx(client.get(f"{base}requests.{formato}", parametros), parametros)
    _sin_5xx(client.get(f"{base}services.{formato}", parametros), parametros)
    for recurso in ("services", "requests"):
        _sin_5xx(client.get(f"{base}{recurso}/{quote(ruta, safe='')}.{formato}"), ruta)
    _sin_5xx(client.get(base + quote(ruta, safe="")), ruta)


@HTTP
@given(
    cambios=st.dictionaries(st.sampled_from(CAMPOS_311) | TEXTO, PARAMETRO, max_size=4),
    cambios_json=st.dictionaries(
        st.sampled_from(CAMPOS_311) | TEXTO_JSON,
        TEXTO_JSON | st.lists(TEXTO_JSON, max_size=3) | st.integers() | st.none(),
        max_size=4,
    ),
    con_api_key=st.booleans(),
    formato=st.sampled_from(["json", "xml"]),
)
@example(
    cambios={"attribute[localidad]": "²"},
    cambios_json={"attribute[localidad]": "①"},
    con_api_key=True,
    formato="json",
)
def test_post_de_open311_con_cualquier_texto(
    client, reloj, cuerpo, cambios, cambios_json, con_api_key, formato
):
    datos = cuerpo() if con_api_key else cuerpo(api_key=None)
    ruta = f"/open311/v2/requests.{formato}"
    _sin_5xx(client.post(ruta, datos | cambios), cambios)
    cuerpo_json = json.dumps(datos | cambios_json)
    _sin_5xx(client.post(ruta, cuerpo_json, content_type="application/json"), cambios_json)


@pytest.fixture
def cuerpo(operadora, cat_mediacion, localidad):
    """Un POST de Open311 válido (mediación), con la api_key de la operadora."""
    api_key = emitir_token(nombre="app 311", usuario=operadora, alcance=AlcanceToken.OPEN311)

    def armar(**extra):
        datos = {
            "api_key": api_key,
            "service_code": f"MED-{cat_mediacion.pk}",
            "first_name": "Rosa",
            "phone": "391 555 0101",
            "description": "El taller de junto trabaja con el esmeril hasta la madrugada.",
            "attribute[localidad]": str(localidad.pk),
            "attribute[aviso_privacidad]": "si",
            "attribute[otra_nombre]": "Ernesto Villaseñor",
            "attribute[otra_domicilio]": "Calle Morelos 47",
        }
        datos.update(extra)
        return {k: v for k, v in datos.items() if v is not None}

    return armar


# Por HTTP: la API del personal (con token) y las bandejas.


@pytest.fixture
def cabecera(coordinadora):
    return {"HTTP_AUTHORIZATION": f"Bearer {emitir_token(nombre='x', usuario=coordinadora)}"}


FILTROS_API = [
    "q",
    "estado",
    "tipo",
    "categoria",
    "localidad",
    "abierto",
    "recibido_desde",
    "recibido_hasta",
    "pagina",
    "por_pagina",
    "folio",
    "vencimiento",
    "telefono",
]


@HTTP
@given(
    filtros=st.dictionaries(st.sampled_from(FILTROS_API), PARAMETRO, max_size=4),
    folio=FOLIO,
)
@example(filtros={"q": SUPERINDICE, "folio": SUPERINDICE}, folio=SUPERINDICE)
def test_lecturas_de_la_api_con_cualquier_texto(client, catalogos, cabecera, filtros, folio):
    for nombre in ("api:casos", "api:mis_tareas", "api:llamante"):
        _sin_5xx(client.get(reverse(nombre), filtros, **cabecera), nombre, filtros)
    _sin_5xx(client.get(_en_ruta("/api/v1/casos/", folio), **cabecera), folio)


CAMPOS_ALTA = [
    "tipo",
    "canal",
    "categoria",
    "localidad",
    "resumen",
    "aviso_aceptado",
    "caso_anterior",
    "decision_duplicado",
]


@HTTP
@given(
    cambios=st.dictionaries(
        st.sampled_from(CAMPOS_ALTA) | TEXTO_JSON,
        TEXTO_JSON | st.integers() | st.booleans() | st.none() | st.lists(TEXTO_JSON, max_size=2),
        max_size=3,
    ),
    solicitante=st.dictionaries(
        st.sampled_from(["nombre", "telefono", "correo", "domicilio"]), TEXTO_JSON, max_size=2
    ),
)
@example(cambios={"caso_anterior": SUPERINDICE}, solicitante={})
def test_alta_por_la_api_con_cualquier_texto(client, catalogos, cabecera, cambios, solicitante):
    datos = {
        "tipo": "ASE",
        "categoria": Categoria.objects.filter(tipo=TipoCaso.ASESORIA).first().pk,
        "localidad": Localidad.objects.first().pk,
        "resumen": "Pregunta sobre un trámite.",
        "aviso_aceptado": True,
        "solicitante": {"nombre": "Salvador Barba", "telefono": "33 2222 3333"} | solicitante,
    } | cambios
    respuesta = client.post(
        reverse("api:casos"), json.dumps(datos), content_type="application/json", **cabecera
    )
    _sin_5xx(respuesta, datos)


@HTTP
@given(
    filtros=st.dictionaries(
        st.sampled_from(["localidad", "categoria", "folio", "vencimiento", "pagina"]),
        PARAMETRO,
        max_size=3,
    )
)
@example(filtros={"localidad": "²", "categoria": "9" * 30, "folio": SUPERINDICE})
def test_bandejas_con_cualquier_texto(cliente_de, coordinadora, filtros):
    cliente = cliente_de(coordinadora)
    for ruta in ("flujos:bandeja", "flujos:cola", "flujos:plazos"):
        _sin_5xx(cliente.get(reverse(ruta), filtros), ruta, filtros)

"""Ids y folios de la API: solo dígitos ASCII. Dígitos de otras escrituras o superíndices dan
400 (parámetro mal escrito) o 404 (no existe), nunca 500 ni se toman por el número."""

import pytest
from django.urls import reverse

from api.services import emitir_token
from casos.models import Caso, Categoria, Localidad

from .datos import cuerpo_caso, url_caso

ARABES = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ANCHOS = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.fixture
def token(coordinadora):
    return emitir_token(nombre="prueba", usuario=coordinadora)


@pytest.fixture
def get(client, token):
    def llamar(url, datos=None):
        return client.get(url, datos or {}, HTTP_AUTHORIZATION=f"Bearer {token}")

    return llamar


@pytest.fixture
def post(client, operadora):
    token = emitir_token(nombre="conmutador", usuario=operadora)

    def llamar(datos):
        return client.post(
            reverse("api:casos"),
            datos,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    return llamar


def _escrituras(numero: int) -> list[str]:
    """El número con dígitos arábigo-índicos, de ancho completo y como superíndice."""
    texto = str(numero)
    return [texto.translate(ARABES), texto.translate(ANCHOS), texto + "²", "²"]


@pytest.mark.parametrize("parametro", ["categoria", "localidad"])
def test_catalogo_con_digitos_de_otra_escritura_da_400_en_la_lista(get, catalogos, parametro):
    modelo = Categoria if parametro == "categoria" else Localidad
    pk = modelo.objects.first().pk
    for valor in _escrituras(pk):
        respuesta = get(reverse("api:casos"), {parametro: valor})
        assert respuesta.status_code == 400, valor
        assert respuesta.json()[parametro] == [
            f"Use el id numérico de la {'categoría' if parametro == 'categoria' else 'localidad'}."
        ]


@pytest.mark.parametrize("parametro", ["categoria", "localidad"])
def test_catalogo_con_digitos_de_otra_escritura_da_400_en_mis_tareas(get, catalogos, parametro):
    modelo = Categoria if parametro == "categoria" else Localidad
    for valor in _escrituras(modelo.objects.first().pk):
        respuesta = get(reverse("api:mis_tareas"), {parametro: valor})
        assert respuesta.status_code == 400, valor
        assert parametro in respuesta.json()


@pytest.mark.parametrize("parametro", ["pagina", "por_pagina"])
def test_numero_de_pagina_solo_con_digitos_ascii(get, catalogos, parametro):
    assert get(reverse("api:casos"), {parametro: "1"}).status_code == 200
    for valor in _escrituras(1):
        respuesta = get(reverse("api:casos"), {parametro: valor})
        assert respuesta.status_code == 400, valor
        assert respuesta.json()[parametro] == ["Escriba un número entero."]
    respuesta = get(reverse("api:mis_tareas"), {"pagina": "١"})
    assert respuesta.json()["pagina"] == ["Escriba un número entero."]


def test_folio_con_digitos_de_otra_escritura_no_existe(get, nuevo_caso):
    caso = nuevo_caso().caso
    anio, numero = caso.folio.split("-")[1:]
    for folio in (
        caso.folio.translate(ARABES),
        caso.folio.translate(ANCHOS),
        f"MED-{anio}-{int(numero)}²",
        f"MED-{anio}-¹",
    ):
        respuesta = get(url_caso(folio))
        assert respuesta.status_code == 404, folio
        assert respuesta.json() == {"detail": "No existe un caso con ese folio."}


def test_busqueda_y_filtro_de_folio_con_superindice_no_fallan(get, catalogos):
    assert get(reverse("api:casos"), {"q": "MED-2026-¹"}).json()["resultados"] == []
    assert get(reverse("api:mis_tareas"), {"folio": "MED-2026-¹"}).json()["resultados"] == []


def test_caso_anterior_con_digitos_de_otra_escritura_no_existe(post, nuevo_caso):
    anterior = nuevo_caso(telefono="+523399990000").caso
    for folio in (anterior.folio.translate(ARABES), anterior.folio[:-1] + "²"):
        respuesta = post(cuerpo_caso(caso_anterior=folio))
        assert respuesta.status_code == 400, folio
        assert respuesta.json() == {"caso_anterior": ["No existe un caso con ese folio."]}
    assert Caso.objects.count() == 1


def test_catalogo_del_alta_con_digitos_de_otra_escritura_no_existe(post, catalogos):
    pk = Localidad.objects.first().pk
    for valor in _escrituras(pk):
        respuesta = post(cuerpo_caso(localidad=valor))
        assert respuesta.status_code == 400, valor
        assert respuesta.json() == {
            "localidad": ["No existe en el catálogo (use el id o el nombre exacto)."]
        }
    assert post(cuerpo_caso(localidad=str(pk))).status_code == 201

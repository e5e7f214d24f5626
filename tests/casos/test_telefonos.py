import pytest
from django.core.exceptions import ValidationError

from casos.telefonos import mostrar_telefono, normalizar_telefono


@pytest.mark.parametrize(
    "texto",
    ["33 1234 5678", "(33) 1234-5678", "+52 33 1234 5678", "523312345678", "+52 1 33 1234 5678"],
)
def test_se_guarda_en_e164_con_region_mx(texto):
    assert normalizar_telefono(texto) == "+523312345678"


@pytest.mark.parametrize("texto", ["123", "abc", "33 1234", "+52 00 0000 0000"])
def test_telefono_invalido_da_mensaje_en_espanol(texto):
    with pytest.raises(ValidationError) as error:
        normalizar_telefono(texto)
    assert "teléfono válido" in error.value.messages[0]


def test_vacio_es_vacio():
    assert normalizar_telefono("  ") == ""


def test_se_muestra_en_formato_nacional():
    assert mostrar_telefono("+523312345678") == "33 1234 5678"

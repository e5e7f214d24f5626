import math

import pytest

from casos import codigos


@pytest.mark.parametrize(
    "texto, esperado",
    [
        ("MED-2026-00042", "MED-2026-00042"),
        ("med 2026 42", "MED-2026-00042"),
        (" ase-2026-117 ", "ASE-2026-00117"),
        ("MED/2026/00042", "MED-2026-00042"),
        ("XYZ-2026-00001", ""),
        ("MED-26-00001", ""),
        ("MED-2026", ""),
        ("", ""),
        ("MED-2026-1234567890", ""),
    ],
)
def test_normalizar_folio(texto, esperado):
    assert codigos.normalizar_folio(texto) == esperado


def test_codigo_tiene_al_menos_40_bits_y_alfabeto_sin_ambiguos():
    codigo = codigos.derivar_codigo("MED-2026-00001", codigos.nueva_sal())
    assert len(codigo) == codigos.LONGITUD_CODIGO
    assert codigos.LONGITUD_CODIGO * math.log2(len(codigos.ALFABETO)) >= 40
    assert not set(codigo) & set("ILOU")


def test_codigo_depende_de_la_sal_y_de_la_clave(settings):
    sal = codigos.nueva_sal()
    uno = codigos.derivar_codigo("MED-2026-00001", sal)
    assert uno == codigos.derivar_codigo("MED-2026-00001", sal)
    assert uno != codigos.derivar_codigo("MED-2026-00001", codigos.nueva_sal())
    assert uno != codigos.derivar_codigo("MED-2026-00002", sal)
    settings.CODIGO_CONSULTA_CLAVE = "otra-clave-del-servidor"
    assert uno != codigos.derivar_codigo("MED-2026-00001", sal)


def test_codigo_se_acepta_con_guion_minusculas_y_letras_confundibles():
    sal = codigos.nueva_sal()
    codigo = codigos.derivar_codigo("ASE-2026-00001", sal)
    escrito = codigos.mostrar_codigo(codigo).lower().replace("0", "o").replace("1", "l")
    assert codigos.codigo_coincide("ASE-2026-00001", sal, escrito)
    assert not codigos.codigo_coincide("ASE-2026-00001", sal, codigo[:-1])
    assert not codigos.codigo_coincide("ASE-2026-00001", sal, "")

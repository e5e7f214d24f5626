"""Imágenes que pesan poco y miden demasiado: el escaneo firmado y el logotipo se revisan por
sus píxeles (leyendo solo la cabecera) antes de que algo las decodifique."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casos.models import Centro
from plantillas.contextos import logo_del_centro
from plantillas.forms import FormularioFirmado
from plantillas.models import Documento

from .conftest import generado
from .imagenes import jpeg_que_dice_medir, png, png_enorme

pytestmark = pytest.mark.usefixtures("reloj")


@pytest.fixture
def acuse_listo(nuevo_caso):
    return generado(Documento.objects.get(caso=nuevo_caso().caso))


def _formulario(nombre: str, contenido: bytes) -> FormularioFirmado:
    return FormularioFirmado(files={"archivo": SimpleUploadedFile(nombre, contenido)})


@pytest.mark.parametrize(
    ("nombre", "contenido"),
    [
        ("escaneo.png", png_enorme(12000, 12000)),  # 144 MP en ~20 KB
        ("escaneo.jpg", jpeg_que_dice_medir(12000, 12000)),
        ("bomba.png", png_enorme(20000, 20000)),  # más de lo que Pillow abre
    ],
)
def test_un_escaneo_de_demasiados_pixeles_se_rechaza(db, nombre, contenido):
    formulario = _formulario(nombre, contenido)
    assert not formulario.is_valid()
    (mensaje,) = formulario.errors["archivo"]
    assert "megapíxeles" in mensaje and "40" in mensaje


def test_el_mensaje_dice_cuanto_mide(db):
    formulario = _formulario("escaneo.png", png_enorme(12000, 12000))
    formulario.is_valid()
    assert "12000 × 12000" in formulario.errors["archivo"][0]


def test_un_escaneo_normal_y_un_pdf_pasan(db, settings):
    assert _formulario("firmado.png", png(2480, 3508)).is_valid()  # carta a 300 ppp, ~8.7 MP
    assert _formulario("firmado.pdf", b"%PDF-1.4\n%%EOF\n").is_valid()


def test_el_limite_del_escaneo_es_configurable(db, settings):
    settings.ESCANEO_MAX_MEGAPIXELES = 1
    formulario = _formulario("firmado.png", png(1500, 1000))
    assert (
        not formulario.is_valid() and "el máximo es 1 megapíxel." in formulario.errors["archivo"][0]
    )


def test_subir_un_escaneo_enorme_no_lo_guarda_y_lo_explica(acuse_listo, coordinadora, client):
    client.force_login(coordinadora)
    respuesta = client.post(
        reverse("plantillas:subir_firmado", args=[acuse_listo.pk]),
        {"archivo": SimpleUploadedFile("firmado.png", png_enorme(12000, 12000))},
        follow=True,
    )
    assert "megapíxeles" in respuesta.text
    acuse_listo.refresh_from_db()
    assert not acuse_listo.bloqueado and not acuse_listo.firmado


def test_un_logotipo_de_demasiados_pixeles_no_se_usa(db):
    centro = Centro.actual()
    centro.logo.save("escudo.png", ContentFile(png_enorme(12000, 12000)), save=True)
    assert logo_del_centro(centro) == ""
    centro.logo.save("escudo.png", ContentFile(png_enorme(20000, 20000)), save=True)
    assert logo_del_centro(centro) == ""
    centro.logo.save("escudo.png", ContentFile(png(400, 200)), save=True)
    assert logo_del_centro(centro).startswith("data:image/png;base64,")

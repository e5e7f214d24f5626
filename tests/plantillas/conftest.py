"""Lo común a las pruebas de documentos: medios en un directorio temporal, generar en el
acto, leer el texto del PDF y revisar que la primera página no salga en blanco."""

import subprocess

import pytest
from PIL import Image

from plantillas.models import Documento, EstadoDocumento
from plantillas.services import generar


@pytest.fixture(autouse=True)
def _medios(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "medios"


def texto_pdf(ruta, *, plano: bool = True) -> str:
    """El texto del PDF. `plano`: en una sola línea y con las palabras que la división
    silábica partió ya unidas (el texto va justificado con guiones)."""
    texto = subprocess.run(
        ["pdftotext", "-layout", str(ruta), "-"], capture_output=True, text=True, check=True
    ).stdout
    if not plano:
        return texto
    return " ".join(texto.split()).replace("\u2010 ", "").replace("- ", "")


def generado(documento: Documento) -> Documento:
    """Genera el documento como lo haría el worker y lo devuelve listo."""
    assert generar(documento.pk) is True
    documento.refresh_from_db()
    assert documento.estado == EstadoDocumento.LISTO, documento.error
    return documento


def primera_pagina_no_blanca(documento: Documento, directorio) -> Image.Image:
    """Página 1 a PNG con pdftoppm; falla si el cuerpo (sin encabezado ni pie) casi no
    tiene tinta."""
    salida = directorio / f"{documento.tipo}-{documento.referencia or 'u'}-{documento.version}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", documento.archivo.path, str(salida)],
        check=True,
    )
    imagen = Image.open(next(directorio.glob(salida.name + "*.png"))).convert("L")
    ancho, alto = imagen.size
    cuerpo = imagen.crop((0, int(alto * 0.15), ancho, int(alto * 0.85)))
    oscuros = sum(cuerpo.histogram()[:128])
    assert oscuros > cuerpo.width * cuerpo.height * 0.004, "la primera página está en blanco"
    return imagen

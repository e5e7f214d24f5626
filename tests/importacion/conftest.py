"""Archivos de prueba del registro anterior y la importación completa por los servicios."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from importacion import services

EJEMPLO = Path(__file__).resolve().parents[2] / "importacion" / "ejemplo"
# Columnas de un registro anterior como el que llevan las oficinas en su hoja de cálculo.
ENCABEZADOS = [
    "Folio",
    "Tipo",
    "Fecha de recepción",
    "Categoría",
    "Localidad",
    "Asunto",
    "Solicitante",
    "Teléfono",
    "Otra parte",
    "Domicilio otra parte",
    "Estado",
    "Responsable",
    "Fecha de conclusión",
    "Resultado",
]


@pytest.fixture(autouse=True)
def _archivos_en_temporal(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "medios"


@pytest.fixture
def personal(coordinadora, certificado, otro_certificado, asesor):
    """Quienes aparecen en el archivo de ejemplo, con certificación vigente."""
    return {"coordinadora": coordinadora, "mediador": certificado, "asesor": asesor}


def archivo(nombre: str, contenido: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(nombre, contenido)


def csv_de(renglones: list[list], *, codificacion="utf-8", separador=",", bom=False) -> bytes:
    salida = io.StringIO(newline="")
    escritor = csv.writer(salida, delimiter=separador, lineterminator="\r\n")
    for renglon in renglones:
        escritor.writerow(
            [
                v.strftime("%d/%m/%Y") if isinstance(v, date) else ("" if v is None else v)
                for v in renglon
            ]
        )
    datos = salida.getvalue().encode(codificacion)
    return (b"\xef\xbb\xbf" + datos) if bom else datos


def xlsx_de(renglones: list[list]) -> bytes:
    from openpyxl import Workbook

    libro = Workbook()
    hoja = libro.active
    for renglon in renglones:
        hoja.append(renglon)
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def revisar(nombre: str, contenido: bytes, actor, columnas=None):
    """Sube el archivo y lo revisa con las columnas adivinadas (o las dadas)."""
    importacion = services.subir(archivo=archivo(nombre, contenido), actor=actor)
    return services.relacionar_columnas(
        importacion=importacion,
        columnas=columnas if columnas is not None else importacion.columnas,
        actor=actor,
    )


def importar(nombre: str, contenido: bytes, actor, columnas=None):
    """Todo el camino: subir, revisar, pedir y ejecutar como lo haría el worker."""
    importacion = revisar(nombre, contenido, actor, columnas)
    services.pedir_importacion(importacion=importacion, actor=actor)
    services.ejecutar(importacion.pk)
    importacion.refresh_from_db()
    return importacion

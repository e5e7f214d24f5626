"""Leer lo que Excel y otros programas guardan: CSV en UTF-8 con o sin BOM y en Latin-1 /
Windows-1252 con coma, punto y coma o tabulador; XLSX con fechas de Excel. Lo que no es CSV
ni XLSX, lo demasiado grande y lo demasiado largo se rechaza con un mensaje en español."""

import io
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from casos.models import Caso
from importacion import interpretacion, services
from importacion.campos import adivinar_columnas
from importacion.models import EstadoImportacion

from .conftest import archivo, csv_de, importar, xlsx_de

MX = ZoneInfo("America/Mexico_City")
ENCABEZADOS = [
    "Tipo",
    "Fecha",
    "Categoría",
    "Localidad",
    "Asunto",
    "Nombre",
    "Teléfono",
    "Estado",
    "Fecha de conclusión",
    "Resultado",
]
RENGLON = [
    "ASE",
    "14/02/2025",
    "Orientación jurídica general",
    "San Gaspar",
    "Pregunta por la pensión de su mamá; ¿qué documentos lleva?",
    "José Ñúñez Güemes",
    "391 917 2045",
    "Resuelta",
    "17/02/2025",
    "",
]


@pytest.mark.parametrize(
    ("codificacion", "separador", "bom"),
    [
        ("cp1252", ";", False),  # «CSV (delimitado por comas)» de Excel en español
        ("latin-1", ",", False),
        ("utf-8", ",", True),  # «CSV UTF-8» de Excel
        ("utf-8", "\t", False),
    ],
)
def test_csv_en_las_codificaciones_de_excel(personal, codificacion, separador, bom):
    contenido = csv_de(
        [ENCABEZADOS, RENGLON], codificacion=codificacion, separador=separador, bom=bom
    )
    importacion = importar("registro.csv", contenido, personal["coordinadora"])
    assert importacion.estado == EstadoImportacion.IMPORTADA, importacion.errores
    assert importacion.separador == separador
    caso = Caso.objects.get()
    assert caso.solicitante.nombre == "José Ñúñez Güemes"
    assert caso.resumen == "Pregunta por la pensión de su mamá; ¿qué documentos lleva?"
    assert caso.solicitante.telefono == "+523919172045"
    assert caso.recibido_en == datetime(2025, 2, 14, 12, tzinfo=MX)


def test_csv_utf16_de_texto_unicode_de_excel(personal):
    texto = "\t".join(ENCABEZADOS) + "\r\n" + "\t".join(RENGLON) + "\r\n"
    importacion = importar("r.txt", texto.encode("utf-16"), personal["coordinadora"])
    assert importacion.estado == EstadoImportacion.IMPORTADA, importacion.errores
    assert importacion.codificacion == "utf-16"


def test_xlsx_con_fechas_de_excel_y_numeros(personal):
    renglon = list(RENGLON)
    renglon[1] = datetime(2025, 2, 14)  # celda con formato de fecha
    renglon[6] = 3919172045  # el teléfono como número
    renglon[8] = 45705  # número de serie de Excel sin formato: 17/02/2025
    contenido = xlsx_de([[], ENCABEZADOS, [], renglon])
    importacion = importar("r.xlsx", contenido, personal["coordinadora"])
    assert importacion.estado == EstadoImportacion.IMPORTADA, importacion.errores
    caso = Caso.objects.select_related("importado").get()
    assert caso.importado.renglon == 4  # el número que se ve en Excel
    assert caso.recibido_en == datetime(2025, 2, 14, 12, tzinfo=MX)
    assert caso.concluido_en == datetime(2025, 2, 17, 12, tzinfo=MX)
    assert caso.solicitante.telefono == "+523919172045"


@pytest.mark.parametrize(
    ("contenido", "mensaje"),
    [
        (b"%PDF-1.7\n%\xe2\xe3", "Suba un archivo CSV o XLSX"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "Suba un archivo CSV o XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Excel 97-2003 (.xls)"),
        (b"PK\x03\x04 no es zip", "El archivo XLSX está dañado"),
        (b"", "El archivo está vacío"),
        (b"\n\n , , \n", "El archivo está vacío: no tiene encabezados ni datos."),
        (b"Tipo,Fecha\n", "El archivo solo tiene encabezados"),
    ],
)
def test_lo_que_no_es_un_registro_se_rechaza_en_espanol(personal, contenido, mensaje):
    with pytest.raises(ValidationError, match=mensaje.replace("(", r"\(").replace(")", r"\)")):
        services.subir(archivo=archivo("x.csv", contenido), actor=personal["coordinadora"])


def test_un_zip_que_no_es_libro_de_excel(personal):
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w") as paquete:
        paquete.writestr("documento.txt", "hola")
    with pytest.raises(ValidationError, match="no un libro de Excel"):
        services.subir(archivo=archivo("x.xlsx", salida.getvalue()), actor=personal["coordinadora"])


def test_limites_de_tamano_y_de_renglones(personal, settings):
    settings.IMPORTACION_MAX_MB = 1
    grande = csv_de([ENCABEZADOS] + [RENGLON] * 8000)
    assert len(grande) > 1024 * 1024
    with pytest.raises(ValidationError, match=r"el máximo es 1 MB"):
        services.subir(archivo=archivo("g.csv", grande), actor=personal["coordinadora"])
    settings.IMPORTACION_MAX_RENGLONES = 5
    with pytest.raises(ValidationError, match="más de 5 renglones con datos"):
        services.subir(
            archivo=archivo("l.csv", csv_de([ENCABEZADOS] + [RENGLON] * 6)),
            actor=personal["coordinadora"],
        )


def test_las_columnas_se_adivinan_sin_importar_acentos_ni_mayusculas():
    encabezados = [
        "No. de Expediente",
        "FECHA DE RECEPCION",
        "tipo de conflicto",
        "Comunidad",
        "Descripción del asunto",
        "Nombre del solicitante",
        "Tel. celular",
        "Correo electrónico",
        "Nombre de la otra parte",
        "Domicilio de la otra parte",
        "Domicilio",
        "Estatus",
        "Mediador(a)",
        "Fecha de cierre",
        "Forma de conclusión",
        "Notas internas",
    ]
    assert adivinar_columnas(encabezados) == {
        "folio": 0,
        "fecha_recepcion": 1,
        "categoria": 2,
        "localidad": 3,
        "resumen": 4,
        "solicitante_nombre": 5,
        "solicitante_telefono": 6,
        "solicitante_correo": 7,
        "otra_nombre": 8,
        "otra_domicilio": 9,
        "solicitante_domicilio": 10,
        "estado": 11,
        "responsable": 12,
        "fecha_conclusion": 13,
        "resultado": 14,
    }


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("05/03/2025", date(2025, 3, 5)),
        ("5/3/2025", date(2025, 3, 5)),
        ("05-03-2025", date(2025, 3, 5)),
        ("05.03.2025", date(2025, 3, 5)),
        ("2025-03-05", date(2025, 3, 5)),
        ("2025-03-05 16:30", datetime(2025, 3, 5, 16, 30, tzinfo=MX)),
        ("05/03/2025 09:15", datetime(2025, 3, 5, 9, 15, tzinfo=MX)),
        (45721, date(2025, 3, 5)),
        ("45721", date(2025, 3, 5)),
        (45721.5, datetime(2025, 3, 5, 12, 0, tzinfo=MX)),
        (datetime(2025, 3, 5), date(2025, 3, 5)),
        (date(2025, 3, 5), date(2025, 3, 5)),
        ("", None),
        (None, None),
    ],
)
def test_fechas_que_se_entienden(valor, esperado):
    resultado = interpretacion.fecha(valor)
    if isinstance(esperado, datetime):
        assert resultado == esperado
    elif esperado is None:
        assert resultado is None
    else:
        assert resultado == datetime(esperado.year, esperado.month, esperado.day, 12, tzinfo=MX)


@pytest.mark.parametrize(
    ("valor", "mensaje"),
    [
        ("31/02/2025", "«31/02/2025» no es una fecha que exista."),
        ("5/3/25", "«5/3/25»: escriba el año con cuatro dígitos (dd/mm/aaaa)."),
        ("03/25/2025", "«03/25/2025»: no existe el mes 25; ¿está como mes/día?"),
        ("marzo 2025", "«marzo 2025» no es una fecha; use dd/mm/aaaa o aaaa-mm-dd."),
        (123, "«123» no es una fecha; use dd/mm/aaaa o aaaa-mm-dd."),
        ("05/03/2025 25:00", "«05/03/2025 25:00»: la hora no es válida."),
        ("01/01/1985", "«01/01/1985»: la fecha es demasiado antigua."),
    ],
)
def test_fechas_que_no_se_entienden(valor, mensaje):
    with pytest.raises(interpretacion.Invalido) as error:
        interpretacion.fecha(valor)
    assert str(error.value).startswith(mensaje)

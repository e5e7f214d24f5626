"""Leer el archivo del registro anterior: CSV (la codificación y el separador se detectan)
o libro de Excel (XLSX, primera hoja). El tipo se reconoce por el contenido, no por el nombre.

Lo que se lee es una `Hoja`: los encabezados (el primer renglón con algo escrito) y los
renglones de datos con su número tal como se ve en Excel, para que cada error se encuentre
en el archivo. Los renglones vacíos se saltan sin perder la numeración.
"""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CSV, XLSX = "csv", "xlsx"
# Más columnas que esto no es un registro de casos.
MAX_COLUMNAS = 200
# Un XLSX es un ZIP: lo que ocupa descomprimido se revisa antes de abrirlo (bomba ZIP).
MAX_DESCOMPRIMIDO_MB = 300
_SEPARADORES = ",;\t|"


@dataclass
class Hoja:
    formato: str
    encabezados: list[str]
    renglones: Iterator[tuple[int, list]]
    codificacion: str = ""
    separador: str = ""
    nombre_hoja: str = ""
    otras_hojas: list[str] = field(default_factory=list)


def _error_de_tipo(cabecera: bytes) -> str:
    if cabecera.startswith(b"\xd0\xcf\x11\xe0"):
        return _(
            "Es un libro de Excel 97-2003 (.xls) o un libro protegido con contraseña: ábralo "
            "en Excel y guárdelo como «Libro de Excel (.xlsx)» o como «CSV UTF-8», sin "
            "contraseña."
        )
    return _("Suba un archivo CSV o XLSX (libro de Excel); este archivo no es de esos tipos.")


def formato_de(cabecera: bytes) -> str:
    """'xlsx' o 'csv' según los primeros bytes; ValidationError en español si no es ninguno."""
    if cabecera.startswith(b"PK\x03\x04"):
        return XLSX
    if cabecera.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return CSV
    if b"\x00" in cabecera or cabecera.startswith((b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG")):
        raise ValidationError(_error_de_tipo(cabecera), code="tipo")
    return CSV


def decodificar(datos: bytes) -> tuple[str, str]:
    """(texto, codificación): UTF-8 con o sin BOM, UTF-16 con BOM, o Windows-1252 (lo que
    guarda Excel en México como «CSV (delimitado por comas)»; incluye Latin-1)."""
    for bom, nombre in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if datos.startswith(bom):
            try:
                return datos.decode(nombre), nombre
            except UnicodeDecodeError:
                raise ValidationError(
                    _("El archivo dice ser %(cod)s pero tiene caracteres dañados.")
                    % {"cod": nombre.upper()},
                    code="codificacion",
                ) from None
    try:
        return datos.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return datos.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return datos.decode("latin-1"), "latin-1"


def separador_de(texto: str) -> str:
    """El separador de un CSV (coma, punto y coma, tabulador o barra) mirando su principio."""
    muestra = texto[:65536]
    try:
        return csv.Sniffer().sniff(muestra, delimiters=_SEPARADORES).delimiter
    except csv.Error:
        primera = muestra.split("\n", 1)[0]
        return (
            max(_SEPARADORES, key=primera.count) if any(s in primera for s in _SEPARADORES) else ","
        )


def _vacio(valor) -> bool:
    return valor is None or (isinstance(valor, str) and not valor.strip())


def _letra(indice: int) -> str:
    letras = ""
    indice += 1
    while indice:
        indice, resto = divmod(indice - 1, 26)
        letras = chr(65 + resto) + letras
    return letras


def _con_encabezados(filas: Iterator[list]) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """Separa el primer renglón con algo escrito (encabezados) de los de datos, que salen con
    su número de renglón (1 es el primero del archivo) y del mismo largo que los encabezados."""
    numeradas = enumerate(filas, start=1)
    for _numero, fila in numeradas:
        if any(not _vacio(v) for v in fila):
            ultimo = max(i for i, v in enumerate(fila) if not _vacio(v))
            break
    else:
        raise ValidationError(_("El archivo está vacío: no tiene encabezados ni datos."))
    encabezados = [
        str(v).strip() if not _vacio(v) else _("Columna %(letra)s") % {"letra": _letra(i)}
        for i, v in enumerate(fila[: ultimo + 1])
    ]
    if len(encabezados) > MAX_COLUMNAS:
        raise ValidationError(
            _("El archivo tiene %(n)d columnas; un registro de casos tiene a lo más %(max)d.")
            % {"n": len(encabezados), "max": MAX_COLUMNAS}
        )
    ancho = len(encabezados)

    def datos():
        for n, f in numeradas:
            if any(not _vacio(v) for v in f):
                f = list(f[:ancho])
                yield n, f + [None] * (ancho - len(f))

    return encabezados, datos()


def _leer_csv(datos: bytes) -> Hoja:
    texto, codificacion = decodificar(datos)
    separador = separador_de(texto)
    encabezados, renglones = _con_encabezados(
        csv.reader(io.StringIO(texto, newline=""), delimiter=separador)
    )
    return Hoja(CSV, encabezados, renglones, codificacion=codificacion, separador=separador)


@contextmanager
def _leer_xlsx(archivo):
    import openpyxl  # con defusedxml instalado, openpyxl lee el XML sin expandir entidades

    try:
        with zipfile.ZipFile(archivo) as paquete:
            nombres = set(paquete.namelist())
            descomprimido = sum(info.file_size for info in paquete.infolist())
    except zipfile.BadZipFile:
        raise ValidationError(_("El archivo XLSX está dañado: no se puede abrir.")) from None
    if "xl/workbook.xml" not in nombres:
        raise ValidationError(
            _("Es un archivo comprimido, pero no un libro de Excel (.xlsx): suba un XLSX o un CSV.")
        )
    if descomprimido > MAX_DESCOMPRIMIDO_MB * 1024 * 1024:
        raise ValidationError(
            _("El libro ocupa más de %(mb)d MB sin comprimir: guárdelo como CSV o pártalo.")
            % {"mb": MAX_DESCOMPRIMIDO_MB}
        )
    archivo.seek(0)
    try:
        libro = openpyxl.load_workbook(archivo, read_only=True, data_only=True)
    except Exception:  # openpyxl levanta de todo ante un libro mal formado
        raise ValidationError(_("El archivo XLSX está dañado: no se puede abrir.")) from None
    try:
        if not libro.worksheets:
            raise ValidationError(_("El libro no tiene hojas."))
        hoja = libro.worksheets[0]
        hoja.reset_dimensions()  # hay programas que escriben mal el tamaño de la hoja
        filas = (list(f) for f in hoja.iter_rows(min_row=1, values_only=True))
        encabezados, renglones = _con_encabezados(filas)
        yield Hoja(
            XLSX,
            encabezados,
            renglones,
            nombre_hoja=hoja.title,
            otras_hojas=[h.title for h in libro.worksheets[1:]],
        )
    finally:
        libro.close()


@contextmanager
def abrir(archivo) -> Iterator[Hoja]:
    """La hoja de datos de un archivo abierto en binario (se lee desde el principio)."""
    archivo.seek(0)
    formato = formato_de(archivo.read(8))
    archivo.seek(0)
    if formato == XLSX:
        with _leer_xlsx(archivo) as hoja:
            yield hoja
    else:
        yield _leer_csv(archivo.read())


def revisar_tamano(tamano: int) -> None:
    maximo = settings.IMPORTACION_MAX_MB
    if tamano > maximo * 1024 * 1024:
        raise ValidationError(
            _("El archivo pesa %(mb).1f MB; el máximo es %(max)d MB. Pártalo en varios archivos.")
            % {"mb": tamano / 1024 / 1024, "max": maximo},
            code="tamano",
        )
    if tamano == 0:
        raise ValidationError(_("El archivo está vacío."), code="vacio")


def contar_renglones(hoja: Hoja) -> int:
    """Cuántos renglones con datos tiene la hoja, sin pasar del máximo configurado."""
    maximo = settings.IMPORTACION_MAX_RENGLONES
    cuantos = 0
    for _renglon in hoja.renglones:
        cuantos += 1
        if cuantos > maximo:
            raise ValidationError(
                _(
                    "El archivo tiene más de %(max)s renglones con datos; pártalo en varios "
                    "archivos de hasta %(max)s."
                )
                % {"max": f"{maximo:,}"},
                code="renglones",
            )
    if cuantos == 0:
        raise ValidationError(_("El archivo solo tiene encabezados: no hay casos que importar."))
    return cuantos

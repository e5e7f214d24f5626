"""La coordinación importa el registro anterior en Chromium real: subir (un PDF se rechaza
junto al campo), relacionar columnas, vista previa con errores y sin ellos, importar y ver el
resultado; axe-core sin fallas graves ni críticas en cada paso y captura de cada pantalla."""

import pytest

from importacion import services
from importacion.models import Importacion
from tests.importacion.conftest import EJEMPLO, csv_de
from tests.navegador.test_pantallas import entrar
from tests.navegador.test_portal_publico import auditar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def en_temporal(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "medios"
    return tmp_path


def _subir(pagina, ruta) -> None:
    pagina.get_by_label("Archivo del registro anterior (CSV o XLSX)").set_input_files(str(ruta))
    boton = pagina.get_by_role("button", name="Subir y relacionar columnas")
    boton.focus()
    with pagina.expect_navigation():
        pagina.keyboard.press("Enter")


def test_la_coordinacion_importa_el_registro_anterior(
    pagina, captura, coordinadora, certificado, otro_certificado, asesor, en_temporal
):
    entrar(pagina, "coordinadora", "/importar/")
    texto = pagina.locator("main").inner_text()
    assert "Importar registros anteriores" in texto and "registro_anterior.xlsx" in texto
    assert auditar(pagina) == []
    captura(pagina, "importar-1-subir")

    # Un PDF no es un registro: el error sale junto al campo, en español.
    pdf = en_temporal / "oficio.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    _subir(pagina, pdf)
    assert "Suba un archivo CSV o XLSX" in pagina.locator(".campo").first.inner_text()
    assert auditar(pagina) == []
    captura(pagina, "importar-1-subir-error")

    # Un CSV con un renglón malo: la vista previa dice cuál y en qué columna, y no deja importar.
    malo = en_temporal / "con-errores.csv"
    malo.write_bytes(
        csv_de(
            [
                ["Tipo", "Fecha", "Categoría", "Localidad", "Asunto", "Nombre", "Teléfono"],
                [
                    "ASE",
                    "31/02/2025",
                    "Trámites y servicios municipales",
                    "Milpillas",
                    "Pregunta por su permiso.",
                    "Ana Ruiz",
                    "391 917 2045",
                ],
                [
                    "ASE",
                    "10/03/2025",
                    "Trámites y servicios municipales",
                    "Tepatitlán",
                    "Pregunta por su permiso.",
                    "Luis Mora",
                    "12345",
                ],
            ],
            codificacion="cp1252",
            separador=";",
        )
    )
    _subir(pagina, malo)
    assert "CSV en WINDOWS-1252, separado por «;»" in pagina.locator("main").inner_text()
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Revisar el archivo").click()
    errores = pagina.locator("table[aria-labelledby=errores]").inner_text()
    assert "«31/02/2025» no es una fecha que exista." in errores
    assert "«Tepatitlán» no está en el catálogo de localidades" in errores
    assert "El número 12345 no es un teléfono válido" in errores
    assert pagina.get_by_role("button", name="Importar").count() == 0
    assert auditar(pagina) == []
    captura(pagina, "importar-3-vista-previa-con-errores")

    # El archivo de ejemplo: columnas adivinadas, vista previa limpia, importar.
    pagina.goto("/importar/")
    _subir(pagina, EJEMPLO / "registro_anterior.xlsx")
    fecha = pagina.get_by_label("Fecha de recepción *")
    assert fecha.locator("option:checked").inner_text().startswith("Fecha de recepción")
    assert auditar(pagina) == []
    captura(pagina, "importar-2-columnas")
    boton = pagina.get_by_role("button", name="Revisar el archivo")
    boton.focus()
    with pagina.expect_navigation():
        pagina.keyboard.press("Enter")
    texto = pagina.locator("main").inner_text()
    assert "Así quedarían los primeros casos" in texto and "MED-2025-00031" in texto
    assert "Invitar a la otra parte" in texto and "Concluido (sin tareas)" in texto
    assert auditar(pagina) == []
    captura(pagina, "importar-3-vista-previa")

    importar = pagina.get_by_role("button", name="Importar los 20 casos")
    importar.focus()
    with pagina.expect_navigation():
        pagina.keyboard.press("Enter")
    pagina.get_by_text("Importando…").wait_for()
    assert auditar(pagina) == []
    captura(pagina, "importar-4-importando")

    # El worker hace la importación; la página se actualiza sola.
    importacion = Importacion.objects.get(nombre_archivo="registro_anterior.xlsx")
    assert services.ejecutar(importacion.pk)
    pagina.get_by_text("Importación terminada").wait_for(timeout=10000)
    texto = pagina.locator("main").inner_text()
    assert "Se importaron 20 casos de «registro_anterior.xlsx»" in texto
    assert auditar(pagina) == []
    captura(pagina, "importar-5-resultado")

    pagina.get_by_role("link", name="MED-2025-00052").click()
    pagina.wait_for_url("**/casos/MED-2025-00052/")
    texto = pagina.locator("main").inner_text()
    assert "Folio anterior" in texto and "M-118/2025" in texto
    assert "Importado del registro anterior (registro_anterior.xlsx, renglón 6)." in texto
    assert auditar(pagina) == []
    captura(pagina, "importar-6-caso-importado")

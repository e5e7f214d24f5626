"""Documentos desde el expediente, en Chromium real: pedir la invitación (sin volver a escribir
la fecha ni el lugar), ver «Generando…» que cambia solo a «Listo», abrir el PDF y subir el
ejemplar firmado."""

import io

import pytest
import time_machine
from PIL import Image

from plantillas.models import Documento, EstadoDocumento
from plantillas.services import generar
from tests.casos.etapas import AHORA, admitido
from tests.conftest import CLAVE

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def test_pedir_ver_generar_y_subir_firmado(
    pagina, captura, nuevo_caso, coordinadora, certificado, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(AHORA, tick=True):
        caso = nuevo_caso(nombre="Guadalupe Aceves Ramos").caso
        admitido(caso, coordinadora, certificado)
        solicitante = caso.partes.get(rol="solicitante")
        solicitante.domicilio = "Av. Juárez 300"
        solicitante.save()

        pagina.goto(f"/cuentas/entrar/?next=/casos/{caso.folio}/")
        pagina.get_by_label("Usuario").fill("mediador")
        pagina.get_by_label("Contraseña").fill(CLAVE)
        pagina.get_by_role("button", name="Entrar").click()
        # La invitación no pide fecha ni lugar: los toma de la sesión cuando la hay.
        pagina.get_by_role("button", name="Generar invitación a la otra parte (intento 1)").click()
        pagina.get_by_text("Se está generando invitación a la otra parte (intento 1)").wait_for()
        fila = pagina.locator("#documentos tr", has_text="Invitación a la otra parte")
        fila.get_by_text("Generando…").wait_for()
        captura(pagina, "mediador-documento-generando")

        # El worker lo genera; la página se entera sola.
        documento = Documento.objects.get(caso=caso, tipo="invitacion")
        assert generar(documento.pk)
        fila.get_by_text("Listo").wait_for(timeout=10000)

        pagina.reload()
        with pagina.expect_popup() as ventana:
            fila.get_by_role("link", name="Invitación a la otra parte (intento 1)").click()
        pdf = ventana.value
        pdf.wait_for_load_state()
        respuesta = pagina.request.get(f"/documentos/{documento.pk}/")
        assert respuesta.headers["content-type"] == "application/pdf"
        assert respuesta.body().startswith(b"%PDF-")
        pdf.close()

        escaneo = tmp_path / "escaneo.png"
        salida = io.BytesIO()
        Image.new("RGB", (60, 80), "white").save(salida, "PNG")
        escaneo.write_bytes(salida.getvalue())
        fila.get_by_label("Subir escaneo").set_input_files(str(escaneo))
        fila.get_by_role("button", name="Guardar").click()
        pagina.get_by_text("quedó bloqueada").wait_for()
        captura(pagina, "mediador-documento-firmado")
        documento.refresh_from_db()
        assert documento.bloqueado and documento.estado == EstadoDocumento.LISTO

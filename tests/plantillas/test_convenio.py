"""El convenio de mediación en PDF: los campos del art. 94, o un mensaje claro si falta algo."""

import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from plantillas.models import EstadoDocumento, TipoDocumento
from plantillas.services import generar, solicitar_documento
from tests.casos.etapas import (
    admitido,
    completar_partes,
    con_sesion,
    convenio_listo,
    en,
    firmado,
    invitado,
    sesion_celebrada,
)

pytestmark = pytest.mark.usefixtures("reloj")


@pytest.fixture(autouse=True)
def _medios(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def con_convenio(nuevo_caso, coordinadora, certificado, sala, reloj):
    caso = nuevo_caso(nombre="Guadalupe Aceves Ramos").caso
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala)
    reloj.move_to(en(date(2026, 11, 26), 12))
    sesion_celebrada(sesion, certificado)
    convenio_listo(caso, certificado)
    caso.refresh_from_db()
    return caso


def test_convenio_incompleto_da_un_mensaje_con_lo_que_falta(con_convenio, certificado, client):
    with pytest.raises(ValidationError) as error:
        solicitar_documento(caso=con_convenio, tipo=TipoDocumento.CONVENIO, actor=certificado)
    mensaje = " ".join(error.value.messages)
    assert "edad" in mensaje and "ocupación" in mensaje and "Guadalupe Aceves Ramos" in mensaje
    client.force_login(certificado)
    respuesta = client.post(
        reverse("plantillas:generar", args=[con_convenio.folio, "convenio"]), follow=True
    )
    assert "Antes de generar el documento, complete" in respuesta.content.decode()


def test_el_convenio_lleva_lo_que_exige_el_articulo_94(con_convenio, certificado, tmp_path):
    completar_partes(con_convenio, certificado)
    firmado(con_convenio, certificado)
    documento = solicitar_documento(
        caso=con_convenio, tipo=TipoDocumento.CONVENIO, actor=certificado
    )
    assert generar(documento.pk)
    documento.refresh_from_db()
    assert documento.estado == EstadoDocumento.LISTO
    texto = subprocess.run(
        ["pdftotext", documento.archivo.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    # El texto va justificado con división silábica: se unen las palabras partidas.
    texto_plano = " ".join(texto.split()).replace("\u2010 ", "").replace("- ", "")
    for esperado in (
        "CONVENIO DE MEDIACIÓN",
        con_convenio.folio,
        "Atotonilco el Alto, Jalisco",
        "26 de noviembre de 2026",
        "Guadalupe Aceves Ramos",
        "Pedro López",
        "40 años",
        "mexicana",
        "Casado(a)",
        "comerciante",
        "Calle Hidalgo 12",
        "Diferencias por la barda colindante.",
        "Retirar la barda 40 cm hacia su predio.",
        "Por su cuenta",
        "Calle Morelos 45",
        "18 de diciembre de 2026",
        "No construir sobre la colindancia.",
        "podrá pedir su ejecución ante el juez",
        f"IJA-{certificado.pk:04d}",
    ):
        assert esperado in texto_plano, esperado
    assert "Página 1 de" in texto_plano and f"Folio {con_convenio.folio}" in texto_plano
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            documento.archivo.path,
            str(tmp_path / "convenio"),
        ],
        check=True,
    )
    from PIL import Image

    imagen = Image.open(next(tmp_path.glob("convenio*.png"))).convert("L")
    assert sum(imagen.histogram()[:128]) > imagen.width * imagen.height * 0.01
    (Path("/tmp") / "convenio-prueba.pdf").write_bytes(Path(documento.archivo.path).read_bytes())


def test_solo_el_responsable_o_la_coordinacion_lo_piden(con_convenio, otro_certificado, client):
    client.force_login(otro_certificado)
    respuesta = client.post(reverse("plantillas:generar", args=[con_convenio.folio, "convenio"]))
    assert respuesta.status_code == 403


def test_el_boton_del_convenio_aparece_para_quien_lo_lleva(
    con_convenio, certificado, otro_certificado, client
):
    url = reverse("casos:detalle", args=[con_convenio.folio])
    client.force_login(certificado)
    assert "Generar el convenio (PDF)" in client.get(url).content.decode()
    client.force_login(otro_certificado)
    assert "Generar el convenio (PDF)" not in client.get(url).content.decode()

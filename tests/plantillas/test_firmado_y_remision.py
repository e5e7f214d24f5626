"""Ejemplar firmado (tipo por contenido, tamaño, versión bloqueada), oficio de remisión de
convenios al registro, y el logotipo del centro en los documentos."""

import io
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from casos.models import Caso, Centro, EstadoRegistro
from casos.services import mediacion as med
from plantillas.contextos import logo_del_centro
from plantillas.models import Documento, TipoDocumento
from plantillas.services import adjuntar_firmado, remitir_convenios
from tests.casos.etapas import (
    hasta_el_convenio_firmado,
)

from .conftest import generado, primera_pagina_no_blanca, texto_pdf

pytestmark = pytest.mark.usefixtures("reloj")


def _png(ancho=40, alto=20) -> bytes:
    salida = io.BytesIO()
    Image.new("RGB", (ancho, alto), "navy").save(salida, "PNG")
    return salida.getvalue()


PDF_MINIMO = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def acuse_listo(nuevo_caso):
    return generado(Documento.objects.get(caso=nuevo_caso().caso))


def test_el_firmado_bloquea_la_version(acuse_listo, coordinadora):
    documento = adjuntar_firmado(
        documento=acuse_listo,
        archivo=SimpleUploadedFile("escaneo.pdf", PDF_MINIMO),
        actor=coordinadora,
    )
    assert documento.bloqueado and documento.firmado_tipo == "application/pdf"
    assert len(documento.firmado_sha256) == 64
    assert documento.firmado.name.endswith("-acuse-v1-firmado.pdf")
    with pytest.raises(ValidationError, match="bloqueada"):
        adjuntar_firmado(
            documento=documento,
            archivo=SimpleUploadedFile("otro.png", _png()),
            actor=coordinadora,
        )
    assert documento.caso.eventos.filter(descripcion__contains="ejemplar firmado").exists()


@pytest.mark.parametrize(
    ("nombre", "contenido", "error"),
    [
        ("falso.pdf", b"<html>no soy un pdf</html>", "no es un PDF, JPG ni PNG"),
        ("programa.png", b"MZ\x90\x00" + b"\x00" * 100, "no es un PDF, JPG ni PNG"),
        ("cortado.pdf", b"%PDF-1.4\n1 0 obj<<>>", "incompleto o dañado"),
        ("cortada.png", _png()[:30], "incompleta o dañada"),
        ("vacio.pdf", b"", "vacío"),
    ],
)
def test_el_tipo_se_revisa_por_el_contenido(acuse_listo, coordinadora, nombre, contenido, error):
    with pytest.raises(ValidationError, match=error):
        adjuntar_firmado(
            documento=acuse_listo,
            archivo=SimpleUploadedFile(nombre, contenido),
            actor=coordinadora,
        )
    acuse_listo.refresh_from_db()
    assert not acuse_listo.bloqueado


def test_el_tamano_tiene_limite(acuse_listo, coordinadora, settings):
    settings.DOCUMENTO_FIRMADO_MAX_MB = 1
    grande = PDF_MINIMO[:-6] + b" " * (1024 * 1024) + b"%%EOF\n"
    with pytest.raises(ValidationError, match="el máximo es 1 MB"):
        adjuntar_firmado(
            documento=acuse_listo,
            archivo=SimpleUploadedFile("grande.pdf", grande),
            actor=coordinadora,
        )


def test_subir_y_ver_el_firmado_desde_el_caso(acuse_listo, coordinadora, operadora, client):
    caso = acuse_listo.caso
    detalle = reverse("casos:detalle", args=[caso.folio])
    client.force_login(coordinadora)
    assert "Subir escaneo" in client.get(detalle).text
    respuesta = client.post(
        reverse("plantillas:subir_firmado", args=[acuse_listo.pk]),
        {"archivo": SimpleUploadedFile("firmado.png", _png(), content_type="image/png")},
        follow=True,
    )
    assert "quedó bloqueada" in respuesta.text and "Ver firmado" in respuesta.text
    descarga = client.get(reverse("plantillas:firmado", args=[acuse_listo.pk]))
    assert descarga.status_code == 200 and descarga["Content-Type"] == "image/png"
    assert b"".join(descarga.streaming_content) == _png()
    # Quien capturó el caso (sin llevarlo) lo ve, pero no sube; quien no tiene relación con
    # él, ni lo ve.
    client.force_login(operadora)
    assert client.get(reverse("plantillas:firmado", args=[acuse_listo.pk])).status_code == 403
    Caso.objects.filter(pk=caso.pk).update(capturado_por=operadora)
    assert client.get(reverse("plantillas:firmado", args=[acuse_listo.pk])).status_code == 200
    respuesta = client.post(
        reverse("plantillas:subir_firmado", args=[acuse_listo.pk]),
        {"archivo": SimpleUploadedFile("x.png", _png())},
    )
    assert respuesta.status_code == 403


def test_un_archivo_que_no_es_se_rechaza_con_mensaje(acuse_listo, coordinadora, client):
    client.force_login(coordinadora)
    respuesta = client.post(
        reverse("plantillas:subir_firmado", args=[acuse_listo.pk]),
        {"archivo": SimpleUploadedFile("firmado.pdf", b"hola", content_type="application/pdf")},
        follow=True,
    )
    assert "no es un PDF, JPG ni PNG" in respuesta.text
    acuse_listo.refresh_from_db()
    assert not acuse_listo.bloqueado


# --- Remisión al registro ------------------------------------------------------------------


@pytest.fixture
def dos_firmados(nuevo_caso, coordinadora, certificado, sala, reloj):
    casos = []
    for hora in (10, 12):
        caso = nuevo_caso().caso
        casos.append(hasta_el_convenio_firmado(caso, coordinadora, certificado, sala, reloj, hora))
    return casos


def test_oficio_de_remision_con_la_lista_de_convenios(dos_firmados, coordinadora, tmp_path):
    from casos.models import PerfilPersonal

    PerfilPersonal.objects.create(usuario=coordinadora, cargo="Coordinadora de mediación")
    convenios = [c.convenio for c in dos_firmados]
    remision = remitir_convenios(
        actor=coordinadora, convenios=convenios, destinatario="Instituto de Justicia Alternativa"
    )
    assert remision.numero == "REM-2026-0001"
    documento = generado(remision.documentos.get())
    assert documento.caso is None and documento.tipo == TipoDocumento.OFICIO_REMISION
    texto = texto_pdf(documento.archivo.path)
    plano = " ".join(texto.split())
    assert "Por este medio, la Dirección de Vinculación Ciudadana remite" in plano
    assert "Coordinadora de mediación" in texto
    for esperado in (
        "Oficio núm. REM-2026-0001",
        "Instituto de Justicia Alternativa",
        "remite 2 convenios",
        dos_firmados[0].folio,
        dos_firmados[1].folio,
        "26/11/2026",
        "Folio REM-2026-0001",
    ):
        assert esperado in texto, esperado
    primera_pagina_no_blanca(documento, tmp_path)
    for caso in dos_firmados:
        assert caso.eventos.filter(descripcion__contains="REM-2026-0001").exists()
    # Un convenio que ya va en un oficio no entra en otro (hasta que lo prevengan).
    with pytest.raises(ValidationError, match=f"{dos_firmados[0].folio} no está listo"):
        remitir_convenios(actor=coordinadora, convenios=convenios[:1], destinatario="IJA")
    caso = dos_firmados[0]
    med.enviar_a_registro(caso=caso, actor=coordinadora)
    med.registrar_respuesta_registro(
        caso=caso,
        actor=coordinadora,
        estado_registro=EstadoRegistro.PREVENIDO,
        observaciones="Falta la edad en letra.",
    )
    caso.convenio.refresh_from_db()
    siguiente = remitir_convenios(actor=coordinadora, convenios=[caso.convenio], destinatario="IJA")
    assert siguiente.numero == "REM-2026-0002"


def test_solo_convenios_firmados_y_sin_enviar(dos_firmados, coordinadora, certificado):
    caso = dos_firmados[0]
    med.enviar_a_registro(caso=caso, actor=certificado)
    with pytest.raises(ValidationError, match=f"{caso.folio} no está listo"):
        remitir_convenios(actor=coordinadora, convenios=[caso.convenio], destinatario="IJA")
    caso.convenio.refresh_from_db()
    assert caso.convenio.estado_registro == EstadoRegistro.ENVIADO


def test_pantalla_de_remisiones(dos_firmados, coordinadora, certificado, client):
    client.force_login(certificado)
    assert client.get(reverse("plantillas:remisiones")).status_code == 403
    client.force_login(coordinadora)
    pagina = client.get(reverse("plantillas:remisiones"))
    assert dos_firmados[0].folio in pagina.text
    assert "Instituto de Justicia Alternativa del Estado de Jalisco" in pagina.text
    vacia = client.post(reverse("plantillas:remisiones"), {"destinatario": "IJA"})
    assert vacia.status_code == 400 and "Elija al menos un convenio" in vacia.text
    hecha = client.post(
        reverse("plantillas:remisiones"),
        {"destinatario": "IJA", "convenios": [dos_firmados[0].convenio.pk]},
        follow=True,
    )
    assert "REM-2026-0001" in hecha.text
    documento = Documento.objects.get(remision__numero="REM-2026-0001")
    assert client.get(reverse("plantillas:descargar", args=[documento.pk])).status_code == 202
    client.force_login(certificado)  # sin permiso de remitir no ve el oficio
    assert client.get(reverse("plantillas:descargar", args=[documento.pk])).status_code == 403


# --- Logotipo ------------------------------------------------------------------------------


def test_el_logotipo_sale_en_el_documento(nuevo_caso):
    from django.core.files.base import ContentFile

    centro = Centro.actual()
    centro.logo.save("escudo.png", ContentFile(_png(200, 200)), save=True)
    assert logo_del_centro(centro).startswith("data:image/png;base64,")
    documento = generado(Documento.objects.get(caso=nuevo_caso().caso))
    imagenes = subprocess.run(
        ["pdfimages", "-list", documento.archivo.path], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert len(imagenes) == 1  # el logotipo (el QR es vectorial)


def test_un_logotipo_que_no_es_imagen_no_se_usa(db):
    from django.core.files.base import ContentFile

    centro = Centro.actual()
    centro.logo.save("escudo.png", ContentFile(b"<svg onload=alert(1)>"), save=True)
    assert logo_del_centro(centro) == ""

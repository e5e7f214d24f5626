"""Formato en papel del módulo y su captura posterior con la fecha y hora reales."""

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from casos.models import AvisoPrivacidad, Caso, Categoria, TipoCaso
from modulos import formato


@pytest.fixture(autouse=True)
def _archivos_en_temporal(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_el_formato_se_genera_en_el_worker_y_despues_se_entrega(client, operadora, tmp_path):
    client.force_login(operadora)
    assert client.get(reverse("modulos:formato")).status_code == 202  # se está generando
    ruta = formato.generar()  # lo que hace la tarea en la cola `pdf`
    assert formato.generar() == ruta  # otra vez: el mismo archivo, sin volver a generarlo
    respuesta = client.get(reverse("modulos:formato"))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/pdf"
    pdf = tmp_path / "descargado.pdf"
    pdf.write_bytes(b"".join(respuesta.streaming_content))
    texto = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    aviso = AvisoPrivacidad.vigente()
    assert "SOLICITUD EN MÓDULO ITINERANTE" in texto
    assert "Aviso de privacidad simplificado" in texto
    assert " ".join(aviso.texto_simplificado.split()[:6]) in " ".join(texto.split())
    assert "Conflicto vecinal" in texto
    assert "Hora de recepción" in texto
    # La imagen de cada hoja, para mirarla (tests/capturas/modulo-formato-papel-N.png).
    capturas = Path(__file__).resolve().parent.parent / "capturas"
    capturas.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(pdf), str(capturas / "modulo-formato-papel")],
        check=True,
    )
    assert (capturas / "modulo-formato-papel-1.png").exists()


def test_un_cambio_en_el_aviso_pide_un_formato_nuevo(operadora):
    primera = formato.generar()
    aviso = AvisoPrivacidad.vigente()
    aviso.texto_simplificado += " Texto actualizado."
    aviso.save()
    assert formato.archivo_listo() is None
    assert formato.generar() != primera


def _datos(modulo, **extra):
    categoria = Categoria.objects.filter(tipo=TipoCaso.ASESORIA).first()
    datos = {
        "modulo": modulo.pk,
        "tipo": TipoCaso.ASESORIA,
        "categoria": categoria.pk,
        "localidad": modulo.localidad_id,
        "nombre": "Rosa Jiménez",
        "domicilio": "Calle Morelos 4",
        "resumen": "Orientación sobre su terreno.",
        "aviso": "on",
    }
    datos.update(extra)
    return datos


def test_lo_del_papel_se_captura_despues_con_su_fecha_y_hora_real(client, operadora, modulo):
    client.force_login(operadora)
    real = timezone.localtime() - timedelta(hours=2)
    respuesta = client.post(
        reverse("casos:nueva_modulo"),
        _datos(modulo, recibido_en=real.strftime("%Y-%m-%dT%H:%M")),
    )
    assert respuesta.status_code == 302
    caso = Caso.objects.get()
    assert timezone.localtime(caso.recibido_en).strftime("%Y-%m-%d %H:%M") == real.strftime(
        "%Y-%m-%d %H:%M"
    )
    assert caso.modulo == modulo


@pytest.mark.parametrize(
    ("desfase", "mensaje"),
    [
        (timedelta(hours=3), "no puede ser futura"),
        (-timedelta(days=3), "anterior a la jornada"),
    ],
)
def test_la_fecha_real_no_es_futura_ni_anterior_a_la_jornada(
    client, operadora, modulo, desfase, mensaje
):
    client.force_login(operadora)
    cuando = timezone.localtime() + desfase
    respuesta = client.post(
        reverse("casos:nueva_modulo"),
        _datos(modulo, recibido_en=cuando.strftime("%Y-%m-%dT%H:%M")),
    )
    assert respuesta.status_code == 400
    assert mensaje in respuesta.content.decode()
    assert "Rosa Jiménez" in respuesta.content.decode()  # nada de lo escrito se pierde
    assert not Caso.objects.exists()

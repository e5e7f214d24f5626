"""Documentos: versiones con SHA-256, render seguro, texto del acuse y su imagen."""

import hashlib
from pathlib import Path

import pytest
from django.test import override_settings

from plantillas.models import Documento, EstadoDocumento, TipoDocumento
from plantillas.render import RecursoNoPermitido, _fetcher_seguro, renderizar
from plantillas.services import generar, solicitar_documento

from .conftest import generado, primera_pagina_no_blanca, texto_pdf


def test_cada_recepcion_pide_su_acuse(nuevo_caso):
    caso = nuevo_caso().caso
    acuse = Documento.objects.get(caso=caso)
    assert acuse.tipo == TipoDocumento.ACUSE and acuse.version == 1
    assert acuse.estado == EstadoDocumento.PENDIENTE


def test_generar_el_acuse_con_sus_datos(nuevo_caso):
    recibida = nuevo_caso(nombre="Martha Elena Padilla Orozco")
    documento = Documento.objects.get(caso=recibida.caso)
    assert generar(documento.pk) is True
    documento.refresh_from_db()
    assert documento.estado == EstadoDocumento.LISTO and documento.paginas == 1
    contenido = Path(documento.archivo.path).read_bytes()
    assert documento.sha256 == hashlib.sha256(contenido).hexdigest()
    texto = texto_pdf(documento.archivo.path)
    for esperado in (
        "ACUSE DE SOLICITUD",
        recibida.caso.folio,
        recibida.codigo_legible,
        "Martha Elena Padilla Orozco",
        "Línea telefónica",
        "Aviso de privacidad simplificado",
        "/consulta/?folio=" + recibida.caso.folio,
        "Página 1 de 1",
        f"Folio {recibida.caso.folio}",
        "Versión 1 · plantilla 2026.1 · generado el",
    ):
        assert esperado in texto, esperado


def test_la_primera_pagina_no_esta_en_blanco(nuevo_caso, tmp_path):
    documento = generado(Documento.objects.get(caso=nuevo_caso().caso))
    primera_pagina_no_blanca(documento, tmp_path)


def test_regenerar_crea_otra_version_y_no_sobrescribe(nuevo_caso, operadora):
    caso = nuevo_caso().caso
    primera = Documento.objects.get(caso=caso)
    generar(primera.pk)
    segunda = solicitar_documento(caso=caso, tipo=TipoDocumento.ACUSE, actor=operadora)
    generar(segunda.pk)
    primera.refresh_from_db()
    segunda.refresh_from_db()
    assert (primera.version, segunda.version) == (1, 2)
    assert primera.archivo.name != segunda.archivo.name
    assert Path(primera.archivo.path).exists() and Path(segunda.archivo.path).exists()


def test_solo_un_worker_genera_cada_documento(nuevo_caso):
    documento = Documento.objects.get(caso=nuevo_caso().caso)
    assert generar(documento.pk) is True
    assert generar(documento.pk) is False  # ya estaba listo: nadie más lo toma


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/admin/",
        "https://ejemplo.com/logo.png",
        "recurso:../../config/settings.py",
        "recurso:no-existe.css",
    ],
)
def test_el_fetcher_no_trae_nada_que_no_sea_propio(url):
    with pytest.raises(RecursoNoPermitido):
        _fetcher_seguro().fetch(url)


def test_urls_en_datos_o_plantillas_no_se_cargan(tmp_path, settings):
    """Una plantilla (o un dato) que apunta a archivos o a la red no los trae al PDF."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    (tmp_path / "malicioso.html").write_text(
        '<html><body><p>Hola</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        '<link rel="stylesheet" href="file:///etc/passwd"></body></html>'
    )
    pdf = renderizar("malicioso.html", {})
    archivo = tmp_path / "m.pdf"
    archivo.write_bytes(pdf.contenido)
    texto = texto_pdf(archivo)
    assert "Hola" in texto and "root:" not in texto


def test_los_datos_del_usuario_se_imprimen_comotexto_pdf(nuevo_caso):
    maliciosa = "<img src=x onerror=alert(1)> <b>negritas</b>"
    documento = Documento.objects.get(caso=nuevo_caso(nombre=maliciosa).caso)
    generar(documento.pk)
    documento.refresh_from_db()
    assert "<img src=x onerror=alert(1)>" in texto_pdf(documento.archivo.path)


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_si_el_render_falla_queda_pendiente_y_luego_fallido(nuevo_caso, monkeypatch):
    import plantillas.services as servicios

    documento = Documento.objects.get(caso=nuevo_caso().caso)
    monkeypatch.setattr(
        servicios, "renderizar", lambda *a, **k: (_ for _ in ()).throw(OSError("sin fuentes"))
    )
    for intento in range(3):
        with pytest.raises(OSError):
            generar(documento.pk)
        documento.refresh_from_db()
        esperado = EstadoDocumento.FALLIDO if intento == 2 else EstadoDocumento.PENDIENTE
        assert documento.estado == esperado and "sin fuentes" in documento.error

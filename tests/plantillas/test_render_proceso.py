"""Memoria del worker de PDF: una `FontConfiguration` y una hoja de estilo analizada por
proceso, reusadas entre documentos; creadas en el hijo del worker, no en el padre."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

from plantillas import render
from plantillas.models import Documento, TipoDocumento
from plantillas.services import solicitar_documento

from .conftest import generado, texto_pdf

RAIZ = Path(__file__).resolve().parents[2]


@pytest.fixture
def proceso_nuevo(monkeypatch):
    """Como un hijo recién bifurcado del worker: todavía no ha renderizado nada."""
    monkeypatch.setattr(render, "_por_proceso", threading.local())


def _contar_construcciones(monkeypatch, clase) -> list:
    """Cuenta cada instancia nueva de `clase`, la cree quien la cree (también WeasyPrint
    cuando no recibe una)."""
    creadas = []
    original = clase.__init__

    def __init__(self, *args, **kwargs):
        creadas.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(clase, "__init__", __init__)
    return creadas


def test_dos_documentos_del_mismo_proceso_comparten_fuentes_y_hoja(
    proceso_nuevo, nuevo_caso, operadora, monkeypatch
):
    fuentes = _contar_construcciones(monkeypatch, FontConfiguration)
    hojas = _contar_construcciones(monkeypatch, CSS)
    caso = nuevo_caso().caso
    primero = generado(Documento.objects.get(caso=caso))
    segundo = generado(solicitar_documento(caso=caso, tipo=TipoDocumento.ACUSE, actor=operadora))
    assert len(fuentes) == 1, "se creó una FontConfiguration por render"
    assert len(hojas) == 1, "la hoja de estilo se analizó en cada render"
    assert render.configuracion_fuentes() is fuentes[0]
    # La hoja compartida sí se aplica: el pie de página sale de ella.
    for documento in (primero, segundo):
        assert f"Folio {caso.folio}" in texto_pdf(documento.archivo.path)


def test_cada_hilo_tiene_las_suyas(proceso_nuevo):
    en_otro_hilo = []
    hilo = threading.Thread(target=lambda: en_otro_hilo.append(render.configuracion_fuentes()))
    hilo.start()
    hilo.join()
    assert render.configuracion_fuentes() is render.configuracion_fuentes()
    assert render.configuracion_fuentes() is not en_otro_hilo[0]


def test_un_proceso_bifurcado_crea_las_suyas_y_no_libera_las_del_padre(proceso_nuevo):
    del_padre = render.configuracion_fuentes()
    lectura, escritura = os.pipe()
    pid = os.fork()
    if pid == 0:  # el hijo: solo calcula y sale, sin tocar la base ni pytest
        try:
            propia = render.configuracion_fuentes()
            ok = (
                propia is not del_padre
                and render.configuracion_fuentes() is propia
                and del_padre in render._por_proceso.heredadas
            )
            os.write(escritura, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(escritura)
    respuesta = os.read(lectura, 1)
    os.close(lectura)
    os.waitpid(pid, 0)
    assert respuesta == b"1"
    assert render.configuracion_fuentes() is del_padre


def test_el_padre_del_worker_no_las_crea_al_arrancar():
    """Lo que importa el proceso padre del worker (la app de Celery y sus tareas) no crea
    fuentes ni hoja: se crean en cada hijo, al primer documento."""
    codigo = (
        "import django; django.setup();"
        "from config.celery import app; app.loader.import_default_modules();"
        "import plantillas.tasks; from plantillas import render;"
        "print(hasattr(render._por_proceso, 'pid'))"
    )
    salida = subprocess.run(
        [sys.executable, "-c", codigo],
        cwd=RAIZ,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert salida.stdout.strip().splitlines()[-1] == "False"

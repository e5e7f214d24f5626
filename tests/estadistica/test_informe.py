"""El informe estadístico mensual con las cifras reales del conjunto hecho a mano: el PDF se
genera por la tarea de la cola `pdf`, se lee con pdftotext y su página 1 se convierte a PNG;
y el avance de las metas del POA, escrito a mano."""

from datetime import date
from pathlib import Path

import pytest

from estadistica import metas, resumen
from estadistica.models import MetaPOA, ProgramaPOA
from plantillas.models import Documento, TipoDocumento
from plantillas.services import pedir_informe_estadistico
from tests.plantillas.conftest import generado, primera_pagina_no_blanca, texto_pdf

pytestmark = pytest.mark.django_db
CAPTURAS = Path(__file__).resolve().parent.parent / "capturas"


@pytest.fixture
def con_metas(conjunto, direccion):
    resumen.rehacer()
    programa = ProgramaPOA.objects.create(clave="4", nombre="Mediación comunitaria", tipo="MED")
    asesoria = ProgramaPOA.objects.create(clave="10", nombre="Asesoría ciudadana", tipo="ASE")
    MetaPOA.objects.create(
        anio=2026,
        programa=programa,
        actividad="Sesiones de mediación",
        indicador="sesiones",
        meta=24,
    )
    MetaPOA.objects.create(
        anio=2026,
        programa=asesoria,
        actividad="Personas atendidas en módulos",
        indicador="personas_modulo",
        meta=12,
    )
    MetaPOA.objects.create(
        anio=2026, programa=asesoria, actividad="Jornadas de módulo", indicador="jornadas", meta=24
    )
    return conjunto


def test_avance_de_las_metas(con_metas):
    # Hoy es el 24/11/2026: día 328 de 365.
    avance = {a.meta.actividad: a for a in metas.avance(anio=2026, hoy=date(2026, 11, 24))}
    sesiones = avance["Sesiones de mediación"]
    # Celebradas: A el 14/09 y C el 21/10.
    assert sesiones.mensual[8:11] == [1, 1, 0] and sesiones.logrado == 2
    assert sesiones.porcentaje == 8.3
    assert sesiones.proyeccion == round(2 / (328 / 365))
    assert sesiones.acumulado[:11] == [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2]
    assert sesiones.acumulado[11] is None
    # En módulo: C (octubre), G y H (noviembre).
    assert avance["Personas atendidas en módulos"].mensual[9:11] == [1, 2]
    assert avance["Jornadas de módulo"].logrado == 1


def test_el_informe_mensual_lleva_las_cifras_las_graficas_y_la_firma(
    con_metas, direccion, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        documento = pedir_informe_estadistico(
            desde=date(2026, 11, 1),
            hasta=date(2026, 11, 30),
            parametros={},
            descripcion=[],
            actor=None,
            automatico=True,
        )
    documento = Documento.objects.get(pk=documento.pk)
    if documento.estado != "listo":
        documento = generado(documento)
    assert documento.tipo == TipoDocumento.INFORME_ESTADISTICO and len(documento.sha256) == 64
    texto = texto_pdf(documento.archivo.path)
    for esperado in (
        "Informe estadístico mensual",
        "noviembre de 2026",
        "Lo principal del periodo",
        "Cumplimiento de los plazos",
        "Metas del POA 2026",
        "Sesiones de mediación",
        "Patricia" if "Patricia" in texto else direccion.get_full_name() or direccion.username,
    ):
        assert esperado in texto, esperado
    # Noviembre: 5 solicitudes recibidas (F, G, H, I, J).
    assert "Solicitudes recibidas 3 2 5" in texto
    # Ningún dato de una persona.
    for caso in con_metas["casos"].values():
        assert caso.solicitante.nombre not in texto and caso.folio not in texto
    CAPTURAS.mkdir(exist_ok=True)
    primera_pagina_no_blanca(documento, CAPTURAS)

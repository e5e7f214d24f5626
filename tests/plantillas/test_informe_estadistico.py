"""Informe estadístico mensual de la Dirección: el contenido lo pone un proveedor registrado
(aquí uno de prueba), el PDF sale por la misma generación que el resto de los documentos, el
mensual automático se pide una sola vez el primer día hábil del mes y lo descarga solo quien
ve la estadística."""

import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from casos.models import AccesoExpediente, Centro, DiaInhabil
from plantillas import informes, selectors
from plantillas.models import Documento, EstadoDocumento, InformeEstadistico, TipoDocumento
from plantillas.services import (
    generar,
    informe_del_mes_anterior,
    pedir_informe_estadistico,
    primer_dia_habil,
)

from .conftest import generado, primera_pagina_no_blanca, texto_pdf

CAPTURAS = Path(__file__).resolve().parent.parent / "capturas"

TABLA = mark_safe(
    "<table><caption>Solicitudes recibidas por tipo</caption>"
    "<thead><tr><th>Tipo</th><th>Solicitudes</th></tr></thead>"
    "<tbody><tr><td>Mediación</td><td>137</td></tr><tr><td>Asesoría</td><td>42</td></tr>"
    "</tbody></table>"
)
GRAFICA = mark_safe(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 120" role="img">'
    "<title>Casos concluidos por mes</title>"
    '<rect x="10" y="20" width="180" height="90" fill="#0072B2"/>'
    '<rect x="210" y="60" width="180" height="50" fill="#D55E00"/>'
    '<text x="100" y="15" font-size="14" text-anchor="middle">Octubre</text>'
    "</svg>"
)


def proveedor_de_prueba(informe: InformeEstadistico) -> dict:
    meses = {10: "octubre", 11: "noviembre", 12: "diciembre"}
    return {
        "titulo": "Informe estadístico mensual",
        "periodo": f"{meses.get(informe.desde.month, 'mes')} de {informe.desde.year}",
        "filtros": [tuple(par) for par in informe.descripcion],
        "datos_al": timezone.make_aware(datetime(2026, 11, 30, 23, 59)),
        "secciones": [
            {"titulo": "Solicitudes recibidas", "html": TABLA},
            {"titulo": "Casos concluidos", "html": GRAFICA},
        ],
        "firma": {"nombre": "Mtra. Laura Gómez Ruiz", "cargo": "Dirección de Vinculación"},
    }


@pytest.fixture
def proveedor(monkeypatch):
    monkeypatch.setitem(informes._registro, "proveedor", proveedor_de_prueba)
    return proveedor_de_prueba


@pytest.fixture
def noviembre(proveedor, catalogos) -> Documento:
    return pedir_informe_estadistico(
        desde=date(2026, 11, 1),
        hasta=date(2026, 11, 30),
        parametros={},
        descripcion=[],
        actor=None,
        automatico=True,
    )


def test_el_pdf_lleva_encabezado_periodo_cifras_firma_y_paginas(
    direccion, proveedor, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True) as encolados:
        documento = pedir_informe_estadistico(
            desde=date(2026, 11, 1),
            hasta=date(2026, 11, 30),
            parametros={"tipo": "MED", "localidad": "7"},
            descripcion=[["Tipo de caso", "Mediación"], ["Localidad", "Milpillas"]],
            actor=direccion,
        )
    assert len(encolados) == 1
    documento.refresh_from_db()
    # Al confirmar se encoló una sola vez y la tarea de la cola `pdf` (en el acto) lo generó.
    assert documento.estado == EstadoDocumento.LISTO, documento.error
    assert documento.version == 1 and len(documento.sha256) == 64
    assert documento.tipo == TipoDocumento.INFORME_ESTADISTICO
    assert documento.caso is None and documento.remision is None
    informe = documento.informe
    assert informe.numero == "INF-2026-11-A" and not informe.automatico
    assert informe.pedido_por == direccion
    assert informe.parametros == {"tipo": "MED", "localidad": "7"}
    assert documento.nombre_archivo == "INF-2026-11-A-informe_estadistico-v1.pdf"
    assert documento.archivo.name.startswith("documentos/2026/")

    texto = texto_pdf(documento.archivo.path)
    for esperado in (
        Centro.actual().nombre,
        "Informe estadístico mensual",
        "noviembre de 2026",
        "Tipo de caso: Mediación; Localidad: Milpillas",
        "Datos al 30/11/2026 23:59",
        "Solicitudes recibidas",
        "137",
        "Casos concluidos",
        "Elaboró",
        "Mtra. Laura Gómez Ruiz",
        "Dirección de Vinculación",
        "Página 1 de",
        "Informe INF-2026-11-A",
    ):
        assert esperado in texto, esperado

    CAPTURAS.mkdir(exist_ok=True)
    salida = CAPTURAS / "informe_estadistico"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", documento.archivo.path, salida],
        check=True,
    )
    captura = next(CAPTURAS.glob("informe_estadistico*.png"))
    assert captura.stat().st_size > 10_000
    primera_pagina_no_blanca(documento, CAPTURAS)


def test_el_segundo_informe_del_mes_lleva_la_letra_siguiente(direccion, proveedor):
    for letra in "AB":
        documento = pedir_informe_estadistico(
            desde=date(2026, 11, 3),
            hasta=date(2026, 11, 20),
            parametros={},
            descripcion=[],
            actor=direccion,
        )
        assert documento.informe.numero == f"INF-2026-11-{letra}"
        assert documento.version == 1


def test_el_mensual_automatico_es_uno_solo(noviembre, django_capture_on_commit_callbacks):
    assert noviembre.informe.numero == "INF-2026-11" and noviembre.informe.automatico
    assert noviembre.informe.pedido_por is None and noviembre.solicitado_por is None
    with django_capture_on_commit_callbacks() as encolados:
        otra_vez = pedir_informe_estadistico(
            desde=date(2026, 11, 1),
            hasta=date(2026, 11, 30),
            parametros={},
            descripcion=[],
            actor=None,
            automatico=True,
        )
    assert otra_vez == noviembre and not encolados
    assert InformeEstadistico.objects.count() == 1
    assert Documento.objects.filter(informe__isnull=False).count() == 1
    # Ya generado, tampoco se repite.
    generado(noviembre)
    assert pedir_informe_estadistico(
        desde=date(2026, 11, 1),
        hasta=date(2026, 11, 30),
        parametros={},
        descripcion=[],
        actor=None,
        automatico=True,
    ) == Documento.objects.get(informe__isnull=False)


def test_si_el_mensual_fallo_se_pide_una_version_nueva(noviembre):
    Documento.objects.filter(pk=noviembre.pk).update(estado=EstadoDocumento.FALLIDO)
    nueva = informe_del_mes_anterior(date(2026, 12, 1))
    assert nueva.informe == noviembre.informe and nueva.version == 2
    assert nueva.nombre_archivo == "INF-2026-11-informe_estadistico-v2.pdf"


def test_el_primer_dia_habil_pide_el_informe_del_mes_anterior(proveedor, catalogos):
    documento = informe_del_mes_anterior(date(2026, 12, 1))  # martes
    informe = documento.informe
    assert (informe.numero, informe.desde, informe.hasta) == (
        "INF-2026-11",
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    assert informe.parametros == {} and informe.descripcion == [] and informe.automatico
    assert informe_del_mes_anterior(date(2026, 12, 2)) == documento
    assert informe_del_mes_anterior(date(2026, 12, 1)) == documento
    assert InformeEstadistico.objects.count() == 1


def test_si_el_beat_no_corrio_el_primer_habil_lo_pide_despues(proveedor, catalogos):
    assert informe_del_mes_anterior(date(2026, 12, 3)).informe.numero == "INF-2026-11"
    assert Documento.objects.filter(informe__numero="INF-2026-11").count() == 1


def test_si_el_dia_1_es_sabado_el_primer_habil_es_el_lunes(proveedor, catalogos):
    assert primer_dia_habil(2026, 8) == date(2026, 8, 3)
    assert informe_del_mes_anterior(date(2026, 8, 1)) is None
    assert informe_del_mes_anterior(date(2026, 8, 3)).informe.numero == "INF-2026-07"


def test_un_inhabil_del_municipio_recorre_el_primer_habil(proveedor, catalogos):
    DiaInhabil.objects.create(
        fecha_inicio=date(2026, 12, 1), fecha_fin=date(2026, 12, 1), motivo="Feria del pueblo"
    )
    assert informe_del_mes_anterior(date(2026, 12, 1)) is None
    assert informe_del_mes_anterior(date(2026, 12, 2)).informe.numero == "INF-2026-11"


def test_la_tarea_del_beat_pide_el_mensual(proveedor, catalogos):
    import time_machine

    from plantillas.tasks import informe_mensual

    with time_machine.travel(timezone.make_aware(datetime(2026, 12, 1, 9, 30)), tick=False):
        pk = informe_mensual()
    assert Documento.objects.get(pk=pk).informe.numero == "INF-2026-11"
    with time_machine.travel(timezone.make_aware(datetime(2026, 12, 2, 9, 30)), tick=False):
        assert informe_mensual() == pk
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 30, 9, 30)), tick=False):
        assert Documento.objects.get(pk=informe_mensual()).informe.numero == "INF-2026-10"


def test_desde_posterior_a_hasta_da_el_error_en_espanol(direccion, proveedor):
    with pytest.raises(ValidationError) as error:
        pedir_informe_estadistico(
            desde=date(2026, 11, 30),
            hasta=date(2026, 11, 1),
            parametros={},
            descripcion=[],
            actor=direccion,
        )
    assert "La fecha inicial del informe no puede ser posterior a la fecha final." in (
        error.value.messages
    )
    assert not InformeEstadistico.objects.exists()


@pytest.mark.parametrize(
    ("datos", "mensaje"),
    [
        ({"parametros": {"tipo": 3}}, "Los filtros del informe no son válidos."),
        ({"descripcion": [["sola"]]}, "La descripción de los filtros del informe no es válida."),
        (
            {"automatico": True, "hasta": date(2026, 11, 15), "actor": None},
            "El informe mensual va del primer al último día de un mes.",
        ),
    ],
)
def test_filtros_y_mensual_mal_formados(direccion, proveedor, datos, mensaje):
    pedido = {
        "desde": date(2026, 11, 1),
        "hasta": date(2026, 11, 30),
        "parametros": {},
        "descripcion": [],
        "actor": direccion,
        **datos,
    }
    with pytest.raises(ValidationError) as error:
        pedir_informe_estadistico(**pedido)
    assert mensaje in error.value.messages


@pytest.mark.parametrize(
    ("quien", "automatico"), [("mediador", False), (None, False), ("mediador", True)]
)
def test_pedirlo_necesita_ver_la_estadistica(mediador, proveedor, quien, automatico):
    with pytest.raises(PermissionDenied):
        pedir_informe_estadistico(
            desde=date(2026, 11, 1),
            hasta=date(2026, 11, 30),
            parametros={},
            descripcion=[],
            actor=mediador if quien else None,
            automatico=automatico,
        )
    assert not InformeEstadistico.objects.exists()


def test_lo_descarga_quien_ve_la_estadistica_sin_bitacora_de_expedientes(
    noviembre, client, direccion, coordinadora, mediador, operadora, ajeno
):
    generado(noviembre)
    url = reverse("plantillas:descargar", args=[noviembre.pk])
    for quien in (direccion, coordinadora):
        client.force_login(quien)
        respuesta = client.get(url)
        assert respuesta.status_code == 200
        assert respuesta["Content-Type"] == "application/pdf"
        assert b"".join(respuesta.streaming_content).startswith(b"%PDF")
        estado = client.get(reverse("plantillas:estado", args=[noviembre.pk])).json()
        assert estado["estado"] == "listo" and estado["url"] == url
    for quien in (mediador, operadora, ajeno):
        client.force_login(quien)
        assert client.get(url).status_code == 403
        assert client.get(reverse("plantillas:estado", args=[noviembre.pk])).status_code == 403
    assert not AccesoExpediente.objects.exists()
    # Un informe no lleva ejemplar firmado que subir.
    client.force_login(direccion)
    subir = reverse("plantillas:subir_firmado", args=[noviembre.pk])
    assert client.post(subir).status_code == 403


def test_los_informes_recientes_con_su_ultima_version(
    noviembre, direccion, mediador, django_assert_max_num_queries
):
    Documento.objects.filter(pk=noviembre.pk).update(estado=EstadoDocumento.FALLIDO)
    segunda = informe_del_mes_anterior(date(2026, 12, 1))
    pedido = pedir_informe_estadistico(
        desde=date(2026, 10, 1),
        hasta=date(2026, 10, 31),
        parametros={"tipo": "ASE"},
        descripcion=[["Tipo de caso", "Asesoría"]],
        actor=direccion,
    )
    with django_assert_max_num_queries(3):
        recientes = [
            (i.numero, i.ultimo_documento) for i in selectors.informes_recientes(usuario=direccion)
        ]
    assert recientes == [("INF-2026-10-A", pedido), ("INF-2026-11", segunda)]
    with pytest.raises(PermissionDenied):
        selectors.informes_recientes(usuario=mediador)


def test_sin_proveedor_el_documento_falla_con_un_mensaje_claro(noviembre, monkeypatch):
    monkeypatch.delitem(informes._registro, "proveedor", raising=False)
    assert generar(noviembre.pk) is False
    noviembre.refresh_from_db()
    assert noviembre.estado == EstadoDocumento.FALLIDO
    assert "plantillas.informes.registrar()" in noviembre.error


def test_un_contenido_incompleto_no_se_imprime(noviembre, monkeypatch):
    monkeypatch.setitem(informes._registro, "proveedor", lambda informe: {"titulo": "x"})
    assert generar(noviembre.pk) is False
    noviembre.refresh_from_db()
    assert "le falta: periodo, filtros" in noviembre.error


def test_el_html_sin_marcar_como_seguro_se_escapa(noviembre, monkeypatch):
    def con_html_crudo(informe):
        contenido = proveedor_de_prueba(informe)
        contenido["secciones"] = [{"titulo": "Crudo", "html": "<b>no soy etiqueta</b>"}]
        return contenido

    monkeypatch.setitem(informes._registro, "proveedor", con_html_crudo)
    documento = generado(noviembre)
    assert "<b>no soy etiqueta</b>" in texto_pdf(documento.archivo.path)


def test_un_documento_es_de_uno_solo_caso_remision_o_informe(noviembre, nuevo_caso):
    caso = nuevo_caso().caso
    with pytest.raises(IntegrityError), transaction.atomic():
        Documento.objects.filter(pk=noviembre.pk).update(caso=caso)
    with pytest.raises(IntegrityError), transaction.atomic():
        Documento.objects.create(
            informe=noviembre.informe,
            tipo=TipoDocumento.INFORME_ESTADISTICO,
            version=1,
            version_plantilla="2026.1",
        )

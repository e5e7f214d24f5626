"""Generar un documento una sola vez: el cierre exige el intento del reclamo, y solo lo
transitorio se reintenta."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError
from django.template import TemplateSyntaxError
from django.utils import timezone

import plantillas.services as servicios
from plantillas.models import Documento, EstadoDocumento
from plantillas.tasks import generar_documento

pytestmark = pytest.mark.django_db

COLUMNAS = ("estado", "intentos", "archivo", "sha256", "paginas", "generado_en", "error")


def _fila(documento: Documento) -> dict:
    return Documento.objects.values(*COLUMNAS).get(pk=documento.pk)


def _falla(error: Exception):
    def renderizar(*args, **kwargs):
        raise error

    return renderizar


def _vencer_reclamo(documento: Documento) -> None:
    Documento.objects.filter(pk=documento.pk).update(
        reclamado_en=timezone.now() - timedelta(seconds=settings.DOCUMENTOS_RECLAMO_SEGUNDOS + 1)
    )


def test_un_cierre_con_intento_viejo_no_cambia_el_documento(nuevo_caso):
    documento = Documento.objects.get(caso=nuevo_caso().caso)
    assert servicios.RECLAMO.reclamar(documento.pk, ahora=timezone.now())
    lento = Documento.objects.get(pk=documento.pk)  # intento 1
    _vencer_reclamo(documento)
    assert servicios.RECLAMO.reclamar(documento.pk, ahora=timezone.now(), retomar_vencido=True)
    antes = _fila(documento)
    assert antes["estado"] == EstadoDocumento.GENERANDO and antes["intentos"] == 2
    for estado in (EstadoDocumento.LISTO, EstadoDocumento.PENDIENTE, EstadoDocumento.FALLIDO):
        assert servicios.RECLAMO.cerrar(lento, estado=estado, error="tarde") is False
    assert _fila(documento) == antes


def test_un_worker_lento_no_pisa_el_pdf_del_que_retomo(nuevo_caso, monkeypatch):
    """A se cuelga al renderizar; su reclamo vence y B retoma y termina. Cuando A por fin
    termina, su cierre (intento 1) no cambia nada y su archivo no queda huérfano."""
    documento = Documento.objects.get(caso=nuevo_caso().caso)
    original = servicios.renderizar
    de_b = []

    def renderizar_lento(plantilla, contexto):
        if not de_b:  # A, colgado: mientras tanto vence su reclamo y B lo retoma
            de_b.append(None)
            _vencer_reclamo(documento)
            assert servicios.generar(documento.pk) is True
            de_b[0] = _fila(documento)
        return original(plantilla, contexto)

    monkeypatch.setattr(servicios, "renderizar", renderizar_lento)
    assert servicios.generar(documento.pk) is False  # A
    assert _fila(documento) == de_b[0]
    assert de_b[0]["estado"] == EstadoDocumento.LISTO and de_b[0]["intentos"] == 2
    documento.refresh_from_db()
    assert [p.name for p in Path(documento.archivo.path).parent.glob("*.pdf")] == [
        Path(documento.archivo.name).name
    ]


def test_el_error_de_un_worker_lento_no_regresa_a_pendiente_lo_ya_generado(nuevo_caso, monkeypatch):
    documento = Documento.objects.get(caso=nuevo_caso().caso)
    original = servicios.renderizar
    llamadas = []

    def renderizar_y_fallar(plantilla, contexto):
        llamadas.append(1)
        if len(llamadas) == 1:  # A: mientras se cuelga, B retoma y termina; luego A falla
            _vencer_reclamo(documento)
            assert servicios.generar(documento.pk) is True
            raise OSError("disco lleno")
        return original(plantilla, contexto)

    monkeypatch.setattr(servicios, "renderizar", renderizar_y_fallar)
    with pytest.raises(OSError):
        servicios.generar(documento.pk)
    fila = _fila(documento)
    assert fila["estado"] == EstadoDocumento.LISTO and fila["error"] == ""


def test_un_error_de_plantilla_no_se_reintenta_y_queda_fallido(nuevo_caso, monkeypatch):
    documento = Documento.objects.get(caso=nuevo_caso().caso)
    error = TemplateSyntaxError("Etiqueta de bloque inválida: 'firma'")
    monkeypatch.setattr(servicios, "renderizar", _falla(error))
    resultado = generar_documento.apply(args=[documento.pk])
    assert resultado.successful() and resultado.result is False
    fila = _fila(documento)
    assert fila["estado"] == EstadoDocumento.FALLIDO and fila["intentos"] == 1
    assert "Etiqueta de bloque inválida" in fila["error"]


def test_un_dato_que_falta_tampoco_se_reintenta(nuevo_caso, monkeypatch):
    documento = Documento.objects.get(caso=nuevo_caso().caso)
    monkeypatch.setattr(servicios, "renderizar", _falla(KeyError("sesion")))
    assert servicios.generar(documento.pk) is False
    fila = _fila(documento)
    assert fila["estado"] == EstadoDocumento.FALLIDO and fila["intentos"] == 1


@pytest.mark.parametrize(
    "error",
    [OperationalError("la base no responde"), OSError("el almacenamiento no responde")],
)
def test_lo_transitorio_se_reintenta_hasta_el_limite(nuevo_caso, monkeypatch, error):
    documento = Documento.objects.get(caso=nuevo_caso().caso)
    monkeypatch.setattr(servicios, "renderizar", _falla(error))
    resultado = generar_documento.apply(args=[documento.pk])
    assert resultado.failed() and isinstance(resultado.result, type(error))
    fila = _fila(documento)
    assert fila["intentos"] == servicios.INTENTOS_MAXIMOS
    assert fila["estado"] == EstadoDocumento.FALLIDO and str(error) in fila["error"]


def test_si_el_almacenamiento_falla_el_documento_vuelve_a_pendiente(nuevo_caso, monkeypatch):
    documento = Documento.objects.get(caso=nuevo_caso().caso)

    def guardar_sin_disco(self, *args, **kwargs):
        raise OSError("sin espacio en disco")

    monkeypatch.setattr("django.db.models.fields.files.FieldFile.save", guardar_sin_disco)
    with pytest.raises(OSError):
        servicios.generar(documento.pk)
    fila = _fila(documento)
    assert fila["estado"] == EstadoDocumento.PENDIENTE and "sin espacio" in fila["error"]


def test_el_barrido_retoma_un_render_cortado_al_vencer_el_reclamo_configurado(
    nuevo_caso, settings, monkeypatch
):
    settings.DOCUMENTOS_RECLAMO_SEGUNDOS = 100
    encolados = []
    monkeypatch.setattr(servicios, "encolar", lambda pk: encolados.append(pk))
    documento = Documento.objects.get(caso=nuevo_caso().caso)
    assert servicios.RECLAMO.reclamar(documento.pk, ahora=timezone.now())  # el worker murió
    Documento.objects.filter(pk=documento.pk).update(
        reclamado_en=timezone.now() - timedelta(seconds=99), solicitado_en=timezone.now()
    )
    assert servicios.barrer_pendientes() == 0 and encolados == []
    Documento.objects.filter(pk=documento.pk).update(
        reclamado_en=timezone.now() - timedelta(seconds=101)
    )
    assert servicios.barrer_pendientes() == 1 and encolados == [documento.pk]

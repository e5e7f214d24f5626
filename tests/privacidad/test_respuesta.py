"""La «Respuesta a una solicitud ARCO»: se pide al responder, se genera con la tarea real de
la cola `pdf` y lleva folio, decisión, fundamento, lo que se hizo y el recurso de revisión."""

import hashlib
from datetime import date
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from casos import plazos
from casos.models import Centro, EventoARCO, TipoEventoARCO
from casos.services import privacidad as arco
from casos.templatetags.formato import fecha_larga
from plantillas.models import Documento, EstadoDocumento, TipoDocumento
from plantillas.tasks import generar_documento
from tests.plantillas.conftest import texto_pdf

from . import personas_arco as p

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _medios(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "medios"


def generada(documento: Documento) -> str:
    """Corre la tarea del worker y devuelve el texto del PDF."""
    assert generar_documento(documento.pk) is True
    documento.refresh_from_db()
    assert documento.estado == EstadoDocumento.LISTO, documento.error
    contenido = Path(documento.archivo.path).read_bytes()
    assert documento.sha256 == hashlib.sha256(contenido).hexdigest()
    return texto_pdf(documento.archivo.path)


def respuesta_de(solicitud) -> Documento:
    return Documento.objects.get(solicitud=solicitud, tipo=TipoDocumento.RESPUESTA_ARCO)


def test_la_respuesta_lleva_folio_decision_fundamento_y_recurso(reloj, nuevo_caso, privacidad):
    _casos, partes = p.tres_casos(nuevo_caso)
    solicitud = p.solicitud(privacidad, partes)
    solicitud = arco.responder(
        solicitud=solicitud,
        actor=privacidad,
        sentido="parcial",
        causa_improcedencia="terceros",
        fundamento="Artículos 43 y 49 de la LGPDPPSO.",
        respuesta="Le entregamos sus datos; los de la otra parte no se pueden entregar.",
    )
    documento = respuesta_de(solicitud)
    assert documento.estado == EstadoDocumento.PENDIENTE and documento.version == 1
    texto = generada(documento)
    vence = plazos.arco_recurso_vence_el(solicitud)
    assert vence == date(2026, 12, 15)  # 15 días hábiles desde el martes 24/11/2026
    centro = Centro.actual()
    for esperado in (
        "RESPUESTA A UNA SOLICITUD ARCO",
        solicitud.folio,
        p.NOMBRE,
        "Acceso a sus datos",
        "Procedente en parte",
        "Se lesionarían derechos de un tercero",
        "Artículos 43 y 49 de la LGPDPPSO.",
        "los de la otra parte no se pueden entregar",
        "recurso de revisión dentro de los 15 días hábiles",
        f"a más tardar el {fecha_larga(vence)}",
        centro.autoridad_garante.split(" (")[0],
        centro.unidad_transparencia,
        "Sus datos personales",  # el anexo, en acceso procedente en parte
    ):
        assert esperado in texto, esperado
    assert EventoARCO.objects.filter(
        solicitud=solicitud, tipo=TipoEventoARCO.DOCUMENTO, datos__documento=documento.pk
    ).exists()


def test_la_rectificacion_sale_con_el_antes_y_el_despues(nuevo_caso, privacidad):
    # Sin reloj detenido: el evento del caso y el de la solicitud llevan horas distintas.
    _casos, partes = p.tres_casos(nuevo_caso)
    solicitud = p.solicitud(privacidad, partes, derecho="rectificacion")
    arco.rectificar(
        solicitud=solicitud, parte=partes[0], actor=privacidad, domicilio="Avenida Juárez 200"
    )
    arco.responder(
        solicitud=solicitud,
        actor=privacidad,
        sentido="procedente",
        fundamento="Artículo 45 de la LGPDPPSO.",
        respuesta="Corregimos su domicilio.",
    )
    texto = generada(respuesta_de(solicitud))
    assert "Lo que se hizo" in texto
    assert "«Calle Vieja 10» → «Avenida Juárez 200»" in texto
    # Rectificación: no se entregan datos, no hay anexo.
    assert not Documento.objects.filter(solicitud=solicitud, tipo=TipoDocumento.DATOS_ARCO)


def test_bloqueo_y_oposicion_dicen_lo_que_se_hizo(reloj, nuevo_caso, privacidad):
    _casos, partes = p.tres_casos(nuevo_caso)
    solicitud = p.solicitud(privacidad, partes, derecho="cancelacion")
    arco.bloquear_datos(solicitud=solicitud, partes=partes[:1], actor=privacidad)
    arco.registrar_oposicion(
        solicitud=solicitud, partes=partes[1:], usos=["avisos"], actor=privacidad
    )
    arco.responder(
        solicitud=solicitud,
        actor=privacidad,
        sentido="procedente",
        fundamento="Artículo 45 de la LGPDPPSO.",
        respuesta="Bloqueamos sus datos.",
    )
    texto = generada(respuesta_de(solicitud))
    assert "Datos bloqueados en" in texto and "se suprimen" in texto
    assert "Oposición registrada en" in texto and "Su caso sigue su curso" in texto


def test_lo_que_escribe_el_personal_va_escapado(reloj, nuevo_caso, privacidad):
    _casos, partes = p.tres_casos(nuevo_caso)
    solicitud = p.solicitud(privacidad, partes, derecho="oposicion")
    arco.responder(
        solicitud=solicitud,
        actor=privacidad,
        sentido="improcedente",
        causa_improcedencia="obligacion_legal",
        fundamento="<b>Artículo 49</b> de la LGPDPPSO.",
        respuesta='<img src="file:///etc/passwd"> Su convenio debe conservarse.',
    )
    texto = generada(respuesta_de(solicitud))
    assert "<b>Artículo 49</b>" in texto
    assert '<img src="file:///etc/passwd">' in texto
    # Improcedente: sin anexo de datos.
    assert Documento.objects.filter(solicitud=solicitud).count() == 1


def test_un_documento_es_de_un_caso_o_de_una_solicitud_no_de_ambos(nuevo_caso, privacidad):
    casos, partes = p.tres_casos(nuevo_caso)
    solicitud = p.solicitud(privacidad, partes)
    with pytest.raises(IntegrityError), transaction.atomic():
        Documento.objects.create(
            caso=casos[0],
            solicitud=solicitud,
            tipo=TipoDocumento.RESPUESTA_ARCO,
            version=1,
            version_plantilla="2026.1",
        )


def test_otra_version_de_la_respuesta_no_pisa_la_primera(reloj, nuevo_caso, privacidad):
    from plantillas.services import solicitar_documento_arco

    _casos, partes = p.tres_casos(nuevo_caso)
    solicitud = p.solicitud(privacidad, partes)
    arco.responder(
        solicitud=solicitud,
        actor=privacidad,
        sentido="procedente",
        fundamento="Artículo 45 de la LGPDPPSO.",
        respuesta="Le entregamos sus datos.",
    )
    segunda = solicitar_documento_arco(
        solicitud=solicitud, tipo=TipoDocumento.RESPUESTA_ARCO, actor=privacidad
    )
    assert segunda.version == 2
    assert segunda.nombre_archivo == f"{solicitud.folio}-respuesta_arco-v2.pdf"
    with pytest.raises(IntegrityError), transaction.atomic():
        Documento.objects.create(
            solicitud=solicitud,
            tipo=TipoDocumento.RESPUESTA_ARCO,
            version=2,
            version_plantilla="2026.1",
        )

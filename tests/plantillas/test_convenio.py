"""El convenio de mediación en PDF: los campos del art. 94, o un mensaje claro si falta algo."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from plantillas.models import TipoDocumento
from plantillas.services import solicitar_documento
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

from .conftest import generado, primera_pagina_no_blanca, texto_pdf

pytestmark = pytest.mark.usefixtures("reloj")


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
    documento = generado(documento)
    texto_plano = texto_pdf(documento.archivo.path)
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
    primera_pagina_no_blanca(documento, tmp_path)


def test_solo_el_responsable_o_la_coordinacion_lo_piden(con_convenio, otro_certificado, client):
    client.force_login(otro_certificado)
    respuesta = client.post(reverse("plantillas:generar", args=[con_convenio.folio, "convenio"]))
    assert respuesta.status_code == 403


def test_el_boton_del_convenio_aparece_para_quien_lo_lleva(
    con_convenio, certificado, otro_certificado, client
):
    url = reverse("casos:detalle", args=[con_convenio.folio])
    client.force_login(certificado)
    assert "Generar convenio de mediación" in client.get(url).content.decode()
    client.force_login(otro_certificado)
    assert "Generar convenio de mediación" not in client.get(url).content.decode()


def test_el_convenio_dice_la_hora_de_la_firma_y_el_articulo_del_centro(
    con_convenio, certificado, reloj
):
    from casos.models import FormaFirma
    from casos.services import mediacion as med

    completar_partes(con_convenio, certificado)
    # Antes de firmar: espacios para anotar fecha y hora, no la hora en que se hizo el PDF.
    borrador = texto_pdf(
        generado(
            solicitar_documento(caso=con_convenio, tipo=TipoDocumento.CONVENIO, actor=certificado)
        ).archivo.path
    )
    assert "a las ______ horas" in borrador and "a las 12:00" not in borrador
    assert "en las instalaciones de la Dirección de Vinculación Ciudadana" in borrador
    med.firmar_convenio(
        caso=con_convenio,
        actor=certificado,
        forma_firma=FormaFirma.AUTOGRAFA,
        firmado_en=en(date(2026, 11, 26), 11),
    )
    reloj.move_to(en(date(2026, 11, 27), 16))
    texto = texto_pdf(
        generado(
            solicitar_documento(caso=con_convenio, tipo=TipoDocumento.CONVENIO, actor=certificado)
        ).archivo.path
    )
    plano = " ".join(texto.split())
    assert "26 de noviembre de 2026, a las 11:00 horas" in plano
    assert "16:00 horas" not in plano

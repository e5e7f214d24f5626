"""La página de estado: próxima sesión, lo que la oficina espera, pasos, documentos de la
persona solicitante (enlaces firmados) y el pedido de un código nuevo."""

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casos.models import Centro, Prorroga, TipoCaso
from casos.services import asesoria as ase
from casos.services import mediacion as med
from notificaciones.models import Mensaje
from plantillas.models import Documento, TipoDocumento
from plantillas.services import adjuntar_firmado, solicitar_documento
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
from tests.plantillas.conftest import generado

pytestmark = pytest.mark.usefixtures("reloj")

PDF_MINIMO = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Lo que nunca debe aparecer: datos de la otra parte, relato, lo dicho en sesión.
PRIVADO = ("Pedro López", "Hidalgo", "barda", "Morelos", "Retirar", "música")


@pytest.fixture(autouse=True)
def _medios(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def consultar(client, recibida, codigo=None):
    return client.post(
        reverse("portal:consulta"),
        {"folio": recibida.caso.folio, "codigo": codigo or recibida.codigo_legible},
    )


def enlaces(html: str) -> list[str]:
    return re.findall(r'href="(/consulta/documento/[^"]+/)"', html)


def test_con_sesion_programada_muestra_fecha_hora_lugar_y_que_llevar(
    client, nuevo_caso, coordinadora, certificado, sala
):
    recibida = nuevo_caso()
    caso = admitido(recibida.caso, coordinadora, certificado)
    invitado(caso, certificado)
    con_sesion(caso, certificado, sala, en(date(2026, 11, 26), 12))

    html = consultar(client, recibida).content.decode()

    assert "Sesión programada" in html
    assert "Su próxima sesión" in html
    assert "jueves 26 de noviembre de 2026" in html.lower()
    assert "De 12:00 a" in html and "Sala 1" in html and "Planta baja" in html
    assert "identificación oficial" in html
    # Los pasos, con fecha, en palabras para la persona.
    assert "Recibimos su solicitud" in html and "Se programó una sesión" in html
    assert "Se invitó a la otra parte" in html
    assert "El procedimiento debe concluir a más tardar" in html
    for privado in PRIVADO:
        assert privado not in html


def test_el_plazo_es_el_de_la_prorroga_mas_lejana(client, nuevo_caso, coordinadora, certificado):
    recibida = nuevo_caso()
    caso = admitido(recibida.caso, coordinadora, certificado)
    # Registradas en otro orden que su fecha: rige la más lejana.
    for fecha in (date(2027, 6, 30), date(2027, 9, 15), date(2027, 7, 1)):
        Prorroga.objects.create(caso=caso, nueva_fecha_limite=fecha, registrada_por=coordinadora)

    html = consultar(client, recibida).content.decode()

    assert "El procedimiento debe concluir a más tardar" in html
    assert "15 de septiembre de 2027" in html
    assert "30 de junio de 2027" not in html


def test_la_sesion_ya_pasada_no_se_anuncia(
    client, nuevo_caso, coordinadora, certificado, sala, reloj
):
    recibida = nuevo_caso()
    caso = admitido(recibida.caso, coordinadora, certificado)
    invitado(caso, certificado)
    con_sesion(caso, certificado, sala, en(date(2026, 11, 26), 12))
    reloj.move_to(en(date(2026, 11, 26), 15))  # ya terminó y aún no se registra
    html = consultar(client, recibida).content.decode()
    assert "Su próxima sesión" not in html


def test_asesoria_en_espera_dice_que_se_necesita(client, nuevo_caso, coordinadora, asesor):
    recibida = nuevo_caso(TipoCaso.ASESORIA)
    caso = ase.clasificar(
        caso=recibida.caso,
        actor=coordinadora,
        categoria=recibida.caso.categoria,
        localidad=recibida.caso.localidad,
    )
    caso = med.asignar_responsable(caso=caso, actor=coordinadora, responsable=asesor)
    ase.iniciar_atencion(caso=caso, actor=asesor)
    ase.esperar_ciudadano(caso=caso, actor=asesor, motivo="Copia de su identificación")

    html = consultar(client, recibida).content.decode()

    assert "Lo que necesitamos de usted" in html
    assert "Copia de su identificación" in html
    assert "en pausa" in html
    assert "El procedimiento debe concluir" not in html  # plazo solo en mediación


def test_recien_recibida_no_pide_nada_y_da_el_contacto(client, nuevo_caso):
    centro = Centro.actual()
    centro.telefono, centro.horario = "378 123 4567", "Lunes a viernes de 9:00 a 15:00"
    centro.save()
    html = consultar(client, nuevo_caso()).content.decode()
    assert "Nada por ahora" in html
    assert "378 123 4567" in html and "Lunes a viernes de 9:00 a 15:00" in html
    assert 'href="tel:3781234567"' in html


def test_acuse_descargable_con_enlace_firmado(client, nuevo_caso):
    recibida = nuevo_caso()
    acuse = generado(Documento.objects.get(caso=recibida.caso, tipo=TipoDocumento.ACUSE))

    html = consultar(client, recibida).content.decode()
    (enlace,) = enlaces(html)
    respuesta = client.get(enlace)

    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/pdf"
    assert b"".join(respuesta.streaming_content) == acuse.archivo.open("rb").read()
    assert (
        respuesta["Cache-Control"].startswith("max-age=0")
        or "no-store" in respuesta["Cache-Control"]
    )


def test_acuse_aun_en_preparacion(client, nuevo_caso):
    html = consultar(client, nuevo_caso()).content.decode()
    assert "en preparación" in html
    respuesta = client.get(enlaces(html)[0])
    assert respuesta.status_code == 202  # la página de «generando»


@pytest.fixture
def convenio_firmado(nuevo_caso, coordinadora, certificado, sala, reloj):
    recibida = nuevo_caso()
    caso = admitido(recibida.caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala)
    reloj.move_to(en(date(2026, 11, 26), 12))
    sesion_celebrada(sesion, certificado)
    completar_partes(caso, certificado)
    convenio_listo(caso, certificado)
    convenio = generado(solicitar_documento(caso=caso, tipo=TipoDocumento.CONVENIO))
    firmado(caso, certificado)
    adjuntar_firmado(
        documento=convenio,
        archivo=SimpleUploadedFile("escaneo.pdf", PDF_MINIMO),
        actor=coordinadora,
    )
    return recibida


def test_copia_del_convenio_firmado_para_la_parte(client, convenio_firmado):
    html = consultar(client, convenio_firmado).content.decode()
    assert "Convenio firmado" in html
    assert "Su copia del convenio firmado" in html
    assert "Cumplir lo que acordó" in html
    for privado in PRIVADO:
        assert privado not in html
    enlace = enlaces(html)[-1]
    respuesta = client.get(enlace)
    assert respuesta.status_code == 200
    assert b"".join(respuesta.streaming_content) == PDF_MINIMO


def test_sin_firmado_no_se_ofrece_el_convenio(
    client, nuevo_caso, coordinadora, certificado, sala, reloj
):
    recibida = nuevo_caso()
    caso = admitido(recibida.caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala)
    reloj.move_to(en(date(2026, 11, 26), 12))
    sesion_celebrada(sesion, certificado)
    completar_partes(caso, certificado)
    convenio_listo(caso, certificado)
    generado(solicitar_documento(caso=caso, tipo=TipoDocumento.CONVENIO))
    html = consultar(client, recibida).content.decode()
    assert len(enlaces(html)) == 1  # solo el acuse


def test_enlaces_vencen_se_alteran_o_caducan_con_codigo_nuevo(
    client, convenio_firmado, operadora, reloj
):
    from casos.services import reexpedir_codigo

    enlace = enlaces(consultar(client, convenio_firmado).content.decode())[-1]
    token = enlace.rsplit("/", 2)[-2]

    alterado = enlace.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    assert client.get(alterado).status_code == 404
    assert client.get(reverse("portal:documento", args=["basura"])).status_code == 404

    reloj.shift(timedelta(minutes=16))
    vencido = client.get(enlace)
    assert vencido.status_code == 404 and "ya no es válido" in vencido.content.decode()

    reloj.shift(timedelta(minutes=-16))
    assert client.get(enlace).status_code == 200
    reexpedir_codigo(caso=convenio_firmado.caso, actor=operadora)
    assert client.get(enlace).status_code == 404


def test_un_enlace_no_abre_documentos_que_no_le_tocan(client, nuevo_caso):
    from portal.estado import COOKIE_MARCA, enlace_documento

    recibida = nuevo_caso()
    html = consultar(client, recibida).content.decode()
    enlace = enlaces(html)[0]
    marca = client.cookies[COOKIE_MARCA].value
    # Firmado por el servidor, con la marca de esta sesión, pero con el documento de otro
    # caso: no vale.
    otra = nuevo_caso()
    ajeno = enlace_documento(
        recibida.caso,
        Documento.objects.get(caso=otra.caso, tipo=TipoDocumento.ACUSE),
        firmado=False,
        sesion=marca,
    )
    assert client.get(ajeno).status_code == 404
    assert client.get(enlace).status_code == 202


def test_el_enlace_no_abre_en_otro_navegador(client, nuevo_caso):
    """Copiado del historial de una computadora pública, el enlace no sirve en otra sesión."""
    from django.test import Client

    recibida = nuevo_caso()
    generado(Documento.objects.get(caso=recibida.caso, tipo=TipoDocumento.ACUSE))
    enlace = enlaces(consultar(client, recibida).content.decode())[0]
    assert client.get(enlace).status_code == 200
    assert Client().get(enlace).status_code == 404


# --- Código perdido --------------------------------------------------------------------


def test_codigo_perdido_reenvia_el_codigo_vigente_al_contacto_registrado(client, nuevo_caso):
    from casos.services import DatosPersona

    recibida = nuevo_caso(
        solicitante=DatosPersona(
            nombre="Juana Pérez", telefono="+523312345678", correo="juana@example.com"
        )
    )
    caso = recibida.caso
    acuses_antes = Documento.objects.filter(caso=caso, tipo=TipoDocumento.ACUSE).count()

    respuesta = client.post(reverse("portal:codigo_perdido"), {"folio": caso.folio.lower()})

    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert "Si el folio está registrado" in html
    assert "juana" not in html and "3312" not in html and "5678" not in html
    # No se invalida nada: nadie puede dejar sin código a otra persona con solo su folio.
    assert consultar(client, recibida).status_code == 200
    assert not caso.eventos.filter(tipo="codigo_reexpedido").exists()
    assert Documento.objects.filter(caso=caso, tipo=TipoDocumento.ACUSE).count() == acuses_antes
    avisos = Mensaje.objects.filter(plantilla="codigo_reenviado")
    assert {m.destino for m in avisos} == {"+523312345678", "juana@example.com"}
    from notificaciones.services import redactar

    sms = redactar(avisos.get(canal="sms"))
    assert recibida.codigo_legible in sms.texto and len(sms.texto) <= 160
    # Otra petición es otro envío (no se confunde con la anterior).
    client.post(reverse("portal:codigo_perdido"), {"folio": caso.folio})
    assert Mensaje.objects.filter(plantilla="codigo_reenviado").count() == 4


def test_la_oficina_si_reexpide_y_el_acuse_se_regenera(nuevo_caso, operadora):
    from casos.services import reexpedir_codigo

    recibida = nuevo_caso()
    antes = Documento.objects.filter(caso=recibida.caso, tipo=TipoDocumento.ACUSE).count()
    reexpedir_codigo(caso=recibida.caso, actor=operadora)
    assert (
        Documento.objects.filter(caso=recibida.caso, tipo=TipoDocumento.ACUSE).count() == antes + 1
    )


def test_codigo_perdido_misma_respuesta_exista_o_no_el_folio(client, nuevo_caso):
    caso = nuevo_caso().caso
    existe = client.post(reverse("portal:codigo_perdido"), {"folio": caso.folio})
    no_existe = client.post(reverse("portal:codigo_perdido"), {"folio": "MED-2026-99999"})

    def limpio(respuesta, folio):
        return re.sub(r'value="[^"]+"', "", respuesta.content.decode()).replace(folio, "F")

    assert existe.status_code == no_existe.status_code == 200
    assert limpio(existe, caso.folio) == limpio(no_existe, "MED-2026-99999")


def test_codigo_perdido_limite_por_folio_no_delata_nada(client, nuevo_caso, settings):
    recibida = nuevo_caso()
    caso = recibida.caso
    for _ in range(settings.CODIGO_PERDIDO_LIMITE_FOLIO + 2):
        respuesta = client.post(
            reverse("portal:codigo_perdido"),
            {"folio": caso.folio},
            REMOTE_ADDR=f"10.0.0.{_ + 1}",
        )
        assert respuesta.status_code == 200
    # 2 mensajes (SMS y WhatsApp o correo, según el contacto) por envío permitido.
    enviados = Mensaje.objects.filter(plantilla="codigo_reenviado", caso=caso).count()
    por_envio = len(
        Mensaje.objects.filter(plantilla="acuse", caso=caso).values_list("canal", flat=True)
    )
    assert enviados == settings.CODIGO_PERDIDO_LIMITE_FOLIO * por_envio


def test_codigo_perdido_limite_por_ip(client, nuevo_caso, settings):
    settings.CODIGO_PERDIDO_LIMITE_IP = 2
    for numero in range(2):
        assert (
            client.post(
                reverse("portal:codigo_perdido"), {"folio": f"MED-2026-{numero + 500:05d}"}
            ).status_code
            == 200
        )
    tercera = client.post(reverse("portal:codigo_perdido"), {"folio": "MED-2026-00600"})
    assert tercera.status_code == 429
    assert "demasiados códigos desde esta conexión" in tercera.content.decode()


def test_codigo_perdido_con_folio_mal_escrito_explica_el_formato(client, catalogos):
    respuesta = client.post(reverse("portal:codigo_perdido"), {"folio": "hola"})
    assert respuesta.status_code == 400
    assert "MED-2026-00042" in respuesta.content.decode()
    vacio = client.post(reverse("portal:codigo_perdido"), {"folio": ""})
    assert "Escriba el folio" in vacio.content.decode()


def test_la_consulta_enlaza_al_pedido_de_codigo_con_el_folio(client, catalogos):
    html = client.get(reverse("portal:consulta") + "?folio=MED-2026-00001").content.decode()
    assert 'href="/consulta/codigo/?folio=MED-2026-00001"' in html


def test_la_pagina_de_estado_no_crece_en_consultas_con_la_historia(client, nuevo_caso):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casos.models import Evento, TipoEvento

    corta, larga = nuevo_caso(), nuevo_caso()
    Evento.objects.bulk_create(
        Evento(caso=larga.caso, tipo=TipoEvento.SESION_DIFERIDA, descripcion="x", publico=True)
        for _ in range(40)
    )
    consultar(client, corta)  # la sesión del navegador ya existe, como en la segunda visita
    conteos = []
    for recibida in (corta, larga):
        with CaptureQueriesContext(connection) as consultas:
            assert consultar(client, recibida).status_code == 200
        conteos.append([re.sub(r"\d+", "N", q["sql"][:60]) for q in consultas.captured_queries])
    import collections

    diferencia = collections.Counter(conteos[1])
    diferencia.subtract(collections.Counter(conteos[0]))
    assert len(conteos[0]) == len(conteos[1]), {k: v for k, v in diferencia.items() if v}

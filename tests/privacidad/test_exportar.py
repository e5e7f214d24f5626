"""La exportación de los datos de una persona (acceso y portabilidad): todos sus casos,
nada de las otras partes ni de lo dicho en sesión, y la descarga del personal."""

import json

import pytest
from django.urls import reverse

from casos import acceso, codigos
from casos.models import AccesoExpediente, EventoARCO, PerfilPersonal, TipoEventoARCO
from casos.services import privacidad as arco
from plantillas.models import Documento, TipoDocumento
from plantillas.tasks import generar_documento
from privacidad.exportar import VERSION_FORMATO, como_json, datos_de_la_persona
from tests.notificaciones.conftest import entregar
from tests.plantillas.conftest import texto_pdf

from . import personas_arco as p

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _medios(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "medios"


@pytest.fixture
def tres(nuevo_caso, coordinadora):
    """Los tres casos, con sus avisos ya enviados y una consulta de la coordinación."""
    casos, partes = p.tres_casos(nuevo_caso)
    entregar()
    PerfilPersonal.objects.create(usuario=coordinadora, cargo="Coordinadora de mediación")
    acceso.registrar_acceso(usuario=coordinadora, casos=casos[0], vista="detalle")
    return casos, partes


def test_el_json_trae_los_tres_casos_y_nada_de_las_otras_partes(tres, privacidad, mediador):
    casos, partes = tres
    # Un acceso excepcional cuyo motivo nombra a la otra parte.
    AccesoExpediente.objects.create(
        caso=casos[0],
        usuario=mediador,
        vista="detalle",
        motivo=f"Revisar la queja de {p.OTRAS[0].nombre} por teléfono",
    )
    solicitud = p.solicitud(privacidad, partes)
    crudo = como_json(solicitud).decode("utf-8")
    datos = json.loads(crudo)
    assert datos["version"] == VERSION_FORMATO
    assert [c["folio"] for c in datos["casos"]] == [c.folio for c in casos]
    for caso in datos["casos"]:
        (suyos,) = caso["sus_datos"]
        assert (suyos["nombre"], suyos["telefono"], suyos["correo"]) == (
            p.NOMBRE,
            p.TELEFONO,
            p.CORREO,
        )
    # En todo el archivo, ni un nombre, teléfono, correo o domicilio de las otras partes.
    for dato in p.de_todas_las_otras():
        assert dato.lower() not in crudo.lower(), dato
    assert p.RELATO_AJENO not in crudo
    motivos = [a["motivo_excepcional"] for a in datos["casos"][0]["consultas_del_expediente"]]
    assert "Revisar la queja de [dato de otra persona] por teléfono" in motivos
    # Sus avisos (el acuse de los casos que solicitó) sí, con el código de consulta oculto.
    primero = datos["casos"][0]
    assert primero["avisos_enviados"] and all(
        m["destino"] in (p.TELEFONO, p.CORREO) for m in primero["avisos_enviados"]
    )
    for caso in casos:
        codigo = codigos.mostrar_codigo(codigos.derivar_codigo(caso.folio, caso.codigo_sal))
        assert codigo not in crudo
    # En el segundo caso la invitaron: el acuse fue para quien solicitó, no para ella.
    assert datos["casos"][1]["avisos_enviados"] == []


def test_su_relato_si_el_de_la_otra_parte_no(tres, privacidad):
    _casos, partes = tres
    datos = datos_de_la_persona(p.solicitud(privacidad, partes))
    propio, ajeno, _tercero = datos["casos"]
    # Lo escribió ella, pero sin el nombre de la otra parte.
    assert propio["relato"] == "[dato de otra persona] pone música muy fuerte después de las once."
    assert propio["aviso_de_privacidad"]["version"]
    assert ajeno["relato"] is None and ajeno["aviso_de_privacidad"] is None


def test_documentos_consultas_y_solicitudes_sin_contenido(tres, privacidad):
    casos, partes = tres
    datos = datos_de_la_persona(p.solicitud(privacidad, partes))
    primero = datos["casos"][0]
    acuse = Documento.objects.get(caso=casos[0], tipo=TipoDocumento.ACUSE)
    assert [d["documento"] for d in primero["documentos"]] == ["Acuse de solicitud"]
    assert primero["documentos"][0]["version"] == acuse.version
    (consulta,) = primero["consultas_del_expediente"]
    assert consulta["quien"] == "Coordinadora"
    assert consulta["cargo"] == "Coordinadora de mediación"
    assert consulta["que"] == "Página del caso"
    (propia,) = datos["solicitudes_arco"]
    assert propia["derecho"] == "Acceso a sus datos"
    retenido = " ".join(r["que"] + r["por_que"] for r in datos["retenido"])
    assert "LGMASC arts. 6 y 37" in retenido and "terceros" in retenido


def test_la_rectificacion_deja_la_version_anterior_en_sus_datos(tres, privacidad):
    _casos, partes = tres
    solicitud = p.solicitud(privacidad, partes, derecho="rectificacion")
    arco.rectificar(
        solicitud=solicitud, parte=partes[0], actor=privacidad, domicilio="Avenida Juárez 200"
    )
    (suyos,) = datos_de_la_persona(solicitud)["casos"][0]["sus_datos"]
    assert suyos["domicilio"] == "Avenida Juárez 200"
    assert [v["domicilio"] for v in suyos["versiones"]] == ["Calle Vieja 10", "Avenida Juárez 200"]


def test_la_descarga_exige_la_identidad_acreditada(tres, privacidad, cliente_de):
    _casos, partes = tres
    solicitud = p.solicitud(privacidad, partes, acreditar=False)
    url = reverse("privacidad:exportacion", args=[solicitud.folio])
    respuesta = cliente_de(privacidad).get(url)
    assert respuesta.status_code == 409
    assert "acreditar la identidad" in respuesta.content.decode()
    assert not EventoARCO.objects.filter(tipo=TipoEventoARCO.EXPORTACION).exists()
    assert not AccesoExpediente.objects.filter(vista="arco_exportacion").exists()


def test_la_descarga_da_el_json_y_deja_evento_y_bitacora(tres, privacidad, cliente_de):
    casos, partes = tres
    solicitud = p.solicitud(privacidad, partes)
    respuesta = cliente_de(privacidad).get(
        reverse("privacidad:exportacion", args=[solicitud.folio])
    )
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"].startswith("application/json")
    assert respuesta["Content-Disposition"].startswith("attachment;")
    assert solicitud.folio in respuesta["Content-Disposition"]
    datos = json.loads(respuesta.content)
    assert len(datos["casos"]) == 3
    evento = EventoARCO.objects.get(solicitud=solicitud, tipo=TipoEventoARCO.EXPORTACION)
    assert evento.actor == privacidad and sorted(evento.datos["casos"]) == sorted(
        c.folio for c in casos
    )
    bitacora = AccesoExpediente.objects.filter(vista="arco_exportacion", usuario=privacidad)
    assert sorted(a.caso_id for a in bitacora) == sorted(c.pk for c in casos)


def test_sin_el_permiso_de_atender_arco_no_hay_descarga(tres, privacidad, coordinadora, cliente_de):
    _casos, partes = tres
    solicitud = p.solicitud(privacidad, partes)
    url = reverse("privacidad:exportacion", args=[solicitud.folio])
    assert cliente_de(coordinadora).get(url).status_code == 403


def test_el_pdf_de_sus_datos_tampoco_lleva_a_las_otras_partes(tres, privacidad, cliente_de):
    casos, partes = tres
    solicitud = p.solicitud(privacidad, partes)
    arco.responder(
        solicitud=solicitud,
        actor=privacidad,
        sentido="procedente",
        fundamento="Artículo 45 de la LGPDPPSO.",
        respuesta="Le entregamos los datos que la oficina guarda de usted.",
    )
    anexo = Documento.objects.get(solicitud=solicitud, tipo=TipoDocumento.DATOS_ARCO)
    assert generar_documento(anexo.pk) is True
    anexo.refresh_from_db()
    texto = texto_pdf(anexo.archivo.path)
    assert "SUS DATOS PERSONALES" in texto and p.NOMBRE in texto
    for caso in casos:
        assert caso.folio in texto
    for dato in p.de_todas_las_otras():
        assert dato.lower() not in texto.lower(), dato
    assert "LGMASC arts. 6 y 37" in texto
    # Se descarga como los demás documentos, solo quien atiende ARCO, y queda en la bitácora.
    url = reverse("plantillas:descargar", args=[anexo.pk])
    respuesta = cliente_de(privacidad).get(url)
    assert respuesta.status_code == 200 and respuesta["Content-Type"] == "application/pdf"
    assert AccesoExpediente.objects.filter(vista="arco_documento").count() == 3
    assert EventoARCO.objects.filter(solicitud=solicitud, tipo=TipoEventoARCO.EXPORTACION).exists()


def test_los_documentos_de_una_solicitud_no_los_baja_otro_rol(tres, privacidad, mediador, client):
    _casos, partes = tres
    solicitud = p.solicitud(privacidad, partes)
    arco.responder(
        solicitud=solicitud,
        actor=privacidad,
        sentido="procedente",
        fundamento="Artículo 45 de la LGPDPPSO.",
        respuesta="Le entregamos sus datos.",
    )
    documento = Documento.objects.get(solicitud=solicitud, tipo=TipoDocumento.RESPUESTA_ARCO)
    client.force_login(mediador)
    assert client.get(reverse("plantillas:descargar", args=[documento.pk])).status_code == 403


def test_trae_lo_que_respondio_a_los_recordatorios_y_la_entrega_de_sus_avisos(
    reloj, tres, privacidad, coordinadora, certificado, sala
):
    from notificaciones.confirmaciones import confirmar
    from notificaciones.models import Canal, EstadoConfirmacion, Mensaje
    from tests.casos.etapas import admitido, con_sesion, invitado

    casos, partes = tres
    tercero = casos[2]
    admitido(tercero, coordinadora, certificado)
    invitado(tercero, certificado)
    sesion = con_sesion(tercero, certificado, sala)
    confirmar(sesion=sesion, parte=partes[2], estado=EstadoConfirmacion.OTRA_FECHA, canal=Canal.SMS)
    Mensaje.objects.filter(parte=partes[0], canal=Canal.SMS).update(entrega="entregado")
    datos = datos_de_la_persona(p.solicitud(privacidad, partes))
    (respuesta,) = datos["casos"][2]["respuestas_a_recordatorios"]
    assert respuesta["respuesta"] == "Pide otra fecha" and respuesta["por"] == "SMS"
    assert respuesta["sesion"] == sesion.numero
    assert datos["casos"][0]["respuestas_a_recordatorios"] == []
    entregas = {m["canal"]: m["entrega"] for m in datos["casos"][0]["avisos_enviados"]}
    assert entregas["SMS"] == "Entregado"

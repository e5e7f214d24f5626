"""Cada documento del procedimiento: cuándo se puede pedir, qué dice (leído del PDF con
pdftotext) y que su primera página no sale en blanco (pdftoppm)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casos.models import Asistencia, RespuestaInvitacion, ResultadoSesion, TipoCaso
from casos.services import asesoria as ase
from casos.services import mediacion as med
from plantillas.documentos import disponibles
from plantillas.models import Documento, TipoDocumento
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


def _pedir(caso, tipo, actor, referencia="", datos=None) -> tuple[Documento, str]:
    documento = generado(
        solicitar_documento(caso=caso, tipo=tipo, actor=actor, referencia=referencia, datos=datos)
    )
    return documento, texto_pdf(documento.archivo.path)


def _tipos_disponibles(caso) -> set[tuple[str, str]]:
    return {(tipo, instancia.referencia) for tipo, _, instancia in disponibles(caso)}


@pytest.fixture
def admitido_con_datos(nuevo_caso, coordinadora, certificado):
    caso = nuevo_caso(nombre="Rosa María Íñiguez Cárdenas").caso
    admitido(caso, coordinadora, certificado)
    solicitante = caso.partes.get(rol="solicitante")
    med.actualizar_parte(parte=solicitante, actor=certificado, domicilio="Av. Juárez 300")
    caso.refresh_from_db()
    return caso


def test_invitacion_con_los_datos_del_articulo_72(admitido_con_datos, certificado, sala, tmp_path):
    caso = admitido_con_datos
    assert (TipoDocumento.INVITACION, "1") in _tipos_disponibles(caso)
    documento, texto = _pedir(caso, TipoDocumento.INVITACION, certificado, "1")
    for esperado in (
        "INVITACIÓN A UN PROCEDIMIENTO DE MEDIACIÓN",
        "intento 1 de 3",
        "Pedro López",
        "Calle Hidalgo 12",
        "Rosa María Íñiguez Cárdenas",
        "Av. Juárez 300",
        "¿Qué es la mediación?",
        f"IJA-{certificado.pk:04d}",
        "Constancia de entrega (intento 1)",
        "Firma de quien recibe",
        "Atotonilco el Alto, Jalisco, 24 de noviembre de 2026",
    ):
        assert esperado in texto, esperado
    # Sin sesión programada, lo dice en vez de dejar la fecha en blanco.
    assert "aún no se fijan" in " ".join(texto.split())
    assert "sesion" not in documento.datos
    primera_pagina_no_blanca(documento, tmp_path)

    # Registrado el intento, la invitación 1 puede volver a generarse con la entrega llena,
    # y aparece el intento 2.
    invitado(caso, certificado, respuesta=RespuestaInvitacion.SIN_RESPUESTA)
    assert {("invitacion", "1"), ("invitacion", "2")} <= _tipos_disponibles(caso)
    segunda, texto = _pedir(caso, TipoDocumento.INVITACION, certificado, "1")
    assert segunda.version == 2 and documento.archivo.name != segunda.archivo.name
    assert "Entrega personal" in texto and "La propia persona" in texto
    assert "Firma de quien recibe" not in texto


def test_tras_aceptar_la_invitacion_no_se_ofrece_otro_intento(admitido_con_datos, certificado):
    caso = admitido_con_datos
    assert ("invitacion", "1") in _tipos_disponibles(caso)
    invitado(caso, certificado, respuesta=RespuestaInvitacion.ACEPTA)
    invitaciones = {r for t, r in _tipos_disponibles(caso) if t == "invitacion"}
    assert invitaciones == {"1"}


def test_la_invitacion_toma_fecha_hora_y_sala_de_la_sesion_y_se_rehace_si_se_corrige(
    admitido_con_datos, certificado, sala, tmp_path
):
    caso = admitido_con_datos
    invitado(caso, certificado, respuesta=RespuestaInvitacion.SIN_RESPUESTA)
    sesion = con_sesion(caso, certificado, sala, en(date(2026, 11, 27), 11))
    documento, texto = _pedir(caso, TipoDocumento.INVITACION, certificado, "1")
    texto = " ".join(texto.split())
    for esperado in ("27 de noviembre de 2026", "De 11:00 a 12:00 horas", "Sala 1", "Planta baja"):
        assert esperado in texto, esperado
    assert documento.datos["sesion"] == sesion.pk

    # La hora estaba mal capturada y las partes aún no lo saben: la invitación se rehace.
    med.corregir_hora(sesion=sesion, actor=certificado, nuevo_inicio=en(date(2026, 11, 27), 12))
    nueva = Documento.objects.get(caso=caso, tipo="invitacion", referencia="1", version=2)
    texto = " ".join(texto_pdf(generado(nueva).archivo.path).split())
    assert "De 12:00 a 13:00 horas" in texto and "11:00" not in texto
    primera_pagina_no_blanca(nueva, tmp_path)


def test_la_invitacion_pide_domicilio_o_correo_de_las_partes(nuevo_caso, coordinadora, certificado):
    caso = nuevo_caso(nombre="Sin Domicilio").caso
    admitido(caso, coordinadora, certificado)
    with pytest.raises(ValidationError, match="el domicilio o el correo de Sin Domicilio"):
        solicitar_documento(
            caso=caso, tipo=TipoDocumento.INVITACION, actor=certificado, referencia="1"
        )


def test_un_documento_fuera_de_su_etapa_no_se_pide(nuevo_caso, certificado):
    caso = nuevo_caso().caso
    for tipo, referencia in (
        (TipoDocumento.INVITACION, "1"),  # aún no se admite
        (TipoDocumento.CONSTANCIA_SESION, "1"),
        (TipoDocumento.CONVENIO, ""),
        (TipoDocumento.FICHA_ASESORIA, ""),  # es de mediación
        (TipoDocumento.ACUSE, "7"),  # referencia inventada
    ):
        with pytest.raises(ValidationError, match="no corresponde a la etapa"):
            solicitar_documento(caso=caso, tipo=tipo, actor=certificado, referencia=referencia)


@pytest.fixture
def con_sesion_programada(admitido_con_datos, certificado, sala):
    caso = admitido_con_datos
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala)
    return caso, sesion


def test_consentimiento_y_acta_de_sesion_inicial(con_sesion_programada, certificado, tmp_path):
    caso, sesion = con_sesion_programada
    assert (TipoDocumento.CONSENTIMIENTO, "1") in _tipos_disponibles(caso)
    documento, texto = _pedir(caso, TipoDocumento.CONSENTIMIENTO, certificado, "1")
    for esperado in (
        "CONSENTIMIENTO INFORMADO Y ACTA DE SESIÓN INICIAL",
        "26 de noviembre de 2026",
        "de 10:00 a 11:00 horas",
        str(sesion.sala),
        "Rosa María Íñiguez Cárdenas",
        "Pedro López",
        "voluntariedad, confidencialidad",
        "otorgan su consentimiento",
    ):
        assert esperado in texto, esperado
    primera_pagina_no_blanca(documento, tmp_path)


def test_constancia_de_sesion_sin_lo_dicho(con_sesion_programada, certificado, reloj, tmp_path):
    caso, sesion = con_sesion_programada
    reloj.move_to(en(date(2026, 11, 26), 12))
    sesion_celebrada(sesion, certificado, resultado=ResultadoSesion.CONTINUA)
    assert (TipoDocumento.CONSTANCIA_SESION, "1") in _tipos_disponibles(caso)
    documento, texto = _pedir(caso, TipoDocumento.CONSTANCIA_SESION, certificado, "1")
    for esperado in (
        "CONSTANCIA DE SESIÓN DE MEDIACIÓN",
        "sesión número 1",
        "Asistió",
        "Se necesita otra sesión",
        "no contiene nada de lo manifestado",
    ):
        assert esperado in texto, esperado
    assert caso.resumen not in texto  # el relato no va en las constancias
    primera_pagina_no_blanca(documento, tmp_path)


def test_constancia_de_diferimiento(con_sesion_programada, certificado, tmp_path):
    caso, sesion = con_sesion_programada
    med.diferir_sesion(
        sesion=sesion,
        actor=certificado,
        motivo="La parte invitada pidió cambio por una cita médica.",
        nuevo_inicio=en(date(2026, 12, 1), 12),
    )
    assert (TipoDocumento.CONSTANCIA_DIFERIMIENTO, "1") in _tipos_disponibles(caso)
    documento, texto = _pedir(caso, TipoDocumento.CONSTANCIA_DIFERIMIENTO, certificado, "1")
    for esperado in (
        "CONSTANCIA DE DIFERIMIENTO DE SESIÓN",
        "cita médica",
        "1 de 2 que permite el art. 76",
        "1 de diciembre de 2026, 12:00 horas",
    ):
        assert esperado in texto, esperado
    primera_pagina_no_blanca(documento, tmp_path)


def test_constancia_de_inasistencia(con_sesion_programada, certificado, reloj, tmp_path):
    caso, sesion = con_sesion_programada
    reloj.move_to(en(date(2026, 11, 26), 12))
    med.registrar_sesion(
        sesion=sesion,
        actor=certificado,
        asistencia_solicitante=Asistencia.ASISTIO,
        asistencia_invitada=Asistencia.INJUSTIFICADA,
    )
    documento, texto = _pedir(caso, TipoDocumento.CONSTANCIA_INASISTENCIA, certificado, "1")
    for esperado in ("CONSTANCIA DE INASISTENCIA", "No asistió, sin causa", "art. 78"):
        assert esperado in texto, esperado
    primera_pagina_no_blanca(documento, tmp_path)


def test_constancia_de_conclusion_con_su_causa(admitido_con_datos, certificado, tmp_path):
    caso = admitido_con_datos
    assert (TipoDocumento.CONSTANCIA_CONCLUSION, "") not in _tipos_disponibles(caso)
    invitado(caso, certificado, respuesta=RespuestaInvitacion.RECHAZA)
    caso.refresh_from_db()
    documento, texto = _pedir(caso, TipoDocumento.CONSTANCIA_CONCLUSION, certificado)
    for esperado in (
        "CONSTANCIA DE CONCLUSIÓN DEL PROCEDIMIENTO",
        "concluyó sin acuerdo el 24 de noviembre de 2026",
        "La otra parte no aceptó participar",
        "conservan sus derechos",
        "Invitaciones realizadas 1",
    ):
        assert esperado in texto, esperado
    primera_pagina_no_blanca(documento, tmp_path)


def test_conclusion_anticipada_dice_que_lo_es(con_sesion_programada, certificado):
    caso, _ = con_sesion_programada
    med.concluir_anticipadamente(
        caso=caso, actor=certificado, causa="desistimiento", motivo="La solicitante se desiste."
    )
    caso.refresh_from_db()
    _, texto = _pedir(caso, TipoDocumento.CONSTANCIA_CONCLUSION, certificado)
    assert "concluyó anticipada" in texto and "Desistimiento" in texto


@pytest.fixture
def en_seguimiento(con_sesion_programada, certificado, reloj):
    caso, sesion = con_sesion_programada
    reloj.move_to(en(date(2026, 11, 26), 12))
    sesion_celebrada(sesion, certificado)
    convenio_listo(caso, certificado)
    completar_partes(caso, certificado)
    firmado(caso, certificado)
    med.enviar_a_registro(caso=caso, actor=certificado)
    med.registrar_respuesta_registro(
        caso=caso, actor=certificado, estado_registro="validado", numero_registro="IJA-R-77"
    )
    caso.refresh_from_db()
    return caso


def test_constancia_de_cumplimiento(en_seguimiento, certificado, tmp_path):
    caso = en_seguimiento
    assert (TipoDocumento.CONSTANCIA_CUMPLIMIENTO, "") not in _tipos_disponibles(caso)
    primera, segunda = caso.convenio.clausulas.order_by("numero")
    med.verificar_clausula(clausula=primera, actor=certificado, cumplida=True, nota="Con fotos")
    documento, texto = _pedir(caso, TipoDocumento.CONSTANCIA_CUMPLIMIENTO, certificado)
    assert "CONSTANCIA DE SEGUIMIENTO DEL CONVENIO" in texto
    assert "IJA-R-77" in texto and "Cumplida" in texto and "Con fotos" in texto
    assert "Queda 1 obligación pendiente" in texto
    primera_pagina_no_blanca(documento, tmp_path)
    med.verificar_clausula(clausula=segunda, actor=certificado, cumplida=True)
    _, texto = _pedir(caso, TipoDocumento.CONSTANCIA_CUMPLIMIENTO, certificado)
    assert "CONSTANCIA DE CUMPLIMIENTO DEL CONVENIO" in texto
    assert "Todas las obligaciones del convenio se cumplieron" in texto


def test_tras_un_incumplimiento_no_se_ofrece_la_constancia_de_cumplimiento(
    en_seguimiento, certificado
):
    caso = en_seguimiento
    primera, segunda = caso.convenio.clausulas.order_by("numero")
    med.verificar_clausula(clausula=primera, actor=certificado, cumplida=True)
    assert (TipoDocumento.CONSTANCIA_CUMPLIMIENTO, "") in _tipos_disponibles(caso)
    med.verificar_clausula(clausula=segunda, actor=certificado, cumplida=False, nota="No pagó")
    assert (TipoDocumento.CONSTANCIA_CUMPLIMIENTO, "") not in _tipos_disponibles(caso)


@pytest.fixture
def asesoria(nuevo_caso, asesor):
    caso = nuevo_caso(TipoCaso.ASESORIA, nombre="Tomás Ruvalcaba").caso
    caso.responsable = asesor
    caso.save(update_fields=["responsable"])
    return caso


def test_ficha_de_asesoria(asesoria, asesor, tmp_path):
    caso = asesoria
    ase.resolver(caso=caso, actor=asesor, resumen_atencion="Se le explicó el trámite de predial.")
    caso.refresh_from_db()
    assert (TipoDocumento.FICHA_ASESORIA, "") in _tipos_disponibles(caso)
    documento, texto = _pedir(caso, TipoDocumento.FICHA_ASESORIA, asesor)
    for esperado in (
        "FICHA DE ASESORÍA",
        caso.folio,
        "Tomás Ruvalcaba",
        "33 1234 5678",
        "Orientación brindada",
        "trámite de predial",
        asesor.get_full_name() or asesor.username,
    ):
        assert esperado in texto, esperado
    primera_pagina_no_blanca(documento, tmp_path)


def test_oficio_de_canalizacion(asesoria, asesor, tmp_path):
    from casos.models import PerfilPersonal

    caso = asesoria
    PerfilPersonal.objects.create(usuario=asesor, cargo="Asesor jurídico")
    canalizacion = ase.canalizar(
        caso=caso,
        actor=asesor,
        dependencia="Procuraduría Social del Estado de Jalisco",
        motivo="Requiere representación legal gratuita.",
        numero_oficio="DVC/123/2026",
    )
    referencia = str(canalizacion.pk)
    assert (TipoDocumento.OFICIO_CANALIZACION, referencia) in _tipos_disponibles(caso)
    documento, texto = _pedir(caso, TipoDocumento.OFICIO_CANALIZACION, asesor, referencia)
    for esperado in (
        "Oficio núm. DVC/123/2026",
        "Procuraduría Social del Estado de Jalisco",
        "Requiere representación legal gratuita.",
        "Tomás Ruvalcaba",
        "Asesor jurídico",
        f"citando el folio {caso.folio}",
    ):
        assert esperado in texto, esperado
    primera_pagina_no_blanca(documento, tmp_path)


# --- Desde la pantalla del caso --------------------------------------------------------------


def test_invitacion_desde_el_caso_sin_volver_a_escribir_fecha_ni_lugar(
    admitido_con_datos, certificado, client
):
    caso = admitido_con_datos
    client.force_login(certificado)
    detalle = client.get(reverse("casos:detalle", args=[caso.folio])).content.decode()
    url = reverse("plantillas:generar", args=[caso.folio, "invitacion"])
    assert f'action="{url}"' in detalle and f"{url}?referencia=1" not in detalle
    assert client.get(url, {"referencia": "1"}).status_code == 404  # ya no hay formulario
    respuesta = client.post(url, {"referencia": "1"})
    assert respuesta.status_code == 302
    documento = Documento.objects.get(caso=caso, tipo="invitacion")
    assert documento.referencia == "1" and "inicio" not in documento.datos


def test_estado_del_documento_para_la_pagina(nuevo_caso, operadora, client):
    caso = nuevo_caso(actor=operadora).caso
    documento = Documento.objects.get(caso=caso)
    client.force_login(operadora)
    url = reverse("plantillas:estado", args=[documento.pk])
    assert client.get(url).json() == {"estado": "pendiente", "texto": "En espera", "url": ""}
    generado(documento)
    datos = client.get(url).json()
    assert datos["estado"] == "listo"
    assert datos["url"] == reverse("plantillas:descargar", args=[documento.pk])

"""Servicios de los derechos ARCO y su reloj en días hábiles: la serie de folios, el
requerimiento que interrumpe el plazo, la ampliación (una vez, dentro del plazo), la
rectificación de un caso concluido con su historia, y las cifras como datos fechados."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from casos import codigos, plazos
from casos.models import (
    DiaInhabil,
    EstadoARCO,
    Evento,
    MedioIdentidad,
    Parte,
    SolicitudARCO,
    TipoEvento,
    ValorDePlazo,
)
from casos.services import privacidad as arco

MX = ZoneInfo("America/Mexico_City")
# Lunes 2 de noviembre de 2026, 10:00 (el 16/11 es descanso obligatorio: tercer lunes).
LUNES = datetime(2026, 11, 2, 10, 0, tzinfo=MX)


def _recibir(**extra):
    datos = {
        "derecho": "acceso",
        "canal": "web",
        "nombre": "Rosa Elvira Camarena",
        "medio_respuesta": "correo",
        "correo": "rosa@example.mx",
        "descripcion": "Quiero saber qué datos míos tienen en sus expedientes.",
    }
    datos.update(extra)
    return arco.recibir_solicitud_arco(**datos)


@pytest.fixture
def en_lunes(catalogos):
    with time_machine.travel(LUNES, tick=False) as viajero:
        yield viajero


def test_folios_propios_consecutivos_y_codigo_de_consulta(en_lunes):
    primera = _recibir()
    segunda = _recibir(nombre="Otra Persona")
    assert primera.solicitud.folio == "ARCO-2026-00001"
    assert segunda.solicitud.folio == "ARCO-2026-00002"
    assert codigos.codigo_coincide(
        primera.solicitud.folio, primera.solicitud.codigo_sal, primera.codigo_legible
    )
    assert codigos.normalizar_folio("arco 2026 1", prefijos=codigos.PREFIJOS_ARCO) == (
        "ARCO-2026-00001"
    )
    # La serie no toca la de los casos.
    assert codigos.normalizar_folio("arco 2026 1") == ""
    assert primera.solicitud.eventos.get(tipo="recibida").publico


@pytest.mark.parametrize(
    ("extra", "campo"),
    [
        ({"derecho": "olvido"}, "derecho"),
        ({"nombre": "  "}, "nombre"),
        ({"descripcion": "corto"}, "descripcion"),
        ({"correo": ""}, "correo"),
        ({"medio_respuesta": "sms", "telefono": ""}, "telefono"),
        ({"medio_respuesta": "domicilio"}, "domicilio"),
        ({"canal": "api"}, "canal"),
    ],
)
def test_datos_invalidos_dicen_que_falta_y_no_crean_nada(en_lunes, extra, campo):
    with pytest.raises(ValidationError) as error:
        _recibir(**extra)
    assert campo in error.value.message_dict
    assert not SolicitudARCO.objects.exists()


def test_respuesta_en_20_dias_habiles_descontando_inhabiles(en_lunes):
    solicitud = _recibir().solicitud
    # 20 días hábiles desde el 2/11 sin contar el 16/11 (descanso obligatorio).
    assert plazos.arco_respuesta_vence_el(solicitud) == date(2026, 12, 1)
    DiaInhabil.objects.create(
        fecha_inicio=date(2026, 11, 20), fecha_fin=date(2026, 11, 20), motivo="Acuerdo municipal"
    )
    assert plazos.arco_respuesta_vence_el(solicitud) == date(2026, 12, 2)
    assert plazos.arco_requerimiento_vence_el(solicitud) == date(2026, 11, 9)


def test_el_requerimiento_detiene_el_plazo_y_el_desahogo_lo_cuenta_de_nuevo(en_lunes):
    solicitud = _recibir().solicitud
    en_lunes.move_to(LUNES + timedelta(days=3))  # jueves 5/11
    solicitud = arco.requerir_informacion(
        solicitud=solicitud, actor=None, requerimiento="Copia de su identificación oficial."
    )
    assert solicitud.estado == EstadoARCO.REQUERIDA
    assert plazos.arco_respuesta_vence_el(solicitud) is None
    assert plazos.arco_desahogo_vence_el(solicitud) == date(2026, 11, 20)
    # No se puede pedir dos veces, ni responder mientras se espera.
    with pytest.raises(ValidationError):
        arco.requerir_informacion(solicitud=solicitud, actor=None, requerimiento="Otra cosa")
    with pytest.raises(ValidationError):
        arco.responder(
            solicitud=solicitud,
            actor=None,
            sentido="procedente",
            fundamento="LGPDPPSO",
            respuesta="Aquí están",
        )
    en_lunes.move_to(datetime(2026, 11, 12, 12, 0, tzinfo=MX))
    solicitud = arco.registrar_desahogo(
        solicitud=solicitud, actor=None, desahogo="Entregó su INE en ventanilla."
    )
    assert solicitud.estado == EstadoARCO.RECIBIDA  # la identidad aún no se acredita
    # 20 días hábiles desde el 12/11 (sin el 16/11).
    assert plazos.arco_respuesta_vence_el(solicitud) == date(2026, 12, 11)


def test_no_presentada_solo_al_vencer_el_plazo_de_entrega(en_lunes):
    solicitud = arco.requerir_informacion(
        solicitud=_recibir().solicitud, actor=None, requerimiento="Su identificación."
    )
    with pytest.raises(ValidationError, match="tiene hasta el 17/11/2026"):
        arco.tener_por_no_presentada(solicitud=solicitud, actor=None)
    en_lunes.move_to(datetime(2026, 11, 18, 9, 0, tzinfo=MX))
    solicitud = arco.tener_por_no_presentada(solicitud=solicitud, actor=None)
    assert solicitud.estado == EstadoARCO.NO_PRESENTADA
    assert not solicitud.abierta


def test_el_requerimiento_solo_dentro_de_su_plazo(en_lunes):
    solicitud = _recibir().solicitud
    en_lunes.move_to(datetime(2026, 11, 10, 9, 0, tzinfo=MX))
    with pytest.raises(ValidationError, match="09/11/2026"):
        arco.requerir_informacion(solicitud=solicitud, actor=None, requerimiento="Algo")


def test_ampliacion_una_vez_y_dentro_del_plazo(en_lunes):
    solicitud = _recibir().solicitud
    solicitud = arco.ampliar_plazo(
        solicitud=solicitud,
        actor=None,
        motivo="Los expedientes están en el archivo de concentración.",
    )
    assert plazos.arco_respuesta_vence_el(solicitud) == date(2026, 12, 15)
    with pytest.raises(ValidationError, match="ya se amplió"):
        arco.ampliar_plazo(solicitud=solicitud, actor=None, motivo="Otra vez")
    tarde = _recibir(nombre="Persona Tardía").solicitud
    en_lunes.move_to(datetime(2026, 12, 2, 9, 0, tzinfo=MX))
    with pytest.raises(ValidationError, match="01/12/2026"):
        arco.ampliar_plazo(solicitud=tarde, actor=None, motivo="Demasiado tarde")


def test_las_cifras_son_datos_fechados(en_lunes, coordinadora):
    ValorDePlazo.objects.create(
        clave="ARCO_RESPUESTA_DIAS_HABILES",
        valor=15,
        vigente_desde=date(2026, 11, 3),
        motivo="Ley estatal armonizada",
        creado_por=coordinadora,
    )
    antes = _recibir().solicitud  # recibida el 2/11: conserva 20
    en_lunes.move_to(LUNES + timedelta(days=1))
    despues = _recibir(nombre="Persona Nueva").solicitud
    assert plazos.arco_respuesta_vence_el(antes) == date(2026, 12, 1)
    assert plazos.arco_respuesta_vence_el(despues) == date(2026, 11, 25)


def test_nada_se_toca_sin_identidad_acreditada(en_lunes, nuevo_caso):
    caso = nuevo_caso().caso
    solicitud = _recibir().solicitud
    parte = caso.partes.first()
    arco.identificar_datos(solicitud=solicitud, partes=[parte], actor=None)
    with pytest.raises(ValidationError, match="acredite la identidad"):
        arco.bloquear_datos(solicitud=solicitud, partes=[parte], actor=None)
    with pytest.raises(ValidationError, match="acredite la identidad"):
        arco.rectificar(solicitud=solicitud, parte=parte, actor=None, nombre="Otro Nombre")


def test_rectificar_un_caso_concluido_conserva_la_historia(en_lunes, nuevo_caso, coordinadora):
    from casos.services import mediacion as med

    caso = nuevo_caso().caso
    med.iniciar_revision(caso=caso, actor=coordinadora)
    med.no_admitir(caso=caso, actor=coordinadora, motivo="No es materia de mediación.")
    caso.refresh_from_db()
    assert not caso.abierto
    parte = caso.partes.get(rol="solicitante")
    nombre_anterior = parte.nombre
    solicitud = _recibir(derecho="rectificacion").solicitud
    arco.identificar_datos(solicitud=solicitud, partes=[parte], actor=coordinadora)
    arco.acreditar_identidad(
        solicitud=solicitud,
        actor=coordinadora,
        medio=MedioIdentidad.IDENTIFICACION,
        detalle="INE, clave de elector terminación 1234",
    )
    arco.rectificar(
        solicitud=solicitud, parte=parte, actor=coordinadora, nombre="Rosa Elvira Camarena Ruiz"
    )
    parte.refresh_from_db()
    assert parte.nombre == "Rosa Elvira Camarena Ruiz"
    historia = list(parte.history.order_by("history_date").values_list("nombre", flat=True))
    assert historia == [nombre_anterior, "Rosa Elvira Camarena Ruiz"]
    evento = Evento.objects.filter(caso=caso, tipo=TipoEvento.DATOS_PARTE).get()
    assert evento.datos["anteriores"]["nombre"] == nombre_anterior
    assert solicitud.folio in evento.descripcion
    assert solicitud.eventos.filter(tipo="rectificacion").exists()


def test_bloquear_y_oponerse_dejan_evento_en_el_caso_y_avisan(en_lunes, nuevo_caso, coordinadora):
    from casos.senales import datos_bloqueados

    recibidos = []

    def receptor(sender, partes, usos=None, **kwargs):
        recibidos.append((sorted(partes), usos))

    datos_bloqueados.connect(receptor)
    try:
        caso = nuevo_caso().caso
        parte = caso.partes.get(rol="solicitante")
        solicitud = _recibir(derecho="cancelacion").solicitud
        arco.identificar_datos(solicitud=solicitud, partes=[parte], actor=coordinadora)
        arco.acreditar_identidad(
            solicitud=solicitud, actor=coordinadora, medio="identificacion", detalle="INE"
        )
        assert arco.bloquear_datos(solicitud=solicitud, partes=[parte], actor=coordinadora) == 1
        # Bloquear dos veces no duplica.
        assert arco.bloquear_datos(solicitud=solicitud, partes=[parte], actor=coordinadora) == 0
        arco.registrar_oposicion(
            solicitud=solicitud, partes=[parte], usos=["avisos"], actor=coordinadora
        )
    finally:
        datos_bloqueados.disconnect(receptor)
    parte = Parte.objects.get(pk=parte.pk)
    assert parte.bloqueada_en is not None and solicitud.folio in parte.bloqueo_motivo
    assert parte.usos_opuestos == ["avisos"]
    assert caso.eventos.filter(tipo=TipoEvento.PRIVACIDAD).count() == 2
    assert recibidos == [([parte.pk], None), ([parte.pk], ["avisos"])]
    with pytest.raises(ValidationError):
        arco.registrar_oposicion(
            solicitud=solicitud, partes=[parte], usos=["todo"], actor=coordinadora
        )


def test_solo_datos_identificados(en_lunes, nuevo_caso, coordinadora):
    caso = nuevo_caso().caso
    ajena = caso.partes.get(rol="solicitante")
    solicitud = _recibir(derecho="cancelacion").solicitud
    arco.acreditar_identidad(
        solicitud=solicitud, actor=coordinadora, medio="identificacion", detalle="INE"
    )
    with pytest.raises(ValidationError, match="identificado"):
        arco.bloquear_datos(solicitud=solicitud, partes=[ajena], actor=coordinadora)


def test_responder_cierra_y_exige_causa_si_no_procede(en_lunes, coordinadora):
    solicitud = _recibir().solicitud
    arco.acreditar_identidad(
        solicitud=solicitud, actor=coordinadora, medio="identificacion", detalle="INE"
    )
    with pytest.raises(ValidationError) as error:
        arco.responder(
            solicitud=solicitud,
            actor=coordinadora,
            sentido="improcedente",
            fundamento="LGPDPPSO",
            respuesta="No procede",
        )
    assert "causa_improcedencia" in error.value.message_dict
    solicitud = arco.responder(
        solicitud=solicitud,
        actor=coordinadora,
        sentido="parcial",
        causa_improcedencia="obligacion_legal",
        fundamento="LGPDPPSO art. 45 [por confirmar]",
        respuesta="Se entregan sus datos; el convenio registrado se conserva.",
    )
    assert solicitud.estado == EstadoARCO.RESPONDIDA and not solicitud.abierta
    assert plazos.arco_recurso_vence_el(solicitud) == date(2026, 11, 24)
    with pytest.raises(ValidationError, match="ya concluyó"):
        arco.ampliar_plazo(solicitud=solicitud, actor=coordinadora, motivo="Tarde")

"""Cada plazo del sistema, calculado por `casos.plazos` con el reloj detenido (martes
24/11/2026 10:00 en México; el 16/11 y el 25/12 son de descanso obligatorio)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from casos import plazos
from casos.models import Caso, Convenio, EstadoRegistro, RespuestaInvitacion, TipoCaso
from casos.services import asesoria as ase
from casos.services import mediacion as med
from tests.casos.etapas import (
    AHORA,
    MX,
    admitido,
    completar_partes,
    con_sesion,
    convenio_listo,
    en,
    firmado,
    invitado,
    sesion_celebrada,
)

pytestmark = pytest.mark.usefixtures("reloj")


def al_cierre(dia: date) -> datetime:
    return datetime.combine(dia, time(23, 59), tzinfo=MX)


@pytest.fixture
def caso(nuevo_caso):
    return nuevo_caso().caso


@pytest.fixture
def asesoria(nuevo_caso):
    return nuevo_caso(TipoCaso.ASESORIA).caso


@pytest.fixture
def con_convenio_firmado(caso, coordinadora, certificado, sala, reloj):
    """Admitido el 24/11, sesión con acuerdo el 26/11 y convenio firmado ese día."""
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala)
    reloj.move_to(en(date(2026, 11, 26), 12))
    sesion_celebrada(sesion, certificado)
    convenio_listo(caso, certificado)
    completar_partes(caso, certificado)
    firmado(caso, certificado)
    return type(caso).objects.get(pk=caso.pk)


def test_fin_del_dia_es_a_las_23_59_de_mexico():
    assert plazos.fin_del_dia(date(2026, 11, 24)) == al_cierre(date(2026, 11, 24))


# --- Art. 64: duración del procedimiento ----------------------------------------------------


def test_art_64_sin_admision_no_corre_el_plazo(caso):
    assert plazos.procedimiento_vence_el(caso) is None
    assert plazos.vence_procedimiento(caso) == AHORA + timedelta(days=90)


def test_art_64_sin_prorroga_vence_a_los_tres_meses_de_la_admision(caso, coordinadora, certificado):
    admitido(caso, coordinadora, certificado)
    caso.refresh_from_db()
    assert plazos.procedimiento_vence_el(caso) == date(2027, 2, 24)
    assert plazos.vence_procedimiento(caso) == al_cierre(date(2027, 2, 24))
    assert caso.vence_el() == date(2027, 2, 24)  # el modelo delega en casos.plazos


def test_art_64_con_prorroga_vence_en_la_ultima_fecha_acordada(caso, coordinadora, certificado):
    admitido(caso, coordinadora, certificado)
    for nueva in (date(2027, 4, 30), date(2027, 5, 31)):
        med.prorrogar(
            caso=caso,
            actor=certificado,
            nueva_fecha_limite=nueva,
            consentimiento="Escrito firmado por ambas partes.",
        )
    caso = type(caso).objects.get(pk=caso.pk)
    assert plazos.procedimiento_vence_el(caso) == date(2027, 5, 31)


# --- Art. 66: aviso de la no admisión -------------------------------------------------------


def test_art_66_la_no_admision_se_avisa_al_dia_habil_siguiente(caso, coordinadora):
    caso = med.no_admitir(caso=caso, actor=coordinadora, motivo="Asunto de materia penal.")
    assert plazos.aviso_no_admision_vence_el(caso) == date(2026, 11, 25)
    assert plazos.vence_aviso_no_admision(caso) == al_cierre(date(2026, 11, 25))


# --- Art. 69: invitación --------------------------------------------------------------------


def test_art_69_la_invitacion_sale_en_cinco_dias_habiles_desde_la_admision(
    caso, coordinadora, certificado
):
    assert plazos.invitacion_vence_el(caso) is None
    admitido(caso, coordinadora, certificado)
    caso.refresh_from_db()
    assert plazos.invitacion_vence_el(caso) == date(2026, 12, 1)
    assert plazos.nueva_invitacion_vence_el(caso) == date(2026, 12, 1)
    assert plazos.vence_invitacion(caso) == al_cierre(date(2026, 12, 1))


def test_art_69_el_siguiente_intento_cuenta_desde_el_anterior(
    caso, coordinadora, certificado, reloj
):
    admitido(caso, coordinadora, certificado)
    reloj.move_to(en(date(2026, 11, 26)))  # jueves
    med.registrar_invitacion(
        caso=caso,
        actor=certificado,
        medio="personal",
        fecha=en(date(2026, 11, 26)),
        respuesta=RespuestaInvitacion.SIN_RESPUESTA,
    )
    caso.refresh_from_db()
    assert plazos.invitacion_vence_el(caso) == date(2026, 12, 1)  # el primero no cambia
    assert plazos.nueva_invitacion_vence_el(caso) == date(2026, 12, 3)
    assert plazos.vence_invitacion(caso) == al_cierre(date(2026, 12, 3))


# --- Sesiones -------------------------------------------------------------------------------


def test_programar_la_sesion_no_rebasa_el_fin_del_procedimiento(
    caso, coordinadora, certificado, reloj
):
    admitido(caso, coordinadora, certificado)
    caso.refresh_from_db()
    assert plazos.programacion_vence_el(caso) == date(2026, 12, 1)
    assert plazos.vence_programacion(caso) == al_cierre(date(2026, 12, 1))
    reloj.move_to(en(date(2027, 2, 22)))  # cinco hábiles caerían el 1/03
    assert plazos.programacion_vence_el(caso) == date(2027, 2, 24)


def test_la_sesion_se_registra_al_dia_habil_siguiente_y_su_temporizador_es_el_inicio(
    caso, coordinadora, certificado, sala
):
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    assert plazos.registro_de_sesion_vence_el(caso) is None
    assert plazos.vence_registro_de_sesion(caso) is None
    assert plazos.inicio_de_sesion(caso) == AHORA
    sesion = con_sesion(caso, certificado, sala)  # jueves 26/11 10:00
    assert plazos.registro_de_sesion_vence_el(caso) == date(2026, 11, 27)
    assert plazos.vence_registro_de_sesion(caso) == al_cierre(date(2026, 11, 27))
    assert plazos.inicio_de_sesion(caso) == sesion.inicio


# --- Arts. 98 y 103-111: registro del convenio ----------------------------------------------


def test_art_98_sin_firma_no_corre_el_envio_a_registro(db):
    assert plazos.registro_vence_el(Convenio(estado_registro=EstadoRegistro.SIN_ENVIAR)) is None


def test_art_98_envio_a_registro_diez_dias_habiles_desde_la_firma(con_convenio_firmado):
    caso = con_convenio_firmado
    assert plazos.registro_vence_el(caso.convenio) == date(2026, 12, 10)
    assert plazos.vence_envio_a_registro(caso) == al_cierre(date(2026, 12, 10))


def test_art_98_con_prevencion_se_corrige_en_diez_dias_habiles_desde_ella(db):
    convenio = Convenio(
        caso=Caso(recibido_en=en(date(2026, 11, 20))),
        firmado_en=en(date(2026, 11, 26)),
        estado_registro=EstadoRegistro.PREVENIDO,
        prevenido_en=date(2026, 12, 14),
    )
    # 14/12 + 10 hábiles, sin contar el 25 de diciembre.
    assert plazos.registro_vence_el(convenio) == date(2026, 12, 29)


def test_arts_103_111_el_registro_responde_en_treinta_dias_habiles(
    con_convenio_firmado, certificado, reloj
):
    caso = con_convenio_firmado
    reloj.move_to(en(date(2026, 11, 30)))
    med.enviar_a_registro(caso=caso, actor=certificado)
    caso = type(caso).objects.get(pk=caso.pk)
    assert plazos.respuesta_registro_vence_el(caso.convenio) == date(2027, 1, 13)
    assert plazos.vence_respuesta_registro(caso) == al_cierre(date(2027, 1, 13))


def test_art_94_el_seguimiento_se_abre_en_la_fecha_de_la_primera_clausula(
    con_convenio_firmado, reloj
):
    caso = con_convenio_firmado
    assert plazos.seguimiento_vence_el(caso) == date(2026, 12, 18)
    assert plazos.vence_seguimiento(caso) == al_cierre(date(2026, 12, 18))
    assert plazos.esperar_clausulas_hasta(caso) == datetime(2026, 12, 18, 9, 0, tzinfo=MX)
    reloj.move_to(en(date(2026, 12, 21)))  # ya pasó: se abre en el momento
    assert plazos.esperar_clausulas_hasta(caso) == timezone.now()


def test_sin_clausulas_con_fecha_no_hay_plazo_de_seguimiento(caso):
    assert plazos.seguimiento_vence_el(caso) is None
    assert plazos.vence_seguimiento(caso) is None
    assert plazos.esperar_clausulas_hasta(caso) == AHORA


# --- Asesoría -------------------------------------------------------------------------------


def test_primer_contacto_al_dia_habil_siguiente_de_la_recepcion(asesoria):
    assert plazos.primer_contacto_vence_el(asesoria) == date(2026, 11, 25)
    assert plazos.vence_primer_contacto(asesoria) == al_cierre(date(2026, 11, 25))


def test_resolucion_de_la_asesoria_descuenta_los_dias_en_pausa(
    asesoria, coordinadora, asesor, reloj
):
    assert plazos.resolucion_vence_el(asesoria) == date(2026, 12, 8)  # 10 hábiles
    caso = ase.clasificar(
        caso=asesoria,
        actor=coordinadora,
        categoria=asesoria.categoria,
        localidad=asesoria.localidad,
    )
    caso = med.asignar_responsable(caso=caso, actor=coordinadora, responsable=asesor)
    ase.esperar_ciudadano(caso=caso, actor=asesor, motivo="Copia de su credencial")
    reloj.move_to(en(date(2026, 11, 26)))
    assert plazos.dias_habiles_en_pausa(caso) == 2  # la espera abierta cuenta hasta hoy
    reloj.move_to(en(date(2026, 11, 27)))
    ase.reanudar(caso=caso, actor=asesor)
    reloj.move_to(en(date(2026, 12, 2)))  # ya reanudada: la pausa no sigue creciendo
    caso = type(caso).objects.get(pk=caso.pk)
    assert plazos.dias_habiles_en_pausa(caso) == 3
    assert plazos.resolucion_vence_el(caso) == date(2026, 12, 11)
    assert plazos.vence_resolucion(caso) == al_cierre(date(2026, 12, 11))


# --- Avisos al personal ---------------------------------------------------------------------


def test_ventanas_de_aviso_en_dias_habiles(db):
    assert plazos.siguiente_dia_habil(date(2026, 11, 13)) == date(2026, 11, 17)  # 16: festivo
    assert plazos.por_vencer_hasta(date(2026, 11, 24)) == date(2026, 11, 26)

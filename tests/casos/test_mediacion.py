"""Reglas del procedimiento de mediación (LGMASC), probadas por los servicios."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from casos import plazos
from casos.models import (
    Asistencia,
    CausaConclusion,
    DiaInhabil,
    Estado,
    EstadoSesion,
    Prorroga,
    RespuestaInvitacion,
    ResultadoSesion,
    TipoCaso,
    TipoEvento,
)
from casos.selectors import mediadores_elegibles
from casos.services import mediacion as med
from tests.casos.etapas import (
    AHORA,
    admitido,
    con_cifra,
    con_sesion,
    en,
    invitado,
    sesion_celebrada,
)

pytestmark = pytest.mark.usefixtures("reloj")


def test_admitir_y_asignar_a_mediador_vigente(caso, coordinadora, certificado):
    admitido(caso, coordinadora, certificado)
    caso.refresh_from_db()
    assert caso.estado == Estado.ADMITIDA
    assert caso.responsable == certificado
    assert caso.admitido_en == AHORA
    assert caso.eventos.filter(tipo=TipoEvento.ADMITIDA, publico=True).exists()


def test_mediador_con_certificacion_vencida_no_se_asigna(caso, coordinadora, mediador):
    from casos.models import PerfilMediador

    PerfilMediador.objects.create(
        usuario=mediador, numero_certificacion="IJA-9", certificado_hasta=date(2026, 11, 23)
    )
    med.admitir(caso=caso, actor=coordinadora)
    with pytest.raises(ValidationError, match="venció el 23/11/2026"):
        med.asignar_responsable(caso=caso, actor=coordinadora, responsable=mediador)
    assert mediador not in mediadores_elegibles()


def test_quien_no_es_mediador_no_se_asigna(caso, coordinadora, asesor):
    med.admitir(caso=caso, actor=coordinadora)
    with pytest.raises(ValidationError, match="personas facilitadoras registradas"):
        med.asignar_responsable(caso=caso, actor=coordinadora, responsable=asesor)


def test_materia_que_se_canaliza_no_se_admite(nuevo_caso, coordinadora):
    from casos.models import Categoria

    violencia = Categoria.objects.get(canalizar=True, nombre__startswith="Violencia")
    caso = nuevo_caso(categoria=violencia).caso
    with pytest.raises(ValidationError, match="no se media"):
        med.admitir(caso=caso, actor=coordinadora)
    canalizacion = med.canalizar(
        caso=caso,
        actor=coordinadora,
        dependencia="Instituto Municipal de las Mujeres",
        motivo="Violencia contra las mujeres (art. 79).",
    )
    caso.refresh_from_db()
    assert caso.estado == Estado.CANALIZADA and not caso.abierto
    assert caso.causa_conclusion == CausaConclusion.CANALIZADA
    assert canalizacion.dependencia == "Instituto Municipal de las Mujeres"


def test_no_admitir_exige_motivo_y_se_avisa_al_dia_habil_siguiente(caso, coordinadora, reloj):
    with pytest.raises(ValidationError):
        med.no_admitir(caso=caso, actor=coordinadora, motivo=" ")
    reloj.move_to(en(date(2026, 11, 13), 17))  # viernes; el lunes 16 es festivo
    caso = med.no_admitir(caso=caso, actor=coordinadora, motivo="Asunto de materia penal.")
    assert caso.estado == Estado.NO_ADMITIDA
    assert plazos.aviso_no_admision_vence_el(caso) == date(2026, 11, 17)


def test_invitacion_aceptada_lleva_a_programar(caso, coordinadora, certificado):
    admitido(caso, coordinadora, certificado)
    resultado = invitado(caso, certificado)
    caso.refresh_from_db()
    assert resultado.siguiente == med.Siguiente.PROGRAMAR
    assert caso.estado == Estado.INVITACION
    assert resultado.objeto.intento == 1


def test_invitacion_rechazada_concluye(caso, coordinadora, certificado):
    admitido(caso, coordinadora, certificado)
    resultado = invitado(caso, certificado, RespuestaInvitacion.RECHAZA)
    caso.refresh_from_db()
    assert resultado.siguiente == med.Siguiente.CONCLUIDO
    assert caso.causa_conclusion == CausaConclusion.RECHAZO_INVITADA


def test_tras_los_intentos_configurados_sin_respuesta_concluye(caso, coordinadora, certificado):
    con_cifra("INVITACION_INTENTOS", 2)
    admitido(caso, coordinadora, certificado)
    primero = invitado(caso, certificado, RespuestaInvitacion.NO_LOCALIZADA)
    assert primero.siguiente == med.Siguiente.REINTENTAR
    segundo = invitado(caso, certificado, RespuestaInvitacion.SIN_RESPUESTA)
    assert segundo.siguiente == med.Siguiente.CONCLUIDO
    caso.refresh_from_db()
    assert caso.causa_conclusion == CausaConclusion.INVITACION_FALLIDA
    with pytest.raises(ValidationError):
        invitado(caso, certificado)


def test_invitacion_fuera_de_los_cinco_dias_habiles_queda_marcada(
    caso, coordinadora, certificado, reloj
):
    admitido(caso, coordinadora, certificado)
    caso.refresh_from_db()
    # Admitido el martes 24/11: vence el martes 1/12 (5 hábiles).
    assert plazos.invitacion_vence_el(caso) == date(2026, 12, 1)
    reloj.move_to(en(date(2026, 12, 2)))
    med.registrar_invitacion(
        caso=caso,
        actor=certificado,
        medio="personal",
        fecha=en(date(2026, 12, 2)),
        respuesta=RespuestaInvitacion.ACEPTA,
    )
    assert caso.eventos.get(tipo=TipoEvento.INVITACION).datos["fuera_de_plazo"] is True


def test_sala_ocupada_a_esa_hora_se_rechaza(
    nuevo_caso, coordinadora, certificado, otro_certificado, sala
):
    uno, dos = nuevo_caso().caso, nuevo_caso().caso
    for caso, quien in ((uno, certificado), (dos, otro_certificado)):
        admitido(caso, coordinadora, quien)
        invitado(caso, quien)
    con_sesion(uno, certificado, sala, en(date(2026, 11, 26), 10))
    with pytest.raises(ValidationError) as error:
        med.programar_sesion(
            caso=dos,
            actor=otro_certificado,
            inicio=en(date(2026, 11, 26), 10) + timedelta(minutes=30),
            sala=sala,
        )
    assert "está ocupada" in str(error.value)
    # Justo al terminar la otra sesión sí se puede.
    med.programar_sesion(
        caso=dos, actor=otro_certificado, inicio=en(date(2026, 11, 26), 11), sala=sala
    )


def test_mediador_ocupado_a_esa_hora_se_rechaza(nuevo_caso, coordinadora, certificado, sala):
    from casos.models import Sala

    otra_sala = Sala.objects.create(nombre="Sala 2")
    uno, dos = nuevo_caso().caso, nuevo_caso().caso
    for caso in (uno, dos):
        admitido(caso, coordinadora, certificado)
        invitado(caso, certificado)
    con_sesion(uno, certificado, sala)
    with pytest.raises(ValidationError, match="ya tiene una sesión a esa hora"):
        con_sesion(dos, certificado, otra_sala)


def test_sesion_en_dia_inhabil_se_rechaza(caso, coordinadora, certificado, sala):
    DiaInhabil.objects.create(
        fecha_inicio=date(2026, 12, 11),
        fecha_fin=date(2026, 12, 11),
        motivo="Día de la Virgen de Guadalupe",
    )
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    with pytest.raises(ValidationError, match="inhábil"):
        con_sesion(caso, certificado, sala, en(date(2026, 12, 11)))
    with pytest.raises(ValidationError, match="inhábil"):
        con_sesion(caso, certificado, sala, en(date(2026, 11, 28)))  # sábado


def test_sesion_despues_del_plazo_exige_prorroga(caso, coordinadora, certificado, sala):
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    caso.refresh_from_db()
    assert caso.vence_el() == date(2027, 2, 24)  # 3 meses desde la admisión
    with pytest.raises(ValidationError, match="rebasa el plazo"):
        con_sesion(caso, certificado, sala, en(date(2027, 3, 1)))
    med.prorrogar(
        caso=caso,
        actor=certificado,
        nueva_fecha_limite=date(2027, 4, 30),
        consentimiento="Escrito firmado por ambas partes el 24/11/2026.",
    )
    caso = type(caso).objects.get(pk=caso.pk)
    assert caso.vence_el() == date(2027, 4, 30)
    con_sesion(caso, certificado, sala, en(date(2027, 3, 1)))


def test_prorroga_exige_consentimiento_y_fecha_posterior(caso, coordinadora, certificado):
    admitido(caso, coordinadora, certificado)
    with pytest.raises(ValidationError):
        med.prorrogar(
            caso=caso, actor=certificado, nueva_fecha_limite=date(2027, 4, 30), consentimiento=""
        )
    with pytest.raises(ValidationError, match="posterior"):
        med.prorrogar(
            caso=caso,
            actor=certificado,
            nueva_fecha_limite=date(2027, 1, 5),
            consentimiento="Acta firmada.",
        )
    assert not Prorroga.objects.exists()


def test_tercer_diferimiento_se_rechaza(caso, coordinadora, certificado, sala):
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala, en(date(2026, 11, 26)))
    sesion = med.diferir_sesion(
        sesion=sesion, actor=certificado, motivo="Enfermedad", nuevo_inicio=en(date(2026, 11, 30))
    )
    sesion = med.diferir_sesion(
        sesion=sesion, actor=certificado, motivo="Trabajo", nuevo_inicio=en(date(2026, 12, 2))
    )
    with pytest.raises(ValidationError, match="2 como máximo"):
        med.diferir_sesion(
            sesion=sesion, actor=certificado, motivo="Viaje", nuevo_inicio=en(date(2026, 12, 4))
        )
    assert caso.sesiones.filter(estado=EstadoSesion.DIFERIDA).count() == 2
    assert caso.sesiones.programadas().get() == sesion


def test_segunda_inasistencia_consecutiva_sin_causa_concluye(
    caso, coordinadora, certificado, sala, reloj
):
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    primera = con_sesion(caso, certificado, sala, en(date(2026, 11, 26)))
    reloj.move_to(en(date(2026, 11, 26), 12))
    paso = med.registrar_sesion(
        sesion=primera,
        actor=certificado,
        asistencia_solicitante=Asistencia.ASISTIO,
        asistencia_invitada=Asistencia.INJUSTIFICADA,
    )
    assert paso.siguiente == med.Siguiente.PROGRAMAR
    segunda = con_sesion(caso, certificado, sala, en(date(2026, 12, 1)))
    reloj.move_to(en(date(2026, 12, 1), 12))
    paso = med.registrar_sesion(
        sesion=segunda,
        actor=certificado,
        asistencia_solicitante=Asistencia.ASISTIO,
        asistencia_invitada=Asistencia.INJUSTIFICADA,
    )
    caso.refresh_from_db()
    assert paso.siguiente == med.Siguiente.CONCLUIDO
    assert caso.causa_conclusion == CausaConclusion.INASISTENCIAS
    assert caso.estado == Estado.CONCLUIDA_SIN_ACUERDO


def test_inasistencia_justificada_no_cuenta_para_concluir(
    caso, coordinadora, certificado, sala, reloj
):
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    for dia, asistencia in ((26, Asistencia.INJUSTIFICADA), (30, Asistencia.JUSTIFICADA)):
        sesion = con_sesion(caso, certificado, sala, en(date(2026, 11, dia)))
        reloj.move_to(en(date(2026, 11, dia), 12))
        paso = med.registrar_sesion(
            sesion=sesion,
            actor=certificado,
            asistencia_solicitante=asistencia,
            asistencia_invitada=Asistencia.ASISTIO,
        )
        assert paso.siguiente == med.Siguiente.PROGRAMAR


def test_no_se_registra_una_sesion_que_no_ha_ocurrido(caso, coordinadora, certificado, sala):
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala)
    with pytest.raises(ValidationError, match="aún no ocurre"):
        sesion_celebrada(sesion, certificado)


def test_sin_acuerdo_concluye_y_conservan_sus_derechos(
    caso, coordinadora, certificado, sala, reloj
):
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala)
    reloj.move_to(en(date(2026, 11, 26), 12))
    paso = sesion_celebrada(sesion, certificado, ResultadoSesion.SIN_ACUERDO)
    caso.refresh_from_db()
    assert paso.siguiente == med.Siguiente.CONCLUIDO
    assert "conservan sus derechos" in caso.motivo_conclusion


def test_conclusion_anticipada_cancela_sesiones_programadas(caso, coordinadora, certificado, sala):
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala)
    med.concluir_anticipadamente(
        caso=caso,
        actor=certificado,
        causa=CausaConclusion.DESISTIMIENTO,
        motivo="La solicitante desistió por escrito.",
    )
    sesion.refresh_from_db()
    assert sesion.estado == EstadoSesion.CANCELADA


def test_caso_concluido_no_acepta_mas_acciones(caso, coordinadora):
    med.no_admitir(caso=caso, actor=coordinadora, motivo="No es mediable.")
    with pytest.raises(ValidationError, match="ya concluyó|no corresponde"):
        med.admitir(caso=caso, actor=coordinadora)


def test_asesoria_no_pasa_por_reglas_de_mediacion(nuevo_caso, coordinadora):
    caso = nuevo_caso(TipoCaso.ASESORIA).caso
    with pytest.raises(ValidationError, match="solo para casos de mediación"):
        med.admitir(caso=caso, actor=coordinadora)


def test_los_diferimientos_se_cuentan_por_sesion(caso, coordinadora, certificado, sala, reloj):
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala, en(date(2026, 11, 26)))
    sesion = med.diferir_sesion(
        sesion=sesion, actor=certificado, motivo="A", nuevo_inicio=en(date(2026, 11, 30))
    )
    sesion = med.diferir_sesion(
        sesion=sesion, actor=certificado, motivo="B", nuevo_inicio=en(date(2026, 12, 2))
    )
    reloj.move_to(en(date(2026, 12, 2), 12))
    sesion_celebrada(sesion, certificado, ResultadoSesion.CONTINUA)
    otra = con_sesion(caso, certificado, sala, en(date(2026, 12, 4)))
    # La nueva sesión nunca se difirió: se puede diferir.
    diferida = med.diferir_sesion(
        sesion=otra, actor=certificado, motivo="C", nuevo_inicio=en(date(2026, 12, 7))
    )
    otra.refresh_from_db()
    assert otra.estado == EstadoSesion.DIFERIDA
    assert diferida.estado == EstadoSesion.PROGRAMADA
    assert diferida.inicio == en(date(2026, 12, 7))
    assert caso.eventos.filter(tipo=TipoEvento.SESION_DIFERIDA).count() == 3
    assert (
        "diferimiento 1 de 2"
        in caso.eventos.filter(tipo=TipoEvento.SESION_DIFERIDA).last().descripcion
    )


def test_una_sesion_que_ya_empezo_no_se_difiere(caso, coordinadora, certificado, sala, reloj):
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala, en(date(2026, 11, 26)))
    reloj.move_to(en(date(2026, 11, 26), 15))
    with pytest.raises(ValidationError, match="ya empezó"):
        med.diferir_sesion(
            sesion=sesion, actor=certificado, motivo="X", nuevo_inicio=en(date(2026, 11, 30))
        )

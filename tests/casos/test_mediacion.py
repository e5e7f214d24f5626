"""Reglas del procedimiento de mediación (LGMASC), probadas por los servicios."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from casos import plazos
from casos.models import (
    Asistencia,
    CausaConclusion,
    Cumplimiento,
    DiaInhabil,
    Estado,
    EstadoRegistro,
    EstadoSesion,
    Prorroga,
    RespuestaInvitacion,
    ResultadoSeguimiento,
    ResultadoSesion,
    TipoCaso,
    TipoEvento,
)
from casos.selectors import mediadores_elegibles
from casos.services import mediacion as med
from tests.casos.etapas import (
    AHORA,
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


@pytest.fixture
def caso(nuevo_caso):
    return nuevo_caso().caso


@pytest.fixture
def en_mediacion(caso, coordinadora, certificado, sala, reloj):
    """Caso con invitación aceptada y una sesión celebrada con acuerdo total."""
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala)
    reloj.move_to(en(date(2026, 11, 26), 12))
    sesion_celebrada(sesion, certificado)
    caso.refresh_from_db()
    return caso


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


def test_tras_los_intentos_configurados_sin_respuesta_concluye(
    caso, coordinadora, certificado, settings
):
    settings.PLAZOS = {**settings.PLAZOS, "INVITACION_INTENTOS": 2}
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


def test_convenio_incompleto_no_se_firma_y_dice_que_falta(en_mediacion, certificado):
    convenio_listo(en_mediacion, certificado)
    faltan = med.faltantes_convenio(en_mediacion)
    assert any("edad" in f and "ocupación" in f for f in faltan)
    with pytest.raises(ValidationError, match="Antes de firmar, complete"):
        firmado(en_mediacion, certificado)
    completar_partes(en_mediacion, certificado)
    assert med.faltantes_convenio(en_mediacion) == []


def test_clausula_de_hacer_sin_fecha_falta(en_mediacion, certificado):
    from casos.models import Clausula

    convenio_listo(en_mediacion, certificado)
    completar_partes(en_mediacion, certificado)
    Clausula.objects.filter(numero=1).update(fecha_limite=None)
    assert med.faltantes_convenio(en_mediacion) == ["A la cláusula 1 le falta: fecha para cumplir."]


def test_del_convenio_al_cumplimiento(en_mediacion, certificado, reloj):
    caso = en_mediacion
    convenio_listo(caso, certificado)
    completar_partes(caso, certificado)
    convenio = firmado(caso, certificado)
    assert plazos.registro_vence_el(convenio) == date(2026, 12, 10)
    med.enviar_a_registro(caso=caso, actor=certificado)
    med.registrar_respuesta_registro(
        caso=caso,
        actor=certificado,
        estado_registro=EstadoRegistro.PREVENIDO,
        observaciones="Falta la edad en letra.",
    )
    caso.refresh_from_db()
    assert caso.estado == Estado.VALIDACION
    med.enviar_a_registro(caso=caso, actor=certificado)
    med.registrar_respuesta_registro(
        caso=caso,
        actor=certificado,
        estado_registro=EstadoRegistro.VALIDADO,
        numero_registro="IJA-2026-0042",
    )
    caso.refresh_from_db()
    assert caso.estado == Estado.SEGUIMIENTO
    with pytest.raises(ValidationError, match="Faltan por verificar"):
        med.cerrar_seguimiento(caso=caso, actor=certificado)
    for clausula in caso.convenio.clausulas.all():
        med.verificar_clausula(clausula=clausula, actor=certificado, cumplida=True)
    caso = med.cerrar_seguimiento(caso=caso, actor=certificado)
    assert caso.estado == Estado.CONCLUIDA_CONVENIO
    assert caso.resultado_seguimiento == ResultadoSeguimiento.CUMPLIDO
    assert caso.causa_conclusion == CausaConclusion.CONVENIO_TOTAL


def test_incumplimiento_exige_orientacion(en_mediacion, certificado, reloj):
    caso = en_mediacion
    convenio_listo(caso, certificado)
    completar_partes(caso, certificado)
    firmado(caso, certificado)
    med.enviar_a_registro(caso=caso, actor=certificado)
    med.registrar_respuesta_registro(
        caso=caso, actor=certificado, estado_registro=EstadoRegistro.NO_PRESENTADO
    )
    primera, segunda = caso.convenio.clausulas.all()
    with pytest.raises(ValidationError, match="todavía no puede darse por incumplida"):
        med.verificar_clausula(clausula=primera, actor=certificado, cumplida=False)
    reloj.move_to(en(date(2026, 12, 19)))  # ya venció la cláusula 1 (18/12)
    med.verificar_clausula(
        clausula=primera, actor=certificado, cumplida=False, nota="No retiró la barda"
    )
    med.verificar_clausula(clausula=segunda, actor=certificado, cumplida=True)
    with pytest.raises(ValidationError, match="orientación"):
        med.cerrar_seguimiento(caso=caso, actor=certificado)
    caso = med.cerrar_seguimiento(
        caso=caso, actor=certificado, orientacion="Se orientó sobre la ejecución ante el juzgado."
    )
    assert caso.resultado_seguimiento == ResultadoSeguimiento.INCUMPLIDO
    assert primera.__class__.objects.get(pk=primera.pk).cumplimiento == Cumplimiento.INCUMPLIDA


def test_el_convenio_firmado_no_se_modifica(en_mediacion, certificado):
    convenio_listo(en_mediacion, certificado)
    completar_partes(en_mediacion, certificado)
    firmado(en_mediacion, certificado)
    with pytest.raises(ValidationError):
        convenio_listo(en_mediacion, certificado)


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


def test_actualizar_parte_guarda_lo_anterior(caso, coordinadora):
    parte = caso.partes.get(rol="invitada")
    med.actualizar_parte(parte=parte, actor=coordinadora, nombre="Pedro López Ávila", edad=51)
    evento = caso.eventos.order_by("-id").first()
    assert evento.datos["anteriores"] == {"nombre": "Pedro López", "edad": None}
    parte.refresh_from_db()
    assert parte.nombre_busqueda == "pedro lopez avila"


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


def test_con_convenio_firmado_no_hay_conclusion_anticipada(en_mediacion, certificado):
    convenio_listo(en_mediacion, certificado)
    completar_partes(en_mediacion, certificado)
    firmado(en_mediacion, certificado)
    with pytest.raises(ValidationError, match="no corresponde"):
        med.concluir_anticipadamente(
            caso=en_mediacion,
            actor=certificado,
            causa=CausaConclusion.DESISTIMIENTO,
            motivo="Desiste",
        )


def test_fechas_de_firma_y_registro_no_pueden_ser_futuras(en_mediacion, certificado):
    from datetime import timedelta

    from django.utils import timezone

    convenio_listo(en_mediacion, certificado)
    completar_partes(en_mediacion, certificado)
    with pytest.raises(ValidationError, match="no puede ser futura"):
        med.firmar_convenio(
            caso=en_mediacion,
            actor=certificado,
            forma_firma="autografa",
            firmado_en=timezone.now() + timedelta(days=3),
        )
    firmado(en_mediacion, certificado)
    with pytest.raises(ValidationError, match="no puede ser futura"):
        med.enviar_a_registro(caso=en_mediacion, actor=certificado, fecha=date(2026, 12, 30))

"""Las acciones del caso, llamadas directo (sin vista): cada una hace todo su efecto."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casos.models import Estado, EstadoSesion, TipoEvento
from flujos import services
from flujos.tareas import procesos_de
from notificaciones.models import EstadoMensaje, Mensaje
from tests.casos.etapas import en
from tests.flujos.test_flujo_asesoria import asesoria_asignada, atender
from tests.flujos.test_flujo_mediacion import (
    INVITACION,
    admitir_y_asignar,
    con_sesion_programada,
)

pytestmark = pytest.mark.usefixtures("reloj")


def _temporizador(caso, nombre):
    return Task.objects.get(
        process__in=procesos_de(caso),
        flow_task_type="TIMER",
        status=STATUS.SCHEDULED,
        flow_task=procesos_de(caso).first().flow_class.instance.node(nombre),
    )


def test_tomar_la_revision_inicia_la_revision(conductor, nuevo_caso, coordinadora):
    caso = nuevo_caso().caso
    task = conductor.tarea(caso, "revisar")
    services.tomar_tarea(task=task, usuario=coordinadora)
    task.refresh_from_db()
    caso.refresh_from_db()
    assert task.owner == coordinadora and task.status == STATUS.ASSIGNED
    assert caso.estado == Estado.EN_REVISION
    assert caso.eventos.filter(tipo=TipoEvento.EN_REVISION, actor=coordinadora).count() == 1


def test_tomar_otra_tarea_no_cambia_el_estado_del_caso(
    conductor, nuevo_caso, coordinadora, certificado
):
    caso = nuevo_caso().caso
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    services.soltar_tarea(task=conductor.tarea(caso, "invitar"), usuario=coordinadora)
    antes = caso.eventos.count()
    services.tomar_tarea(task=conductor.tarea(caso, "invitar"), usuario=certificado)
    caso.refresh_from_db()
    assert caso.estado == Estado.ADMITIDA
    assert caso.eventos.count() == antes


def test_diferir_mueve_el_temporizador_los_vencimientos_y_los_recordatorios(
    conductor, nuevo_caso, coordinadora, certificado, sala
):
    caso = nuevo_caso().caso
    vieja = con_sesion_programada(conductor, caso, coordinadora, certificado, sala)
    assert _temporizador(caso, "esperar_sesion").scheduled == en(date(2026, 11, 26), 10)
    recordatorios_viejos = Mensaje.objects.filter(
        referencia=f"sesion:{vieja.pk}", plantilla="recordatorio_sesion"
    )
    assert recordatorios_viejos.exists()

    nueva = services.diferir_sesion(
        caso=caso, actor=certificado, motivo="Enfermedad", inicio=en(date(2026, 12, 2), 12)
    )

    assert _temporizador(caso, "esperar_sesion").scheduled == en(date(2026, 12, 2), 12)
    assert set(recordatorios_viejos.values_list("estado", flat=True)) == {EstadoMensaje.CANCELADO}
    nuevos = Mensaje.objects.filter(
        referencia=f"sesion:{nueva.pk}", plantilla="recordatorio_sesion"
    )
    horas = sorted(nueva.inicio - m.programado_para for m in nuevos)
    assert horas and set(horas) == {timedelta(hours=24), timedelta(hours=48)}
    assert caso.eventos.filter(tipo=TipoEvento.SESION_DIFERIDA).count() == 1


def test_diferir_sin_sesion_programada_lo_dice(conductor, nuevo_caso, coordinadora, certificado):
    from django.core.exceptions import ValidationError

    caso = nuevo_caso().caso
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    with pytest.raises(ValidationError, match="no tiene una sesión programada"):
        services.diferir_sesion(
            caso=caso, actor=certificado, motivo="X", inicio=en(date(2026, 12, 2), 12)
        )


def test_prorrogar_mueve_el_temporizador_del_fin_del_procedimiento(
    conductor, nuevo_caso, coordinadora, certificado
):
    caso = nuevo_caso().caso
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    conductor.hacer(certificado, caso, "invitar", INVITACION)
    services.prorrogar_plazo(
        caso=caso,
        actor=certificado,
        nueva_fecha_limite=date(2027, 5, 31),
        consentimiento="Acta firmada por ambas partes",
    )
    vigila = Task.objects.get(
        process__in=procesos_de(caso), status=STATUS.SCHEDULED, flow_task_type="TIMER"
    )
    assert vigila.scheduled.date() == date(2027, 6, 1)  # fin del 31/05 en México
    assert caso.prorrogas.count() == 1


def test_concluir_anticipadamente_cancela_sesiones_y_tareas(
    conductor, nuevo_caso, coordinadora, certificado, sala
):
    caso = nuevo_caso().caso
    sesion = con_sesion_programada(conductor, caso, coordinadora, certificado, sala)
    services.concluir_anticipadamente(
        caso=caso, actor=certificado, causa="desistimiento", motivo="Desistió por escrito"
    )
    caso.refresh_from_db()
    sesion.refresh_from_db()
    assert caso.estado == Estado.CONCLUIDA_SIN_ACUERDO
    assert sesion.estado == EstadoSesion.CANCELADA
    assert conductor.pendientes(caso) == [] and conductor.terminado(caso)
    assert not Task.objects.filter(process__in=procesos_de(caso), status=STATUS.SCHEDULED).exists()


def test_reabrir_una_asesoria_arranca_su_flujo_en_atender(
    conductor, nuevo_caso, coordinadora, asesor
):
    caso = asesoria_asignada(nuevo_caso, conductor, coordinadora, asesor)
    atender(conductor, asesor, caso, resumen_atencion="Orientado")
    conductor.hacer(asesor, caso, "encuesta", {"satisfaccion": "3", "comentario": ""})
    assert conductor.terminado(caso)
    services.reabrir_asesoria(caso=caso, actor=asesor, motivo="El problema volvió")
    caso.refresh_from_db()
    assert caso.estado == Estado.EN_ATENCION
    assert conductor.pendientes(caso) == ["atender"]
    assert procesos_de(caso).count() == 2


def test_si_otra_persona_mueve_el_caso_la_accion_no_deja_nada(
    conductor, nuevo_caso, coordinadora, certificado, request
):
    caso = nuevo_caso().caso
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    request.getfixturevalue("caso_ocupado")
    with pytest.raises(services.TareaNoDisponible):
        services.concluir_anticipadamente(
            caso=caso, actor=certificado, causa="desistimiento", motivo="Desistió"
        )
    caso.refresh_from_db()
    assert caso.abierto and conductor.pendientes(caso) == ["invitar"]


def test_verificar_una_clausula_mueve_el_seguimiento_a_la_siguiente(
    conductor, nuevo_caso, coordinadora, certificado, sala, reloj
):
    from flujos.tasks import disparar_temporizadores
    from tests.flujos.test_flujo_mediacion import (
        convenio_firmado_por_http,
        hasta_sesion,
        sesion_con_acuerdo,
    )

    caso = nuevo_caso().caso
    hasta_sesion(conductor, caso, coordinadora, certificado, sala, reloj)
    sesion_con_acuerdo(conductor, caso, certificado)
    convenio_firmado_por_http(
        conductor, caso, certificado, reloj, fechas=["2026-12-18", "2027-01-15"]
    )
    reloj.move_to(en(date(2026, 11, 27), 12))
    conductor.hacer(certificado, caso, "enviar_registro", {"fecha": "2026-11-27"})
    conductor.hacer(
        certificado,
        caso,
        "respuesta_registro",
        {
            "estado_registro": "validado",
            "fecha": "2026-11-27",
            "numero_registro": "IJA-7",
            "observaciones": "",
        },
    )
    reloj.move_to(en(date(2026, 12, 18), 9))
    assert disparar_temporizadores() == 1  # se abre el seguimiento en la primera fecha
    tarea = conductor.tarea(caso, "seguimiento")
    assert timezone.localtime(tarea.scheduled).date() == date(2026, 12, 18)
    primera, segunda = caso.convenio.clausulas.order_by("numero")

    services.verificar_clausula(clausula=primera, actor=certificado, cumplida=True, nota="")

    tarea.refresh_from_db()
    primera.refresh_from_db()
    assert primera.cumplimiento == "cumplida"
    assert timezone.localtime(tarea.scheduled).date() == date(2027, 1, 15)
    assert caso.eventos.filter(tipo=TipoEvento.CLAUSULA_VERIFICADA).count() == 1

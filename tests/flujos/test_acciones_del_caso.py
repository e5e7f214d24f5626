"""Acciones sobre el caso fuera de una tarea, reasignación y certificación."""

from datetime import date

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casos.models import PerfilMediador, TipoCaso
from flujos import tareas
from flujos.tareas import procesos_de
from flujos.tasks import disparar_temporizadores
from tests.casos.etapas import en
from tests.flujos.test_flujo_mediacion import INVITACION, admitir_y_asignar

pytestmark = pytest.mark.usefixtures("reloj")


def test_la_prorroga_mueve_el_temporizador_del_plazo_y_no_hay_aviso_falso(
    conductor, nuevo_caso, coordinadora, certificado, client, reloj
):
    caso = nuevo_caso().caso
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    conductor.hacer(certificado, caso, "invitar", INVITACION)
    client.force_login(certificado)
    respuesta = client.post(
        reverse("flujos:prorrogar", args=[caso.folio]),
        {"nueva_fecha_limite": "2027-05-31", "consentimiento": "Acta firmada por ambas partes"},
    )
    assert respuesta.status_code == 302
    temporizador = Task.objects.get(
        process__in=procesos_de(caso), status=STATUS.SCHEDULED, flow_task_type="TIMER"
    )
    assert temporizador.scheduled.date() == date(2027, 6, 1)  # fin del 31/05 en México
    reloj.move_to(en(date(2027, 2, 26)))
    disparar_temporizadores()
    assert not caso.eventos.filter(datos__plazo_vencido="procedimiento").exists()


def test_reasignar_una_tarea_del_mediador_pasa_el_caso(
    conductor, nuevo_caso, coordinadora, certificado, otro_certificado, client
):
    caso = nuevo_caso().caso
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    tarea = conductor.tarea(caso, "invitar")
    client.force_login(coordinadora)
    client.post(reverse("flujos:reasignar", args=[tarea.pk]), {"usuario": otro_certificado.pk})
    caso.refresh_from_db()
    assert caso.responsable == otro_certificado
    conductor.hacer(otro_certificado, caso, "invitar", INVITACION)
    assert conductor.tarea(caso, "programar").owner == otro_certificado


def test_sin_certificacion_vigente_no_se_toman_tareas_de_mediacion(
    conductor, nuevo_caso, coordinadora, certificado, otro_mediador
):
    caso = nuevo_caso().caso
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    tarea = conductor.tarea(caso, "invitar")
    tareas.soltar(task=tarea, usuario=certificado)
    with pytest.raises(tareas.TareaNoDisponible, match="certificación vigente"):
        tareas.tomar(task=Task.objects.get(pk=tarea.pk), usuario=otro_mediador)
    PerfilMediador.objects.create(
        usuario=otro_mediador, numero_certificacion="X", certificado_hasta=date(2026, 1, 1)
    )
    with pytest.raises(tareas.TareaNoDisponible, match="certificación vigente"):
        tareas.reasignar(
            task=Task.objects.get(pk=tarea.pk), usuario=coordinadora, nuevo=otro_mediador
        )


def test_la_asesoria_resuelta_con_encuesta_pendiente_no_se_reabre(
    conductor, nuevo_caso, coordinadora, asesor, client
):
    caso = nuevo_caso(TipoCaso.ASESORIA).caso
    conductor.hacer(
        coordinadora,
        caso,
        "clasificar",
        {"categoria": caso.categoria_id, "localidad": caso.localidad_id},
    )
    conductor.hacer(coordinadora, caso, "asignar_asesor", {"responsable": asesor.pk})
    conductor.hacer(
        asesor, caso, "atender", {"accion": "resolver", "resumen_atencion": "Orientado"}
    )
    client.force_login(asesor)
    respuesta = client.post(reverse("flujos:reabrir", args=[caso.folio]), {"motivo": "Volvió"})
    assert respuesta.status_code == 400
    assert conductor.pendientes(caso) == ["encuesta"]


def test_solo_su_asesor_o_la_coordinacion_reabren(
    conductor, nuevo_caso, coordinadora, asesor, client
):
    from django.contrib.auth.models import Group, User

    otro = User.objects.create_user("asesor2", password="x")
    otro.groups.add(Group.objects.get(name="asesor"))
    caso = nuevo_caso(TipoCaso.ASESORIA).caso
    conductor.hacer(
        coordinadora,
        caso,
        "clasificar",
        {"categoria": caso.categoria_id, "localidad": caso.localidad_id},
    )
    conductor.hacer(coordinadora, caso, "asignar_asesor", {"responsable": asesor.pk})
    conductor.hacer(
        asesor, caso, "atender", {"accion": "resolver", "resumen_atencion": "Orientado"}
    )
    conductor.hacer(asesor, caso, "encuesta", {"satisfaccion": "4", "comentario": ""})
    client.force_login(otro)
    assert client.get(reverse("flujos:reabrir", args=[caso.folio])).status_code == 403
    client.force_login(coordinadora)
    respuesta = client.post(reverse("flujos:reabrir", args=[caso.folio]), {"motivo": "Volvió"})
    assert respuesta.status_code == 302


def test_si_el_caso_esta_ocupado_la_accion_lo_dice_sin_error_500(
    conductor, nuevo_caso, coordinadora, certificado, client, request
):
    caso = nuevo_caso().caso
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    request.getfixturevalue("caso_ocupado")
    client.force_login(certificado)
    respuesta = client.post(
        reverse("flujos:concluir", args=[caso.folio]),
        {"causa": "desistimiento", "motivo": "Desistió"},
    )
    assert respuesta.status_code == 400
    assert "Otra persona está moviendo este caso" in respuesta.content.decode()
    caso.refresh_from_db()
    assert caso.abierto


def test_quien_toma_de_la_cola_una_tarea_del_responsable_pasa_a_llevar_el_caso(
    conductor, nuevo_caso, coordinadora, certificado, otro_certificado, client
):
    from casos import acceso

    caso = nuevo_caso().caso
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    tarea = conductor.tarea(caso, "invitar")
    client.force_login(certificado)
    assert client.post(reverse("flujos:soltar", args=[tarea.pk])).status_code == 302
    client.force_login(otro_certificado)
    assert client.post(reverse("flujos:tomar", args=[tarea.pk])).status_code == 302

    caso.refresh_from_db()
    assert caso.responsable == otro_certificado
    evento = caso.eventos.filter(datos__responsable=otro_certificado.pk).get()
    assert evento.actor == otro_certificado and evento.datos["anterior"] == certificado.pk
    # La página del caso, la política de acceso y las tareas siguientes dicen lo mismo.
    pagina = client.get(reverse("casos:detalle", args=[caso.folio])).content.decode()
    assert otro_certificado.get_full_name() in pagina
    assert acceso.puede_ver(otro_certificado, caso)
    conductor.hacer(otro_certificado, caso, "invitar", INVITACION)
    assert conductor.tarea(caso, "programar").owner == otro_certificado

"""Dos mediadores toman la misma tarea en el mismo instante (PostgreSQL real)."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from viewflow.workflow.models import Task

from casos.catalogos import ROLES
from flujos import tareas
from flujos.tareas import procesos_de


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_solo_uno_toma_la_tarea_y_el_otro_recibe_un_mensaje_claro(
    nuevo_caso, certificado, otro_certificado
):
    assert "casos.atender_mediacion" in ROLES["mediador"]
    caso = nuevo_caso().caso
    tarea = Task.objects.get(process__in=procesos_de(caso), flow_task_type="HUMAN")
    # La tarea de revisión se pone en la cola de mediación para este ensayo.
    Task.objects.filter(pk=tarea.pk).update(owner_permission="casos.atender_mediacion")
    barrera = threading.Barrier(2)
    resultados = {}

    def tomar(usuario):
        try:
            barrera.wait()
            try:
                tareas.tomar(task=Task.objects.get(pk=tarea.pk), usuario=usuario)
                resultados[usuario.username] = "ok"
            except tareas.TareaNoDisponible as error:
                resultados[usuario.username] = str(error)
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=tomar, args=(u,)) for u in (certificado, otro_certificado)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    assert sorted(resultados.values()).count("ok") == 1, resultados
    perdedor = next(v for v in resultados.values() if v != "ok")
    assert "ya tomó esta tarea" in perdedor or "Intente de nuevo" in perdedor
    tarea.refresh_from_db()
    ganador = next(k for k, v in resultados.items() if v == "ok")
    assert tarea.owner.username == ganador


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_por_http_el_segundo_ve_quien_la_tomo(nuevo_caso, coordinadora):
    from django.contrib.auth.models import Group, User

    otra = User.objects.create_user("coordinadora2", password="x", first_name="Lucía")
    otra.groups.add(Group.objects.get(name="coordinador"))
    caso = nuevo_caso().caso
    tarea = Task.objects.get(process__in=procesos_de(caso), flow_task_type="HUMAN")
    clientes = []
    for usuario in (coordinadora, otra):
        cliente = Client()
        cliente.force_login(usuario)
        clientes.append(cliente)
    barrera = threading.Barrier(2)
    respuestas = []

    def tomar(cliente):
        try:
            barrera.wait()
            respuestas.append(cliente.post(reverse("flujos:tomar", args=[tarea.pk]), follow=True))
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=tomar, args=(c,)) for c in clientes]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    textos = [r.content.decode() for r in respuestas]
    assert sum("ya tomó esta tarea" in t or "Intente de nuevo" in t for t in textos) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_una_accion_sobre_un_caso_que_otra_persona_mueve_dice_intente_de_nuevo(
    nuevo_caso, coordinadora, certificado
):
    """Mientras otra conexión tiene el candado del caso, la acción no da 500 ni deja nada:
    dice que otra persona lo está moviendo; al soltarse el candado, la misma acción pasa."""
    from flujos import services

    caso = nuevo_caso().caso
    tomado, liberar = threading.Event(), threading.Event()

    def ocupar():
        try:
            with tareas.candado_del_caso(caso):
                tomado.set()
                liberar.wait(30)
        finally:
            connections.close_all()

    hilo = threading.Thread(target=ocupar)
    hilo.start()
    assert tomado.wait(30)
    try:
        with pytest.raises(tareas.TareaNoDisponible, match="Intente de nuevo"):
            services.tomar_tarea(
                task=Task.objects.get(process__in=procesos_de(caso), flow_task_type="HUMAN"),
                usuario=coordinadora,
            )
        with pytest.raises(tareas.TareaNoDisponible, match="Intente de nuevo"):
            services.concluir_anticipadamente(
                caso=caso, actor=coordinadora, causa="desistimiento", motivo="Desistió"
            )
    finally:
        liberar.set()
        hilo.join()
    caso.refresh_from_db()
    assert caso.abierto and caso.estado == "recibida"
    services.tomar_tarea(
        task=Task.objects.get(process__in=procesos_de(caso), flow_task_type="HUMAN"),
        usuario=coordinadora,
    )
    caso.refresh_from_db()
    assert caso.estado == "en_revision"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_solo_el_arranque_del_proceso_nuevo_omite_el_candado(nuevo_caso, coordinadora):
    """La recepción no toma el candado del proceso que acaba de insertar (nadie más lo ve);
    cualquier otro paso del flujo, sí (SELECT … FOR UPDATE NOWAIT)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as al_recibir:
        caso = nuevo_caso().caso
    assert not [q for q in al_recibir.captured_queries if "FOR UPDATE" in q["sql"]]
    tarea = Task.objects.get(process__in=procesos_de(caso), flow_task_type="HUMAN")
    with CaptureQueriesContext(connection) as al_tomar:
        tareas.tomar(task=tarea, usuario=coordinadora)
    candados = [q["sql"] for q in al_tomar.captured_queries if "FOR UPDATE NOWAIT" in q["sql"]]
    assert candados and all('"viewflow_process"' in s for s in candados)
    # Y la recepción que sigue, en el mismo hilo, vuelve a omitir solo el suyo.
    with CaptureQueriesContext(connection) as otra:
        nuevo_caso()
    assert not [q for q in otra.captured_queries if "FOR UPDATE" in q["sql"]]

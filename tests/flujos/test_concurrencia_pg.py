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

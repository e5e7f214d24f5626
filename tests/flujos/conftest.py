import pytest
from django.urls import reverse

from flujos.selectors import tareas_abiertas_del_caso
from flujos.tareas import procesos_de


class Conductor:
    """Trabaja las tareas de un caso por HTTP, como lo haría cada persona."""

    def __init__(self, client):
        self.client = client

    def abiertas(self, caso):
        return tareas_abiertas_del_caso(caso=caso)

    def tarea(self, caso, nombre):
        abiertas = [t for t in self.abiertas(caso) if t.flow_task.name == nombre]
        assert abiertas, (
            f"no hay tarea abierta «{nombre}»: {[t.flow_task.name for t in self.abiertas(caso)]}"
        )
        return abiertas[0]

    def pendientes(self, caso):
        return sorted(t.flow_task.name for t in self.abiertas(caso))

    def hacer(self, usuario, caso, nombre, datos, esperado=302):
        task = self.tarea(caso, nombre)
        self.client.force_login(usuario)
        if task.owner_id is None:
            tomada = self.client.post(reverse("flujos:tomar", args=[task.pk]))
            assert tomada.status_code == 302
        respuesta = self.client.post(reverse("flujos:tarea", args=[task.pk]), datos)
        assert respuesta.status_code == esperado, respuesta.content.decode()[-2500:]
        return respuesta

    def terminado(self, caso) -> bool:
        return not procesos_de(caso).filter(finished__isnull=True).exists()


@pytest.fixture
def conductor(client):
    return Conductor(client)


@pytest.fixture
def caso_ocupado(monkeypatch):
    """Otra persona tiene el candado del caso: toda acción recibe TareaNoDisponible."""
    from contextlib import contextmanager

    from flujos import tareas

    @contextmanager
    def ocupado(caso):
        raise tareas.TareaNoDisponible("Otra persona está moviendo este caso en este momento.")
        yield

    monkeypatch.setattr(tareas, "candado_del_caso", ocupado)

"""Reglas de diseño de los flujos (ARQUITECTURA, regla 3)."""

import pytest
from viewflow.workflow import lock
from viewflow.workflow.nodes import View

from flujos.flows import AsesoriaFlow, MediacionFlow


@pytest.mark.parametrize("flujo", [MediacionFlow, AsesoriaFlow])
def test_cada_nodo_humano_tiene_permiso_o_asignacion(flujo):
    humanos = [n for n in flujo.instance.nodes() if isinstance(n, View)]
    assert humanos
    for nodo in humanos:
        assert nodo._owner_permission or nodo._owner, nodo.name
        assert str(nodo.task_title) and str(nodo.task_title) != nodo.name, nodo.name


@pytest.mark.parametrize("flujo", [MediacionFlow, AsesoriaFlow])
def test_cada_flujo_usa_el_candado_de_renglon(flujo):
    assert isinstance(flujo.lock_impl, lock.SelectForUpdateLock)
    assert flujo.lock_impl.nowait


def test_el_proceso_apunta_al_caso_sin_herencia_multitabla():
    from viewflow.workflow.models import Process

    for flujo in (MediacionFlow, AsesoriaFlow):
        assert flujo.process_class._meta.proxy
        assert flujo.process_class._meta.concrete_model is Process


def test_cada_temporizador_y_cada_tarea_con_plazo_leen_casos_plazos():
    """`flujos.plazos` solo asigna a cada nodo una función de `casos.plazos`; todo
    temporizador tiene la suya (sin fecha, viewflow no lo puede armar)."""
    from viewflow.workflow.nodes.timer import Timer

    from casos import plazos as casos_plazos
    from flujos import plazos

    nodos = [n for flujo in (MediacionFlow, AsesoriaFlow) for n in flujo.instance.nodes()]
    humanos = {n.name for n in nodos if isinstance(n, View)}
    temporizadores = {n.name for n in nodos if isinstance(n, Timer)}
    assert set(plazos.TAREAS) <= humanos
    assert humanos - set(plazos.TAREAS) == {"esperar_ciudadano", "esperar_dependencia"}
    assert set(plazos.TEMPORIZADORES) == temporizadores
    for calculo in [*plazos.TAREAS.values(), *plazos.TEMPORIZADORES.values()]:
        assert getattr(casos_plazos, calculo.__name__) is calculo

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
    assert flujo.lock_impl is lock.select_for_update_lock


def test_el_proceso_apunta_al_caso_sin_herencia_multitabla():
    from viewflow.workflow.models import Process

    for flujo in (MediacionFlow, AsesoriaFlow):
        assert flujo.process_class._meta.proxy
        assert flujo.process_class._meta.concrete_model is Process

"""La coordinadora, en Chromium como lo haría una persona: entra y llega a su cola, abre la
solicitud (abrirla la toma), admite y asigna en una sola pantalla y vuelve a su cola con una
línea de confirmación. axe-core sin fallas graves ni críticas en la cola y en la tarea; la
cola a 1366 px usa el ancho de la pantalla."""

import pytest
from viewflow.workflow.models import Task

from flujos.tareas import procesos_de
from tests.conftest import CLAVE
from tests.navegador.test_portal_publico import auditar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def test_la_coordinadora_admite_y_asigna_en_una_pantalla(
    pagina, captura, nuevo_caso, coordinadora, certificado
):
    caso = nuevo_caso(nombre="Guadalupe Aceves Ramos").caso
    pagina.set_viewport_size({"width": 1366, "height": 768})
    pagina.goto("/cuentas/entrar/")
    pagina.get_by_label("Usuario").fill("coordinadora")
    pagina.get_by_label("Contraseña").fill(CLAVE)
    pagina.get_by_role("button", name="Entrar").click()
    pagina.get_by_role("heading", name="Tareas por tomar (1)").wait_for()
    assert auditar(pagina) == []
    # El menú cabe en una línea a 1366 px.
    captura(pagina, "coordinacion-cola-1366")
    renglones = pagina.evaluate(
        "new Set([...document.querySelectorAll('header.barra nav > *')]"
        ".map(e => Math.round(e.getBoundingClientRect().top))).size"
    )
    assert renglones == 1, renglones

    # Con el teclado: el título de la tarea es un botón que la abre y la toma.
    boton = pagina.locator("tr", has_text=caso.folio).get_by_role(
        "button", name="Revisar solicitud"
    )
    boton.focus()
    with pagina.expect_navigation():
        pagina.keyboard.press("Enter")
    pagina.get_by_role("heading", name="Revisar solicitud").wait_for()
    assert auditar(pagina) == []
    pagina.get_by_label("Admitir", exact=True).check()
    pagina.get_by_label("Persona facilitadora (si admite)").select_option(str(certificado.pk))
    captura(pagina, "coordinacion-admitir-y-asignar")
    pagina.get_by_role("button", name="Guardar y continuar").click()
    pagina.get_by_text("Solicitud admitida y asignada a").wait_for()
    assert "/tareas/" in pagina.url

    # En el expediente, el control que pasa una tarea a otra persona dice lo que hace y va
    # aparte de la persona que lleva el caso; la tarea ajena no es un enlace.
    pagina.goto(f"/casos/{caso.folio}/")
    pagina.get_by_label("Pasar la tarea «Invitar a la otra parte» a otra persona").wait_for()
    avance = pagina.locator("section", has=pagina.get_by_role("heading", name="Avance del trámite"))
    assert avance.get_by_role("link", name="Invitar a la otra parte").count() == 0
    assert auditar(pagina) == []
    captura(pagina, "coordinacion-caso-1366")

    caso.refresh_from_db()
    assert caso.responsable == certificado
    invitar = Task.objects.get(process__in=procesos_de(caso), status="ASSIGNED")
    assert invitar.owner == certificado and invitar.flow_task.name == "invitar"

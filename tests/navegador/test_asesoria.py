"""Atender una asesoría en Chromium: solo se ven los datos del resultado elegido, los errores
nombran solo lo que hay en la página y el relato de la asesora pasa a la mediación. axe-core
sin fallas graves ni críticas."""

import pytest
from django.test import Client
from django.urls import reverse

from casos.models import Caso
from flujos import tareas
from tests.flujos.conftest import Conductor
from tests.flujos.test_flujo_asesoria import asesoria_asignada
from tests.navegador.test_pantallas import entrar
from tests.navegador.test_portal_publico import auditar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def test_la_asesora_ve_solo_los_datos_del_resultado_elegido_y_convierte(
    pagina, captura, nuevo_caso, coordinadora, asesor
):
    conductor = Conductor(Client())
    caso = asesoria_asignada(nuevo_caso, conductor, coordinadora, asesor)
    tarea = conductor.tarea(caso, "atender")
    if tarea.owner_id is None:
        tareas.tomar(task=tarea, usuario=asesor)
    url = reverse("flujos:tarea", args=[tarea.pk])
    entrar(pagina, "asesor", url)
    convertir = pagina.locator("fieldset[data-opcion=convertir]")
    assert not convertir.is_visible()
    pagina.get_by_label("Convertir en mediación").check()
    assert convertir.is_visible()
    assert not pagina.locator("fieldset[data-opcion=resolver]").is_visible()
    pagina.get_by_label("Categoría de la mediación").select_option(index=1)
    pagina.get_by_label("Relato del conflicto").fill("El vecino desvía el agua a su patio.")
    pagina.get_by_label("Nombre de la otra parte").fill("Arturo Barba")
    assert auditar(pagina) == []
    captura(pagina, "asesoria-convertir")
    pagina.get_by_role("button", name="Guardar y continuar").click()
    # Falta cómo localizar a la otra parte: el error va junto a un campo que se ve.
    error = pagina.get_by_text(
        "Indique cómo localizar a la otra parte: su domicilio o su teléfono."
    )
    error.wait_for()
    assert convertir.is_visible() and convertir.locator(".errorlist").count() == 1
    assert pagina.get_by_label("Relato del conflicto").input_value().startswith("El vecino")
    assert auditar(pagina) == []
    captura(pagina, "asesoria-convertir-error")
    pagina.get_by_label("Domicilio de la otra parte").fill("Calle Juárez 3")
    pagina.get_by_role("button", name="Guardar y continuar").click()
    pagina.get_by_text("Se abrió la solicitud de mediación MED-").wait_for()
    nueva = Caso.objects.get(caso_anterior=caso)
    assert nueva.resumen.startswith("El vecino desvía el agua a su patio.")

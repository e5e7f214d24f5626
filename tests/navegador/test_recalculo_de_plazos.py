"""Recalcular plazos en Chromium: la coordinación elige un caso con cifras distintas de las de
hoy, escribe el motivo con el teclado y lo recalcula; axe-core sin fallas graves ni críticas."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casos.models import ClavePlazo, TipoEvento
from tests.casos.etapas import con_cifra
from tests.navegador.test_pantallas import entrar
from tests.navegador.test_portal_publico import auditar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def test_la_coordinacion_recalcula_los_plazos_de_un_caso(pagina, captura, nuevo_caso, coordinadora):
    caso = nuevo_caso(recibido_en=timezone.now() - timedelta(days=3)).caso
    con_cifra(ClavePlazo.INVITACION_DIAS_HABILES, 7, desde=timezone.localdate())
    entrar(pagina, "coordinadora", "/tareas/plazos/recalcular/")
    texto = pagina.locator("main").inner_text()
    assert caso.folio in texto
    assert "Invitación a la otra parte: 5 días hábiles → 7 días hábiles" in texto
    assert auditar(pagina) == []
    captura(pagina, "recalcular-plazos")

    pagina.get_by_label(f"Recalcular {caso.folio}").check()
    pagina.get_by_label("Motivo del recálculo").focus()
    pagina.keyboard.type("Acuerdo de la dirección del 2 de diciembre.")
    pagina.get_by_role("button", name="Recalcular los elegidos").click()
    pagina.get_by_text("Se recalcularon los plazos de 1 caso").wait_for()
    assert (
        "Todos los casos abiertos siguen las cifras de hoy." in pagina.locator("main").inner_text()
    )
    assert auditar(pagina) == []
    evento = caso.eventos.get(tipo=TipoEvento.PLAZOS_RECALCULADOS)
    assert evento.actor == coordinadora and "Acuerdo de la dirección" in evento.descripcion

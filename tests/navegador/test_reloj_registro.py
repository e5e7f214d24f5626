"""La página de los convenios en el registro, en Chromium: un convenio con la respuesta del
registro vencida va primero; axe-core sin fallas graves ni críticas."""

import pytest

from casos import plazos
from casos.calendario import Calendario
from casos.services import mediacion as med
from tests.navegador.test_pantallas import entrar
from tests.navegador.test_portal_publico import auditar
from tests.plantillas.test_reloj_registro import ENVIO, _a_las, _firmado

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def test_la_coordinacion_ve_lo_vencido_primero(
    pagina, captura, nuevo_caso, coordinadora, certificado, sala, reloj
):
    vencido = _firmado(nuevo_caso, coordinadora, certificado, sala, reloj)
    reciente = _firmado(nuevo_caso, coordinadora, certificado, sala, reloj, hora=12)
    reloj.move_to(_a_las(ENVIO))
    med.enviar_a_registro(caso=vencido, actor=coordinadora)
    vencido.convenio.refresh_from_db()
    vence = plazos.respuesta_registro_vence_el(vencido.convenio)
    reloj.move_to(_a_las(Calendario().sumar(vence, 2)))
    med.enviar_a_registro(caso=reciente, actor=coordinadora)
    entrar(pagina, "coordinadora", "/documentos/registro/")
    filas = pagina.locator("table.reloj-registro tbody tr")
    assert filas.count() == 2
    assert vencido.folio in filas.nth(0).inner_text()
    assert "Vencido hace 2 días" in filas.nth(0).inner_text()
    assert reciente.folio in filas.nth(1).inner_text()
    assert "Faltan 30 días" in filas.nth(1).inner_text()
    assert auditar(pagina) == []
    captura(pagina, "coordinadora-reloj-del-registro")

"""Acceso por necesidad de saber en Chromium: pedir un acceso excepcional con el teclado y la
bitácora de la coordinación, con axe-core sin fallas graves ni críticas."""

import pytest

from casos.models import AccesoExcepcional
from tests.navegador.test_pantallas import entrar
from tests.navegador.test_portal_publico import auditar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def test_un_mediador_pide_acceso_excepcional_y_la_coordinacion_lo_revisa(
    pagina, captura, nuevo_caso, mediador, coordinadora
):
    caso = nuevo_caso(nombre="Rosa Aceves").caso
    destino = f"/casos/{caso.folio}/"
    entrar(pagina, "mediador", "/tareas/")
    respuesta = pagina.goto(destino)
    assert respuesta.status == 403
    texto = pagina.locator("main").inner_text()
    assert "fuera de su alcance" in texto and "Rosa Aceves" not in texto
    assert auditar(pagina) == []
    captura(pagina, "acceso-excepcional-pedir")

    campo = pagina.get_by_label("¿Por qué necesita consultar este expediente?")
    campo.focus()
    pagina.keyboard.type("Cubro hoy a la compañera que lleva el caso.")
    pagina.keyboard.press("Tab")
    with pagina.expect_navigation():
        pagina.keyboard.press("Enter")
    assert pagina.url.endswith(destino)
    assert "Rosa Aceves" in pagina.locator("main").inner_text()
    assert "acceso excepcional" in pagina.locator(".alerta").first.inner_text()
    captura(pagina, "acceso-excepcional-concedido")

    pagina.context.clear_cookies()
    entrar(pagina, "coordinadora", "/casos/accesos/")
    texto = pagina.locator("main").inner_text()
    assert "1 acceso excepcional por revisar" in texto
    assert "Cubro hoy a la compañera" in texto and caso.folio in texto
    assert auditar(pagina) == []
    captura(pagina, "bitacora-de-accesos")
    pagina.get_by_role("button", name="Marcar revisado").click()
    pagina.get_by_text("Acceso excepcional marcado como revisado.").wait_for()
    assert AccesoExcepcional.objects.get().revisado_por == coordinadora

    pagina.goto(destino)
    assert "Quién consultó este expediente" in pagina.locator("main").inner_text()
    assert auditar(pagina) == []

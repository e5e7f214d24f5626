"""Pantallas clave en Chromium real: captura telefónica, solicitud pública y consulta."""

import re

import pytest

from casos.models import Caso
from tests.conftest import CLAVE
from tests.navegador.test_portal_publico import auditar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def entrar(page, usuario: str, destino: str) -> None:
    page.goto(f"/cuentas/entrar/?next={destino}")
    # El campo usuario tiene autofocus: se espera a que el navegador lo aplique.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_username'")
    page.keyboard.type(usuario)
    page.keyboard.press("Tab")
    page.keyboard.type(CLAVE)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(destino) and "entrar" not in page.url, page.url


def test_operadora_captura_con_teclado_y_ve_el_aviso_de_duplicado(
    pagina, captura, operadora, nuevo_caso
):
    existente = nuevo_caso(telefono="+523312345678", nombre="Guadalupe Aceves").caso
    entrar(pagina, "operadora", "/casos/nueva/")
    teclado = pagina.keyboard
    # El foco empieza en "Mediación"; de ahí todo es Tab, flechas y escribir.
    pagina.wait_for_function("document.activeElement && document.activeElement.value === 'MED'")
    teclado.press("Tab")
    teclado.press("ArrowDown")  # categoría
    teclado.press("Tab")
    teclado.press("ArrowDown")  # localidad
    teclado.press("Tab")
    teclado.type("Guadalupe Aceves Ramos")
    teclado.press("Tab")
    teclado.type("33 1234 5678")
    teclado.press("Tab")  # al salir del teléfono aparece el aviso de posible duplicado
    aviso = pagina.locator("#aviso-duplicados")
    aviso.wait_for(state="visible")
    assert existente.folio in aviso.inner_text()
    assert f"{existente.categoria.nombre}, con Pedro López" in aviso.inner_text()
    teclado.press("Tab")  # correo (vacío)
    teclado.press("Tab")  # avisos: «según sus datos» ya viene elegido
    teclado.type("Calle Allende 8, Centro")  # domicilio de quien llama
    teclado.press("Tab")
    teclado.type("Volvió a tener problemas con la barda del vecino, ahora más alta.")
    teclado.press("Tab")
    teclado.type("Ramón Íñiguez")
    teclado.press("Tab")
    teclado.press("Tab")
    teclado.type("Calle Morelos 45")
    teclado.press("Tab")  # guion del aviso (details)
    teclado.press("Tab")
    teclado.press("Space")  # acepta el aviso
    captura(pagina, "captura-telefono-llena")
    teclado.press("Tab")
    teclado.press("Enter")
    # Antes de guardar, el servidor muestra los casos abiertos de ese teléfono.
    pagina.locator("#duplicados").wait_for()
    duplicados = pagina.locator("#duplicados").inner_text()
    assert existente.folio in duplicados and existente.categoria.nombre in duplicados
    assert "Pedro López" in duplicados
    assert auditar(pagina) == []
    captura(pagina, "captura-telefono-duplicado")
    assert Caso.objects.count() == 1
    # El foco queda en la primera opción; la flecha elige "caso nuevo ligado al existente"
    # y Enter guarda (el caso existente ya viene elegido en la lista).
    pagina.wait_for_function(
        "document.activeElement && document.activeElement.id === 'id_accion_0'"
    )
    teclado.press("ArrowRight")
    assert pagina.locator("#id_accion_1").is_checked()
    teclado.press("Enter")  # Enter sobre la opción envía el formulario
    pagina.wait_for_url(re.compile(r"/casos/MED-\d{4}-00002/recibida/"))
    folio = pagina.locator("#folio").inner_text()
    codigo = pagina.locator("#codigo").inner_text()
    captura(pagina, "captura-telefono-folio")
    assert re.fullmatch(r"MED-\d{4}-00002", folio)
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", codigo)
    assert pagina.locator("#folio").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 28
    nuevo = Caso.objects.get(folio=folio)
    assert nuevo.caso_anterior == existente
    assert nuevo.solicitante.domicilio == "Calle Allende 8, Centro"


def test_la_coordinacion_completa_el_domicilio_de_la_otra_parte_desde_el_expediente(
    pagina, captura, coordinadora, nuevo_caso
):
    from casos import services

    caso = nuevo_caso(
        otra_parte=services.DatosPersona(nombre="Ramón Íñiguez", telefono="+523398765432")
    ).caso
    entrar(pagina, "coordinadora", f"/casos/{caso.folio}/")
    enlace = pagina.get_by_role("link", name="Corregir datos de Ramón Íñiguez")
    enlace.focus()
    with pagina.expect_navigation():
        pagina.keyboard.press("Enter")
    pagina.get_by_role("heading", name="Datos de contacto de Ramón Íñiguez").wait_for()
    assert auditar(pagina) == []
    pagina.get_by_label("Domicilio").focus()
    pagina.keyboard.type("Calle Morelos 45, Col. Centro")
    captura(pagina, "datos-parte-formulario")
    with pagina.expect_navigation():
        pagina.keyboard.press("Enter")
    cambio = pagina.locator("ol.linea-tiempo ul.cambios").first
    assert "Domicilio: (vacío) → Calle Morelos 45, Col. Centro" in cambio.inner_text()
    assert auditar(pagina) == []
    captura(pagina, "datos-parte-linea-de-tiempo")


def test_ciudadano_envia_la_solicitud_publica_desde_el_celular(movil, captura, catalogos):
    pagina = movil
    pagina.goto("/solicitud/")
    # Primero un envío incompleto: los mensajes aparecen junto a cada campo.
    pagina.get_by_label("Nombre de quien solicita").fill("Verónica Camarena")
    pagina.get_by_role("button", name="Enviar solicitud").click()
    pagina.locator(".errorlist").first.wait_for()
    captura(pagina, "solicitud-errores-movil")
    assert pagina.get_by_label("Nombre de quien solicita").input_value() == "Verónica Camarena"
    assert "aceptar el aviso de privacidad" in pagina.content()
    pagina.get_by_label("Categoría").select_option(index=1)
    pagina.get_by_label("Localidad").select_option(index=2)
    pagina.get_by_label("¿Qué problema quiere resolver?").fill(
        "El vecino deja su camioneta frente a mi cochera y no puedo sacar el carro."
    )
    pagina.get_by_label("Teléfono", exact=True).fill("33 2345 6789")
    pagina.get_by_label("Nombre de la otra parte").fill("Alfredo Casillas")
    pagina.get_by_label("Domicilio de la otra parte").fill("Calle Zaragoza 19")
    pagina.get_by_label("He leído y acepto").check()
    pagina.get_by_role("button", name="Enviar solicitud").click()
    pagina.wait_for_url("**/solicitud/enviada/")
    captura(pagina, "solicitud-enviada-movil")
    folio = pagina.locator("#folio").inner_text()
    assert Caso.objects.get(folio=folio).canal == "web"
    ancho = pagina.evaluate("document.documentElement.scrollWidth")
    assert ancho <= 360, "la página no debe desbordar a lo ancho en 360 px"


def test_ciudadano_consulta_el_estado_con_folio_y_codigo(movil, captura, nuevo_caso):
    recibida = nuevo_caso(nombre="Norma Angélica Ramos")
    pagina = movil
    pagina.goto("/consulta/")
    pagina.get_by_label("Folio").fill(recibida.caso.folio)
    pagina.get_by_label("Código de consulta").fill("ZZZZZ-ZZZZZ")
    pagina.get_by_role("button", name="Consultar").click()
    pagina.get_by_text("No encontramos una solicitud").wait_for()
    captura(pagina, "consulta-error-movil")
    pagina.get_by_label("Código de consulta").fill(recibida.codigo_legible.lower())
    pagina.get_by_role("button", name="Consultar").click()
    pagina.get_by_text("Estado actual").wait_for()
    captura(pagina, "consulta-estado-movil")
    texto = pagina.locator("main").inner_text()
    assert "Recibida" in texto and recibida.caso.folio in texto
    assert "Norma" not in texto and "Pedro" not in texto

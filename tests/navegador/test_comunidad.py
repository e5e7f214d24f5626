"""En Chromium: la coordinación escribe un aviso a la comunidad con el contador del SMS (el
mismo cálculo que el servidor), confirma a cuántos les llega y lo envía; la ficha de un
contacto y la lista. axe-core sin fallas graves ni críticas."""

import pytest
from django.utils import timezone

from casos.models import AvisoPrivacidad, Localidad
from comunidad import longitud, services
from tests.navegador.test_pantallas import entrar
from tests.navegador.test_portal_publico import auditar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

TEXTO = "Módulo itinerante en Milpillas el sábado 12, 9 a 13 h, en la plaza"


def _escena(coordinadora):
    milpillas = Localidad.objects.get(nombre="Milpillas")
    lista = services.crear_lista(nombre="Milpillas: comité y delegados", localidad=milpillas)
    consentimiento = {
        "fecha": timezone.localdate(),
        "forma": "palabra",
        "ante": "Lic. Ana Ruiz, en la asamblea ejidal",
        "aviso": AvisoPrivacidad.vigente(),
    }
    contactos = [
        services.registrar_contacto(
            nombre=nombre,
            telefono=telefono,
            canal=canal,
            cargo=cargo,
            localidad=milpillas,
            actor=coordinadora,
            listas=[lista],
            consentimiento=consentimiento,
        )
        for nombre, telefono, canal, cargo in [
            ("Rosa Martínez", "391 100 0001", "sms", "Delegada municipal"),
            ("Juan Pérez", "391 100 0002", "whatsapp", "Comité de agua potable"),
            ("Marta Gómez", "391 100 0003", "sms", "Líder de colonia"),
        ]
    ]
    services.dar_de_baja(contacto=contactos[2], actor=coordinadora)
    return lista, contactos


def test_la_coordinacion_escribe_ve_el_contador_confirma_y_envia(pagina, captura, coordinadora):
    lista, contactos = _escena(coordinadora)
    entrar(pagina, "coordinadora", "/comunidad/avisos/nuevo/")
    assert auditar(pagina) == []
    pagina.get_by_label("Texto del aviso").focus()
    pagina.keyboard.type(TEXTO)
    medida = longitud.medir(TEXTO)
    cuenta = pagina.locator("#sms-cuenta")
    cuenta.filter(has_text=f"SMS en GSM-7: {medida.unidades} de 160 caracteres").wait_for()
    assert pagina.locator("#sms-texto").inner_text() == medida.texto
    # Un emoji: el contador dice por qué no cabe (UCS-2) y cuál es.
    pagina.keyboard.type(" 🎉")
    cuenta.filter(has_text="UCS-2").wait_for()
    assert "🎉" in cuenta.inner_text()
    assert auditar(pagina) == []
    captura(pagina, "comunidad-aviso-ucs2")
    pagina.keyboard.press("Backspace")  # el emoji entero
    pagina.keyboard.press("Backspace")  # el espacio
    cuenta.filter(has_text=f"SMS en GSM-7: {medida.unidades} de 160 caracteres").wait_for()
    # A la lista, con el teclado: Tab hasta su casilla y espacio.
    casilla = pagina.get_by_label(f"{lista.nombre} (Milpillas)")
    casilla.focus()
    pagina.keyboard.press("Space")
    assert casilla.is_checked()
    captura(pagina, "comunidad-aviso-nuevo")
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Revisar a quién le llega").press("Enter")
    # Tres en la lista, una dada de baja: le llega a dos.
    assert "Le llegará a 2 contactos" in pagina.locator("main").inner_text()
    assert medida.texto in pagina.locator("main").inner_text()
    assert auditar(pagina) == []
    captura(pagina, "comunidad-aviso-confirmar")
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Enviar a 2 contactos").press("Enter")
    assert "/comunidad/avisos/" in pagina.url
    assert "El aviso se está enviando a 2 contactos" in pagina.locator("main").inner_text()
    assert pagina.get_by_role("rowheader", name=lista.nombre).is_visible()
    assert auditar(pagina) == []
    captura(pagina, "comunidad-aviso-cifras")


def test_la_lista_y_la_ficha_del_contacto(pagina, captura, coordinadora):
    lista, contactos = _escena(coordinadora)
    entrar(pagina, "coordinadora", "/comunidad/")
    assert auditar(pagina) == []
    captura(pagina, "comunidad-inicio")
    pagina.get_by_role("link", name=lista.nombre).click()
    pagina.wait_for_url(f"**/comunidad/listas/{lista.pk}/")
    fila = pagina.get_by_role("row").filter(has_text="Marta Gómez")
    assert "Dado de baja" in fila.inner_text()
    assert auditar(pagina) == []
    captura(pagina, "comunidad-lista")
    pagina.get_by_role("link", name="Rosa Martínez").click()
    pagina.wait_for_url(f"**/comunidad/contactos/{contactos[0].pk}/")
    assert pagina.get_by_label("Teléfono celular").input_value() == "391 100 0001"
    assert auditar(pagina) == []
    captura(pagina, "comunidad-contacto")

"""Derechos ARCO en Chromium: la persona llena /arco/ solo con el teclado y la envía, consulta
su folio nuevo con su código, y quien atiende ARCO abre la lista y el detalle. axe-core sin
fallas graves ni críticas en el formulario, su acuse en pantalla, la lista y el detalle; el
menú del personal con «Privacidad» cabe en una línea a 1366 px."""

import pytest

from casos.models import Centro, SolicitudARCO
from casos.services import privacidad as servicios
from tests.navegador.test_pantallas import entrar
from tests.navegador.test_portal_publico import auditar, sin_desborde

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def _tab_hasta(pagina, id_: str, maximo: int = 40) -> None:
    """Avanza con Tab hasta el control `id_` (falla si no se llega: el orden de foco estaría
    roto)."""
    for _ in range(maximo):
        if pagina.evaluate("document.activeElement && document.activeElement.id") == id_:
            return
        pagina.keyboard.press("Tab")
    raise AssertionError(f"Con Tab no se llega a #{id_}")


def test_la_persona_presenta_su_solicitud_con_el_teclado_y_la_consulta(pagina, captura, catalogos):
    centro = Centro.actual()
    centro.unidad_transparencia = "Presidencia Municipal, planta alta"
    centro.save()
    pagina.goto("/arco/")
    pagina.get_by_role("heading", name="Derechos sobre sus datos personales (ARCO)").wait_for()
    assert auditar(pagina) == []
    captura(pagina, "arco-formulario")

    _tab_hasta(pagina, "id_nombre")
    pagina.keyboard.type("Rosa María Quezada Ibarra")
    pagina.keyboard.press("Tab")  # representante: vacío
    pagina.keyboard.press("Tab")  # primer derecho (acceso)
    pagina.keyboard.press("ArrowDown")  # rectificación
    assert pagina.evaluate("document.activeElement.value") == "rectificacion"
    _tab_hasta(pagina, "id_descripcion")
    pagina.keyboard.type("Mi domicilio en el caso de la barda está mal escrito.")
    pagina.keyboard.press("Tab")
    pagina.keyboard.type("MED-2026-00042")
    pagina.keyboard.press("Tab")  # primer medio (correo)
    pagina.keyboard.press("Space")
    _tab_hasta(pagina, "id_correo")
    pagina.keyboard.type("rosa.quezada@correo.mx")
    _tab_hasta(pagina, "id_aviso")
    pagina.keyboard.press("Space")
    pagina.keyboard.press("Tab")
    assert pagina.evaluate("document.activeElement.textContent") == "Enviar solicitud"
    with pagina.expect_navigation():
        pagina.keyboard.press("Enter")

    pagina.get_by_role("heading", name="Recibimos su solicitud").wait_for()
    assert "/arco/enviada/" in pagina.url
    solicitud = SolicitudARCO.objects.get()
    assert solicitud.derecho == "rectificacion" and solicitud.correo == "rosa.quezada@correo.mx"
    folio = pagina.locator("#folio").inner_text()
    codigo = pagina.locator("#codigo").inner_text()
    assert folio == solicitud.folio and codigo.replace("-", "") == servicios.codigo_de(solicitud)
    assert folio not in pagina.url and codigo not in pagina.url
    texto = pagina.locator("main").inner_text()
    assert "Presidencia Municipal, planta alta" in texto and "20 días hábiles" in texto
    assert auditar(pagina) == []
    captura(pagina, "arco-enviada")

    pagina.get_by_role("link", name="/consulta/").click()
    assert pagina.get_by_label("Folio").input_value() == folio
    pagina.get_by_label("Código de consulta").fill(codigo.lower())
    pagina.get_by_role("button", name="Consultar").click()
    pagina.get_by_text("Estado actual").wait_for()
    texto = pagina.locator("main").inner_text()
    assert folio in texto and "Recibida" in texto and "Respuesta a más tardar" in texto
    for privado in ("Rosa", "Quezada", "barda", "rosa.quezada"):
        assert privado not in texto
    assert auditar(pagina) == []
    captura(pagina, "arco-consulta")


def test_quien_atiende_arco_abre_la_lista_y_el_detalle(pagina, captura, privacidad, nuevo_caso):
    caso = nuevo_caso(nombre="Rosa María Quezada Ibarra").caso
    recibida = servicios.recibir_solicitud_arco(
        derecho="acceso",
        canal="telefono",
        nombre="Rosa María Quezada Ibarra",
        medio_respuesta="correo",
        correo="rosa.quezada@correo.mx",
        descripcion="Quiero saber qué datos míos tienen en la mediación con mi vecino.",
        actor=privacidad,
    )
    servicios.identificar_datos(
        solicitud=recibida.solicitud,
        partes=[caso.partes.get(nombre="Rosa María Quezada Ibarra")],
        actor=privacidad,
    )
    pagina.set_viewport_size({"width": 1366, "height": 800})
    entrar(pagina, "privacidad", "/privacidad/solicitudes/")
    pagina.get_by_role("heading", name="Solicitudes de derechos ARCO (1)").wait_for()
    renglones = pagina.evaluate(
        "new Set([...document.querySelectorAll('header.barra nav > *')]"
        ".map(e => Math.round(e.getBoundingClientRect().top))).size"
    )
    assert renglones == 1, renglones
    enlace = pagina.locator('header.barra nav a[href="/privacidad/solicitudes/"]')
    assert enlace.inner_text() == "Privacidad"
    assert enlace.get_attribute("aria-current") == "page"
    assert auditar(pagina) == []
    captura(pagina, "arco-lista")

    pagina.get_by_label("Derecho").select_option("acceso")
    pagina.get_by_role("button", name="Filtrar").click()
    pagina.get_by_role("link", name=recibida.solicitud.folio).click()
    pagina.get_by_role("heading", name="Datos identificados en los casos").wait_for()
    texto = pagina.locator("main").inner_text()
    assert caso.folio in texto and "Sin acreditar" in texto
    assert auditar(pagina) == []
    captura(pagina, "arco-detalle")


def test_el_menu_de_la_coordinacion_que_atiende_arco_cabe_en_una_linea(
    pagina, captura, coordinadora
):
    """Sin Unidad de Transparencia propia, la oficina da el rol de privacidad a la
    coordinación: su menú, el más largo, sigue en un renglón a 1366 px."""
    from django.contrib.auth.models import Group

    coordinadora.groups.add(Group.objects.get(name="privacidad"))
    pagina.set_viewport_size({"width": 1366, "height": 800})
    entrar(pagina, "coordinadora", "/privacidad/solicitudes/")
    captura(pagina, "arco-menu-coordinacion-1366")
    renglones = pagina.evaluate(
        "new Set([...document.querySelectorAll('header.barra nav > *')]"
        ".map(e => Math.round(e.getBoundingClientRect().top))).size"
    )
    assert renglones == 1, renglones
    assert pagina.locator('header.barra nav a[href="/privacidad/solicitudes/"]').is_visible()


def test_el_formulario_en_un_telefono_no_desborda_y_sus_errores_son_accesibles(movil, catalogos):
    movil.goto("/arco/")
    sin_desborde(movil)
    movil.get_by_role("button", name="Enviar solicitud").click()
    movil.locator(".errorlist").first.wait_for()
    assert "Elija qué derecho quiere ejercer." in movil.locator("main").inner_text()
    assert auditar(movil) == []
    sin_desborde(movil)


def test_la_captura_por_telefono_es_accesible_y_dicta_folio_y_codigo(pagina, captura, operadora):
    pagina.set_viewport_size({"width": 1366, "height": 800})
    entrar(pagina, "operadora", "/privacidad/nueva/")
    # El canal (teléfono) ya viene elegido y con el foco: se empieza por el nombre.
    assert pagina.evaluate("document.activeElement.value") == "telefono"
    assert auditar(pagina) == []
    captura(pagina, "arco-nueva")
    pagina.get_by_label("Nombre completo de la persona titular de los datos").fill(
        "Rosa María Quezada Ibarra"
    )
    pagina.get_by_label("Oposición a un uso de sus datos").check()
    pagina.get_by_label("¿De qué datos se trata y qué pide?").fill(
        "No quiere recibir más recordatorios por WhatsApp."
    )
    pagina.get_by_label("La recojo en la oficina").check()
    pagina.get_by_label("Leí el aviso de privacidad simplificado y la persona lo aceptó").check()
    pagina.get_by_role("button", name="Guardar solicitud").click()
    pagina.get_by_text("Léale a la persona su folio y su código de consulta.").wait_for()
    solicitud = SolicitudARCO.objects.get()
    assert pagina.locator("#folio").inner_text() == solicitud.folio
    assert solicitud.canal == "telefono" and solicitud.capturada_por == operadora
    assert auditar(pagina) == []
    captura(pagina, "arco-recibida-personal")

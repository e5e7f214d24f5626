"""En Chromium: la Dirección entra y llega a su tablero, lee las cifras del conjunto hecho a
mano, sigue una cifra a sus casos, filtra por localidad y fija una meta del POA; la
transparencia, sin cuenta, a 360 px. axe-core sin fallas graves ni críticas."""

import pytest

from estadistica import resumen
from estadistica.models import MetaPOA, ProgramaPOA
from tests.estadistica.conftest import conjunto  # noqa: F401
from tests.navegador.test_pantallas import entrar
from tests.navegador.test_portal_publico import auditar, sin_desborde

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

PERIODO = "/tablero/?periodo=rango&desde=2026-09-01&hasta=2026-11-30"


def test_la_direccion_lee_su_tablero_y_sigue_una_cifra(
    pagina,
    captura,
    conjunto,
    direccion,
):
    resumen.rehacer()
    entrar(pagina, "direccion", "/")
    assert "/tablero/" in pagina.url
    pagina.goto(PERIODO)
    assert "Datos al" in pagina.locator(".datos-al").inner_text()
    tarjetas = pagina.locator(".indicadores li")
    assert "10" in tarjetas.first.inner_text()  # solicitudes recibidas
    assert pagina.locator("svg[role=img]").count() >= 4
    assert auditar(pagina) == []
    captura(pagina, "tablero")

    # La cifra de invitaciones fuera de plazo lleva a sus dos casos.
    plazos = pagina.get_by_role("region", name="Cumplimiento de los plazos")
    plazos.get_by_role("row", name="Invitación a la otra parte (art. 69)").get_by_role(
        "link", name="2"
    ).click()
    pagina.wait_for_url("**/tablero/casos/**")
    filas = pagina.locator("tbody tr")
    assert filas.count() == 2
    texto = filas.all_inner_texts()
    assert any(conjunto["casos"]["C"].folio in t for t in texto)
    assert auditar(pagina) == []
    captura(pagina, "tablero-casos")
    pagina.get_by_role("link", name="« Volver al tablero").click()

    # Filtrar por una localidad, con el teclado: los filtros se abren desde su resumen.
    resumen_filtros = pagina.locator("details.filtros-tablero > summary")
    resumen_filtros.focus()
    pagina.keyboard.press("Enter")
    pagina.get_by_label("Localidad", exact=True).select_option(label=conjunto["l2"].nombre)
    pagina.get_by_role("button", name="Aplicar").press("Enter")
    pagina.wait_for_url("**localidad=**")
    assert "caso por caso" in pagina.locator(".datos-al").inner_text()
    assert "4" in pagina.locator(".indicadores li").first.inner_text()


def test_la_direccion_fija_una_meta_y_ve_su_avance(pagina, captura, conjunto, direccion):
    resumen.rehacer()
    ProgramaPOA.objects.create(clave="4", nombre="Mediación comunitaria", tipo="MED")
    entrar(pagina, "direccion", "/tablero/metas/?anio=2026")
    pagina.locator("#id_metas-0-programa").select_option(label="4. Mediación comunitaria")
    pagina.locator("#id_metas-0-actividad").fill("Sesiones de mediación")
    pagina.locator("#id_metas-0-indicador").select_option("sesiones")
    pagina.locator("#id_metas-0-meta").fill("24")
    assert auditar(pagina) == []
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Guardar").click()
    assert "Se guardaron las metas de 2026" in pagina.content()
    meta = MetaPOA.objects.get()
    assert (meta.anio, meta.meta, meta.actualizada_por_id) == (2026, 24, direccion.pk)
    pagina.goto("/tablero/?periodo=anio&anio=2026")
    seccion = pagina.get_by_role("region", name="Avance de las metas del POA")
    assert "Sesiones de mediación" in seccion.inner_text()
    assert auditar(pagina) == []
    captura(pagina, "tablero-metas")


def test_transparencia_sin_cuenta_a_360(movil, captura, conjunto):
    resumen.rehacer()
    movil.goto("/transparencia/?anio=2026")
    assert "Estadística de mediación y asesoría 2026" in movil.locator("h1").inner_text()
    assert (
        "< 5" in movil.locator("main").inner_text() or "‹ 5" in movil.locator("main").inner_text()
    )
    sin_desborde(movil)
    for svg in movil.locator("svg[role=img]").all():
        assert svg.bounding_box()["width"] <= 360
    assert auditar(movil) == []
    captura(movil, "transparencia-360")


def test_el_tablero_a_360(movil, captura, conjunto, direccion):
    resumen.rehacer()
    entrar(movil, "direccion", "/tablero/")
    movil.goto(PERIODO)
    sin_desborde(movil)
    for svg in movil.locator("svg[role=img]").all():
        assert svg.bounding_box()["width"] <= 360
    assert auditar(movil) == []
    captura(movil, "tablero-360")

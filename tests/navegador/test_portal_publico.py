"""Las páginas públicas en un teléfono de 360 px: sin JavaScript, sin desbordes y sin
problemas de accesibilidad graves o críticos según axe-core."""

from datetime import date
from pathlib import Path

import axe_playwright_python
import pytest

from casos.models import Centro
from casos.services import DatosPersona
from tests.casos.etapas import admitido, con_sesion, en, invitado

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
GRAVES = {"serious", "critical"}


def auditar(pagina) -> list[str]:
    """Corre axe-core (reglas WCAG 2.x A/AA y buenas prácticas) y devuelve lo grave."""
    pagina.evaluate(AXE)
    resultado = pagina.evaluate(
        "axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in resultado["violations"]
        if v["impact"] in GRAVES
    ]


def sin_desborde(pagina) -> None:
    ancho = pagina.evaluate("document.documentElement.scrollWidth")
    assert ancho <= 360, f"la página desborda a lo ancho: {ancho} px"


@pytest.fixture
def sin_js(navegador, live_server):
    """Un teléfono barato con JavaScript apagado."""
    contexto = navegador.new_context(
        base_url=live_server.url,
        locale="es-MX",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        device_scale_factor=2,
        java_script_enabled=False,
    )
    contexto.set_default_timeout(15000)
    yield contexto.new_page()
    contexto.close()


@pytest.fixture
def caso_con_sesion(nuevo_caso, coordinadora, certificado, sala, reloj):
    centro = Centro.actual()
    centro.telefono = "378 762 0101"
    centro.domicilio = "Av. Hidalgo 1, Centro, Atotonilco el Alto"
    centro.horario = "Lunes a viernes, 9:00 a 15:00"
    centro.save()
    recibida = nuevo_caso(
        solicitante=DatosPersona(nombre="Norma Angélica Ramos", telefono="+523312345678")
    )
    caso = admitido(recibida.caso, coordinadora, certificado)
    invitado(caso, certificado)
    con_sesion(caso, certificado, sala, en(date(2026, 11, 30), 11))
    return recibida


def test_consulta_sin_javascript_en_360_px(sin_js, captura, caso_con_sesion):
    pagina = sin_js
    recibida = caso_con_sesion
    pagina.goto(f"/consulta/?folio={recibida.caso.folio}")
    assert pagina.get_by_label("Folio").input_value() == recibida.caso.folio
    pagina.get_by_label("Código de consulta").fill("ZZZZZ-ZZZZZ")
    pagina.get_by_role("button", name="Consultar").click()
    pagina.get_by_text("No encontramos una solicitud").wait_for()
    sin_desborde(pagina)

    pagina.get_by_label("Código de consulta").fill(recibida.codigo_legible.lower())
    pagina.get_by_role("button", name="Consultar").click()
    pagina.get_by_text("Estado actual").wait_for()
    captura(pagina, "consulta-estado-con-sesion-movil")
    sin_desborde(pagina)
    texto = pagina.locator("main").inner_text()
    assert "Sesión programada" in texto
    assert "30 de noviembre de 2026" in texto and "De 11:00 a" in texto and "Sala 1" in texto
    assert "Lo que necesitamos de usted" in texto and "identificación oficial" in texto
    assert "378 762 0101" in texto and "Lunes a viernes" in texto
    for privado in ("Norma", "Pedro", "Hidalgo 12", "música"):
        assert privado not in texto


def test_pedir_codigo_nuevo_sin_javascript(sin_js, captura, caso_con_sesion):
    pagina = sin_js
    pagina.goto(f"/consulta/?folio={caso_con_sesion.caso.folio}")
    pagina.get_by_role("link", name="¿Perdió su código? Se lo enviamos").click()
    assert pagina.get_by_label("Folio").input_value() == caso_con_sesion.caso.folio
    pagina.get_by_role("button", name="Enviarme mi código").click()
    pagina.get_by_text("Revise su teléfono o su correo").wait_for()
    captura(pagina, "codigo-nuevo-movil")
    sin_desborde(pagina)
    assert "3312" not in pagina.content()


@pytest.mark.parametrize(
    "recorrido",
    ["consulta", "consulta_error", "estado", "codigo", "codigo_enviado", "solicitud"],
)
def test_accesibilidad_axe_sin_fallas_graves(movil, caso_con_sesion, recorrido):
    pagina = movil
    folio = caso_con_sesion.caso.folio
    if recorrido == "solicitud":
        pagina.goto("/solicitud/")
    elif recorrido == "codigo":
        pagina.goto("/consulta/codigo/")
    elif recorrido == "codigo_enviado":
        pagina.goto("/consulta/codigo/")
        pagina.get_by_label("Folio").fill(folio)
        pagina.get_by_role("button", name="Enviarme mi código").click()
        pagina.get_by_text("Revise su teléfono o su correo").wait_for()
    else:
        pagina.goto("/consulta/")
        if recorrido != "consulta":
            pagina.get_by_label("Folio").fill(folio)
            codigo = "ZZZZZ-ZZZZZ" if recorrido == "consulta_error" else caso_con_sesion.codigo
            pagina.get_by_label("Código de consulta").fill(codigo)
            pagina.get_by_role("button", name="Consultar").click()
            espera = "No encontramos" if recorrido == "consulta_error" else "Estado actual"
            pagina.get_by_text(espera).first.wait_for()
    assert auditar(pagina) == []


def test_accesibilidad_de_la_solicitud_con_errores(movil, catalogos):
    pagina = movil
    pagina.goto("/solicitud/")
    pagina.get_by_role("button", name="Enviar solicitud").click()
    pagina.locator(".errorlist").first.wait_for()
    assert auditar(pagina) == []
    sin_desborde(pagina)

"""En Chromium: el mediador abre su agenda (día y semana), la imprime (un día por hoja A4),
ve la de la sala sin los nombres de casos ajenos y crea su enlace de calendario. axe-core
sin fallas graves ni críticas; el menú del personal cabe en una línea a 1366 px."""

import subprocess

import pytest
import time_machine

from tests.agenda.conftest import armar_escena
from tests.casos.etapas import AHORA
from tests.navegador.conftest import CAPTURAS
from tests.navegador.test_pantallas import entrar
from tests.navegador.test_portal_publico import auditar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def _paginas_del_pdf(pagina, nombre: str) -> int:
    ruta = CAPTURAS / f"{nombre}.pdf"
    pagina.pdf(path=str(ruta), format="A4", print_background=True)
    salida = subprocess.run(["pdfinfo", str(ruta)], capture_output=True, text=True, check=True)
    paginas = next(ln for ln in salida.stdout.splitlines() if ln.startswith("Pages:"))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(ruta), str(CAPTURAS / nombre)],
        check=True,
    )
    ruta.unlink()
    return int(paginas.split()[1])


def test_el_mediador_abre_su_agenda_la_imprime_y_ve_la_sala(
    pagina, captura, nuevo_caso, coordinadora, certificado, otro_certificado, sala
):
    with time_machine.travel(AHORA, tick=True):
        escena = armar_escena(nuevo_caso, coordinadora, certificado, otro_certificado, sala)
        propia = f"/agenda/mediador/{certificado.pk}/"
        entrar(pagina, "mediador", propia)
        # Hoy (martes) primero; el miércoles, con «Día siguiente».
        assert "Hoy" in pagina.locator("h2").first.inner_text()
        pagina.get_by_role("link", name="Día siguiente »").click()
        pagina.wait_for_url("**fecha=2026-11-25**")
        fila = pagina.locator("tbody tr").first
        assert escena.propio.folio in fila.inner_text() and "Rosa Propia Tello" in fila.inner_text()
        assert "Confirmada" in fila.inner_text()
        assert auditar(pagina) == []
        captura(pagina, "agenda-dia")
        pagina.emulate_media(media="print")
        assert _paginas_del_pdf(pagina, "agenda-dia-impresa") == 1
        pagina.emulate_media(media="screen")

        pagina.get_by_role("link", name="Ver la semana").click()
        pagina.wait_for_url("**vista=semana**")
        assert pagina.locator("section.dia").count() == 5
        assert auditar(pagina) == []
        captura(pagina, "agenda-semana")
        # Impresa: sin la barra ni los mandos, un día por hoja.
        pagina.emulate_media(media="print")
        assert not pagina.locator("header.barra").is_visible()
        assert not pagina.get_by_role("button", name="Imprimir").is_visible()
        captura(pagina, "agenda-semana-vista-impresa")
        assert _paginas_del_pdf(pagina, "agenda-semana-impresa") == 5
        pagina.emulate_media(media="screen")

        pagina.get_by_role("link", name="Sala 1", exact=True).click()
        pagina.wait_for_url(f"**/agenda/sala/{sala.pk}/**")
        texto = pagina.locator("main").inner_text()
        assert escena.ajeno.folio in texto and "Ramiro Ajeno Soto" not in texto
        assert "Rosa Propia Tello" in texto
        assert auditar(pagina) == []
        captura(pagina, "agenda-sala")
        # La fecha con el selector y el teclado.
        pagina.get_by_label("Ir a la fecha").fill("2026-12-02")
        pagina.get_by_label("Ir a la fecha").press("Enter")
        pagina.wait_for_url("**fecha=2026-12-02**")

        pagina.get_by_role("link", name="Calendario en mi teléfono").click()
        pagina.get_by_role("button", name="Crear mi enlace").click()
        enlace = pagina.locator("#enlace").inner_text()
        assert enlace.endswith(".ics") and "/agenda/ical/" in enlace
        assert auditar(pagina) == []
        captura(pagina, "agenda-suscripcion")


def test_el_menu_del_personal_con_agenda_cabe_en_una_linea(pagina, coordinadora):
    pagina.set_viewport_size({"width": 1366, "height": 800})
    entrar(pagina, "coordinadora", "/agenda/oficina/")
    arriba = pagina.evaluate(
        "[...document.querySelectorAll('header.barra nav > *')]"
        ".map(e => e.getBoundingClientRect().top)"
    )
    pagina.screenshot(path=str(CAPTURAS / "agenda-menu-1366.png"))
    assert len({round(y) for y in arriba}) == 1, arriba
    assert pagina.get_by_role("link", name="Agenda", exact=True).is_visible()

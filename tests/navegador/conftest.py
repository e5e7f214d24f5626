"""Chromium real (el de Debian) manejado por Playwright contra el servidor de pruebas."""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CAPTURAS = Path(__file__).resolve().parent.parent / "capturas"
BANDERAS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # La interfaz de Chromium en español de México: fechas dd/mm/aaaa en los campos de fecha.
    "--lang=es-MX",
]


def _chromium() -> str | None:
    return os.getenv("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def navegador():
    ejecutable = _chromium()
    if not ejecutable:
        pytest.skip("Chromium no está instalado (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=ejecutable, args=BANDERAS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def pagina(navegador, live_server):
    contexto = navegador.new_context(
        base_url=live_server.url,
        locale="es-MX",
        timezone_id="America/Mexico_City",
        viewport={"width": 1280, "height": 900},
    )
    contexto.set_default_timeout(15000)
    page = contexto.new_page()
    yield page
    contexto.close()


@pytest.fixture
def movil(navegador, live_server):
    contexto = navegador.new_context(
        base_url=live_server.url,
        locale="es-MX",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    contexto.set_default_timeout(15000)
    page = contexto.new_page()
    yield page
    contexto.close()


@pytest.fixture
def captura():
    CAPTURAS.mkdir(exist_ok=True)

    def tomar(page, nombre: str) -> Path:
        ruta = CAPTURAS / f"{nombre}.png"
        page.screenshot(path=str(ruta), full_page=True)
        return ruta

    return tomar

"""Cuentas del personal en Chromium real, con el teclado: bloqueo por intentos y desbloqueo
por la coordinación, restablecer la contraseña desde el correo, activar la verificación en
dos pasos y entrar con el código, y la sesión que vence por inactividad. Cada pantalla en
español, con captura y sin fallas graves de accesibilidad (axe-core)."""

import base64
import re
from datetime import timedelta

import pytest
from django.conf import settings as ajustes
from django.contrib.sessions.backends.db import SessionStore
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cuentas import sesion
from tests.conftest import CLAVE
from tests.navegador.test_portal_publico import auditar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

NUEVA = "sauces del río en noviembre"


def _teclear_entrada(page, usuario: str, clave: str, destino: str = "/tareas/") -> None:
    page.goto(f"/cuentas/entrar/?next={destino}")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_username'")
    page.keyboard.type(usuario)
    page.keyboard.press("Tab")
    page.keyboard.type(clave)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _violaciones_de_csp(page) -> list[str]:
    errores = []
    page.on(
        "console",
        lambda m: errores.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return errores


def test_bloqueo_por_intentos_y_desbloqueo_por_la_coordinacion(
    navegador, live_server, pagina, captura, mediador, coordinadora
):
    for _ in range(4):
        _teclear_entrada(pagina, "mediador", "no-es-la-clave")
        pagina.get_by_text("Usuario o contraseña incorrectos").wait_for()
    _teclear_entrada(pagina, "mediador", "no-es-la-clave")
    pagina.get_by_role("heading", name="Acceso bloqueado por un rato").wait_for()
    assert "no se puede entrar durante 30 minutos" in pagina.locator("main").inner_text()
    captura(pagina, "cuentas-bloqueo")
    assert auditar(pagina) == []
    # Ni con la contraseña correcta.
    _teclear_entrada(pagina, "mediador", CLAVE)
    pagina.get_by_role("heading", name="Acceso bloqueado por un rato").wait_for()

    contexto = navegador.new_context(base_url=live_server.url, locale="es-MX")
    coordinacion = contexto.new_page()
    _teclear_entrada(coordinacion, "coordinadora", CLAVE, "/cuentas/accesos/")
    coordinacion.get_by_role("heading", name="Cuentas bloqueadas").wait_for()
    captura(coordinacion, "cuentas-accesos-con-bloqueo")
    assert auditar(coordinacion) == []
    boton = coordinacion.get_by_role("button", name="Desbloquear la cuenta mediador")
    boton.focus()
    with coordinacion.expect_navigation():
        coordinacion.keyboard.press("Enter")
    coordinacion.get_by_text("La cuenta «mediador» puede volver a entrar.").wait_for()
    assert "Cuenta desbloqueada" in coordinacion.locator("#t-bitacora + table").inner_text()
    captura(coordinacion, "cuentas-accesos-desbloqueada")
    contexto.close()

    _teclear_entrada(pagina, "mediador", CLAVE)
    assert pagina.url.endswith("/tareas/")


def test_restablecer_la_contrasena_desde_el_correo(
    pagina, captura, mediador, mailoutbox, monkeypatch, live_server, settings
):
    settings.URL_PUBLICA = live_server.url
    monkeypatch.setattr("cuentas.services.encolar", lambda tarea, *args: tarea(*args) or True)
    mediador.email = "jorge.hernandez@municipio.gob.mx"
    mediador.save()

    pagina.goto("/cuentas/entrar/")
    pagina.get_by_role("link", name="¿Olvidó su contraseña?").click()
    pagina.get_by_label("Correo electrónico de su cuenta").wait_for()
    pagina.keyboard.type("jorge.hernandez@municipio.gob.mx")
    with pagina.expect_navigation():
        pagina.keyboard.press("Enter")
    pagina.get_by_role("heading", name="Revise su correo").wait_for()
    captura(pagina, "cuentas-recuperar-enviado")
    assert auditar(pagina) == []

    assert len(mailoutbox) == 1
    enlace = re.search(r"(http://\S+/cuentas/recuperar/\S+/)", mailoutbox[0].body).group(1)
    pagina.goto(enlace)
    pagina.get_by_role("heading", name="Elegir una contraseña nueva").wait_for()
    pagina.get_by_label("Contraseña nueva", exact=True).fill("12345678")
    pagina.get_by_label("Escriba otra vez la contraseña nueva").fill("12345678")
    pagina.get_by_role("button", name="Guardar la contraseña nueva").click()
    pagina.get_by_text("La contraseña es demasiado corta").wait_for()
    assert "Esta contraseña es totalmente numérica." in pagina.locator("main").inner_text()
    captura(pagina, "cuentas-restablecer-debil")
    assert auditar(pagina) == []

    pagina.get_by_label("Contraseña nueva", exact=True).fill(NUEVA)
    pagina.get_by_label("Escriba otra vez la contraseña nueva").fill(NUEVA)
    pagina.get_by_role("button", name="Guardar la contraseña nueva").click()
    pagina.get_by_role("heading", name="Contraseña restablecida").wait_for()
    captura(pagina, "cuentas-restablecida")
    pagina.get_by_role("link", name="Entrar").last.click()
    _teclear_entrada(pagina, "mediador", NUEVA)
    assert pagina.url.endswith("/tareas/")


def test_activar_la_verificacion_en_dos_pasos_y_entrar_con_el_codigo(
    pagina, captura, coordinadora, settings
):
    settings.DOS_PASOS_OBLIGATORIO_ROLES = ["coordinador"]
    _teclear_entrada(pagina, "coordinadora", CLAVE)
    pagina.get_by_role("heading", name="Activar la verificación en dos pasos").wait_for()
    assert "/cuentas/dos-pasos/activar/" in pagina.url
    assert pagina.get_by_role("img", name=re.compile("Código QR")).is_visible()
    captura(pagina, "cuentas-activar-dos-pasos")
    assert auditar(pagina) == []

    clave = base64.b32decode(pagina.locator("#clave").inner_text().replace(" ", ""))
    pagina.get_by_label("Código de 6 dígitos que muestra su app").focus()
    pagina.keyboard.type(f"{totp(clave):06d}")
    with pagina.expect_navigation():
        pagina.keyboard.press("Enter")
    pagina.get_by_role("heading", name="Sus códigos de recuperación").wait_for()
    assert pagina.locator("#codigos li").count() == 10
    captura(pagina, "cuentas-codigos-de-recuperacion")
    assert auditar(pagina) == []
    pagina.get_by_role("link", name="Ya los guardé: continuar").click()
    pagina.wait_for_url(re.compile(r"/tareas/$"))

    pagina.get_by_role("button", name="Salir").click()
    pagina.wait_for_url(re.compile(r"/cuentas/entrar/"))
    _teclear_entrada(pagina, "coordinadora", CLAVE)
    pagina.get_by_role("heading", name="Escriba su código").wait_for()
    captura(pagina, "cuentas-verificar-codigo")
    assert auditar(pagina) == []
    # El código siguiente de la app: el de ahora ya se usó al activarla.
    dispositivo = TOTPDevice.objects.get(user=coordinadora)
    pagina.keyboard.type(f"{totp(clave, drift=dispositivo.drift + 1):06d}")
    with pagina.expect_navigation():
        pagina.keyboard.press("Enter")
    assert pagina.url.endswith("/tareas/"), pagina.url


def test_la_sesion_vencida_por_inactividad_vuelve_a_la_entrada(pagina, captura, mediador, settings):
    settings.SESION_INACTIVIDAD_MINUTOS = 30
    _teclear_entrada(pagina, "mediador", CLAVE, "/casos/")
    assert pagina.url.endswith("/casos/")
    galleta = next(c for c in pagina.context.cookies() if c["name"] == ajustes.SESSION_COOKIE_NAME)
    assert galleta["expires"] == -1  # se borra al cerrar el navegador
    guardada = SessionStore(session_key=galleta["value"])
    guardada[sesion.ACTIVIDAD] -= int(timedelta(minutes=31).total_seconds())
    guardada.save()

    pagina.reload()
    pagina.get_by_text("Su sesión se cerró tras 30 minutos sin actividad.").wait_for()
    assert "/cuentas/entrar/?next=/casos/" in pagina.url
    captura(pagina, "cuentas-sesion-vencida")
    assert auditar(pagina) == []
    # Vuelve a donde estaba.
    pagina.keyboard.type("mediador")
    pagina.keyboard.press("Tab")
    pagina.keyboard.type(CLAVE)
    with pagina.expect_navigation():
        pagina.keyboard.press("Enter")
    assert pagina.url.endswith("/casos/")


def test_las_pantallas_no_violan_la_politica_de_contenido(
    pagina, captura, operadora, django_user_model, nuevo_caso
):
    errores = _violaciones_de_csp(pagina)
    caso = nuevo_caso().caso
    for url in ("/solicitud/", "/consulta/", "/cuentas/entrar/", "/cuentas/recuperar/"):
        pagina.goto(url)
    _teclear_entrada(pagina, "operadora", CLAVE, "/casos/nueva/")
    pagina.get_by_label("Teléfono").first.wait_for()
    pagina.goto(f"/casos/{caso.folio}/")
    pagina.goto("/cuentas/")
    pagina.goto("/api/docs/")
    pagina.get_by_text("API del personal").first.wait_for()
    pagina.locator(".opblock").first.wait_for()
    captura(pagina, "api-docs-con-csp")
    assert errores == [], errores

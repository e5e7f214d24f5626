"""Avisos en Chromium real: la coordinadora ve en el expediente lo enviado, lo pendiente y lo
que falló, reintenta desde ahí y revisa la lista de fallidos y la bandeja de la demo; una
persona se da de baja desde el enlace de su correo (en el teléfono)."""

import pytest

from casos.services import DatosPersona
from notificaciones.enlaces import enlace_baja
from notificaciones.models import Baja, Canal, EstadoMensaje, Mensaje
from tests.conftest import CLAVE
from tests.notificaciones.conftest import entregar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def test_avisos_del_expediente_reintento_y_lista(pagina, captura, nuevo_caso, coordinadora):
    caso = nuevo_caso(
        nombre="Rosa Elena Gutiérrez",
        solicitante=DatosPersona(
            nombre="Rosa Elena Gutiérrez", telefono="+523312345678", correo="rosa@correo.mx"
        ),
    ).caso
    entregar()
    sms = Mensaje.objects.get(caso=caso, canal=Canal.SMS)
    Mensaje.objects.filter(pk=sms.pk).update(
        estado=EstadoMensaje.FALLIDO,
        ultimo_error="Twilio rechazó el mensaje (400, 21211): número inválido",
    )

    pagina.goto(f"/cuentas/entrar/?next=/casos/{caso.folio}/")
    pagina.get_by_label("Usuario").fill("coordinadora")
    pagina.get_by_label("Contraseña").fill(CLAVE)
    pagina.get_by_role("button", name="Entrar").click()
    seccion = pagina.locator("#avisos")
    seccion.get_by_text("número inválido").wait_for()
    assert seccion.locator("tr", has_text="Correo electrónico").get_by_text("Enviado").count() == 1
    captura(pagina, "coordinadora-avisos-del-caso")
    seccion.get_by_role("button", name="Reintentar").click()
    pagina.get_by_text("El aviso se volvió a poner en la cola de envío.").wait_for()
    sms.refresh_from_db()
    assert sms.estado == EstadoMensaje.PENDIENTE

    entregar()
    pagina.get_by_role("link", name="Avisos").first.click()
    pagina.get_by_label("Solo la bandeja de la demostración").check()
    pagina.get_by_role("button", name="Filtrar").click()
    pagina.locator("details").first.click()
    pagina.get_by_text(caso.folio).first.wait_for()
    captura(pagina, "coordinadora-bandeja-de-avisos")


def test_baja_desde_el_enlace_del_correo_en_el_telefono(movil, captura, nuevo_caso):
    nuevo_caso(
        solicitante=DatosPersona(nombre="Ana", telefono="+523312345678", correo="ana@correo.mx")
    )
    url = enlace_baja(Canal.CORREO, "ana@correo.mx").removeprefix("http://127.0.0.1:8000")
    movil.goto(url)
    movil.get_by_text("an•••@correo.mx").first.wait_for()
    assert not Baja.objects.exists()
    movil.get_by_role("button", name="Sí, ya no quiero avisos por este medio").click()
    movil.get_by_text("ya no le enviaremos avisos").wait_for()
    captura(movil, "baja-de-avisos-movil")
    assert Baja.objects.filter(canal=Canal.CORREO, destino="ana@correo.mx").exists()

"""En Chromium: el mediador ve en su agenda y en el expediente lo que cada parte respondió al
recordatorio (SI, CAMBIO) y abre desde su bandeja la tarea «Llamar a la parte». axe-core sin
fallas graves ni críticas."""

from datetime import date

import pytest
import time_machine

from casos.models import RolParte
from casos.services import DatosPersona
from notificaciones.confirmaciones import confirmar
from notificaciones.models import Canal, EstadoConfirmacion
from tests.casos.etapas import AHORA, admitido, con_sesion, en, invitado
from tests.navegador.test_pantallas import entrar
from tests.navegador.test_portal_publico import auditar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def test_el_mediador_ve_las_confirmaciones_y_la_tarea_de_llamar(
    pagina, captura, nuevo_caso, coordinadora, certificado, sala
):
    with time_machine.travel(AHORA, tick=True):
        caso = nuevo_caso(
            solicitante=DatosPersona(nombre="Juana Pérez", telefono="+523312345678"),
            otra_parte=DatosPersona(
                nombre="Pedro López", telefono="+523398765432", domicilio="Calle Hidalgo 12"
            ),
        ).caso
        admitido(caso, coordinadora, certificado)
        invitado(caso, certificado)
        sesion = con_sesion(caso, certificado, sala, en(date(2026, 11, 30), 10))
        partes = {p.rol: p for p in caso.partes.all()}
        confirmar(
            sesion=sesion,
            parte=partes[RolParte.SOLICITANTE],
            estado=EstadoConfirmacion.CONFIRMADA,
            canal=Canal.SMS,
        )
        confirmar(
            sesion=sesion,
            parte=partes[RolParte.INVITADA],
            estado=EstadoConfirmacion.OTRA_FECHA,
            canal=Canal.WHATSAPP,
        )

        destino = f"/agenda/mediador/{certificado.pk}/?fecha=2026-11-30"
        entrar(pagina, "mediador", destino)
        fila = pagina.locator("tbody tr").first
        texto = fila.inner_text()
        assert "Juana Pérez: Confirmó" in texto and "Pedro López: Pide otra fecha" in texto
        assert auditar(pagina) == []
        captura(pagina, "agenda-confirmaciones")

        pagina.goto(f"/casos/{caso.folio}/")
        seccion = pagina.locator("#asistencia")
        assert "Confirmación de asistencia" in seccion.inner_text()
        assert "Pide otra fecha" in seccion.inner_text() and "Confirmó" in seccion.inner_text()
        assert auditar(pagina) == []
        captura(pagina, "caso-confirmaciones")

        pagina.goto("/tareas/")
        enlace = pagina.get_by_role("link", name="Llamar a la parte")
        assert enlace.count() >= 1
        enlace.first.click()
        pagina.wait_for_url("**/tareas/*/")
        assert "Pedro López" in pagina.locator("main").inner_text()
        assert "Pide otra fecha" in pagina.locator("main").inner_text()
        assert auditar(pagina) == []
        captura(pagina, "tarea-llamar")
        pagina.get_by_label("Nota de la llamada").fill("Propone el miércoles 2 a las 11:00.")
        pagina.get_by_role("button", name="Guardar la nota y terminar").click()
        pagina.wait_for_load_state()
        assert "quedó la nota de la llamada" in pagina.locator("main").inner_text()

"""Un mediador lleva un caso de su bandeja a un convenio firmado, en Chromium real."""

import re
from datetime import date

import pytest
import time_machine
from viewflow.workflow.models import Task

from casos.services import mediacion as med
from flujos import tareas
from flujos.tareas import procesos_de
from flujos.tasks import disparar_temporizadores
from tests.casos.etapas import AHORA, en
from tests.conftest import CLAVE
from tests.navegador.test_portal_publico import auditar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


# Páginas que carga el mediador de «Invitar» a «Convenio firmado», contadas en Chromium:
# 11 antes de que guardar un paso llevara a la siguiente tarea del caso (15 si cada tarea se
# busca en la bandeja); 8 ahora: guardar lleva a la siguiente tarea del caso y solo
# «Registrar sesión», que espera la fecha de la sesión, se busca en la bandeja.
CARGAS_ANTES = 11
CARGAS_AHORA = 8


def contar_cargas(pagina) -> list[str]:
    """Cada navegación del marco principal (una página cargada) queda en la lista."""
    cargas: list[str] = []
    pagina.on(
        "framenavigated",
        lambda marco: cargas.append(marco.url) if marco == pagina.main_frame else None,
    )
    return cargas


def abrir_tarea(pagina, titulo, folio):
    """Como lo haría una persona: si la tarea ya está en pantalla, sigue; si su enlace está
    en la página (el avance del caso), lo sigue; si no, la busca en su bandeja."""
    encabezado = pagina.get_by_role("heading", name=titulo)
    if encabezado.count():
        return
    enlace = pagina.locator("main").get_by_role("link", name=titulo, exact=True)
    if not enlace.count():
        pagina.goto("/tareas/")
        enlace = (
            pagina.locator("tr", has_text=folio)
            .filter(has_text=titulo)
            .get_by_role("link", name=titulo)
        )
    enlace.first.click()
    encabezado.wait_for()


def test_de_la_bandeja_al_convenio_firmado(
    pagina, captura, nuevo_caso, coordinadora, certificado, sala
):
    with time_machine.travel(AHORA, tick=True) as reloj:
        caso = nuevo_caso(nombre="Guadalupe Aceves Ramos").caso
        revisar = Task.objects.get(process__in=procesos_de(caso), flow_task_type="HUMAN")
        tareas.tomar(task=revisar, usuario=coordinadora)
        tareas.completar(
            task=revisar,
            usuario=coordinadora,
            accion=lambda: med.admitir(caso=caso, actor=coordinadora),
        )
        asignar = Task.objects.get(
            process__in=procesos_de(caso), flow_task_type="HUMAN", status="NEW"
        )
        tareas.tomar(task=asignar, usuario=coordinadora)
        tareas.completar(
            task=asignar,
            usuario=coordinadora,
            accion=lambda: med.asignar_responsable(
                caso=caso, actor=coordinadora, responsable=certificado
            ),
        )

        pagina.goto("/cuentas/entrar/?next=/tareas/")
        pagina.get_by_label("Usuario").fill("mediador")
        pagina.get_by_label("Contraseña").fill(CLAVE)
        pagina.get_by_role("button", name="Entrar").click()
        pagina.get_by_role("heading", name="Mis tareas").wait_for()
        captura(pagina, "mediador-bandeja")
        cargas = contar_cargas(pagina)

        abrir_tarea(pagina, "Invitar a la otra parte", caso.folio)
        assert auditar(pagina) == []
        pagina.get_by_label("Medio").select_option("personal")
        pagina.get_by_label("Quién la recibió").fill("La propia persona")
        pagina.get_by_label("Acepta participar", exact=True).check()
        pagina.get_by_role("button", name="Guardar y continuar").click()
        pagina.get_by_text("Invitación aceptada: programe la sesión.").wait_for()

        abrir_tarea(pagina, "Programar sesión", caso.folio)
        pagina.get_by_role("group", name="jueves 26 de noviembre").get_by_label("10:00").check()
        pagina.get_by_role("button", name="Programar la sesión").click()
        pagina.get_by_text("Sesión programada.").wait_for()
        captura(pagina, "mediador-caso-sesion-programada")

        # Llega la hora de la sesión: el beat dispara el temporizador.
        reloj.move_to(en(date(2026, 11, 26), 11))
        assert disparar_temporizadores() == 1  # solo el de la sesión
        abrir_tarea(pagina, "Registrar sesión", caso.folio)
        pagina.get_by_role("group", name="Asistencia de quien solicita").get_by_label(
            "Asistió", exact=True
        ).check()
        pagina.get_by_role("group", name="Asistencia de la otra parte").get_by_label(
            "Asistió", exact=True
        ).check()
        pagina.get_by_label("Resultado (si ambas partes asistieron)").select_option("acuerdo_total")
        pagina.get_by_role("button", name="Guardar y continuar").click()
        pagina.get_by_text("redacte el convenio").wait_for()

        abrir_tarea(pagina, "Redactar convenio", caso.folio)
        pagina.get_by_label("Acuerdo total").check()
        pagina.get_by_label("Antecedentes").fill(
            "Las partes tienen diferencias por una barda colindante."
        )
        pagina.get_by_label("Consecuencias del incumplimiento").fill(
            "La parte afectada podrá solicitar la ejecución ante el juzgado."
        )
        for grupo in pagina.locator("fieldset", has=pagina.get_by_label("Edad")).all():
            grupo.get_by_label("Edad").fill("45")
            grupo.get_by_label("Nacionalidad").fill("mexicana")
            grupo.get_by_label("Estado civil").select_option("casado")
            grupo.get_by_label("Ocupación").fill("comerciante")
            if not grupo.get_by_label("Domicilio").input_value():
                grupo.get_by_label("Domicilio").fill("Calle Morelos 47")
        clausula = pagina.locator("fieldset.clausula").first
        clausula.get_by_label("Parte obligada").select_option(index=2)
        clausula.get_by_label("Obligación de").select_option("hacer")
        clausula.get_by_label("Qué debe dar, hacer o no hacer").fill(
            "Retirar la barda 40 cm hacia su predio."
        )
        clausula.get_by_label("Modo").fill("Por su cuenta y costo")
        clausula.get_by_label("Lugar", exact=True).fill("Calle Morelos 45")
        clausula.get_by_label("Fecha para cumplir").fill("2026-12-18")
        captura(pagina, "mediador-convenio")
        pagina.get_by_role("button", name="Guardar y pasar a firma").click()
        pagina.get_by_text("Convenio redactado: registre la firma.").wait_for()

        abrir_tarea(pagina, "Registrar firma del convenio", caso.folio)
        assert auditar(pagina) == []
        assert pagina.locator(".alerta").count() == 0  # nada falta del art. 94
        pagina.get_by_label("Firma autógrafa").check()
        pagina.get_by_role("button", name="Registrar la firma").click()
        pagina.get_by_text("Convenio firmado").first.wait_for()
        captura(pagina, "mediador-convenio-firmado")
        assert len(cargas) == CARGAS_AHORA < CARGAS_ANTES, cargas
        texto = pagina.locator("main").inner_text()
        assert re.search(r"Convenio firmado", texto)
        assert "Enviar convenio a registro" in texto
    caso.refresh_from_db()
    assert caso.estado == "convenio" and caso.convenio.firmado_en is not None

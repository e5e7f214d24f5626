"""Una mediadora programa la sesión eligiendo uno de los horarios libres de la sala, ve el
rechazo de una hora fuera del horario de atención y corrige una hora mal elegida antes de
que se avise a las partes, sin gastar un diferimiento (LGMASC art. 76); en Chromium real,
con el teclado y axe-core."""

import re
from datetime import date, time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casos.models import EstadoSesion, Evento, HorarioSala, Sala, Sesion
from casos.selectors import contar_diferimientos
from casos.services import mediacion as med
from flujos import tareas
from flujos.tareas import procesos_de
from notificaciones.models import EstadoMensaje, Mensaje
from notificaciones.services import enviar
from tests.casos.etapas import AHORA, admitido, en, invitado
from tests.navegador.test_mediador import abrir_tarea
from tests.navegador.test_pantallas import entrar
from tests.navegador.test_portal_publico import auditar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def _hasta_programar(caso, coordinadora, mediador):
    """Revisada, asignada e invitada por el flujo (la otra parte aceptó)."""
    for accion, actor in (
        (lambda: med.admitir(caso=caso, actor=coordinadora), coordinadora),
        (
            lambda: med.asignar_responsable(caso=caso, actor=coordinadora, responsable=mediador),
            coordinadora,
        ),
        (lambda: invitado(caso, mediador), mediador),
    ):
        tarea = Task.objects.filter(
            process__in=procesos_de(caso), flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"]
        ).get()
        if tarea.owner_id is None:
            tareas.tomar(task=tarea, usuario=actor)
        tareas.completar(task=tarea, usuario=actor, accion=accion)


def test_programar_de_los_horarios_libres_y_corregir_la_hora_sin_diferir(
    pagina, captura, nuevo_caso, coordinadora, certificado, otro_certificado
):
    with time_machine.travel(AHORA, tick=True):
        sala = Sala.objects.create(nombre="Sala Juárez", ubicacion="Presidencia, planta alta")
        for dia in range(5):
            for abre, cierra in ((time(9), time(14)), (time(16), time(19))):
                HorarioSala.objects.create(sala=sala, dia_semana=dia, abre=abre, cierra=cierra)
        # Otro caso ocupa la sala el jueves a las 10:00.
        otro = nuevo_caso(nombre="Otro Caso").caso
        admitido(otro, coordinadora, otro_certificado)
        invitado(otro, otro_certificado)
        med.programar_sesion(
            caso=otro, actor=otro_certificado, inicio=en(date(2026, 11, 26), 10), sala=sala
        )
        caso = nuevo_caso(nombre="Guadalupe Aceves Ramos").caso
        _hasta_programar(caso, coordinadora, certificado)

        entrar(pagina, "mediador", "/tareas/")
        abrir_tarea(pagina, "Programar sesión", caso.folio)
        jueves = pagina.get_by_role("group", name="jueves 26 de noviembre")
        jueves.get_by_label("09:00").wait_for()
        assert jueves.get_by_label("10:00").count() == 0  # la sala está ocupada
        assert jueves.get_by_label("14:00").count() == 0  # a esa hora cierra
        pagina.get_by_text(
            "Sala Juárez atiende lunes a viernes de 9:00 a 14:00 y de 16:00 a 19:00"
        ).wait_for()
        assert auditar(pagina) == []
        captura(pagina, "horarios-programar")

        # Una hora escrita fuera del horario de la sala se rechaza diciendo el horario.
        pagina.get_by_label("Escribir otra fecha y hora").check()
        pagina.get_by_label("Otra hora (dentro del horario de la sala, en día hábil)").fill(
            "2026-11-26T15:00"
        )
        pagina.get_by_role("button", name="Programar la sesión").click()
        pagina.get_by_text(
            re.compile(r"La sala Sala Juárez atiende lunes a viernes de 9:00 a 14:00 y de 16:00")
        ).wait_for()
        assert not Sesion.objects.filter(caso=caso).exists()
        assert auditar(pagina) == []
        captura(pagina, "horarios-fuera-de-horario")

        # Con el teclado: se elige un horario (por error, las 11:00; era a las 12:00).
        once = pagina.get_by_role("group", name="jueves 26 de noviembre").get_by_label("11:00")
        once.focus()
        pagina.keyboard.press("Space")
        assert once.is_checked()
        pagina.get_by_role("button", name="Programar la sesión").focus()
        with pagina.expect_navigation():
            pagina.keyboard.press("Enter")
        pagina.get_by_text("Sesión programada.").wait_for()
        sesion = Sesion.objects.get(caso=caso)
        assert sesion.inicio == en(date(2026, 11, 26), 11) and sesion.sala == sala
        # Guardar lleva a la bandeja (no hay otra tarea propia del caso); el error se ve en el
        # expediente.
        pagina.goto(f"/casos/{caso.folio}/")
        pagina.get_by_text("Las partes aún no reciben el aviso").wait_for()

        # Corregir la hora: la misma sesión, sin diferimiento.
        pagina.get_by_role("link", name="Corregir la hora").click()
        pagina.get_by_role("heading", name="Corregir la hora de la sesión").wait_for()
        jueves = pagina.get_by_role("group", name="jueves 26 de noviembre")
        jueves.get_by_label("11:00").wait_for()  # su propio horario sigue libre para ella
        jueves.get_by_label("12:00").check()
        assert auditar(pagina) == []
        captura(pagina, "horarios-corregir")
        pagina.get_by_role("button", name="Corregir la hora").click()
        pagina.get_by_text("no cuenta como diferimiento").wait_for()
        pagina.get_by_text(
            "Hora corregida antes de avisar a las partes: de 26/11/2026 11:00 a 26/11/2026 12:00."
        ).first.wait_for()
        captura(pagina, "horarios-hora-corregida")

        corregida = Sesion.objects.get(caso=caso)
        assert corregida.pk == sesion.pk and corregida.inicio == en(date(2026, 11, 26), 12)
        assert contar_diferimientos(sesion=corregida) == 0
        assert not Sesion.objects.filter(caso=caso, estado=EstadoSesion.DIFERIDA).exists()
        temporizador = Task.objects.get(
            process__in=procesos_de(caso), flow_task_type="TIMER", status=STATUS.SCHEDULED
        )
        assert temporizador.scheduled == en(date(2026, 11, 26), 12)
        assert Evento.objects.filter(caso=caso, descripcion__startswith="Hora corregida").exists()

        # Salen los avisos: uno por parte y canal, con la hora correcta.
        for mensaje in Mensaje.objects.filter(
            caso=caso, estado=EstadoMensaje.PENDIENTE, programado_para__lte=timezone.now()
        ):
            enviar(mensaje.pk)
        enviados = Mensaje.objects.filter(
            referencia=f"sesion:{sesion.pk}", estado=EstadoMensaje.ENVIADO
        )
        assert enviados.exists()
        assert all("12:00" in m.texto and "11:00" not in m.texto for m in enviados)

        # Ya avisadas las partes, un cambio es un diferimiento.
        pagina.reload()
        pagina.get_by_text("Las partes ya saben de ella").wait_for()
        assert pagina.get_by_role("link", name="Corregir la hora").count() == 0
        pagina.goto(reverse("flujos:corregir_hora", args=[caso.folio]))
        pagina.get_by_text("cambiarla es un diferimiento (LGMASC art. 76)").wait_for()
        pagina.get_by_role("link", name="Diferir la sesión").wait_for()
        assert auditar(pagina) == []
        captura(pagina, "horarios-ya-avisada")
        assert contar_diferimientos(sesion=Sesion.objects.get(caso=caso)) == 0

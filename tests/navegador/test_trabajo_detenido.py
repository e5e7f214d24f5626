"""El aviso de trabajo en segundo plano detenido, en Chromium: la coordinación lo ve arriba
de cada página, como alerta accesible (axe-core sin fallas graves ni críticas)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from notificaciones.services import registrar_latido
from tests.navegador.test_pantallas import entrar
from tests.navegador.test_portal_publico import auditar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def test_la_coordinacion_ve_el_aviso_de_trabajo_detenido(pagina, captura, coordinadora, mediador):
    hace_diez_minutos = timezone.now() - timedelta(minutes=10)
    with time_machine.travel(hace_diez_minutos, tick=False):
        registrar_latido(
            nombre="celery@contenedor1",
            pid=10,
            colas=["celery", "pdf"],
            pool="prefork",
            arrancado_en=timezone.now(),
            procesos_vivos=2,
        )
    cache.clear()
    hora = timezone.localtime(hace_diez_minutos).strftime("%H:%M")

    entrar(pagina, "coordinadora", "/casos/")
    aviso = pagina.get_by_role("alert")
    assert aviso.is_visible()
    texto = aviso.inner_text()
    assert "El trabajo en segundo plano" in texto and hora in texto
    assert "Avise a soporte técnico" in texto
    assert auditar(pagina) == []
    captura(pagina, "trabajo-detenido-coordinacion")

    pagina.context.clear_cookies()
    entrar(pagina, "mediador", "/tareas/")
    assert pagina.get_by_role("alert").count() == 0

"""Sesiones del personal que vencen por inactividad (el plazo se renueva al usarla), al
cerrar el navegador y al cumplir su máximo; la sesión anónima del ciudadano no se toca."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plantillas.models import Documento, TipoDocumento
from tests.plantillas.conftest import generado
from tests.portal.test_estado_publico import consultar, enlaces

from .ayudantes import entrar, texto

pytestmark = pytest.mark.usefixtures("reloj")


def test_la_sesion_vence_tras_30_minutos_sin_actividad(cliente_de, mediador, reloj):
    cliente = cliente_de(mediador)
    assert cliente.get("/tareas/").status_code == 200
    reloj.shift(timedelta(minutes=29))
    assert cliente.get("/tareas/").status_code == 200  # y el plazo vuelve a empezar
    reloj.shift(timedelta(minutes=29))
    assert cliente.get("/tareas/").status_code == 200
    reloj.shift(timedelta(minutes=31))
    vencida = cliente.get("/tareas/?vencimiento=hoy")
    assert vencida.status_code == 302
    assert vencida["Location"] == reverse("login") + "?next=/tareas/%3Fvencimiento%3Dhoy"
    pagina = cliente.get(vencida["Location"])
    assert "Su sesión se cerró tras 30 minutos sin actividad." in texto(pagina)
    assert "_auth_user_id" not in cliente.session


def test_el_tiempo_de_inactividad_es_configurable(cliente_de, mediador, reloj, settings):
    settings.SESION_INACTIVIDAD_MINUTOS = 5
    cliente = cliente_de(mediador)
    reloj.shift(timedelta(minutes=6))
    respuesta = cliente.post(reverse("cuentas:codigos"), follow=True)
    assert respuesta.redirect_chain[0][0] == reverse("login")
    assert "tras 5 minutos sin actividad" in texto(respuesta)


def test_la_sesion_tiene_un_maximo_aunque_se_use(cliente_de, mediador, reloj):
    cliente = cliente_de(mediador)
    for _ in range(24):
        reloj.shift(timedelta(minutes=29))
        assert cliente.get("/tareas/").status_code == 200
    reloj.shift(timedelta(minutes=29))
    respuesta = cliente.get("/tareas/", follow=True)
    assert "Su sesión llegó al máximo de 12 horas." in texto(respuesta)


def test_la_cookie_de_sesion_se_borra_al_cerrar_el_navegador(client, mediador):
    respuesta = entrar(client, "mediador")
    cookie = respuesta.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]


def _escrituras_de_sesion(cliente, url) -> int:
    with CaptureQueriesContext(connection) as consultas:
        cliente.get(url)
    return sum(
        1
        for q in consultas.captured_queries
        if q["sql"].startswith("UPDATE") and "session" in q["sql"]
    )


def test_la_actividad_se_anota_a_lo_mas_una_vez_por_minuto(cliente_de, mediador, reloj):
    cliente = cliente_de(mediador)
    reloj.shift(timedelta(seconds=30))
    assert _escrituras_de_sesion(cliente, "/cuentas/") == 0
    reloj.shift(timedelta(minutes=1))
    assert _escrituras_de_sesion(cliente, "/cuentas/") == 1


def test_la_consulta_ciudadana_guarda_su_sesion_anonima(client, nuevo_caso, reloj):
    """El ciudadano no tiene cuenta: su sesión no vence por inactividad del personal y el
    enlace a su acuse sigue sirviendo en el mismo navegador."""
    recibida = nuevo_caso()
    generado(Documento.objects.get(caso=recibida.caso, tipo=TipoDocumento.ACUSE))
    enlace = enlaces(consultar(client, recibida).content.decode())[0]
    reloj.shift(timedelta(minutes=10))
    assert client.get(enlace).status_code == 200

"""Bloqueo tras intentos fallidos, por cuenta y por conexión, y el desbloqueo por la
coordinación (o por un comando de administración)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from cuentas.models import EventoCuenta, TipoEventoCuenta

from .ayudantes import entrar, texto

BLOQUEO = "Acceso bloqueado por un rato"


def _fallar(client, usuario, veces, **extra):
    for _ in range(veces):
        respuesta = entrar(client, usuario, "no-es-la-clave", **extra)
    return respuesta


def test_cinco_fallos_bloquean_la_cuenta_con_el_mensaje_en_espanol(client, mediador):
    cuarto = _fallar(client, "mediador", 4)
    assert cuarto.status_code == 200
    assert "Usuario o contraseña incorrectos" in texto(cuarto)
    quinto = _fallar(client, "mediador", 1)
    assert quinto.status_code == 429
    assert BLOQUEO in texto(quinto)
    assert "30 minutos" in texto(quinto)
    # Ni con la contraseña correcta entra mientras dura el bloqueo.
    correcta = entrar(client, "mediador")
    assert correcta.status_code == 429 and BLOQUEO in texto(correcta)
    assert "_auth_user_id" not in client.session


def test_la_cuenta_bloqueada_tampoco_entra_desde_otra_conexion(client, mediador):
    _fallar(client, "mediador", 5, REMOTE_ADDR="10.0.0.1")
    assert entrar(client, "mediador", REMOTE_ADDR="10.0.0.2").status_code == 429


def test_la_conexion_se_bloquea_aunque_cambie_la_cuenta(client, mediador, settings):
    settings.CUENTAS_FALLOS_LIMITE_IP = 8
    for i in range(8):
        entrar(client, f"persona{i}", "no-es-la-clave", REMOTE_ADDR="10.0.0.9")
    # Desde esa conexión nadie entra; desde otra, el mediador sí (su cuenta no falló).
    assert entrar(client, "mediador", REMOTE_ADDR="10.0.0.9").status_code == 429
    assert entrar(client, "mediador", REMOTE_ADDR="10.0.0.10").status_code == 302


def test_los_limites_son_configurables(client, mediador, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert _fallar(client, "mediador", 2).status_code == 429


def test_el_bloqueo_vence_solo_tras_el_periodo(client, mediador, reloj):
    _fallar(client, "mediador", 5)
    reloj.shift(timedelta(minutes=29))
    assert entrar(client, "mediador").status_code == 429
    reloj.shift(timedelta(minutes=2))
    assert entrar(client, "mediador").status_code == 302


def test_la_coordinacion_ve_la_cuenta_bloqueada_y_la_desbloquea(
    client, cliente_de, mediador, coordinadora
):
    _fallar(client, "mediador", 5, REMOTE_ADDR="10.0.0.5")
    coordinacion = cliente_de(coordinadora)
    pagina = coordinacion.get(reverse("cuentas:accesos"))
    assert pagina.status_code == 200
    assert "Desbloquear la cuenta mediador" in texto(pagina)
    assert "10.0.0.5" in texto(pagina)
    respuesta = coordinacion.post(
        reverse("cuentas:desbloquear"), {"usuario": "mediador"}, follow=True
    )
    assert "La cuenta «mediador» puede volver a entrar." in texto(respuesta)
    assert "No hay cuentas bloqueadas." in texto(respuesta)
    evento = EventoCuenta.objects.get()
    assert (evento.tipo, evento.actor, evento.cuenta, evento.usuario) == (
        TipoEventoCuenta.DESBLOQUEO_CUENTA,
        coordinadora,
        mediador,
        "mediador",
    )
    assert "Cuenta desbloqueada" in texto(respuesta)  # en la bitácora de la página
    assert entrar(client, "mediador", REMOTE_ADDR="10.0.0.5").status_code == 302


def test_la_coordinacion_desbloquea_una_conexion(client, cliente_de, mediador, coordinadora):
    for i in range(20):
        entrar(client, f"persona{i}", "x", REMOTE_ADDR="203.0.113.7")
    coordinacion = cliente_de(coordinadora)
    assert "Desbloquear la conexión 203.0.113.7" in texto(coordinacion.get("/cuentas/accesos/"))
    coordinacion.post(reverse("cuentas:desbloquear"), {"ip": "203.0.113.7"})
    evento = EventoCuenta.objects.get()
    assert (evento.tipo, evento.ip, evento.actor) == (
        TipoEventoCuenta.DESBLOQUEO_CONEXION,
        "203.0.113.7",
        coordinadora,
    )
    assert entrar(client, "mediador", REMOTE_ADDR="203.0.113.7").status_code == 302


def test_desbloquear_sin_elegir_nada_no_registra_nada(cliente_de, coordinadora):
    respuesta = cliente_de(coordinadora).post(
        reverse("cuentas:desbloquear"), {"ip": "no-es-ip"}, follow=True
    )
    assert "Elija la cuenta o la conexión" in texto(respuesta)
    assert not EventoCuenta.objects.exists()


@pytest.mark.parametrize("persona", ["operadora", "mediador", "asesor", "direccion", "ajeno"])
def test_solo_la_coordinacion_desbloquea(client, request, persona):
    usuario = request.getfixturevalue(persona)
    _fallar(client, "alguien", 5)
    client.force_login(usuario)
    assert client.get(reverse("cuentas:accesos")).status_code == 403
    assert client.post(reverse("cuentas:desbloquear"), {"usuario": "alguien"}).status_code == 403
    assert not EventoCuenta.objects.exists()


def test_sin_sesion_la_pagina_de_accesos_pide_entrar(client):
    respuesta = client.get(reverse("cuentas:accesos"))
    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith(reverse("login"))
    assert client.post(reverse("cuentas:desbloquear"), {"usuario": "x"}).status_code == 302


def test_el_comando_lista_y_desbloquea(client, mediador, capsys):
    _fallar(client, "mediador", 5)
    call_command("restablecer_acceso")
    assert "Cuenta mediador: 5 fallos" in capsys.readouterr().out
    call_command("restablecer_acceso", "mediador")
    assert "Cuenta «mediador» desbloqueada." in capsys.readouterr().out
    evento = EventoCuenta.objects.get()
    assert (evento.actor, evento.origen, evento.quien) == (
        None,
        "comando",
        "Administración (comando)",
    )
    assert entrar(client, "mediador").status_code == 302


def test_el_comando_desbloquea_una_conexion(client, db, capsys):
    for i in range(20):
        entrar(client, f"persona{i}", "x", REMOTE_ADDR="203.0.113.8")
    call_command("restablecer_acceso", "--ip", "203.0.113.8")
    assert "Conexión 203.0.113.8 desbloqueada." in capsys.readouterr().out
    assert EventoCuenta.objects.get().tipo == TipoEventoCuenta.DESBLOQUEO_CONEXION


def test_entrar_desde_el_codigo_sin_peticion_sigue_funcionando(client, mediador):
    """`authenticate()` sin petición (comandos, consola, `Client.login`) no pasa por axes."""
    from django.contrib.auth import authenticate

    from tests.conftest import CLAVE

    assert authenticate(username="mediador", password=CLAVE) == mediador
    assert client.login(username="mediador", password=CLAVE)

"""Restablecer la contraseña por correo y cambiarla con sesión, con contraseñas robustas."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from cuentas import services
from cuentas.models import EventoCuenta, TipoEventoCuenta

from .ayudantes import entrar, texto

NUEVA = "sauces del río en noviembre"
RECUPERAR = reverse("cuentas:recuperar")


@pytest.fixture
def con_correo(mediador):
    mediador.email = "jorge.hernandez@municipio.gob.mx"
    mediador.save()
    return mediador


def _enlace(correo) -> str:
    encontrado = re.search(r"https?://\S+(/cuentas/recuperar/\S+/\S+/)", correo.body)
    assert encontrado, correo.body
    return encontrado.group(1)


def test_el_enlace_llega_por_correo_y_permite_elegir_una_contrasena_nueva(
    client, con_correo, pedir_enlace
):
    respuesta = pedir_enlace(client, "Jorge.Hernandez@municipio.gob.mx")
    assert respuesta["Location"] == reverse("cuentas:recuperar_enviado")
    assert len(mail.outbox) == 1
    correo = mail.outbox[0]
    assert correo.to == ["jorge.hernandez@municipio.gob.mx"]
    assert correo.subject.startswith("Restablecer su contraseña")
    assert "Su usuario es: mediador" in correo.body
    assert "vale 60 minutos y sirve una sola vez" in correo.body

    formulario = client.get(_enlace(correo), follow=True)
    assert "Elegir una contraseña nueva" in texto(formulario)
    url = formulario.redirect_chain[-1][0]
    debil = client.post(url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert debil.status_code == 200
    assert "La contraseña es demasiado corta. Debe contener por lo menos 12 caracteres." in texto(
        debil
    )
    assert "Esta contraseña es totalmente numérica." in texto(debil)
    distintas = client.post(url, {"new_password1": NUEVA, "new_password2": NUEVA + "x"})
    assert "Las dos contraseñas nuevas no coinciden." in texto(distintas)
    lista = client.post(url, {"new_password1": NUEVA, "new_password2": NUEVA})
    assert lista["Location"] == reverse("cuentas:restablecida")
    assert entrar(client, "mediador", NUEVA).status_code == 302
    evento = EventoCuenta.objects.get()
    assert (evento.tipo, evento.cuenta) == (TipoEventoCuenta.CONTRASENA_RESTABLECIDA, con_correo)
    # El enlace ya se usó.
    client.post(reverse("logout"))
    usado = client.get(_enlace(correo), follow=True)
    assert "El enlace ya no sirve" in texto(usado)


def test_un_correo_sin_cuenta_recibe_la_misma_respuesta_y_no_se_envia_nada(
    client, con_correo, pedir_enlace
):
    respuesta = pedir_enlace(client, "nadie@municipio.gob.mx")
    assert respuesta["Location"] == reverse("cuentas:recuperar_enviado")
    assert mail.outbox == []
    invalido = pedir_enlace(client, "no es un correo")
    assert "Escriba un correo válido" in texto(invalido)


def test_el_correo_se_envia_en_segundo_plano_fuera_de_la_peticion(
    client, con_correo, monkeypatch, django_capture_on_commit_callbacks
):
    encolados = []
    monkeypatch.setattr(
        "cuentas.services.encolar", lambda tarea, *args: encolados.append((tarea.name, args))
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RECUPERAR, {"email": con_correo.email})
    assert encolados == [("cuentas.tasks.enviar_enlace_de_recuperacion", (con_correo.pk,))]
    assert mail.outbox == []


def test_la_tarea_no_envia_a_cuentas_desactivadas_o_sin_correo(con_correo):
    con_correo.is_active = False
    con_correo.save()
    assert services.enviar_enlace_de_recuperacion(usuario_id=con_correo.pk) is False
    assert mail.outbox == []


def test_los_pedidos_se_limitan_por_conexion_y_por_correo(
    client, con_correo, pedir_enlace, settings
):
    settings.RECUPERACION_LIMITE_CORREO = 2
    settings.RECUPERACION_LIMITE_IP = 3
    for _ in range(3):
        assert pedir_enlace(client, con_correo.email).status_code == 302
    assert len(mail.outbox) == 2  # el tercero no se envía, y no se dice
    demasiados = pedir_enlace(client, con_correo.email)
    assert demasiados.status_code == 429
    assert "demasiados enlaces desde esta conexión" in texto(demasiados)


def test_restablecer_la_contrasena_desbloquea_la_cuenta(client, con_correo, pedir_enlace):
    for _ in range(5):
        entrar(client, "mediador", "equivocada")
    assert entrar(client, "mediador").status_code == 429
    pedir_enlace(client, con_correo.email)
    url = client.get(_enlace(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(url, {"new_password1": NUEVA, "new_password2": NUEVA})
    assert entrar(client, "mediador", NUEVA).status_code == 302


def test_cambiar_la_contrasena_con_sesion(client, cliente_de, mediador):
    cliente = cliente_de(mediador)
    url = reverse("cuentas:contrasena")
    assert "Contraseña actual" in texto(cliente.get(url))
    mal = cliente.post(
        url, {"old_password": "otra", "new_password1": NUEVA, "new_password2": NUEVA}
    )
    assert "Su contraseña actual no es correcta. Escríbala de nuevo." in texto(mal)
    from tests.conftest import CLAVE

    parecida = cliente.post(
        url,
        {"old_password": CLAVE, "new_password1": "mediador12345", "new_password2": "mediador12345"},
    )
    assert "La contraseña es muy similar a" in texto(parecida)
    comun = cliente.post(
        url,
        {"old_password": CLAVE, "new_password1": "password1234", "new_password2": "password1234"},
    )
    assert "Esta contraseña es muy común." in texto(comun)
    lista = cliente.post(
        url, {"old_password": CLAVE, "new_password1": NUEVA, "new_password2": NUEVA}
    )
    assert lista["Location"] == reverse("cuentas:contrasena_cambiada")
    # La sesión sigue abierta y la contraseña nueva sirve.
    assert cliente.get("/tareas/").status_code == 200
    mediador.refresh_from_db()
    assert mediador.check_password(NUEVA)
    assert EventoCuenta.objects.get().tipo == TipoEventoCuenta.CONTRASENA_CAMBIADA


def test_la_pagina_de_entrada_ofrece_restablecer(client, catalogos):
    pagina = texto(client.get(reverse("login")))
    assert "¿Olvidó su contraseña?" in pagina and RECUPERAR in pagina
    assert "tras 5 intentos fallidos la cuenta se bloquea" in pagina

"""Verificación en dos pasos: alta de la app con QR, entrada con el código o con un código de
recuperación, obligatoria por rol y reinicio por la coordinación."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cuentas import selectors, services
from cuentas.checks import roles_con_dos_pasos
from cuentas.models import EventoCuenta, TipoEventoCuenta

from .ayudantes import codigo_de, entrar, texto

pytestmark = pytest.mark.usefixtures("reloj")

VERIFICAR = reverse("cuentas:verificar")
INSCRIBIR = reverse("cuentas:inscribir")


def _activar(client, usuario) -> list[str]:
    """Da de alta la app por la página, como la persona: ve el QR y escribe el primer código."""
    assert client.get(INSCRIBIR).status_code == 200
    dispositivo = TOTPDevice.objects.get(user=usuario, confirmed=False)
    respuesta = client.post(INSCRIBIR, {"codigo": codigo_de(dispositivo)})
    assert respuesta.status_code == 200
    return [c.replace("-", "") for c in respuesta.context["codigos"]]


def _con_app(usuario):
    """La persona ya tiene su app activa (como si la hubiera dado de alta antes)."""
    dispositivo = services.preparar_inscripcion(usuario=usuario)
    _, codigos = services.confirmar_inscripcion(usuario=usuario, codigo=codigo_de(dispositivo))
    return TOTPDevice.objects.get(user=usuario), codigos


def test_la_coordinadora_sin_app_debe_activarla_antes_de_trabajar(
    client, coordinadora, dos_pasos_obligatorio
):
    respuesta = entrar(client, "coordinadora", siguiente="/tareas/")
    assert respuesta["Location"] == VERIFICAR + "?next=%2Ftareas%2F"
    assert client.get(respuesta["Location"])["Location"] == INSCRIBIR + "?next=%2Ftareas%2F"
    # Ninguna página del personal (ni la API con la sesión) mientras no active su app.
    for url in ("/tareas/", "/casos/", "/cuentas/accesos/", "/api/v1/casos/", "/admin/"):
        bloqueada = client.get(url)
        assert bloqueada.status_code == 302, url
        assert bloqueada["Location"].startswith(VERIFICAR), url
    pagina = client.get(INSCRIBIR)
    contenido = texto(pagina)
    assert "Su rol trabaja con datos delicados" in contenido
    assert "<svg" in contenido and "Código QR para agregar esta cuenta" in contenido
    assert "ingresar clave manualmente" in contenido


def test_activar_la_app_y_entrar_despues_con_su_codigo(
    client, coordinadora, dos_pasos_obligatorio, reloj
):
    entrar(client, "coordinadora")
    client.get(INSCRIBIR)
    dispositivo = TOTPDevice.objects.get(user=coordinadora, confirmed=False)
    equivocado = client.post(INSCRIBIR, {"codigo": "000000"})
    assert equivocado.status_code == 400
    assert "El código no coincide" in texto(equivocado)
    reloj.shift(timedelta(seconds=2))  # tras un error, la siguiente prueba espera 1 s
    listo = client.post(INSCRIBIR + "?next=/tareas/", {"codigo": codigo_de(dispositivo)})
    assert "la verificación en dos pasos está activa" in texto(listo)
    assert len(listo.context["codigos"]) == 10
    assert 'href="/tareas/"' in texto(listo)
    assert client.get("/tareas/").status_code == 200
    assert EventoCuenta.objects.filter(
        tipo=TipoEventoCuenta.DOS_PASOS_ACTIVADO, cuenta=coordinadora
    ).exists()

    client.post(reverse("logout"))
    respuesta = entrar(client, "coordinadora", siguiente="/casos/")
    assert respuesta["Location"] == VERIFICAR + "?next=%2Fcasos%2F"
    assert client.get("/casos/")["Location"].startswith(VERIFICAR)
    # El siguiente código de la app (el de ahora ya se usó al activarla).
    verificado = client.post(
        VERIFICAR, {"codigo": codigo_de(dispositivo, pasos=1), "next": "/casos/"}
    )
    assert verificado.status_code == 302 and verificado["Location"] == "/casos/"
    assert client.get("/casos/").status_code == 200


def test_un_codigo_equivocado_se_rechaza_y_el_siguiente_espera(
    client, coordinadora, dos_pasos_obligatorio, reloj
):
    dispositivo, _ = _con_app(coordinadora)
    entrar(client, "coordinadora")
    mal = client.post(VERIFICAR, {"codigo": "123456"})
    assert mal.status_code == 400
    assert "El código no es correcto o ya venció" in texto(mal)
    apurado = client.post(VERIFICAR, {"codigo": codigo_de(dispositivo, pasos=1)})
    assert apurado.status_code == 429
    assert "Demasiados códigos equivocados. Espere 1 segundo y" in texto(apurado)
    vacio = client.post(VERIFICAR, {"codigo": ""})
    assert vacio.status_code == 400 and "Escriba el código." in texto(vacio)
    reloj.shift(timedelta(seconds=2))
    assert client.post(VERIFICAR, {"codigo": codigo_de(dispositivo, pasos=1)}).status_code == 302
    assert client.get("/casos/").status_code == 200


def test_un_codigo_de_recuperacion_sirve_una_sola_vez(
    client, coordinadora, dos_pasos_obligatorio, reloj
):
    _, codigos = _con_app(coordinadora)
    entrar(client, "coordinadora")
    # Se acepta como se imprimió (con guion y en mayúsculas).
    impreso = f"{codigos[0][:4]}-{codigos[0][4:]}".upper()
    respuesta = client.post(VERIFICAR, {"codigo": impreso}, follow=True)
    assert "Usó un código de recuperación; le quedan 9." in texto(respuesta)
    assert StaticToken.objects.filter(device__user=coordinadora).count() == 9
    assert EventoCuenta.objects.filter(tipo=TipoEventoCuenta.CODIGO_USADO).exists()

    client.post(reverse("logout"))
    entrar(client, "coordinadora")
    reloj.shift(timedelta(seconds=2))
    otra_vez = client.post(VERIFICAR, {"codigo": codigos[0]})
    assert otra_vez.status_code == 400
    reloj.shift(timedelta(seconds=2))
    assert client.post(VERIFICAR, {"codigo": codigos[1]}).status_code == 302


def test_para_otros_roles_es_opcional_pero_una_vez_activa_se_pide(
    client, mediador, dos_pasos_obligatorio, reloj
):
    assert entrar(client, "mediador", siguiente="/tareas/")["Location"] == "/tareas/"
    assert client.get("/tareas/").status_code == 200
    assert "Es opcional para su rol" in texto(client.get(reverse("cuentas:mi_cuenta")))
    _activar(client, mediador)
    client.post(reverse("logout"))
    reloj.shift(timedelta(seconds=31))
    assert entrar(client, "mediador")["Location"].startswith(VERIFICAR)
    assert client.get("/tareas/").status_code == 302


def test_quitarla_pide_la_contrasena_y_solo_si_el_rol_no_la_exige(
    client, cliente_de, mediador, coordinadora, dos_pasos_obligatorio
):
    from tests.conftest import CLAVE

    entrar(client, "mediador")
    _activar(client, mediador)
    mal = client.post(reverse("cuentas:quitar"), {"password": "otra"})
    assert mal.status_code == 400 and "La contraseña no es correcta." in texto(mal)
    client.post(reverse("cuentas:quitar"), {"password": CLAVE})
    assert not TOTPDevice.objects.filter(user=mediador).exists()
    assert client.get("/tareas/").status_code == 200

    coordinacion = cliente_de(coordinadora)
    _con_app(coordinadora)
    # Su sesión no verificó: primero el código. Aun así, quitarla está prohibido por su rol.
    with pytest.raises(Exception, match="Su rol exige"):
        services.quitar_segundo_factor(usuario=coordinadora)
    assert coordinacion.post(reverse("cuentas:quitar"), {"password": CLAVE}).status_code == 302
    assert TOTPDevice.objects.filter(user=coordinadora).exists()


def test_con_la_app_activa_no_se_puede_dar_de_alta_otra_sin_el_codigo(
    client, coordinadora, dos_pasos_obligatorio
):
    _con_app(coordinadora)
    entrar(client, "coordinadora")
    assert client.get(INSCRIBIR)["Location"].startswith(VERIFICAR)
    assert TOTPDevice.objects.filter(user=coordinadora).count() == 1


def test_codigos_nuevos_reemplazan_a_los_anteriores(client, mediador, reloj):
    entrar(client, "mediador")
    anteriores = _activar(client, mediador)
    nuevos = client.post(reverse("cuentas:codigos"))
    assert "Los códigos anteriores ya no sirven." in texto(nuevos)
    vigentes = set(StaticToken.objects.values_list("token", flat=True))
    assert len(vigentes) == 10 and not vigentes & set(anteriores)
    assert EventoCuenta.objects.filter(tipo=TipoEventoCuenta.CODIGOS_NUEVOS).exists()


def test_el_superusuario_tambien_debe_usar_dos_pasos(
    client, django_user_model, dos_pasos_obligatorio
):
    from tests.conftest import CLAVE

    django_user_model.objects.create_superuser("raiz", password=CLAVE)
    assert entrar(client, "raiz")["Location"].startswith(VERIFICAR)
    assert client.get("/admin/")["Location"].startswith(VERIFICAR)


def test_la_coordinacion_reinicia_el_segundo_factor_de_otra_persona(
    client, cliente_de, mediador, coordinadora, reloj
):
    entrar(client, "mediador")
    _activar(client, mediador)
    assert client.get("/tareas/").status_code == 200
    coordinacion = cliente_de(coordinadora)
    pagina = texto(coordinacion.get(reverse("cuentas:accesos")))
    assert "Reiniciar la verificación de mediador" in pagina
    respuesta = coordinacion.post(
        reverse("cuentas:reiniciar_factor"), {"usuario": mediador.pk}, follow=True
    )
    assert "Se reinició la verificación en dos pasos de Mediador" in texto(respuesta)
    assert not TOTPDevice.objects.filter(user=mediador).exists()
    assert not StaticToken.objects.filter(device__user=mediador).exists()
    evento = EventoCuenta.objects.get(tipo=TipoEventoCuenta.DOS_PASOS_REINICIADO)
    assert (evento.actor, evento.cuenta) == (coordinadora, mediador)
    # Su sesión ya no cuenta como verificada; como su rol no la exige, sigue sin código.
    assert client.get("/tareas/").status_code == 200


def test_tras_el_reinicio_un_rol_obligatorio_vuelve_a_darla_de_alta(
    client, coordinadora, direccion, dos_pasos_obligatorio, settings
):
    _con_app(direccion)
    services.reiniciar_segundo_factor(actor=coordinadora, cuenta=direccion)
    entrar(client, "direccion")
    assert client.get(VERIFICAR)["Location"].startswith(INSCRIBIR)


@pytest.mark.parametrize("persona", ["operadora", "mediador", "direccion", "ajeno"])
def test_solo_la_coordinacion_reinicia(request, cliente_de, otro_mediador, persona):
    _con_app(otro_mediador)
    cliente = cliente_de(request.getfixturevalue(persona))
    url = reverse("cuentas:reiniciar_factor")
    assert cliente.post(url, {"usuario": otro_mediador.pk}).status_code == 403
    assert TOTPDevice.objects.filter(user=otro_mediador).exists()


def test_el_comando_reinicia_el_segundo_factor(mediador, capsys):
    _con_app(mediador)
    call_command("restablecer_acceso", "mediador", "--dos-pasos")
    assert "reiniciada" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=mediador).exists()
    evento = EventoCuenta.objects.get(tipo=TipoEventoCuenta.DOS_PASOS_REINICIADO)
    assert (evento.actor, evento.origen) == (None, "comando")


def test_el_qr_lleva_el_nombre_del_centro_y_la_clave(mediador):
    from base64 import b32encode
    from urllib.parse import unquote

    from casos.models import Centro

    dispositivo = services.preparar_inscripcion(usuario=mediador)
    url = unquote(selectors.url_de_configuracion(dispositivo))
    emisor = Centro.actual().nombre
    assert url.startswith(f"otpauth://totp/{emisor}:mediador?")
    assert f"secret={b32encode(dispositivo.bin_key).decode()}" in url
    assert f"issuer={emisor}" in url


def test_un_rol_mal_escrito_es_un_error_de_configuracion(settings):
    settings.DOS_PASOS_OBLIGATORIO_ROLES = ["coordinadora", "direccion"]
    errores = roles_con_dos_pasos(None)
    assert [e.id for e in errores] == ["cuentas.E001"]
    assert "coordinadora" in errores[0].msg
    settings.DOS_PASOS_OBLIGATORIO_ROLES = ["coordinador", "superusuario"]
    assert roles_con_dos_pasos(None) == []

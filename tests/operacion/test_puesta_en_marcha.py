"""`manage.py puesta_en_marcha`: centro, primera coordinación con enlace para fijar su
contraseña, aviso de privacidad y días inhábiles; dos veces seguidas no cambia nada."""

import io
import re
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from casos.calendario import inhabiles_usuales
from casos.models import Centro, DiaInhabil

pytestmark = pytest.mark.django_db

OPCIONES = [
    "--no-interactivo",
    "--no-migrar",
    "--centro=Centro Municipal de Mediación de Tonalá",
    "--municipio=Tonalá",
    "--entidad=Jalisco",
    "--domicilio=Av. Tonaltecas 140",
    "--telefono=33 3586 6000",
    "--horario=Lunes a viernes de 9:00 a 15:00",
    "--coordinador=lucia",
    "--nombre-coordinador=Lucía Hernández Ruiz",
    "--correo=lucia@tonala.gob.mx",
    "--anio=2027",
]


def correr(*argumentos):
    salida = io.StringIO()
    call_command("puesta_en_marcha", *argumentos, stdout=salida)
    return salida.getvalue()


def test_deja_la_oficina_lista_y_el_enlace_permite_fijar_la_contrasena(client):
    salida = correr(*OPCIONES)
    centro = Centro.objects.get(pk=1)
    assert (centro.nombre, centro.municipio, centro.telefono) == (
        "Centro Municipal de Mediación de Tonalá",
        "Tonalá",
        "33 3586 6000",
    )
    cuenta = User.objects.get(username="lucia")
    assert cuenta.groups.filter(name="coordinador").exists()
    assert not cuenta.has_usable_password() and not cuenta.is_staff
    assert (cuenta.first_name, cuenta.last_name) == ("Lucía", "Hernández Ruiz")
    assert set(DiaInhabil.objects.values_list("fecha_inicio", flat=True)) >= set(
        inhabiles_usuales(2027)
    )
    assert "Aviso de privacidad vigente" in salida
    enlace = re.search(r"https?://\S+/cuentas/recuperar/\S+", salida).group(0)
    ruta = enlace.split("://", 1)[1].split("/", 1)[1]
    respuesta = client.get("/" + ruta, follow=True)
    assert respuesta.status_code == 200
    assert b'name="new_password1"' in respuesta.content


def test_dos_veces_no_cambia_nada_y_actualiza_lo_distinto():
    correr(*OPCIONES)
    dias = DiaInhabil.objects.count()
    salida = correr(*OPCIONES)
    assert "sin cambios" in salida and "0 nuevos" in salida and "ya existía" in salida
    assert DiaInhabil.objects.count() == dias and User.objects.filter(username="lucia").count() == 1
    salida = correr(*OPCIONES, "--telefono=33 1111 2222")
    assert "se actualizó: telefono" in salida
    assert Centro.objects.get(pk=1).telefono == "33 1111 2222"


def test_pregunta_lo_que_falta_en_espanol(monkeypatch):
    respuestas = iter(["Centro de Zapopan", "Zapopan", "Jalisco", "", "", "", "ana", "Ana", ""])
    preguntas = []

    def responder(pregunta):
        preguntas.append(pregunta)
        return next(respuestas)

    monkeypatch.setattr("builtins.input", responder)
    with pytest.raises(CommandError, match="Indique el correo de la coordinación"):
        correr("--no-migrar", "--anio=2027")
    assert preguntas[0].startswith("Nombre del centro")
    assert "Correo de la coordinación: " in preguntas


def test_no_toma_una_cuenta_de_administracion_del_sistema():
    User.objects.create_superuser("admin", "admin@x.mx", "x")
    with pytest.raises(CommandError, match="administración del sistema"):
        correr(*[o for o in OPCIONES if not o.startswith("--coordinador")], "--coordinador=admin")


def test_correo_invalido_es_un_error_claro():
    with pytest.raises(CommandError, match="correo"):
        correr(*[o for o in OPCIONES if not o.startswith("--correo")], "--correo=no-es-correo")
    assert not User.objects.filter(username="lucia").exists()


def test_el_anio_actual_por_omision(monkeypatch):
    import time_machine

    with time_machine.travel(date(2028, 3, 1)):
        correr(*[o for o in OPCIONES if not o.startswith("--anio")])
    assert DiaInhabil.objects.filter(fecha_inicio=date(2028, 12, 12)).exists()

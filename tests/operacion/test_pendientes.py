"""La lista de «Puesta en marcha» (/oficina/puesta-en-marcha/): en una oficina recién
instalada dice qué falta, con ligas que la coordinación puede abrir; cada punto se vuelve
«ya está» cuando se arregla; nadie más la ve; el comando de la primera vez la imprime."""

import io
import re
from datetime import date, time

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from casos.models import (
    AvisoPrivacidad,
    Categoria,
    Centro,
    DiaInhabil,
    HorarioSala,
    Localidad,
    Sala,
)
from operacion import pendientes
from tests.operacion.conftest import latidos

pytestmark = pytest.mark.django_db

HOY = date(2026, 12, 1)


def _claves(puntos, hecho):
    return {p.clave for p in puntos if p.hecho is hecho}


@pytest.fixture
def instalacion_nueva(catalogos, settings):
    """Lo que deja una instalación recién migrada: catálogos y aviso sembrados, sin sala,
    sin mediadores, sin teléfono del centro, sin inhábiles, sin workers; correo en bandeja."""
    settings.AVISOS_CANALES = {"correo": "bandeja", "sms": "bandeja", "whatsapp": ""}
    settings.URL_PUBLICA = "http://127.0.0.1:8000"
    Centro.objects.filter(pk=1).update(telefono="", horario="")
    DiaInhabil.objects.all().delete()


@pytest.fixture
def exige_dos_pasos(settings):
    settings.DOS_PASOS_OBLIGATORIO_ROLES = ["coordinador", "direccion", "superusuario"]


def _oficina_completa(settings, certificado, asesor, coordinadora):
    sala = Sala.objects.create(nombre="Sala de mediación 1", ubicacion="Presidencia, planta alta")
    HorarioSala.objects.create(sala=sala, dia_semana=0, abre=time(9), cierra=time(15))
    Centro.objects.filter(pk=1).update(
        telefono="378 827 0101", horario="Lunes a viernes de 9:00 a 15:00", domicilio="Hidalgo 1"
    )
    for anio in (HOY.year, HOY.year + 1):
        DiaInhabil.objects.create(
            fecha_inicio=date(anio, 11, 2), fecha_fin=date(anio, 11, 2), motivo="Muertos"
        )
    latidos()
    settings.AVISOS_CANALES = {"correo": "django", "sms": "twilio", "whatsapp": ""}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "smtp.atotonilco.gob.mx"
    settings.URL_PUBLICA = "https://mediacion.atotonilco.gob.mx"
    TOTPDevice.objects.create(user=coordinadora, name="app", confirmed=True)


def test_una_instalacion_nueva_dice_lo_que_falta_primero_lo_que_impide_trabajar(
    instalacion_nueva, exige_dos_pasos, coordinadora
):
    puntos = pendientes.revisar(hoy=HOY)
    assert _claves(puntos, False) >= {
        "centro",
        "salas",
        "mediador_certificado",
        "asesoria",
        f"inhabiles_{HOY.year}",
        f"inhabiles_{HOY.year + 1}",
        "segundo_plano",
        "correo",
        "sms",
        "url_publica",
        "dos_pasos",
    }
    # Sembrados por las migraciones: aviso de privacidad, localidades y categorías.
    assert _claves(puntos, True) >= {"aviso_privacidad", "localidades", "categorias_MED"}
    # Los que impiden trabajar, antes que los demás pendientes; lo que ya está, al final.
    orden = [(p.hecho, not p.bloquea) for p in puntos]
    assert orden == sorted(orden)
    dos_pasos = next(p for p in puntos if p.clave == "dos_pasos")
    assert "coordinadora" in dos_pasos.titulo


def test_cada_punto_pasa_a_ya_esta_cuando_se_arregla(
    instalacion_nueva, settings, certificado, asesor, coordinadora
):
    _oficina_completa(settings, certificado, asesor, coordinadora)
    puntos = pendientes.revisar(hoy=HOY)
    assert pendientes.faltan(puntos) == [], [p.titulo for p in pendientes.faltan(puntos)]


@pytest.mark.parametrize(
    ("deshacer", "clave"),
    [
        (lambda: HorarioSala.objects.all().delete(), "horario_salas"),
        (lambda: Sala.objects.update(activo=False), "salas"),
        (lambda: AvisoPrivacidad.objects.all().delete(), "aviso_privacidad"),
        (lambda: Localidad.objects.update(activo=False), "localidades"),
        (lambda: Categoria.objects.filter(tipo__in=["ASE", ""]).delete(), "categorias_ASE"),
        (lambda: User.objects.filter(groups__name="asesor").update(is_active=False), "asesoria"),
        (lambda: Centro.objects.update(horario=""), "centro"),
        (lambda: DiaInhabil.objects.filter(fecha_inicio__year=2027).delete(), "inhabiles_2027"),
    ],
)
def test_cada_falta_se_nota_sola(
    instalacion_nueva, settings, certificado, asesor, coordinadora, deshacer, clave
):
    _oficina_completa(settings, certificado, asesor, coordinadora)
    deshacer()
    assert [p.clave for p in pendientes.faltan(pendientes.revisar(hoy=HOY))] == [clave]


def test_certificacion_vencida_o_mediador_inactivo_no_cuentan(
    instalacion_nueva, settings, certificado, asesor, coordinadora
):
    _oficina_completa(settings, certificado, asesor, coordinadora)
    certificado.perfil_mediador.certificado_hasta = date(2026, 11, 30)
    certificado.perfil_mediador.save()
    punto = next(p for p in pendientes.revisar(hoy=HOY) if p.clave == "mediador_certificado")
    assert not punto.hecho and punto.bloquea
    assert punto.enlace == reverse("oficina:casos_perfilmediador_add")


def test_correo_por_django_con_backend_de_consola_no_sale(
    instalacion_nueva, settings, certificado, asesor, coordinadora
):
    _oficina_completa(settings, certificado, asesor, coordinadora)
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    punto = next(p for p in pendientes.revisar(hoy=HOY) if p.clave == "correo")
    assert not punto.hecho and "EMAIL_BACKEND" in punto.detalle


def test_la_pagina_muestra_cada_punto_y_cada_liga_abre_para_la_coordinacion(
    client, instalacion_nueva, coordinadora
):
    client.force_login(coordinadora)
    respuesta = client.get(reverse("oficina:puesta_en_marcha"))
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert "Impide trabajar" in html and "No hay ninguna sala activa" in html
    assert "Lo que ya está" in html
    ligas = [p.enlace for p in pendientes.revisar() if p.enlace]
    assert len(ligas) >= 10
    for liga in ligas:
        assert f'href="{liga}"'.replace("&", "&amp;") in html
        destino = client.get(liga)
        # /salud/ responde 503 mientras los workers no corren: también es la respuesta útil.
        assert (
            destino.status_code in (200, 503) if liga == "/salud/" else destino.status_code == 200
        ), liga


def test_el_indice_de_la_oficina_anuncia_cuanto_falta(client, instalacion_nueva, coordinadora):
    client.force_login(coordinadora)
    html = client.get(reverse("oficina:index")).content.decode()
    assert reverse("oficina:puesta_en_marcha") in html
    assert re.search(r"Faltan \d+ cosas; \d+ impiden trabajar\.", html)


@pytest.mark.parametrize("quien", ["operadora", "mediador", "asesor", "direccion", "ajeno"])
def test_solo_la_coordinacion_la_ve(client, instalacion_nueva, request, quien):
    client.force_login(request.getfixturevalue(quien))
    assert client.get(reverse("oficina:puesta_en_marcha")).status_code == 403


def test_sin_sesion_lleva_a_la_entrada(client, instalacion_nueva):
    respuesta = client.get(reverse("oficina:puesta_en_marcha"))
    assert respuesta.status_code == 302 and respuesta["Location"].startswith(reverse("login"))


def test_el_comando_de_la_primera_vez_imprime_lo_que_falta(instalacion_nueva, exige_dos_pasos):
    salida = io.StringIO()
    call_command(
        "puesta_en_marcha",
        "--no-interactivo",
        "--no-migrar",
        "--centro=Dirección de Vinculación Ciudadana",
        "--municipio=Atotonilco el Alto",
        "--entidad=Jalisco",
        "--coordinador=marisol",
        "--nombre-coordinador=Marisol Gómez",
        "--correo=marisol@atotonilco.gob.mx",
        stdout=salida,
    )
    texto = salida.getvalue()
    assert "/oficina/puesta-en-marcha/" in texto
    assert "No hay ninguna sala activa" in texto
    assert "marisol" in texto.split("Falta", 1)[1]  # su verificación en dos pasos

"""El reporte de errores de Django (página de DEBUG, correo a ADMINS) no muestra secretos: ni
en los ajustes, ni en las variables de entorno que el servidor de desarrollo pasa a META."""

import sys

import pytest
from django.test import RequestFactory
from django.views.debug import ExceptionReporter, get_default_exception_reporter_filter

from casos import codigos

OCULTO = "********************"
SECRETOS = {
    "CODIGO_CONSULTA_CLAVE": "clave-de-codigos-secreta",
    "SECRET_KEY": "llave-de-django-secreta",
    "TWILIO_AUTH_TOKEN": "token-de-twilio-secreto",
    "EMAIL_HOST_PASSWORD": "contrasena-de-correo-secreta",
    "DATABASE_URL": "postgres://expedientes:base-secreta@db:5432/expedientes",
    "CELERY_BROKER_URL": "redis://:broker-secreto@redis:6379/0",
    "CELERY_RESULT_BACKEND": "redis://celery:resultados-secretos@redis:6379/1",
}
VALORES = (
    "clave-de-codigos-secreta",
    "llave-de-django-secreta",
    "token-de-twilio-secreto",
    "contrasena-de-correo-secreta",
    "base-secreta",
    "broker-secreto",
    "resultados-secretos",
    "cache-secreta",
    "p@ss-secreta",
)


@pytest.fixture
def secretos(settings):
    for nombre, valor in SECRETOS.items():
        setattr(settings, nombre, valor)
    # Un ajuste cualquiera con una URL con contraseña (p. ej. una caché en Redis).
    settings.CACHE_REMOTA = {"LOCATION": "redis://:cache-secreta@redis:6379/2"}
    settings.OTRA_CONEXION = ["amqp://usuario:p@ss-secreta@rabbit:5672//"]
    return settings


def test_el_filtro_del_proyecto_es_el_de_los_reportes():
    from nucleo.secretos import FiltroDeSecretos

    assert isinstance(get_default_exception_reporter_filter(), FiltroDeSecretos)


@pytest.mark.parametrize("nombre", sorted(SECRETOS))
def test_cada_ajuste_secreto_se_oculta(secretos, nombre):
    seguros = get_default_exception_reporter_filter().get_safe_settings()
    assert seguros[nombre] == OCULTO


def test_la_contrasena_de_la_base_y_de_urls_sueltas_se_oculta(secretos):
    seguros = get_default_exception_reporter_filter().get_safe_settings()
    assert seguros["DATABASES"]["default"].get("PASSWORD", OCULTO) == OCULTO
    assert seguros["CACHE_REMOTA"] == {"LOCATION": f"redis://:{OCULTO}@redis:6379/2"}
    assert seguros["OTRA_CONEXION"] == [f"amqp://usuario:{OCULTO}@rabbit:5672//"]
    texto = repr(seguros)
    for valor in VALORES:
        assert valor not in texto
    # Lo que no es secreto se sigue viendo, para poder diagnosticar.
    assert seguros["TIME_ZONE"] == "America/Mexico_City"
    assert seguros["URL_PUBLICA"] == secretos.URL_PUBLICA


def _falla():
    raise ValueError("falla de prueba")


def _reporte(request) -> ExceptionReporter:
    # Fuera de la prueba: el reporte muestra las variables locales de cada marco de la pila.
    try:
        _falla()
    except ValueError:
        return ExceptionReporter(request, *sys.exc_info())


def test_la_pagina_de_debug_no_muestra_secretos_ni_del_entorno(secretos):
    entorno = {nombre: valor for nombre, valor in SECRETOS.items() if nombre != "SECRET_KEY"}
    reporte = _reporte(RequestFactory().get("/consulta/", **entorno))
    for pagina in (reporte.get_traceback_html(), reporte.get_traceback_text()):
        assert "falla de prueba" in pagina and "CODIGO_CONSULTA_CLAVE" in pagina
        for valor in VALORES:
            assert valor not in pagina


def test_en_produccion_la_clave_de_los_codigos_no_sale_en_las_variables(secretos):
    secretos.DEBUG = False
    try:
        codigos.derivar_codigo("MED-2026-00001\ud800", "sal")  # no se codifica en UTF-8
    except UnicodeEncodeError:
        reporte = ExceptionReporter(None, *sys.exc_info())
    # La versión HTML (la del correo con `include_html`) lleva las variables de cada marco.
    pagina = reporte.get_traceback_html()
    assert "derivar_codigo" in pagina and "sal" in pagina
    assert SECRETOS["CODIGO_CONSULTA_CLAVE"] not in pagina

"""Arranque: variables de entorno, negativa con la clave de demostración, demo embebida."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copiar_sqlite

RAIZ = Path(__file__).resolve().parent.parent


def _django(codigo: str, **entorno) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + codigo],
        cwd=RAIZ,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **entorno},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_produccion_con_la_clave_de_demo_se_niega_a_arrancar():
    resultado = _django("", DEBUG="False")
    assert resultado.returncode != 0
    assert "DEBUG=False con la clave de demostración" in resultado.stderr


def test_produccion_con_clave_propia_arranca():
    resultado = _django(
        "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)",
        DEBUG="False",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="mediacion.ejemplo.gob.mx",
    )
    assert resultado.returncode == 0, resultado.stderr
    assert "False ['mediacion.ejemplo.gob.mx']" in resultado.stdout


def test_variable_mal_escrita_da_error_claro():
    resultado = _django("", DEBUG="quizas")
    assert "debe ser verdadero o falso" in resultado.stderr
    resultado = _django("", SOLICITUD_PUBLICA_LIMITE="muchas")
    assert "debe ser un número entero" in resultado.stderr


def test_database_url_elige_postgresql():
    resultado = _django(
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DATABASE_URL="postgres://u:p@127.0.0.1:5999/x",
    )
    assert resultado.stdout.strip() == "django.db.backends.postgresql"


def test_las_sentencias_preparadas_de_postgresql_se_apagan_con_su_variable():
    codigo = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['prepare_threshold'])"
    )
    url = "postgres://u:p@127.0.0.1:5999/x"
    assert _django(codigo, DATABASE_URL=url).stdout.strip() == "5"
    apagadas = _django(codigo, DATABASE_URL=url, BD_SENTENCIAS_PREPARADAS="false")
    assert apagadas.stdout.strip() == "None"
    mal = _django(codigo, DATABASE_URL=url, BD_SENTENCIAS_PREPARADAS="quizas")
    assert "BD_SENTENCIAS_PREPARADAS debe ser verdadero o falso" in mal.stderr


def _sembrar(entorno: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "sembrar_demo"],
        cwd=RAIZ,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_la_demo_embebida_se_siembra_en_sqlite(sqlite_migrada, tmp_path):
    """Lo que hace `make demo` antes de servir: migrar (la base de `sqlite_migrada`, hecha con
    `manage.py migrate`) y sembrar, sin servidores."""
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    entorno = {
        **base,
        "DATABASE_URL": f"sqlite:///{copiar_sqlite(sqlite_migrada, tmp_path / 'demo.sqlite3')}",
        "DEMO_PASSWORD": "clave-demo",
    }
    hecho = _sembrar(entorno)
    assert hecho.returncode == 0, hecho.stderr
    nuevos = int(re.search(r"Casos nuevos: (\d+)", hecho.stdout).group(1))
    # La jornada de módulo capturada sin conexión, sincronizada por el servicio del módulo.
    campo = re.search(
        r"Módulo sin conexión: (\d+) capturas .*\((\d+) casos, (\d+) por decidir\)", hecho.stdout
    )
    assert campo and int(campo.group(2)) >= 5 and int(campo.group(3)) == 1, hecho.stdout
    verificacion = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import django; django.setup();"
                "from django.contrib.auth import authenticate;"
                "from django.db.models import Count;"
                "from casos.models import Caso, Modulo, Parte, SolicitudARCO;"
                "print(Caso.objects.count(), Caso.objects.filter(canal='modulo').count() > 0,"
                " Modulo.objects.count(),"
                " all(authenticate(username=u, password='clave-demo') for u in"
                " ['operadora','coordinadora','mediador','mediadora2','asesor',"
                "  'direccion','transparencia','admin']),"
                " Parte.objects.filter(rol='solicitante').values('telefono')"
                ".annotate(n=Count('caso')).filter(n__gt=1).exists(),"
                " ','.join(sorted({f'{t}:{e}' for t, e in"
                " Caso.objects.values_list('tipo', 'estado')})),"
                " ','.join(sorted({f'{d}:{e}' for d, e in"
                " SolicitudARCO.objects.values_list('derecho', 'estado')})))"
            ),
        ],
        cwd=RAIZ,
        env={**entorno, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    total, modulo, modulos, logins, repetidos, estados, arco = verificacion.stdout.split()
    # Una jornada de módulo cada dos semanas desde enero (al menos ocho meses atrás): 200
    # solicitudes y tres visitas por jornada ya ocurrida (la de hoy depende de la hora).
    assert int(modulos) >= 17, verificacion.stdout
    assert 200 + 3 * (int(modulos) - 1) <= nuevos <= 200 + 3 * int(modulos), hecho.stdout
    assert int(total) >= 200 and (modulo, logins, repetidos) == (
        "True",
        "True",
        "True",
    )
    # Todos los estados de ambos flujos están en la demostración.
    faltan = {
        "MED": {
            "recibida",
            "en_revision",
            "admitida",
            "no_admitida",
            "canalizada",
            "invitacion",
            "sesion",
            "en_mediacion",
            "convenio",
            "validacion",
            "seguimiento",
            "concluida_convenio",
            "concluida_sin_acuerdo",
        },
        "ASE": {
            "recibida",
            "clasificada",
            "asignada",
            "en_atencion",
            "en_canalizacion",
            "espera_ciudadano",
            "resuelta",
            "cerrada",
        },
    }
    for par in estados.split(","):
        tipo, estado = par.split(":")
        faltan[tipo].discard(estado)
    assert faltan == {"MED": set(), "ASE": set()}, verificacion.stderr
    # Solicitudes ARCO en cada estado de su flujo, de los cinco derechos.
    arco = {tuple(par.split(":")) for par in arco.split(",")}
    assert {e for _d, e in arco} == {
        "recibida",
        "requerida",
        "en_tramite",
        "respondida",
        "no_presentada",
    }, arco
    assert {d for d, _e in arco} == {
        "acceso",
        "rectificacion",
        "cancelacion",
        "oposicion",
        "portabilidad",
    }, arco
    # Volver a sembrar no duplica.
    otra = _sembrar(entorno)
    assert "Casos nuevos: 0;" in otra.stdout
    # Ejemplos para probar la consulta ciudadana: el folio y el código impresos sí abren.
    ejemplos = re.findall(r"Consulta ciudadana: folio (\S+), código (\S+) \(", otra.stdout)
    assert len(ejemplos) >= 2, otra.stdout
    prueba = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, sys; django.setup(); from casos.selectors import caso_publico;"
            "from privacidad.selectors import solicitud_publica;"
            "print(all((solicitud_publica if f.startswith('ARCO') else caso_publico)"
            "(folio=f, codigo=c) for f, c in zip(sys.argv[1::2], sys.argv[2::2])))",
            *[dato for par in ejemplos for dato in par],
        ],
        cwd=RAIZ,
        env={**entorno, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert prueba.stdout.strip() == "True", prueba.stderr


@pytest.mark.django_db
def test_los_roles_se_crean_por_migracion():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {
        "operador",
        "coordinador",
        "mediador",
        "asesor",
        "direccion",
        "privacidad",
    }


@pytest.mark.parametrize(
    "entorno, texto",
    [
        ({"AVISOS_SMS": "telcel"}, "AVISOS_SMS='telcel' no es válido"),
        ({"AVISOS_RECORDATORIOS_HORAS": "48,un día"}, "lista de horas enteras"),
        ({"AVISOS_RECLAMO_SEGUNDOS": "10"}, "AVISOS_RECLAMO_SEGUNDOS debe ser mayor"),
        ({"AVISOS_SMS": "twilio"}, "falta configurar: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN"),
        (
            {"AVISOS_WHATSAPP": "twilio", "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "x"},
            "falta configurar: TWILIO_WHATSAPP_DESDE",
        ),
    ],
)
def test_avisos_mal_configurados_dan_un_error_claro(entorno, texto):
    resultado = _django("", **entorno)
    assert resultado.returncode != 0
    assert texto in resultado.stderr

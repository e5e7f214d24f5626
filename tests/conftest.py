"""Personas fijas y fábricas. Toda prueba de permisos incluye al `ajeno`."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps as registro
from django.contrib.auth.models import Group, User
from django.db import connection

from casos import cifras, services
from casos.catalogos import (
    sembrar_autoridad_garante,
    sembrar_autoridad_registro,
    sembrar_catalogos,
    sembrar_conservacion,
    sembrar_plazos,
    sembrar_roles,
)
from casos.models import AvisoPrivacidad, Canal, Categoria, Localidad, Modulo, TipoCaso
from nucleo import memoria

CLAVE = "clave-de-prueba"


def pytest_collection_modifyitems(config, items):
    es_postgres = connection.vendor == "postgresql"
    for item in items:
        if item.get_closest_marker("postgres") and not es_postgres:
            item.add_marker(pytest.mark.skip(reason="necesita PostgreSQL (DATABASE_URL)"))


RAIZ = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def sqlite_migrada(tmp_path_factory) -> Path:
    """Un archivo SQLite migrado con `manage.py migrate`, como el de una instalación embebida
    recién hecha: se migra una vez (tarda ~20 s) y cada prueba que lo necesita lo copia con
    `copiar_sqlite`."""
    datos = tmp_path_factory.mktemp("sqlite-migrada")
    quitar = ("DATABASE_URL", "CELERY_BROKER_URL", "MEDIA_ROOT")
    entorno = {k: v for k, v in os.environ.items() if k not in quitar}
    hecho = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=RAIZ,
        env={**entorno, "DATOS_DIR": str(datos)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert hecho.returncode == 0, hecho.stdout[-2000:] + hecho.stderr[-3000:]
    return datos / "db.sqlite3"


def copiar_sqlite(origen: Path, destino: Path) -> Path:
    """Copia consistente (con lo que aún estuviera en el WAL) de una base SQLite."""
    destino.parent.mkdir(parents=True, exist_ok=True)
    fuente, copia = sqlite3.connect(origen), sqlite3.connect(destino)
    try:
        fuente.backup(copia)
    finally:
        copia.close()
        fuente.close()
    return destino


@pytest.fixture(autouse=True)
def _hash_rapido(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _colas_sin_pausa():
    """Cada prueba empieza publicando: una falla del broker simulada en otra prueba no deja
    a este proceso en pausa."""
    from nucleo import colas

    colas.reanudar()
    yield
    colas.reanudar()


@pytest.fixture(autouse=True)
def _cuentas_sin_segundo_paso_ni_vencimiento(settings):
    """Las personas de prueba entran con `force_login` (sin código) y muchas pruebas mueven
    el reloj días enteros con la sesión abierta: aquí ningún rol exige la verificación en dos
    pasos y la sesión no vence por tiempo. tests/cuentas/ prueba ambas cosas con los valores
    de producción."""
    settings.DOS_PASOS_OBLIGATORIO_ROLES = []
    settings.SESION_INACTIVIDAD_MINUTOS = 60 * 24 * 60
    settings.SESSION_COOKIE_AGE = 60 * 24 * 3600


@pytest.fixture(autouse=True)
def _sin_horario_de_silencio(settings):
    """Los SMS y WhatsApp salen a cualquier hora en las pruebas (muchas corren de noche en
    hora de México); las del horario de silencio lo encienden con la hora congelada."""
    settings.AVISOS_SILENCIO = None


@pytest.fixture(autouse=True)
def _cifras_de_plazos_frescas():
    """Las cifras de los plazos y lo demás que se guarda en memoria del proceso
    (`nucleo.memoria`): cada prueba lo lee de su base (lo de otra prueba se deshizo con su
    transacción)."""
    cifras.olvidar()
    memoria.olvidar_todo()
    yield
    cifras.olvidar()
    memoria.olvidar_todo()


@pytest.fixture
def catalogos(db):
    # Las pruebas transaccionales vacían la base: se vuelve a sembrar (idempotente).
    sembrar_roles(registro)
    sembrar_catalogos(registro)
    sembrar_autoridad_registro(registro)
    sembrar_plazos(registro)
    sembrar_autoridad_garante(registro)
    sembrar_conservacion(registro)


def _persona(usuario: str, rol: str | None) -> User:
    user = User.objects.create_user(usuario, password=CLAVE, first_name=usuario.capitalize())
    if rol:
        user.groups.add(Group.objects.get(name=rol))
    return user


@pytest.fixture
def operadora(catalogos):
    return _persona("operadora", "operador")


@pytest.fixture
def coordinadora(catalogos):
    return _persona("coordinadora", "coordinador")


@pytest.fixture
def privacidad(catalogos):
    """Quien atiende los derechos ARCO (rol `privacidad`)."""
    return _persona("privacidad", "privacidad")


@pytest.fixture
def mediador(catalogos):
    return _persona("mediador", "mediador")


@pytest.fixture
def otro_mediador(catalogos):
    return _persona("mediadora2", "mediador")


def _certificar(usuario, hasta):
    from casos.models import PerfilMediador

    PerfilMediador.objects.create(
        usuario=usuario, numero_certificacion=f"IJA-{usuario.pk:04d}", certificado_hasta=hasta
    )
    return usuario


@pytest.fixture
def certificado(mediador):
    """El mediador con certificación vigente hasta 2029."""
    from datetime import date

    return _certificar(mediador, date(2029, 12, 31))


@pytest.fixture
def otro_certificado(otro_mediador):
    from datetime import date

    return _certificar(otro_mediador, date(2029, 12, 31))


# Horario de la sala de las pruebas: lunes a viernes, mañana y tarde (las sesiones se
# programan dentro del horario de la sala).
HORARIO_DE_PRUEBA = ((8, 0, 14, 0), (14, 0, 20, 0))


def con_horario(sala, dias=range(5), intervalos=HORARIO_DE_PRUEBA):
    from datetime import time

    from casos.models import HorarioSala

    for dia in dias:
        for h1, m1, h2, m2 in intervalos:
            HorarioSala.objects.create(
                sala=sala, dia_semana=dia, abre=time(h1, m1), cierra=time(h2, m2)
            )
    return sala


@pytest.fixture
def sala_sin_horario(catalogos):
    from casos.models import Sala

    return Sala.objects.create(nombre="Sala 1", ubicacion="Planta baja")


@pytest.fixture
def sala(sala_sin_horario):
    """Sala 1, abierta de lunes a viernes de 8:00 a 20:00 (en dos intervalos)."""
    return con_horario(sala_sin_horario)


@pytest.fixture
def reloj():
    """El tiempo detenido en el martes 24/11/2026 10:00 de México; se mueve con move_to."""
    import time_machine

    from tests.casos.etapas import AHORA

    with time_machine.travel(AHORA, tick=False) as viajero:
        yield viajero


@pytest.fixture
def asesor(catalogos):
    return _persona("asesor", "asesor")


@pytest.fixture
def direccion(catalogos):
    return _persona("direccion", "direccion")


@pytest.fixture
def ajeno(catalogos):
    """Tiene cuenta pero ningún rol: no debe ver nada del personal."""
    return _persona("ajeno", None)


@pytest.fixture
def cliente_de(client):
    def entrar(usuario):
        client.force_login(usuario)
        return client

    return entrar


@pytest.fixture
def aviso(catalogos):
    return AvisoPrivacidad.vigente()


@pytest.fixture
def cat_mediacion(catalogos):
    return Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first()


@pytest.fixture
def cat_asesoria(catalogos):
    return Categoria.objects.filter(tipo=TipoCaso.ASESORIA).first()


@pytest.fixture
def localidad(catalogos):
    return Localidad.objects.first()


@pytest.fixture
def modulo(localidad):
    from django.utils import timezone

    return Modulo.objects.create(
        nombre="Módulo Margaritas", lugar="Plaza", localidad=localidad, fecha=timezone.localdate()
    )


@pytest.fixture
def nuevo_caso(catalogos, aviso):
    """Crea casos por el servicio de recepción, como en la operación real."""
    contador = {"n": 0}

    def crear(tipo=TipoCaso.MEDIACION, *, canal=Canal.TELEFONO, telefono="+523312345678", **extra):
        contador["n"] += 1
        categoria = extra.pop("categoria", None) or Categoria.objects.filter(tipo=tipo).first()
        datos = dict(
            tipo=tipo,
            canal=canal,
            categoria=categoria,
            localidad=extra.pop("localidad", None) or Localidad.objects.first(),
            resumen=extra.pop("resumen", "El vecino tiene música a alto volumen por las noches."),
            solicitante=services.DatosPersona(
                nombre=extra.pop("nombre", f"Juana Pérez {contador['n']}"), telefono=telefono
            ),
            otra_parte=services.DatosPersona(nombre="Pedro López", domicilio="Calle Hidalgo 12")
            if tipo == TipoCaso.MEDIACION
            else None,
            aviso=aviso,
        )
        datos.update(extra)
        return services.recibir_solicitud(**datos)

    return crear

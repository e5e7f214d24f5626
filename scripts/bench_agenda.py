#!/usr/bin/env python3
"""Benchmark de la agenda de la oficina (vista de semana) con 100,000 casos y 10,000
sesiones futuras.

Llena una base nueva (la de DATABASE_URL: PostgreSQL o SQLite) con N casos con sus partes y
S sesiones futuras repartidas en varias semanas con distinta carga (una semana llena, una
mediana, una ligera y el resto en los próximos meses), y mide con el cliente de pruebas de
Django, con la sesión de la coordinación, GET /agenda/oficina/?vista=semana de cada una de
esas semanas: p50/p95 y número de consultas. Las consultas no deben crecer con las sesiones
mostradas (salvo, en SQLite, los lotes de la inserción en la bitácora: Django parte cada
INSERT en grupos de 999 variables). Se ejecuta desde bench.py. Imprime un JSON al final.
"""

import json
import os
import random
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

CASOS = int(os.getenv("BENCH_AGENDA_CASOS", "100000"))
SESIONES = int(os.getenv("BENCH_AGENDA_SESIONES", "10000"))
MUESTRAS = int(os.getenv("BENCH_AGENDA_MUESTRAS", "30"))
# Qué parte de las sesiones cae en cada semana medida (a partir de la siguiente).
CARGAS = (("llena", 0.2), ("mediana", 0.02), ("ligera", 0.002))


def percentil(valores: list[float], p: float) -> float:
    ordenados = sorted(valores)
    k = max(0, min(len(ordenados) - 1, round(p / 100 * (len(ordenados) - 1))))
    return ordenados[k]


def llenar(casos: int, sesiones: int) -> tuple[object, list]:
    """Casos con sus partes y sesiones futuras en lotes; devuelve la coordinadora y los
    lunes de las semanas medidas."""
    from datetime import datetime, time, timedelta

    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.utils import timezone

    from casos.models import (
        AvisoPrivacidad,
        Caso,
        Categoria,
        Localidad,
        Parte,
        RolParte,
        Sala,
        Sesion,
        TipoCaso,
    )
    from scripts.bench_casos import caso_de_mediacion

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # como en producción
    categoria = Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first()
    localidad = Localidad.objects.first()
    aviso = AvisoPrivacidad.vigente()
    coordinadora = User.objects.create_user("bench-coordinadora", first_name="Coordinadora")
    coordinadora.groups.add(Group.objects.get(name="coordinador"))
    mediadores = []
    for n in range(10):
        m = User.objects.create_user(f"bench-mediador-{n}", first_name=f"Mediador {n}")
        m.groups.add(Group.objects.get(name="mediador"))
        mediadores.append(m)
    salas = [Sala.objects.create(nombre=f"Sala {n}") for n in range(5)]
    azar = random.Random(11)
    ahora = timezone.now()
    anio = timezone.localdate().year
    lote = 2000
    for inicio in range(0, casos, lote):
        nuevos = [
            caso_de_mediacion(
                i,
                anio=anio,
                categoria=categoria,
                localidad=localidad,
                aviso=aviso,
                ahora=ahora,
                recibido_en=ahora - timedelta(days=azar.randint(1, 300)),
            )
            for i in range(inicio, min(inicio + lote, casos))
        ]
        Caso.objects.bulk_create(nuevos)
        Parte.objects.bulk_create(
            [Parte(caso=c, rol=RolParte.SOLICITANTE, nombre=f"Persona {c.folio}") for c in nuevos]
            + [Parte(caso=c, rol=RolParte.INVITADA, nombre="Otra parte") for c in nuevos]
        )
    hoy = timezone.localdate()
    lunes = [hoy - timedelta(days=hoy.weekday()) + timedelta(weeks=k) for k in (1, 2, 3)]
    zona = timezone.get_current_timezone()
    ids = list(Caso.objects.order_by("?").values_list("pk", flat=True)[:sesiones])
    dias = []
    for semana, (_nombre, parte) in zip(lunes, CARGAS, strict=True):
        dias += [semana + timedelta(days=azar.randint(0, 4)) for _ in range(int(sesiones * parte))]
    while len(dias) < len(ids):
        dias.append(lunes[-1] + timedelta(weeks=1, days=azar.randint(0, 150)))
    nuevas = []
    for caso_id, dia in zip(ids, dias, strict=False):
        comienzo = datetime.combine(dia, time(azar.randint(9, 17), azar.choice([0, 30])), zona)
        nuevas.append(
            Sesion(
                caso_id=caso_id,
                numero=1,
                inicio=comienzo,
                fin=comienzo + timedelta(hours=1),
                sala=azar.choice(salas),
                mediador=azar.choice(mediadores),
            )
        )
    Sesion.objects.bulk_create(nuevas, batch_size=1000)
    return coordinadora, lunes


def medir() -> dict:
    from datetime import timedelta

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from agenda import selectors

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    # Se mide la página, no la entrada: la coordinadora del benchmark no tiene segundo paso.
    settings.DOS_PASOS_OBLIGATORIO_ROLES = []
    t0 = time.perf_counter()
    coordinadora, lunes = llenar(CASOS, SESIONES)
    llenado = time.perf_counter() - t0
    cliente = Client()
    cliente.force_login(coordinadora)
    semanas = []
    for (nombre, _parte), semana in zip(CARGAS, lunes, strict=True):
        parametros = {"fecha": semana.isoformat(), "vista": "semana"}
        mostradas = sum(
            len(d.renglones)
            for d in selectors.agenda(
                usuario=coordinadora, desde=semana, hasta=semana + timedelta(days=6)
            )
        )
        cliente.get("/agenda/oficina/", parametros)  # en caliente
        tiempos = []
        for _ in range(MUESTRAS):
            t = time.perf_counter()
            respuesta = cliente.get("/agenda/oficina/", parametros)
            tiempos.append((time.perf_counter() - t) * 1000)
            assert respuesta.status_code == 200, (respuesta.status_code, respuesta.get("Location"))
        with CaptureQueriesContext(connection) as consultas:
            cliente.get("/agenda/oficina/", parametros)
        bitacora = sum(
            1 for q in consultas.captured_queries if "casos_accesoexpediente" in q["sql"]
        )
        semanas.append(
            {
                "semana": nombre,
                "desde": semana.isoformat(),
                "sesiones": mostradas,
                "p50_ms": percentil(tiempos, 50),
                "p95_ms": percentil(tiempos, 95),
                "consultas": len(consultas),
                "consultas_sin_bitacora": len(consultas) - bitacora,
            }
        )
    return {
        "base": connection.vendor,
        "casos": CASOS,
        "sesiones_futuras": SESIONES,
        "muestras": MUESTRAS,
        "llenado_s": llenado,
        "semanas": semanas,
    }


if __name__ == "__main__":
    print(json.dumps(medir()))

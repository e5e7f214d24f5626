#!/usr/bin/env python3
"""Benchmark de la búsqueda de horarios libres de una sala (se ejecuta desde scripts/bench.py
con DATABASE_URL en una base nueva: SQLite o PostgreSQL).

Llena la base con BENCH_HORARIOS_CASOS casos de mediación (100,000) y 10 salas con su horario
(lunes a viernes, 9:00-14:00 y 16:00-19:00), y mide `casos.horarios.horarios_libres` (cinco
días hábiles, una hora, una sala y una persona facilitadora) con 0, 1,000 y
BENCH_HORARIOS_SESIONES (10,000) sesiones programadas a futuro repartidas sin choques en 130
días hábiles, más otras tantas ya celebradas: p50/p95 y consultas por búsqueda. Ni las
consultas ni el tiempo deben crecer con las sesiones de la base (sí con las de la semana
buscada, que una sala limita a las que caben en su horario). Imprime un JSON al final.
"""

import json
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as hora
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

CASOS = int(os.getenv("BENCH_HORARIOS_CASOS", "100000"))
SESIONES = int(os.getenv("BENCH_HORARIOS_SESIONES", "10000"))
MUESTRAS = int(os.getenv("BENCH_HORARIOS_MUESTRAS", "300"))
SALAS = 10
MEDIADORES = 20


def percentil(valores: list[float], p: float) -> float:
    ordenados = sorted(valores)
    return ordenados[min(len(ordenados) - 1, round(p / 100 * (len(ordenados) - 1)))]


def llenar_casos(casos: int):
    from django.contrib.auth.models import User
    from django.utils import timezone

    from casos.models import (
        AvisoPrivacidad,
        Caso,
        Categoria,
        HorarioSala,
        Localidad,
        Sala,
        TipoCaso,
    )
    from scripts.bench_casos import caso_de_mediacion

    aviso = AvisoPrivacidad.vigente()
    categoria = Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first()
    localidad = Localidad.objects.first()
    anio = timezone.localdate().year
    ahora = timezone.now()
    mediadores = [
        User.objects.create_user(f"bench-mediador-{n}", first_name=f"Mediador {n}")
        for n in range(MEDIADORES)
    ]
    salas = [Sala.objects.create(nombre=f"Sala bench {n}") for n in range(SALAS)]
    HorarioSala.objects.bulk_create(
        HorarioSala(sala=s, dia_semana=dia, abre=abre, cierra=cierra)
        for s in salas
        for dia in range(5)
        for abre, cierra in ((hora(9), hora(14)), (hora(16), hora(19)))
    )
    lote = 5000
    for inicio in range(0, casos, lote):
        Caso.objects.bulk_create(
            caso_de_mediacion(
                i,
                anio=anio,
                categoria=categoria,
                localidad=localidad,
                aviso=aviso,
                ahora=ahora,
                recibido_en=ahora - timedelta(days=2),
                admitido_en=ahora - timedelta(days=1),
                responsable=mediadores[i % MEDIADORES],
            )
            for i in range(inicio, min(inicio + lote, casos))
        )
    return salas, mediadores


def huecos_de_agenda(salas, mediadores, azar) -> list[tuple]:
    """Cada (día, hora, sala, mediador) posible en 130 días hábiles, en desorden: ninguna sala
    ni persona facilitadora tiene dos sesiones a la vez (como en la realidad, donde una sala
    llena su día y no más)."""
    from django.utils import timezone

    from casos.calendario import Calendario

    cal = Calendario()
    dias, actual = [], timezone.localdate()
    while len(dias) < 130:
        actual += timedelta(days=1)
        if cal.es_habil(actual):
            dias.append(actual)
    horas = [9, 10, 11, 12, 13, 16, 17, 18]
    huecos = [
        (dia, h, sala, mediadores[(n + len(salas) * (k % 2)) % len(mediadores)])
        for dia in dias
        for k, h in enumerate(horas)
        for n, sala in enumerate(salas)
    ]
    azar.shuffle(huecos)
    return huecos


def agregar_sesiones(huecos, casos_desde: int) -> None:
    """Una sesión programada a futuro en cada hueco y, del mismo caso, una celebrada hace tres
    meses (más renglones en la tabla, fuera del rango de la búsqueda)."""
    from django.utils import timezone

    from casos.models import Caso, EstadoSesion, Sesion

    casos = list(
        Caso.objects.order_by("pk").values_list("pk", flat=True)[
            casos_desde : casos_desde + len(huecos)
        ]
    )
    nuevas = []
    for caso_id, (dia, h, sala, mediador) in zip(casos, huecos, strict=False):
        inicio = timezone.make_aware(datetime.combine(dia, hora(h)))
        for numero, estado, momento in (
            (1, EstadoSesion.CELEBRADA, inicio - timedelta(days=91)),
            (2, EstadoSesion.PROGRAMADA, inicio),
        ):
            nuevas.append(
                Sesion(
                    caso_id=caso_id,
                    numero=numero,
                    inicio=momento,
                    fin=momento + timedelta(minutes=60),
                    sala=sala,
                    mediador=mediador,
                    estado=estado,
                )
            )
    Sesion.objects.bulk_create(nuevas, batch_size=2000)


def medir(salas, mediadores, azar) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from casos.horarios import horarios_libres
    from casos.models import Caso, Sala

    caso = Caso.objects.order_by("-pk").first()
    hoy = timezone.localdate()
    tiempos, consultas, horas_ofrecidas = [], [], []
    # Una búsqueda de calentamiento: las cifras de plazos se leen una vez por proceso.
    horarios_libres(
        sala=salas[0], mediador=mediadores[0], duracion=timedelta(minutes=60), caso=caso
    )
    for _ in range(MUESTRAS):
        reset_queries()
        desde = hoy + timedelta(days=azar.randint(0, 80))
        inicio = time.perf_counter()
        with CaptureQueriesContext(connection) as capturadas:
            # Como en la página: la sala se lee con su horario; la búsqueda hace lo demás.
            sala = Sala.objects.prefetch_related("horarios").get(pk=salas[0].pk)
            libres = horarios_libres(
                sala=sala,
                mediador=mediadores[0],
                duracion=timedelta(minutes=60),
                desde=desde,
                caso=caso,
            )
        tiempos.append((time.perf_counter() - inicio) * 1000)
        consultas.append(len(capturadas))
        horas_ofrecidas.append(sum(len(d.horas) for d in libres.dias))
    return {
        "p50_ms": round(statistics.median(tiempos), 2),
        "p95_ms": round(percentil(tiempos, 95), 2),
        "consultas_min": min(consultas),
        "consultas_max": max(consultas),
        "horas_ofrecidas_p50": statistics.median(horas_ofrecidas),
    }


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from casos.models import Sesion

    call_command("migrate", verbosity=0)
    azar = random.Random(11)
    inicio = time.perf_counter()
    salas, mediadores = llenar_casos(CASOS)
    llenado_s = time.perf_counter() - inicio
    huecos = huecos_de_agenda(salas, mediadores, azar)
    medidas = []
    hechas = 0
    for objetivo in (0, min(1000, SESIONES), SESIONES):
        if objetivo > hechas:
            agregar_sesiones(huecos[hechas:objetivo], hechas)
            hechas = objetivo
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        medida = medir(salas, mediadores, azar)
        medida["sesiones_futuras"] = objetivo
        medida["sesiones_en_la_base"] = Sesion.objects.count()
        medidas.append(medida)
    print(
        json.dumps(
            {
                "base": connection.vendor,
                "casos": CASOS,
                "muestras": MUESTRAS,
                "llenado_s": round(llenado_s, 1),
                "medidas": medidas,
                "consultas_constantes": len(
                    {(m["consultas_min"], m["consultas_max"]) for m in medidas}
                )
                == 1,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Benchmark del trabajo de conservación (`privacidad.conservacion.depurar`) en PostgreSQL
(se ejecuta desde scripts/bench.py con DATABASE_URL en una base nueva).

Llena la base como el del tablero (BENCH_CONSERVACION_CASOS, 100,000 casos repartidos en
cinco años, con sus hechos y sesiones; ver scripts/bench_tablero.py) y agrega a cada caso sus
partes (dos en mediación, una en asesoría) con su versión en la historia, y dos eventos con
texto y datos. Con los plazos sembrados (bloquear a los 2 años; suprimir a los 5, o a los 10
con convenio) mide:
  - hoy: el simulacro y la corrida real (bloquea lo concluido hace más de dos años),
  - dentro de tres años: el simulacro y la corrida real (suprime lo que cumplió cinco años
    y bloquea lo demás que cumplió dos),
  - la misma corrida otra vez (idempotente: no encuentra nada),
en segundos y expedientes por segundo, y revisa que ningún nombre quede en los suprimidos.
Imprime un JSON al final; el avance va a BENCH_CONSERVACION_BITACORA.
"""

import json
import os
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))
sys.path.insert(0, str(RAIZ / "scripts"))

CASOS = int(os.getenv("BENCH_CONSERVACION_CASOS", "100000"))
os.environ.setdefault(
    "BENCH_TABLERO_BITACORA",
    os.getenv("BENCH_CONSERVACION_BITACORA", str(RAIZ / "var" / "bench" / "conservacion.log")),
)

import bench_tablero  # noqa: E402  (usa la bitácora de arriba)

avance = bench_tablero.avance


def agregar_partes_y_eventos() -> dict:
    """Partes (con su renglón de historia) y eventos con texto de cada caso del llenado."""
    from django.db import connection, transaction

    from casos.models import Evento, Parte

    historica = Parte.history.model
    t0 = time.perf_counter()
    persona = "'Persona ' || c.id || CASE WHEN %(rol)s = 'invitada' THEN ' B' ELSE '' END"
    cuentas = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for rol, donde in (("solicitante", ""), ("invitada", " WHERE c.tipo = 'MED'")):
            cuentas[rol] = bench_tablero.insertar(
                cursor,
                Parte,
                {
                    "caso_id": "c.id",
                    "rol": "%(rol)s",
                    "nombre": persona,
                    "nombre_busqueda": f"lower({persona})",
                    "telefono": "'+5233' || lpad((c.id %% 100000000)::text, 8, '0')",
                    "correo": "'persona' || c.id || '@ejemplo.mx'",
                    "domicilio": "'Calle Hidalgo ' || c.id",
                    "localidad_id": "c.localidad_id",
                    "creado_en": "c.recibido_en",
                },
                "FROM casos_caso c" + donde,
                {"rol": rol},
            )
        columnas = {
            f.column: f"p.{f.column}"
            for f in Parte._meta.concrete_fields
            if f.column in {h.column for h in historica._meta.concrete_fields}
        }
        cuentas["historia"] = bench_tablero.insertar(
            cursor,
            historica,
            {**columnas, "history_date": "p.creado_en", "history_type": "'+'"},
            "FROM casos_parte p",
        )
        cuentas["eventos"] = bench_tablero.insertar(
            cursor,
            Evento,
            {
                "caso_id": "c.id",
                "tipo": "'recibida'",
                "descripcion": "'Solicitud de Persona ' || c.id",
                "datos": "jsonb_build_object('nota', 'Llamó Persona ' || c.id, 'canal', c.canal)",
                "creado_en": "c.recibido_en",
            },
            "FROM casos_caso c",
        )
        cuentas["eventos"] += bench_tablero.insertar(
            cursor,
            Evento,
            {
                "caso_id": "c.id",
                "tipo": "'concluida'",
                "descripcion": "'Concluido: ' || c.causa_conclusion",
                "datos": "jsonb_build_object('causa', c.causa_conclusion)",
                "creado_en": "c.concluido_en",
                "publico": "true",
            },
            "FROM casos_caso c WHERE c.concluido_en IS NOT NULL",
        )
        cursor.execute("ANALYZE")
    return {**cuentas, "segundos": time.perf_counter() - t0}


def correr(al_dia, simulacro: bool) -> dict:
    from privacidad.conservacion import depurar

    t0 = time.perf_counter()
    corrida = depurar(al_dia=al_dia, simulacro=simulacro)
    segundos = time.perf_counter() - t0
    expedientes = corrida.bloqueados + corrida.suprimidos
    return {
        "al_dia": al_dia.isoformat(),
        "simulacro": simulacro,
        "bloqueados": corrida.bloqueados,
        "suprimidos": corrida.suprimidos,
        "renglones": corrida.detalle.get("renglones", {}),
        "segundos": segundos,
        "expedientes_por_segundo": expedientes / segundos if segundos else 0,
    }


def medir() -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from casos.models import Caso, Parte
    from privacidad.conservacion import MARCA

    assert connection.vendor == "postgresql", "la conservación se mide en PostgreSQL"
    call_command("migrate", verbosity=0)
    hoy = timezone.localdate()
    personal = bench_tablero.catalogos(hoy)
    avance(f"llenando {CASOS:,} casos")
    llenado = bench_tablero.llenar_hasta(CASOS, hoy, personal)
    extra = agregar_partes_y_eventos()
    avance(f"llenado en {llenado['segundos']:.0f} s; partes y eventos en {extra['segundos']:.0f} s")
    concluidos = Caso.objects.filter(concluido_en__isnull=False).count()
    futuro = hoy.replace(year=hoy.year + 3)
    corridas = {}
    for nombre, al_dia, simulacro in (
        ("simulacro_hoy", hoy, True),
        ("real_hoy", hoy, False),
        ("simulacro_en_3_anios", futuro, True),
        ("real_en_3_anios", futuro, False),
        ("repetida_en_3_anios", futuro, False),
    ):
        corridas[nombre] = correr(al_dia, simulacro)
        c = corridas[nombre]
        avance(
            f"{nombre}: {c['bloqueados']:,} bloqueados, {c['suprimidos']:,} suprimidos en "
            f"{c['segundos']:.1f} s"
        )
    suprimidos = Caso.objects.filter(suprimido_en__isnull=False)
    return {
        "casos": Caso.objects.count(),
        "concluidos": concluidos,
        "partes": Parte.objects.count(),
        "llenado": llenado,
        "partes_y_eventos": extra,
        "corridas": corridas,
        "nombres_en_suprimidos": Parte.objects.filter(caso__in=suprimidos)
        .exclude(nombre=MARCA)
        .count(),
    }


if __name__ == "__main__":
    print(json.dumps(medir(), default=str))

#!/usr/bin/env python3
"""Benchmark de la importación del registro anterior (se ejecuta desde scripts/bench.py, con
DATABASE_URL ya fijada).

Un libro XLSX de N renglones (10,000 por omisión; 3 de cada 4 casos concluidos y el resto
abiertos en cinco pasos distintos del flujo) pasa por lo mismo que en la página: subir,
relacionar columnas (revisión de cada renglón) y la importación del worker en una sola
transacción. Mide cada etapa, renglones por segundo, el pico del RSS del proceso y, en una
revisión aparte (tracemalloc frena), el pico de memoria de Python al leer y revisar el libro.
Imprime un JSON en la última línea.
"""

import io
import json
import os
import resource
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

ENCABEZADOS = [
    "Folio",
    "Tipo",
    "Fecha de recepción",
    "Canal",
    "Categoría",
    "Localidad",
    "Asunto",
    "Solicitante",
    "Teléfono",
    "Otra parte",
    "Domicilio otra parte",
    "Estado",
    "Responsable",
    "Fecha de admisión",
    "Fecha de conclusión",
    "Resultado",
]
# Los abiertos, repartidos en los pasos de ambos flujos (tipo, estado, con responsable).
ABIERTOS = [
    ("MED", "Recibida", False),
    ("MED", "Admitida", False),
    ("MED", "Invitación enviada", True),
    ("MED", "En mediación", True),
    ("ASE", "En atención", True),
]
RESULTADOS = {"MED": ("convenio", "sin acuerdo", "desistimiento"), "ASE": ("resuelta",)}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def libro(renglones: int) -> bytes:
    from openpyxl import Workbook

    hoja_libro = Workbook(write_only=True)
    hoja = hoja_libro.create_sheet("Registro")
    hoja.append(ENCABEZADOS)
    folios: dict[tuple[str, int], int] = {}
    for i in range(renglones):
        recibido = date(2022, 1, 3) + timedelta(days=(i * 3) % 1700)
        if i % 4 == 0:
            tipo, estado, con_responsable = ABIERTOS[(i // 4) % len(ABIERTOS)]
        else:
            tipo, estado, con_responsable = ("MED" if i % 3 else "ASE"), "Concluida", False
        folios[(tipo, recibido.year)] = folios.get((tipo, recibido.year), 0) + 1
        # Uno de cada cinco con el número del libro de control anterior (otro formato).
        folio = (
            f"{tipo[0]}-{i}/{recibido.year}"
            if i % 5 == 0
            else f"{tipo}-{recibido.year}-{folios[(tipo, recibido.year)]:05d}"
        )
        cerrado = estado == "Concluida"
        hoja.append(
            [
                folio,
                tipo,
                recibido,
                ("Teléfono", "Presencial", "Módulo itinerante", "Web")[i % 4],
                "Linderos, bardas y construcciones"
                if tipo == "MED"
                else "Orientación jurídica general",
                ("Atotonilco el Alto (cabecera)", "Margaritas", "Milpillas", "San Gaspar")[i % 4],
                f"Asunto del caso {i}: diferencias entre vecinos por la barda y el desagüe.",
                f"Persona Solicitante {i}",
                f"391{1000000 + i:07d}",
                "Otra Parte" if tipo == "MED" else None,
                f"Calle Hidalgo {i}" if tipo == "MED" else None,
                estado,
                ("mediador" if tipo == "MED" else "asesor") if con_responsable else None,
                recibido + timedelta(days=2) if tipo == "MED" and estado != "Recibida" else None,
                recibido + timedelta(days=45) if cerrado else None,
                RESULTADOS[tipo][i % len(RESULTADOS[tipo])] if cerrado else None,
            ]
        )
    salida = io.BytesIO()
    hoja_libro.save(salida)
    return salida.getvalue()


def preparar():
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from casos.models import PerfilMediador

    call_command("migrate", verbosity=0)
    personas = {}
    for usuario, rol in (
        ("coordinadora", "coordinador"),
        ("mediador", "mediador"),
        ("asesor", "asesor"),
    ):
        persona, _ = User.objects.get_or_create(username=usuario)
        persona.groups.add(Group.objects.get(name=rol))
        personas[usuario] = persona
    PerfilMediador.objects.get_or_create(
        usuario=personas["mediador"],
        defaults={"numero_certificacion": "IJA-BENCH", "certificado_hasta": date(2099, 1, 1)},
    )
    return personas


def medir(renglones: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from casos.models import Caso
    from importacion import lectura, revision, services
    from importacion.models import EstadoImportacion

    settings.MEDIA_ROOT = Path(os.environ.get("BENCH_MEDIA", "/tmp/bench-importacion"))
    # Aquí se hace lo del worker llamando `ejecutar`: no se publica nada en ningún broker.
    services.encolar = lambda importacion_id: None
    personas = preparar()
    coordinadora = personas["coordinadora"]

    t0 = time.perf_counter()
    contenido = libro(renglones)
    armado = time.perf_counter() - t0

    t0 = time.perf_counter()
    importacion = services.subir(
        archivo=SimpleUploadedFile("registro.xlsx", contenido), actor=coordinadora
    )
    subida = time.perf_counter() - t0
    t0 = time.perf_counter()
    importacion = services.relacionar_columnas(
        importacion=importacion, columnas=importacion.columnas, actor=coordinadora
    )
    revisado = time.perf_counter() - t0
    if importacion.estado != EstadoImportacion.LISTA:
        raise SystemExit(f"la revisión encontró errores: {importacion.errores[:5]}")
    # Pico de memoria de Python al leer y revisar el libro (lo que el worker tiene en memoria
    # antes de crear los casos), en una revisión aparte: tracemalloc frena.
    tracemalloc.start()
    revisor = revision.Revisor(
        encabezados=importacion.encabezados, columnas=importacion.columnas, origen="registro.xlsx"
    )
    with lectura.abrir(io.BytesIO(contenido)) as hoja:
        analisis = revisor.revisar_todo(hoja.renglones)
    _, pico = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(analisis.validos) == renglones and not analisis.errores
    del analisis, revisor

    services.pedir_importacion(importacion=importacion, actor=coordinadora)
    rss_antes = _rss_mb()
    t0 = time.perf_counter()
    if not services.ejecutar(importacion.pk):
        importacion.refresh_from_db()
        raise SystemExit(f"la importación no terminó: {importacion.error}")
    importado = time.perf_counter() - t0
    rss_despues = _rss_mb()
    importacion.refresh_from_db()
    assert importacion.importados == renglones == Caso.objects.count()

    return {
        "base": connection.vendor,
        "renglones": renglones,
        "archivo_mb": len(contenido) / 1024 / 1024,
        "armado_s": armado,
        "subida_s": subida,
        "revision_s": revisado,
        "importacion_s": importado,
        "renglones_por_s": renglones / importado,
        "revision_renglones_por_s": renglones / revisado,
        "concluidos": importacion.resumen["concluidos"],
        "abiertos": importacion.resumen["abiertos"],
        "rss_antes_mb": rss_antes,
        "rss_pico_mb": rss_despues,
        "pico_python_revision_mb": pico / 1024 / 1024,
    }


def main() -> int:
    renglones = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(json.dumps(medir(renglones)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

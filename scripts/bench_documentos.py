#!/usr/bin/env python3
"""Benchmark de documentos (se ejecuta desde scripts/bench.py, con DATABASE_URL ya fijada y,
para la cola, CELERY_BROKER_URL apuntando a Redis).

1. Render en caliente del acuse y de un convenio de 2 páginas con 10 cláusulas: mediana y
   p95 de 20 renders (tras 3 de calentamiento), dividido en contexto + plantilla Django,
   maquetado de WeasyPrint y escritura del PDF; y el pico de memoria de Python (tracemalloc)
   y el aumento del RSS del proceso durante los renders.
2. Documentos por minuto por la cola `pdf` con un worker de Celery (concurrencia 1): se
   piden N acuses de una vez y se cronometra hasta que todos están listos.
"""

import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))


def percentil(valores, p):
    ordenados = sorted(valores)
    return ordenados[max(0, min(len(ordenados) - 1, round(p / 100 * (len(ordenados) - 1))))]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def preparar():
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.utils import timezone

    from casos.models import (
        AvisoPrivacidad,
        Categoria,
        Clausula,
        Convenio,
        FormaFirma,
        Localidad,
        PerfilMediador,
        RolParte,
        TipoCaso,
        TipoConvenio,
        TipoObligacion,
    )
    from casos.services import DatosPersona, recibir_solicitud

    call_command("migrate", verbosity=0)
    mediador, _ = User.objects.get_or_create(
        username="bench-mediadora", defaults={"first_name": "Laura", "last_name": "Navarro Gil"}
    )
    mediador.groups.add(Group.objects.get(name="mediador"))
    PerfilMediador.objects.get_or_create(
        usuario=mediador,
        defaults={"numero_certificacion": "IJA-CERT-0420", "certificado_hasta": date(2030, 1, 1)},
    )
    recibida = recibir_solicitud(
        tipo=TipoCaso.MEDIACION,
        canal="telefono",
        categoria=Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first(),
        localidad=Localidad.objects.first(),
        resumen="Diferencias entre vecinos por la barda y el escurrimiento de agua.",
        solicitante=DatosPersona(nombre="María Guadalupe Hernández Robles", telefono="3312345678"),
        otra_parte=DatosPersona(nombre="José Luis Ramírez Ochoa", domicilio="Calle Hidalgo 12"),
        aviso=AvisoPrivacidad.objects.order_by("-vigente_desde").first(),
    )
    caso = recibida.caso
    caso.responsable = mediador
    caso.save(update_fields=["responsable"])
    for parte in caso.partes.all():
        parte.edad, parte.nacionalidad, parte.estado_civil = 44, "mexicana", "casado"
        parte.ocupacion = "comerciante"
        parte.domicilio = parte.domicilio or "Av. Juárez 300, Atotonilco el Alto"
        parte.save()
    partes = {p.rol: p for p in caso.partes.all()}
    convenio = Convenio.objects.create(
        caso=caso,
        tipo=TipoConvenio.TOTAL,
        lugar="Atotonilco el Alto, Jalisco",
        antecedentes=(
            "Las partes son vecinas colindantes desde hace más de diez años. La solicitante "
            "refiere que el agua de lluvia del predio de la otra parte escurre hacia su patio "
            "y que la barda compartida presenta cuarteaduras."
        ),
        consecuencias_incumplimiento=(
            "La parte afectada podrá solicitar la ejecución del convenio ante el juez competente."
        ),
        firmado_en=timezone.now(),
        forma_firma=FormaFirma.AUTOGRAFA,
    )
    for n in range(1, 11):
        Clausula.objects.create(
            convenio=convenio,
            numero=n,
            obligado=partes[RolParte.INVITADA if n % 2 else RolParte.SOLICITANTE],
            tipo=[TipoObligacion.DAR, TipoObligacion.HACER, TipoObligacion.NO_HACER][n % 3],
            descripcion=f"Realizar la parte {n} de los trabajos acordados en la barda.",
            modo="Por su cuenta",
            lugar="Calle Hidalgo 12",
            fecha_limite=timezone.localdate() + timedelta(days=10 * n),
        )
    return caso


def medir_render(documento, veces: int = 20) -> dict:
    import gc

    from django.template.loader import render_to_string

    from plantillas.documentos import DOCUMENTOS
    from plantillas.render import maquetar

    definicion = DOCUMENTOS[documento.tipo]

    def una_vez():
        t0 = time.perf_counter()
        html = render_to_string(definicion.plantilla, definicion.contexto(documento))
        t1 = time.perf_counter()
        maquetado = maquetar(html)
        t2 = time.perf_counter()
        pdf = maquetado.write_pdf()
        t3 = time.perf_counter()
        return (t1 - t0, t2 - t1, t3 - t2, t3 - t0), len(maquetado.pages), len(pdf)

    for _ in range(3):
        una_vez()
    gc.collect()
    rss_antes = _rss_mb()
    tracemalloc.start()
    medidas, paginas, tamano = [], 0, 0
    for _ in range(veces):
        tiempos, paginas, tamano = una_vez()
        medidas.append(tiempos)
    _, pico = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # Sin tracemalloc (que frena): los tiempos que se reportan.
    medidas = []
    for _ in range(veces):
        tiempos, paginas, tamano = una_vez()
        medidas.append(tiempos)
    columnas = list(zip(*medidas, strict=True))
    ms = [[v * 1000 for v in c] for c in columnas]
    return {
        "paginas": paginas,
        "bytes_pdf": tamano,
        "p50_ms": percentil(ms[3], 50),
        "p95_ms": percentil(ms[3], 95),
        "plantilla_p50_ms": percentil(ms[0], 50),
        "maquetado_p50_ms": percentil(ms[1], 50),
        "escritura_p50_ms": percentil(ms[2], 50),
        "pico_python_mb": pico / 1024 / 1024,
        "rss_mb": _rss_mb(),
        "rss_aumento_mb": _rss_mb() - rss_antes,
    }


def medir_cola(caso, documentos: int) -> dict:
    """Un worker de Celery real (cola pdf, un proceso) contra el broker configurado."""
    from django.conf import settings

    from plantillas.models import Documento, EstadoDocumento, TipoDocumento
    from plantillas.services import solicitar_documento
    from scripts import procesos

    entorno = {**os.environ, "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    bitacora = Path(settings.MEDIA_ROOT) / "worker.log"
    worker = procesos.worker(entorno, bitacora, beat=False, colas="pdf", nivel="WARNING")
    try:
        # Un documento de calentamiento: el worker arranca y carga WeasyPrint y las fuentes.
        primero = solicitar_documento(caso=caso, tipo=TipoDocumento.ACUSE, con_evento=False)
        limite = time.monotonic() + 120
        while Documento.objects.get(pk=primero.pk).estado != EstadoDocumento.LISTO:
            if time.monotonic() > limite or worker.poll() is not None:
                raise RuntimeError("El worker no generó el documento de calentamiento.")
            time.sleep(0.2)
        inicio = time.monotonic()
        ids = [
            solicitar_documento(caso=caso, tipo=TipoDocumento.ACUSE, con_evento=False).pk
            for _ in range(documentos)
        ]
        limite = time.monotonic() + 600
        while Documento.objects.filter(pk__in=ids, estado=EstadoDocumento.LISTO).count() < len(ids):
            if time.monotonic() > limite:
                raise RuntimeError("La cola no terminó en 10 minutos.")
            time.sleep(0.1)
        segundos = time.monotonic() - inicio
    finally:
        procesos.detener(worker, espera=30)
    return {
        "documentos": documentos,
        "segundos": segundos,
        "por_minuto": documentos / segundos * 60,
        "broker": settings.CELERY_BROKER_URL.split("://")[0],
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    with tempfile.TemporaryDirectory() as medios:
        os.environ["MEDIA_ROOT"] = medios
        import django

        django.setup()
        from plantillas.models import Documento, TipoDocumento

        caso = preparar()
        acuse = Documento.objects.get(caso=caso, tipo=TipoDocumento.ACUSE)
        convenio = Documento.objects.create(
            caso=caso, tipo=TipoDocumento.CONVENIO, version=1, version_plantilla="bench"
        )
        resultado = {
            "acuse": medir_render(acuse),
            "convenio": medir_render(convenio),
            "cola": medir_cola(caso, int(os.getenv("BENCH_DOCUMENTOS", "40"))),
        }
    print(json.dumps(resultado))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Benchmark de memoria del worker de PDF (se ejecuta desde scripts/bench.py, con
DATABASE_URL ya fijada).

Un solo proceso genera N documentos (1,000 por omisión; BENCH_MEMORIA_DOCUMENTOS para otro
número), alternando acuse (1 página, con QR) y convenio (2 páginas, 10 cláusulas), por el
mismo código que corre el worker: la tarea `generar_documento` de la cola `pdf` ejecutada en
el proceso (`apply`), que reclama la fila, renderiza, guarda el archivo y cierra el reclamo.

Mide el RSS del proceso (VmRSS de /proc/self/status, tras `gc.collect()`) después del
calentamiento (50 documentos), a los 300 y al final, y el crecimiento por documento después
del calentamiento. Si el proceso no dejara de crecer, `--max-memory-per-child` reciclaría al
hijo del worker cada tantos documentos; lo que se busca es que el crecimiento sea ~0.
"""

import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

CALENTAMIENTO = 50
INTERMEDIO = 300


def rss_kb() -> int:
    """RSS actual del proceso en KB (no el pico, que es lo que da `ru_maxrss`)."""
    gc.collect()
    with open("/proc/self/status") as estado:
        for linea in estado:
            if linea.startswith("VmRSS:"):
                return int(linea.split()[1])
    raise RuntimeError("/proc/self/status no trae VmRSS")


def medir(caso, documentos: int) -> dict:
    from plantillas.models import Documento, EstadoDocumento, TipoDocumento
    from plantillas.tasks import generar_documento

    tipos = (TipoDocumento.ACUSE, TipoDocumento.CONVENIO)
    version = {tipo: 1000 for tipo in tipos}
    marcas = sorted({CALENTAMIENTO, INTERMEDIO, documentos} & set(range(1, documentos + 1)))
    rss = {}
    inicio = time.monotonic()
    for n in range(1, documentos + 1):
        tipo = tipos[n % 2]
        version[tipo] += 1
        documento = Documento.objects.create(
            caso=caso, tipo=tipo, version=version[tipo], version_plantilla="bench"
        )
        resultado = generar_documento.apply(args=(documento.pk,))
        if resultado.result is not True:
            raise RuntimeError(f"La tarea no generó el documento {documento.pk}: {resultado}")
        if n in marcas:
            rss[n] = rss_kb()
            print(
                f"[memoria] {n} documentos, RSS {rss[n] / 1024:.1f} MB, "
                f"{time.monotonic() - inicio:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    segundos = time.monotonic() - inicio
    listos = Documento.objects.filter(
        caso=caso, version__gt=1000, estado=EstadoDocumento.LISTO
    ).count()
    if listos != documentos:
        raise RuntimeError(f"Solo {listos} de {documentos} documentos quedaron listos.")
    return {
        "documentos": documentos,
        "segundos": segundos,
        "documentos_por_segundo": documentos / segundos,
        "rss_kb": {str(n): v for n, v in rss.items()},
        "calentamiento": CALENTAMIENTO,
        "crecimiento_kb_por_documento": _crecimiento(rss, CALENTAMIENTO, documentos),
        "crecimiento_kb_por_documento_desde_300": _crecimiento(rss, INTERMEDIO, documentos),
    }


def _crecimiento(rss: dict[int, int], desde: int, hasta: int) -> float | None:
    """KB por documento entre dos marcas; None si la corrida no llegó a pasar de `desde`."""
    if desde not in rss or hasta <= desde:
        return None
    return (rss[hasta] - rss[desde]) / (hasta - desde)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Las tareas corren aquí mismo; lo que la recepción publique (su acuse) se queda en la
    # memoria de este proceso y no llega a la cola de ningún worker.
    os.environ["CELERY_BROKER_URL"] = "memory://"
    with tempfile.TemporaryDirectory() as medios:
        os.environ["MEDIA_ROOT"] = medios
        import django

        django.setup()
        from scripts.bench_documentos import preparar

        caso = preparar()
        resultado = medir(caso, int(os.getenv("BENCH_MEMORIA_DOCUMENTOS", "1000")))
    print(json.dumps(resultado))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Benchmark de respaldos (se ejecuta desde scripts/bench.py, con DATABASE_URL en una base nueva
y BENCH_RESPALDOS_DESTINO en otra, vacía, del mismo servidor).

Llena la base con los 100,000 casos de bench_portal.llenar (partes, pasos públicos, acuse y
sesiones) y pone en MEDIA_ROOT acuses en PDF reales (uno generado por WeasyPrint, copiado a
las rutas de los primeros N acuses). Luego, como lo haría quien opera la instalación:
  1. `manage.py respaldar` (pg_dump --format=custom, medios.tar y manifiesto con SHA-256);
  2. `manage.py restaurar --si` en la base vacía y otra carpeta de medios (verificación de
     SHA-256, pg_restore en una transacción, comparación de renglones por tabla, ANALYZE y
     SHA-256 de cada archivo restaurado).
Cada uno se cronometra de punta a punta (incluye arrancar Django) y se anota el tamaño del
juego. Imprime un JSON al final.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))
sys.path.insert(0, str(RAIZ / "scripts"))

CASOS = int(os.getenv("BENCH_RESPALDOS_CASOS", "100000"))
ARCHIVOS = int(os.getenv("BENCH_RESPALDOS_ARCHIVOS", "5000"))


def poner_acuses(cuantos: int) -> tuple[int, int]:
    """Un acuse real generado por WeasyPrint, copiado a la ruta de los primeros `cuantos`
    acuses de la base. Devuelve (archivos, bytes)."""
    from django.conf import settings

    from plantillas.models import Documento, TipoDocumento
    from plantillas.services import generar

    acuses = Documento.objects.filter(tipo=TipoDocumento.ACUSE).order_by("pk")
    primero = acuses.first()
    Documento.objects.filter(pk=primero.pk).update(estado="pendiente", archivo="")
    assert generar(primero.pk) is True
    primero.refresh_from_db()
    contenido = Path(primero.archivo.path).read_bytes()
    raiz = Path(settings.MEDIA_ROOT)
    for ruta in acuses.exclude(pk=primero.pk).values_list("archivo", flat=True)[: cuantos - 1]:
        destino = raiz / ruta
        destino.parent.mkdir(parents=True, exist_ok=True)
        destino.write_bytes(contenido)
    archivos = [p for p in raiz.rglob("*") if p.is_file()]
    return len(archivos), sum(p.stat().st_size for p in archivos)


def cronometrar(argumentos: list[str], entorno: dict[str, str]) -> tuple[float, str]:
    inicio = time.perf_counter()
    hecho = subprocess.run(
        [sys.executable, "manage.py", *argumentos],
        cwd=RAIZ,
        env=entorno,
        capture_output=True,
        text=True,
        check=False,
    )
    segundos = time.perf_counter() - inicio
    if hecho.returncode != 0:
        raise RuntimeError(f"manage.py {argumentos[0]} falló:\n{hecho.stdout}\n{hecho.stderr}")
    return segundos, hecho.stdout


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-respaldos-") as tmp:
        carpeta = Path(tmp)
        os.environ["MEDIA_ROOT"] = str(carpeta / "medios")
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        django.setup()
        from bench_portal import llenar
        from django.db import connection

        inicio = time.perf_counter()
        llenar(CASOS)
        archivos, bytes_medios = poner_acuses(ARCHIVOS)
        llenado = time.perf_counter() - inicio
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            tamano_base = cursor.fetchone()[0]
        connection.close()

        entorno = {**os.environ}
        respaldo_s, salida = cronometrar(
            ["respaldar", "--destino", str(carpeta / "respaldos")], entorno
        )
        juego = Path(re.search(r"Respaldo listo: (.+)", salida).group(1))
        base_respaldada = re.search(r"base.dump, [^,]+, (\d+\.\d) s", salida)
        manifiesto = json.loads((juego / "manifiesto.json").read_text())
        restauracion_s, salida_restauracion = cronometrar(
            ["restaurar", str(juego), "--si"],
            {
                **entorno,
                "DATABASE_URL": os.environ["BENCH_RESPALDOS_DESTINO"],
                "MEDIA_ROOT": str(carpeta / "medios-restaurados"),
            },
        )
        base_restaurada = re.search(r"iguales al manifiesto; (\d+\.\d) s", salida_restauracion)
        restauracion_comando = re.search(r"terminada en (\d+\.\d) s", salida_restauracion)
        # Django solo, sin hacer nada: lo que de cada tiempo es arrancar el proceso.
        arranque_s, _ = cronometrar(["check", "--database", "default"], entorno)
    archivos_del_juego = manifiesto["archivos"]
    print(
        json.dumps(
            {
                "casos": manifiesto["tablas"]["casos_caso"],
                "tablas": len(manifiesto["tablas"]),
                "renglones": sum(manifiesto["tablas"].values()),
                "llenado_s": llenado,
                "base_en_disco_bytes": tamano_base,
                "archivos": archivos,
                "archivos_bytes": bytes_medios,
                "respaldo_s": respaldo_s,
                "respaldo_comando_s": manifiesto["segundos"],
                "respaldo_base_s": float(base_respaldada.group(1)),
                "restauracion_s": restauracion_s,
                "restauracion_comando_s": float(restauracion_comando.group(1)),
                "restauracion_base_s": float(base_restaurada.group(1)),
                "arranque_django_s": arranque_s,
                "base_dump_bytes": archivos_del_juego["base.dump"]["bytes"],
                "medios_tar_bytes": archivos_del_juego["medios.tar"]["bytes"],
                "juego_bytes": sum(d["bytes"] for d in archivos_del_juego.values()),
                "servidor": manifiesto["servidor"],
                "herramienta": manifiesto["herramienta"],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

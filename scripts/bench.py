#!/usr/bin/env python3
"""Benchmark de recepción. `make bench` lo ejecuta con PostgreSQL y Redis propios.

Para cada base (SQLite embebida y PostgreSQL si DATABASE_URL apunta a uno) crea una base
nueva, la llena con N casos existentes y mide en un subproceso:
  - piso: un `Evento.objects.create` de un renglón (autocommit),
  - recepción por el servicio `recibir_solicitud` (mediación con dos partes),
  - POST del formulario de la operadora por el cliente de pruebas de Django.
Imprime casos/s, p50/p95 y la razón contra el piso. Escribe var/bench/recepcion.json.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))


def percentil(valores: list[float], p: float) -> float:
    ordenados = sorted(valores)
    k = max(0, min(len(ordenados) - 1, round(p / 100 * (len(ordenados) - 1))))
    return ordenados[k]


def medir(nombre_base: str, existentes: int, muestras: int) -> dict:
    """Se ejecuta dentro del subproceso, con DATABASE_URL ya fijada."""
    import time

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from casos import codigos, services
    from casos.models import (
        AvisoPrivacidad,
        Canal,
        Caso,
        Categoria,
        ContadorFolio,
        Estado,
        Evento,
        Localidad,
        Parte,
        RolParte,
        TipoCaso,
        TipoEvento,
    )

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    categoria = Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first()
    localidad = Localidad.objects.first()
    aviso = AvisoPrivacidad.vigente()
    anio = timezone.localdate().year - 1

    t0 = time.perf_counter()
    lote = 5000
    ahora = timezone.now()
    for inicio in range(1, existentes + 1, lote):
        numeros = range(inicio, min(inicio + lote, existentes + 1))
        casos = Caso.objects.bulk_create(
            [
                Caso(
                    tipo=TipoCaso.MEDIACION,
                    folio=codigos.formatear_folio("MED", anio, n),
                    anio=anio,
                    numero=n,
                    estado=Estado.RECIBIDA,
                    canal=Canal.TELEFONO,
                    categoria=categoria,
                    localidad=localidad,
                    resumen="Caso existente.",
                    recibido_en=ahora,
                    codigo_sal=codigos.nueva_sal(),
                    aviso_version=aviso.version,
                    aviso_canal=Canal.TELEFONO,
                    aviso_aceptado_en=ahora,
                )
                for n in numeros
            ]
        )
        Parte.objects.bulk_create(
            [
                Parte(
                    caso=c,
                    rol=RolParte.SOLICITANTE,
                    nombre=f"Persona {c.numero}",
                    telefono=f"+5233{10000000 + c.numero}",
                )
                for c in casos
            ]
            + [
                Parte(caso=c, rol=RolParte.INVITADA, nombre="Otra", domicilio="Calle 1")
                for c in casos
            ]
        )
        Evento.objects.bulk_create(
            [
                Evento(caso=c, tipo=TipoEvento.RECIBIDA, descripcion="Recibida", publico=True)
                for c in casos
            ]
        )
    ContadorFolio.objects.update_or_create(tipo="MED", anio=anio, defaults={"ultimo": existentes})
    llenado = time.perf_counter() - t0

    caso_piso = Caso.objects.first()

    def piso():
        Evento.objects.create(caso=caso_piso, tipo=TipoEvento.CONTACTO, descripcion="piso")

    contador = iter(range(10**9))

    def servicio():
        n = next(contador)
        services.recibir_solicitud(
            tipo=TipoCaso.MEDIACION,
            canal=Canal.TELEFONO,
            categoria=categoria,
            localidad=localidad,
            resumen="Conflicto por ruido en la noche.",
            solicitante=services.DatosPersona(nombre=f"Bench {n}", telefono=f"+5233{50000000 + n}"),
            otra_parte=services.DatosPersona(nombre="Vecino", domicilio="Calle Hidalgo 3"),
            aviso=aviso,
        )

    operadora, _ = User.objects.get_or_create(username="bench-operadora")
    operadora.groups.add(Group.objects.get(name="operador"))
    cliente = Client()
    cliente.force_login(operadora)
    url = reverse("casos:nueva")

    def formulario():
        n = next(contador)
        respuesta = cliente.post(
            url,
            {
                "tipo": "MED",
                "categoria": categoria.pk,
                "localidad": localidad.pk,
                "nombre": f"Llamante {n}",
                "telefono": f"+5233{60000000 + n}",
                "resumen": "El vecino invade la banqueta con material.",
                "otra_nombre": "Vecino",
                "otra_domicilio": "Calle Juárez 10",
                "aviso": "on",
            },
        )
        assert respuesta.status_code == 302, respuesta.status_code

    def cronometrar(funcion, veces):
        for _ in range(min(20, veces)):  # calentamiento
            funcion()
        tiempos = []
        inicio = time.perf_counter()
        for _ in range(veces):
            t = time.perf_counter()
            funcion()
            tiempos.append(time.perf_counter() - t)
        total = time.perf_counter() - inicio
        return {
            "por_segundo": veces / total,
            "p50_ms": percentil(tiempos, 50) * 1000,
            "p95_ms": percentil(tiempos, 95) * 1000,
        }

    resultado = {
        "base": nombre_base,
        "casos_existentes": Caso.objects.count(),
        "llenado_s": llenado,
        "piso_create": cronometrar(piso, muestras),
        "servicio": cronometrar(servicio, muestras),
        "formulario_post": cronometrar(formulario, max(50, muestras // 2)),
    }
    resultado["razon_servicio_vs_piso_p50"] = (
        resultado["servicio"]["p50_ms"] / resultado["piso_create"]["p50_ms"]
    )
    return resultado


def ejecutar_hijo(argumentos: list[str], url: str, extra: dict | None = None) -> dict | None:
    """Corre una medición en un proceso aparte contra la base `url` (configuración de
    producción) y devuelve su JSON; None si falló (con su error en stderr)."""
    salida = subprocess.run(
        [sys.executable, *argumentos],
        env={
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "False",
            "SECRET_KEY": "bench-" + "x" * 40,
            "LOG_LEVEL": "WARNING",
            # Los servidores del benchmark escuchan HTTP en 127.0.0.1, sin proxy HTTPS delante.
            "REDIRIGIR_A_HTTPS": "False",
            **(extra or {}),
        },
        cwd=RAIZ,
        capture_output=True,
        text=True,
        check=False,
    )
    if salida.returncode != 0:
        print(salida.stderr, file=sys.stderr)
        return None
    return json.loads(salida.stdout.strip().splitlines()[-1])


def preparar_postgres(url: str, nombre: str = "expedientes_bench") -> str:
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as conexion:
        conexion.execute(f"DROP DATABASE IF EXISTS {nombre}")
        conexion.execute(f"CREATE DATABASE {nombre}")
    return base + "/" + nombre


def bench_flujos(url: str) -> dict | None:
    print(
        "[bench] Flujos en PostgreSQL: caso completo y bandejas con 10,000 y 100,000 procesos…",
        flush=True,
    )
    r = ejecutar_hijo([str(RAIZ / "scripts" / "bench_flujos.py")], url)
    if r is None:
        return None
    f = r["flujo_completo"]
    print()
    print(
        f"Mediación completa (recepción → convenio cumplido), {f['casos']} casos: "
        f"{f['por_segundo']:.1f} casos/s, p50 {f['p50_ms']:.0f} ms, p95 {f['p95_ms']:.0f} ms"
    )
    encabezado = ("procesos", 10), ("página", 9), ("p50 ms", 9), ("p95 ms", 9), ("consultas", 11)
    print("".join(f"{t:>{n}}" for t, n in encabezado) + f"{'viewflow':>10}{'razón':>8}")
    for clave, datos in r.items():
        if not clave.startswith("bandejas_"):
            continue
        for pagina in ("bandeja", "cola"):
            d = datos[pagina]
            print(
                f"{int(clave.split('_')[1]):>10,}{pagina:>9}{d['p50_ms']:>9.1f}{d['p95_ms']:>9.1f}"
                f"{d['consultas']:>11}{d['consultas_viewflow']:>10}"
                f"{d['consultas_viewflow'] / d['consultas']:>7.1f}x"
            )
    return r


def bench_documentos(url: str) -> dict | None:
    print("[bench] Documentos: render en caliente y cola pdf con un worker…", flush=True)
    extra = {"CELERY_BROKER_URL": os.environ["REDIS_URL"]} if os.getenv("REDIS_URL") else {}
    r = ejecutar_hijo([str(RAIZ / "scripts" / "bench_documentos.py")], url, extra)
    if r is None:
        return None
    print()
    print("Render en caliente (20 renders tras 3 de calentamiento)")
    print(
        f"{'documento':<11}{'págs':>5}{'p50 ms':>9}{'p95 ms':>9}{'plantilla':>11}"
        f"{'maquetado':>11}{'escritura':>11}{'pico Python':>13}{'RSS':>9}"
    )
    for nombre in ("acuse", "convenio"):
        d = r[nombre]
        print(
            f"{nombre:<11}{d['paginas']:>5}{d['p50_ms']:>9.0f}{d['p95_ms']:>9.0f}"
            f"{d['plantilla_p50_ms']:>11.1f}{d['maquetado_p50_ms']:>11.0f}"
            f"{d['escritura_p50_ms']:>11.0f}{d['pico_python_mb']:>10.1f} MB{d['rss_mb']:>6.0f} MB"
        )
    print(f"convenio / acuse (p50): {r['convenio']['p50_ms'] / r['acuse']['p50_ms']:.2f}x")
    c = r["cola"]
    print(
        f"Cola pdf, 1 worker (broker {c['broker']}): {c['documentos']} acuses en "
        f"{c['segundos']:.1f} s = {c['por_minuto']:.0f} documentos/min"
    )
    return r


def bench_memoria_pdf(url: str) -> dict | None:
    documentos = int(os.getenv("BENCH_MEMORIA_DOCUMENTOS", "1000"))
    print(
        f"[bench] Memoria del worker de PDF: {documentos:,} documentos en un proceso por la tarea…",
        flush=True,
    )
    r = ejecutar_hijo([str(RAIZ / "scripts" / "bench_memoria_pdf.py")], url)
    if r is None:
        return None
    print()
    print(
        f"Memoria del worker de PDF: {r['documentos']:,} documentos (acuse y convenio alternados) "
        f"en un proceso por la tarea generar_documento, {r['segundos']:.0f} s "
        f"({r['documentos_por_segundo']:.1f} documentos/s)"
    )
    print(
        "RSS: "
        + " · ".join(f"tras {int(n):,}: {kb / 1024:.1f} MB" for n, kb in r["rss_kb"].items())
    )
    if r["crecimiento_kb_por_documento"] is not None:
        desde = r["crecimiento_kb_por_documento_desde_300"]
        print(
            f"Crecimiento tras el calentamiento ({r['calentamiento']} documentos): "
            f"{r['crecimiento_kb_por_documento']:.2f} KB por documento"
            + (f" (desde el 300: {desde:.2f} KB)" if desde is not None else "")
        )
    return r


# Lo mínimo que cada ruta pública debe servir, como fracción del piso del framework.
METAS_PORTAL = {"consulta": 0.20, "open311": 0.40, "solicitud": 0.50}


def imprimir_portal(r: dict) -> None:
    from bench_portal import RUTAS

    print(
        f"{r['casos']:,} casos en PostgreSQL (llenado {r['llenado_s']:.0f} s); gunicorn "
        f"{r['gunicorn_workers']} workers; wrk, {r['conexiones']} conexiones, {r['segundos']} s"
    )
    print(
        f"{'ruta':<44}{'pet/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errores':>9}"
        f"{'/ piso':>8}{'meta':>7}"
    )
    for nombre, etiqueta, _estados, _peticion in RUTAS:
        d = r["rutas"][nombre]
        meta = METAS_PORTAL.get(nombre)
        print(
            f"{etiqueta:<44}{d['por_segundo']:>8.0f}{d['p50_ms']:>9.1f}{d['p95_ms']:>9.1f}"
            f"{d['p99_ms']:>9.1f}{d['errores']:>9}{d['razon_piso'] * 100:>7.0f}%"
            + (f"{meta * 100:>6.0f}%" if meta else "")
        )
    mala = r["rutas"]["consulta_mala"]
    print(f"  código equivocado: {mala['r404']:,} respuestas 404 y {mala['r429']:,} 429")
    perfiles = r.get("perfiles")
    if perfiles:
        from perfil import resumen

        print("Dónde se va el tiempo (en proceso, cliente de pruebas, cProfile por capa):")
        etiquetas = {nombre: etiqueta for nombre, etiqueta, _e, _p in RUTAS}
        piso = perfiles["piso"]["ms"]
        for nombre, p in perfiles.items():
            print(
                f"  {etiquetas.get(nombre, nombre)}: {p['consultas']} consultas, "
                f"{p['ms'] / piso:.1f}× el piso; {resumen(p)}"
            )
            if p["del_sistema"]:
                print("    del sistema: " + "; ".join(p["del_sistema"]))


def bench_portal(url: str) -> dict | None:
    casos = int(os.getenv("BENCH_PORTAL_CASOS", "100000"))
    print(
        f"[bench] Páginas públicas: gunicorn (2 workers) con {casos:,} casos y wrk con 20 "
        "conexiones…",
        flush=True,
    )
    r = ejecutar_hijo([str(RAIZ / "scripts" / "bench_portal.py")], url)
    if r is None:
        return None
    print()
    imprimir_portal(r)
    errores = {n: d["errores"] for n, d in r["rutas"].items() if d["errores"]}
    if errores:
        print(f"[bench] Hubo errores en las páginas públicas: {errores}", file=sys.stderr)
        return None
    return r


def bench_avisos(url: str) -> dict | None:
    print(
        "[bench] Avisos: envío con un worker y barrido con 1,000,000 de recordatorios…", flush=True
    )
    extra = {"CELERY_BROKER_URL": os.environ["REDIS_URL"]} if os.getenv("REDIS_URL") else {}
    r = ejecutar_hijo([str(RAIZ / "scripts" / "bench_avisos.py")], url, extra)
    if r is None:
        return None
    e, b = r["envio"], r["barrido"]
    print()
    print(
        f"Envío, 1 worker (broker {e['broker']}, proveedor HTTP que no hace nada): "
        f"{e['avisos']} avisos en {e['segundos']:.1f} s = {e['por_segundo']:.0f} avisos/s"
    )
    print(
        f"Barrido con {b['pendientes']:,} recordatorios pendientes: vuelta sin nada que enviar "
        f"p50 {b['vuelta_vacia_p50_ms']:.1f} ms (máx {b['vuelta_vacia_max_ms']:.1f}); con 500 a "
        f"su hora {b['vuelta_con_500_ms']:.0f} ms ({b['encolados']} encolados); "
        f"índice parcial: {'sí' if b['usa_indice'] else 'NO'}"
    )
    print("EXPLAIN ANALYZE de la consulta del barrido:")
    print("  " + b["explain"].replace("\n", "\n  "))
    return r


def bench_comunidad(url: str) -> dict | None:
    print("[bench] Avisos comunitarios: un aviso a 10,000 contactos con un worker…", flush=True)
    extra = {"CELERY_BROKER_URL": os.environ["REDIS_URL"]} if os.getenv("REDIS_URL") else {}
    r = ejecutar_hijo([str(RAIZ / "scripts" / "bench_comunidad.py")], url, extra)
    if r is None:
        return None
    print()
    print(
        f"Aviso comunitario a {r['destinatarios']:,} contactos, 1 worker (broker {r['broker']}, "
        f"proveedor HTTP que no hace nada): contar destinatarios "
        f"{r['contar_destinatarios_ms']:.1f} ms; confirmar {r['confirmar_s'] * 1000:.0f} ms; "
        "reparto "
        f"{r['mensajes']:,} mensajes en {r['reparto_s']:.1f} s = {r['reparto_por_segundo']:.0f} "
        f"mensajes/s; envío en {r['envio_s']:.1f} s = {r['envio_por_segundo']:.0f} mensajes/s; "
        f"total {r['total_s']:.1f} s; duplicados: {r['duplicados']}"
    )
    print(
        f"Repartir otra vez el mismo aviso: {r['repetido_s']:.1f} s, "
        f"{r['repetido_nuevas']} mensajes nuevos"
    )
    return r


def bench_broker_caido(url: str) -> dict | None:
    """Recepción por el formulario con el broker arriba y caído (Redis que no escucha): con el
    broker caído lo no publicado queda pendiente en la base para el barrido, y la petición
    no debe esperar por cada trabajo."""
    sys.path.insert(0, str(RAIZ / "scripts"))
    import procesos

    if not os.getenv("REDIS_URL"):
        print("[bench] Sin REDIS_URL: se omite la recepción con el broker caído.", flush=True)
        return {}
    print("[bench] Recepción con Redis arriba y con Redis caído (PostgreSQL)…", flush=True)
    caido = f"redis://127.0.0.1:{procesos.puerto_libre()}/0"
    medidas = {}
    for nombre, broker in (("arriba", os.environ["REDIS_URL"]), ("caido", caido)):
        r = ejecutar_hijo(
            [__file__, "--hijo", f"Redis {nombre}", "--existentes", "1000", "--muestras", "200"],
            preparar_postgres(url, f"expedientes_bench_broker_{nombre}"),
            {"CELERY_BROKER_URL": broker},
        )
        if r is None:
            return None
        medidas[nombre] = r["formulario_post"]
    razon = medidas["caido"]["p95_ms"] / medidas["arriba"]["p95_ms"]
    print()
    print("POST del formulario de la operadora (tres trabajos encolados por caso)")
    print(f"{'Redis':<10}{'casos/s':>10}{'p50 ms':>9}{'p95 ms':>9}")
    for nombre, m in medidas.items():
        print(f"{nombre:<10}{m['por_segundo']:>10.0f}{m['p50_ms']:>9.1f}{m['p95_ms']:>9.1f}")
    print(f"caído / arriba (p95): {razon:.2f}x")
    return {**medidas, "razon_p95": razon}


def bench_importacion(url: str) -> dict | None:
    """Importación de un registro anterior de 10,000 renglones (XLSX) en PostgreSQL y, para
    comparar, en la SQLite embebida de la demo."""
    print("[bench] Importación del registro anterior: 10,000 renglones (XLSX)…", flush=True)
    medidas = {}
    with tempfile.TemporaryDirectory() as tmp:
        for nombre, base in (("PostgreSQL", url), ("SQLite", f"sqlite:///{tmp}/bench.sqlite3")):
            r = ejecutar_hijo(
                [str(RAIZ / "scripts" / "bench_importacion.py"), "10000"],
                base,
                {"BENCH_MEDIA": str(Path(tmp) / f"media-{nombre}")},
            )
            if r is None:
                return None
            medidas[nombre] = r
    print()
    print(
        f"Registro de 10,000 renglones ({medidas['PostgreSQL']['archivo_mb']:.1f} MB, "
        f"{medidas['PostgreSQL']['concluidos']:,} concluidos y "
        f"{medidas['PostgreSQL']['abiertos']:,} abiertos en 5 pasos)"
    )
    print(
        f"{'base':<12}{'subir s':>9}{'revisar s':>11}{'importar s':>12}{'renglones/s':>13}"
        f"{'RSS pico':>10}{'Python (revisión)':>19}"
    )
    for nombre, m in medidas.items():
        print(
            f"{nombre:<12}{m['subida_s']:>9.1f}{m['revision_s']:>11.1f}{m['importacion_s']:>12.1f}"
            f"{m['renglones_por_s']:>13.0f}{m['rss_pico_mb']:>7.0f} MB"
            f"{m['pico_python_revision_mb']:>16.1f} MB"
        )
    return medidas


def bench_respaldos(url: str) -> dict | None:
    casos = int(os.getenv("BENCH_RESPALDOS_CASOS", "100000"))
    print(
        f"[bench] Respaldos: respaldo y restauración completos de {casos:,} casos en PostgreSQL…",
        flush=True,
    )
    destino = preparar_postgres(os.environ["DATABASE_URL"], "expedientes_bench_respaldos_destino")
    r = ejecutar_hijo(
        [str(RAIZ / "scripts" / "bench_respaldos.py")], url, {"BENCH_RESPALDOS_DESTINO": destino}
    )
    if r is None:
        return None
    mb = 1024 * 1024
    print()
    print(
        f"{r['casos']:,} casos ({r['renglones']:,} renglones en {r['tablas']} tablas, base de "
        f"{r['base_en_disco_bytes'] / mb:.0f} MB en disco) y {r['archivos']:,} PDF "
        f"({r['archivos_bytes'] / mb:.0f} MB); {r['herramienta']}, servidor {r['servidor']}"
    )
    tamano = f"{r['juego_bytes'] / mb:.1f} MB (base.dump {r['base_dump_bytes'] / mb:.1f} MB)"
    print(f"{'paso':<14}{'total s':>9}{'comando s':>11}{'base s':>8}{'juego':>30}")
    print(
        f"{'respaldar':<14}{r['respaldo_s']:>9.1f}{r['respaldo_comando_s']:>11.1f}"
        f"{r['respaldo_base_s']:>8.1f}{tamano:>30}"
    )
    print(
        f"{'restaurar':<14}{r['restauracion_s']:>9.1f}{r['restauracion_comando_s']:>11.1f}"
        f"{r['restauracion_base_s']:>8.1f}"
    )
    print(
        f"(«total» incluye arrancar Django: {r['arranque_django_s']:.1f} s con `manage.py check`)"
    )
    return r


def bench_agenda(url: str) -> dict | None:
    casos = int(os.getenv("BENCH_AGENDA_CASOS", "100000"))
    sesiones = int(os.getenv("BENCH_AGENDA_SESIONES", "10000"))
    print(
        f"[bench] Agenda de la oficina (semana): {casos:,} casos y {sesiones:,} sesiones futuras…",
        flush=True,
    )
    r = ejecutar_hijo([str(RAIZ / "scripts" / "bench_agenda.py")], url)
    if r is None:
        return None
    print()
    print(
        f"{r['casos']:,} casos y {r['sesiones_futuras']:,} sesiones futuras en {r['base']} "
        f"(llenado {r['llenado_s']:.0f} s); {r['muestras']} peticiones por semana"
    )
    encabezado = (
        ("semana", 10),
        ("sesiones", 10),
        ("p50 ms", 9),
        ("p95 ms", 9),
        ("consultas", 11),
        ("sin bitácora", 14),
    )
    print("".join(f"{t:>{n}}" for t, n in encabezado))
    for s in r["semanas"]:
        print(
            f"{s['semana']:>10}{s['sesiones']:>10,}{s['p50_ms']:>9.1f}{s['p95_ms']:>9.1f}"
            f"{s['consultas']:>11}{s['consultas_sin_bitacora']:>14}"
        )
    return r


def bench_horarios(url: str) -> dict | None:
    casos = int(os.getenv("BENCH_HORARIOS_CASOS", "100000"))
    sesiones = int(os.getenv("BENCH_HORARIOS_SESIONES", "10000"))
    print(
        f"[bench] Horarios libres de una sala: {casos:,} casos y hasta {sesiones:,} sesiones "
        "futuras…",
        flush=True,
    )
    r = ejecutar_hijo([str(RAIZ / "scripts" / "bench_horarios.py")], url)
    if r is None:
        return None
    print()
    print(
        f"Horarios libres de una sala ({r['base']}, {r['casos']:,} casos, "
        f"{r['muestras']} búsquedas)"
    )
    print(f"{'sesiones futuras':>17}{'en la base':>12}{'p50 ms':>9}{'p95 ms':>9}{'consultas':>11}")
    for m in r["medidas"]:
        consultas = (
            str(m["consultas_max"])
            if m["consultas_min"] == m["consultas_max"]
            else f"{m['consultas_min']}-{m['consultas_max']}"
        )
        print(
            f"{m['sesiones_futuras']:>17,}{m['sesiones_en_la_base']:>12,}"
            f"{m['p50_ms']:>9.2f}{m['p95_ms']:>9.2f}{consultas:>11}"
        )
    print("consultas constantes" if r["consultas_constantes"] else "¡las consultas cambian!")
    return r


def _fila_pagina(etiqueta: str, m: dict) -> str:
    return (
        f"{etiqueta:<44}{m['p50_ms']:>9.1f}{m['p95_ms']:>9.1f}{m['consultas']:>11}"
        f"{m.get('ms_en_consultas', 0):>15.1f}"
    )


def _por_clase(consultas: dict) -> str:
    return ", ".join(
        f"{clase} {c['consultas']}× {c['ms'] / 1000:.1f} s"
        for clase, c in sorted(consultas["por_clase"].items(), key=lambda x: -x[1]["ms"])
    )


_PAGINAS_TABLERO = (
    ("tablero", "Tablero (resumen), año en curso"),
    ("tablero_hace_dos_anios", "Tablero (resumen), año de hace dos"),
    ("tablero_filtrado", "Tablero con localidad (desde los hechos)"),
    ("transparencia", "Transparencia (pública)"),
    ("selector_resumen", "Selector solo, después (resumen)"),
    ("selector_hechos", "Selector solo, antes (desde_hechos=True)"),
)


def _imprimir_tamano_tablero(t: dict, objetivo: float) -> None:
    p = t["paginas"]
    print()
    print(
        f"{t['casos']:,} casos y {t['sesiones']:,} sesiones (llenado directo "
        f"{t['llenado']['segundos']:.0f} s, ANALYZE {t['llenado']['analyze_s']:.0f} s)"
    )
    print(
        f"Resumen rehecho completo (rehacer_dias): {t['resumen']['segundos']:.1f} s, "
        f"{t['resumen']['renglones']:,} renglones"
    )
    if "consultas" in t["resumen"]:
        print(f"  en la base: {_por_clase(t['resumen']['consultas'])}; el resto es Python")
    r = t["refresco"]
    print(
        f"Refresco incremental (refrescar) tras un evento en 100 casos: {r['segundos']:.2f} s "
        f"({r['casos']} casos, {r['dias']} días, {r['renglones']:,} renglones)"
    )
    if "consultas" in r:
        print(f"  en la base: {_por_clase(r['consultas'])}")
        for q in r["consultas"]["lentas"][:1]:
            print(f"  la consulta más lenta del refresco ({q['ms']:.0f} ms): {q['sql'][:300]}")
            print("  " + q["plan"].replace("\n", "\n  "))
    print(f"{'página':<44}{'p50 ms':>9}{'p95 ms':>9}{'consultas':>11}{'ms en la base':>15}")
    for clave, etiqueta in _PAGINAS_TABLERO:
        print(_fila_pagina(etiqueta, p[clave]))
    m = p["tablero"]
    if "gc_ms_total" in m:
        print(
            f"Recolector de basura de Python en /tablero/: {m['gc_ms_total']:.0f} ms en "
            f"{m['muestras']} muestras ({m['gc_gen2']} pasadas completas), "
            f"{m['gc_ms_en_la_mas_lenta']:.0f} ms en la muestra más lenta ({m['max_ms']:.0f} ms)"
        )
    antes, despues = p["selector_hechos"]["p95_ms"], p["selector_resumen"]["p95_ms"]
    print(f"Selector antes/después del resumen (p95): {antes / despues:.1f}x")
    partes = t.get("partes_del_tablero", {})
    if "selector" in partes:
        print(
            "Tablero (resumen) por partes, p50/p95 ms: "
            + " · ".join(f"{n} {v['p50_ms']:.1f}/{v['p95_ms']:.1f}" for n, v in partes.items())
        )
    for clave in ("tablero", "tablero_hace_dos_anios", "transparencia"):
        m = p[clave]
        cumple = "sí" if m["p95_ms"] <= objetivo else "no"
        print(
            f"{m['etiqueta']}: p95 {m['p95_ms']:.1f} ms, {m['consultas']} consultas; "
            f"≤ {objetivo:.0f} ms: {cumple}"
        )
    for clave, planes in t.get("explicados", {}).items():
        for q in planes:
            print(f"EXPLAIN ANALYZE de una consulta lenta de {clave} ({q['ms']:.1f} ms):")
            print("  " + q["sql"][:600])
            print("  " + q["plan"].replace("\n", "\n  "))


def _diferencias_de_consultas(tamanos: list[dict]) -> None:
    """Qué consultas sobran o faltan entre el primer y el último tamaño, por página."""
    from collections import Counter

    primero, ultimo = tamanos[0]["paginas"], tamanos[-1]["paginas"]
    for clave in primero:
        if "todas" not in primero[clave]:
            continue
        if primero[clave]["consultas"] == ultimo[clave]["consultas"]:
            continue
        # Sin los nombres de los cursores del servidor, que cambian en cada petición.
        a = Counter(re.sub(r"_django_curs_\w+", "", q) for q in primero[clave]["todas"])
        b = Counter(re.sub(r"_django_curs_\w+", "", q) for q in ultimo[clave]["todas"])
        print(f"  {clave}: {primero[clave]['consultas']} → {ultimo[clave]['consultas']} consultas")
        for sql, n in (b - a).items():
            print(f"    + {n}× {sql}")
        for sql, n in (a - b).items():
            print(f"    - {n}× {sql}")


def bench_tablero(url: str) -> dict | None:
    primero = int(os.getenv("BENCH_TABLERO_PRIMERO", "100000"))
    casos = int(os.getenv("BENCH_TABLERO_CASOS", "1000000"))
    print(
        f"[bench] Tablero y transparencia en PostgreSQL: {primero:,} y {casos:,} casos en cinco "
        "años…",
        flush=True,
    )
    r = ejecutar_hijo([str(RAIZ / "scripts" / "bench_tablero.py")], url)
    if r is None:
        return None
    print()
    reales, llenado = r["calculo_hechos_reales"], r["calculo_hechos_llenado"]
    print(
        f"Hechos calculados de verdad (hechos.calcular, lotes de 2,000): "
        f"{reales['por_segundo']:.0f} casos/s con {reales['casos']:,} casos recién recibidos "
        f"por el servicio; {llenado['por_segundo']:.0f} casos/s con {llenado['casos']:,} casos "
        "del llenado (con sesiones y cierre)"
    )
    print(
        f"Extrapolación (no medida) para 1,000,000 de casos: "
        f"{r['extrapolacion_1m_s'] / 60:.0f} min a la primera tasa, "
        f"{r['extrapolacion_1m_llenado_s'] / 60:.0f} min a la segunda"
    )
    for t in r["tamanos"]:
        _imprimir_tamano_tablero(t, r["objetivo_ms"])
    print()
    print(
        "consultas constantes en el número de casos"
        if r["consultas_constantes"]
        else "¡las consultas cambian con el número de casos!"
    )
    _diferencias_de_consultas(r["tamanos"])
    print(f"(medición completa: {r['total_s'] / 60:.1f} min)")
    return r


def bench_conservacion(url: str) -> dict | None:
    casos = int(os.getenv("BENCH_CONSERVACION_CASOS", "100000"))
    print(
        f"[bench] Conservación de los datos en PostgreSQL: {casos:,} casos en cinco años…",
        flush=True,
    )
    r = ejecutar_hijo([str(RAIZ / "scripts" / "bench_conservacion.py")], url)
    if r is None:
        return None
    print()
    print(
        f"{r['casos']:,} casos ({r['concluidos']:,} concluidos), {r['partes']:,} partes; "
        f"llenado {r['llenado']['segundos']:.0f} s + partes y eventos "
        f"{r['partes_y_eventos']['segundos']:.0f} s"
    )
    print(f"{'corrida':<24}{'al día':>12}{'bloqueados':>12}{'suprimidos':>12}{'s':>9}{'exp/s':>9}")
    for nombre, c in r["corridas"].items():
        print(
            f"{nombre:<24}{c['al_dia']:>12}{c['bloqueados']:>12,}{c['suprimidos']:>12,}"
            f"{c['segundos']:>9.1f}{c['expedientes_por_segundo']:>9.0f}"
        )
    print(f"partes de expedientes suprimidos que aún tienen nombre: {r['nombres_en_suprimidos']}")
    return r


def bench_modulos(url: str) -> dict | None:
    solicitudes = int(os.getenv("BENCH_MODULOS_SOLICITUDES", "500"))
    print(
        f"[bench] Módulo itinerante: {solicitudes:,} solicitudes sin conexión en un solo lote…",
        flush=True,
    )
    r = ejecutar_hijo([str(RAIZ / "scripts" / "bench_modulos.py")], url)
    if r is None:
        return None
    lote, otra = r["lote"], r["lote_repetido"]
    print()
    print(
        f"{r['solicitudes']:,} solicitudes en {r['base']}: {lote['solicitudes_por_segundo']:.0f} "
        f"solicitudes/s ({lote['segundos']:.1f} s el lote), por solicitud p50 "
        f"{lote['p50_ms']:.1f} ms, p95 {lote['p95_ms']:.1f} ms"
    )
    print(
        f"El mismo lote otra vez: {otra['segundos']:.2f} s, {otra['repetidas']:,} repetidas, "
        f"p95 {otra['p95_ms']:.1f} ms; mismos folios: {'sí' if otra['mismos_folios'] else 'NO'}"
    )
    if r["paralelo"]:
        p = r["paralelo"]
        print(
            f"El mismo lote desde {p['hilos']} conexiones a la vez: {p['segundos']:.1f} s, "
            f"{p['errores']} errores"
        )
    print(
        f"Casos nuevos {r['casos_nuevos']:,} + por decidir {r['por_decidir']:,} "
        f"(capturas {r['capturas']:,}, rechazadas {r['rechazadas']}): "
        + ("cero duplicados" if r["cero_duplicados"] else "¡HAY DUPLICADOS O FALTANTES!")
    )
    return r if r["cero_duplicados"] else None


def bench_personal(url: str) -> dict | None:
    casos = int(os.getenv("BENCH_PERSONAL_CASOS", "100000"))
    print(
        f"[bench] Páginas del personal en PostgreSQL: {casos:,} casos, cliente de pruebas y "
        "wrk (gunicorn con 2 workers, 20 conexiones, con sesión)…",
        flush=True,
    )
    r = ejecutar_hijo([str(RAIZ / "scripts" / "bench_personal.py")], url)
    if r is None:
        return None
    print()
    print(
        f"{r['casos']:,} casos con su tarea abierta, {r['sesiones_futuras']:,} sesiones futuras "
        f"(llenado {r['llenado_s']:.0f} s); cliente de pruebas: {r['muestras']} muestras; wrk: "
        f"{r['conexiones']} conexiones, {r['segundos']} s, gunicorn {r['gunicorn_workers']} workers"
    )
    print(
        f"{'página':<58}{'p50 ms':>8}{'p95 ms':>8}{'consultas':>10}{'en base':>9}"
        f"{'wrk pet/s':>10}{'p50 ms':>8}{'p95 ms':>8}{'errores':>8}"
    )
    errores = 0
    for clave, c in r["cliente"].items():
        w = r["wrk"].get(clave)
        fila = (
            f"{c['etiqueta']:<58}{c['p50_ms']:>8.1f}{c['p95_ms']:>8.1f}{c['consultas']:>10}"
            f"{c['ms_en_consultas']:>9.1f}"
        )
        if w:
            errores += w["errores"]
            fila += (
                f"{w['por_segundo']:>10.0f}{w['p50_ms']:>8.1f}{w['p95_ms']:>8.1f}{w['errores']:>8}"
            )
        print(fila)
    fuera = [c["etiqueta"] for c in r["cliente"].values() if c["p95_ms"] > r["objetivo_ms"]]
    print(
        f"p95 del cliente de pruebas ≤ {r['objetivo_ms']} ms: "
        + ("todas" if not fuera else "no en " + "; ".join(fuera))
    )
    if errores:
        print(f"[bench] {errores} errores bajo wrk en las páginas del personal", file=sys.stderr)
        return None
    return r


def bench_crecimiento(url: str) -> dict | None:
    from bench_crecimiento import MEDIDAS, TAMANOS

    print(
        "[bench] Crecimiento en PostgreSQL: las mismas medidas con "
        + ", ".join(f"{t:,}" for t in TAMANOS)
        + " casos…",
        flush=True,
    )
    r = ejecutar_hijo([str(RAIZ / "scripts" / "bench_crecimiento.py")], url)
    if r is None:
        return None
    t = r["tamanos"]
    print()
    print(
        "Llenado (SQL): "
        + " · ".join(f"hasta {ll['casos']:,} en {ll['total_s']:.0f} s" for ll in r["llenados"])
        + f"; {r['muestras']} muestras por página, {r['recepciones']} recepciones"
    )
    print(
        f"{'medida':<38}"
        + "".join(
            f"{format(x['casos'], ',') + ': p50/p95 ms':>25}{'cons.':>6}{'×piso':>7}" for x in t
        )
        + f"{'mayor/menor p50':>16}{'×piso':>7}"
    )
    for clave, etiqueta in MEDIDAS:
        p50 = [x[clave]["p50_ms"] for x in t]
        razones = [x[clave]["razon_piso"] for x in t if x[clave].get("razon_piso")]
        print(
            f"{etiqueta:<38}"
            + "".join(
                f"{x[clave]['p50_ms']:>16.2f} /{x[clave]['p95_ms']:>7.2f}{x[clave]['consultas']:>6}"
                + (f"{x[clave]['razon_piso']:>6.1f}x" if x[clave].get("razon_piso") else f"{'':>7}")
                for x in t
            )
            + f"{max(p50) / min(p50):>15.2f}x"
            + (f"{max(razones) / min(razones):>6.2f}x" if razones else "")
        )
    print(
        "×piso: la recepción contra los mismos renglones a mano; cada página contra /_piso/ "
        "(toda la pila de middleware), medidos alternando en la misma corrida"
    )
    for x in t:
        c = x.get("plan_cola") or {}
        if c:
            a, b = c["tal_cual"], c["sin_redundancia"]
            print(
                f"Cola con {x['casos']:,} casos, primera página: {a['ms']:.1f} ms por "
                f"{a['indice']} (estimadas {a['estimadas']}, reales {a['reales']}); sin "
                f"`status IN (abiertas)` redundante: {b['ms']:.1f} ms por {b['indice']}"
            )
    for clave, planes in r["planes"].items():
        for q in planes[:1]:
            print(
                f"La lectura más lenta de {clave} con {t[-1]['casos']:,} casos ({q['ms']:.1f} ms):"
            )
            print("  " + q["sql"][:400])
            print("  " + q["plan"].replace("\n", "\n  "))
    print("Enunciados de una recepción por el servicio:")
    for k, sql in enumerate(t[-1]["recepcion"]["enunciados"], 1):
        print(f"  {k:>2}. {sql[:220]}")
    print(f"(etapa completa: {r['total_s'] / 60:.1f} min)")
    return r


def en_sqlite(nombre: str, medir_etapa, destino: Path) -> int:
    """Sin PostgreSQL, una etapa (la agenda, los horarios libres) se mide en una base SQLite
    nueva."""
    with tempfile.TemporaryDirectory() as tmp:
        resultado = medir_etapa(f"sqlite:///{tmp}/{nombre}.sqlite3")
    if resultado is None:
        return 1
    (destino / f"{nombre}_sqlite.json").write_text(json.dumps(resultado, indent=2))
    return 0


def imprimir(resultados: list[dict]) -> None:
    print()
    print("Recepción de solicitudes (una transacción por caso)")
    print(f"{'base':<12}{'existentes':>11}{'medida':>18}{'casos/s':>10}{'p50 ms':>9}{'p95 ms':>9}")
    for r in resultados:
        for clave, etiqueta in (
            ("piso_create", "piso create()"),
            ("servicio", "recibir_solicitud"),
            ("formulario_post", "POST formulario"),
        ):
            m = r[clave]
            print(
                f"{r['base']:<12}{r['casos_existentes']:>11,}{etiqueta:>18}"
                f"{m['por_segundo']:>10.0f}{m['p50_ms']:>9.2f}{m['p95_ms']:>9.2f}"
            )
        print(
            f"{'':<12}{'':>11}{'servicio/piso (p50)':>18}{r['razon_servicio_vs_piso_p50']:>10.1f}x"
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--existentes", type=int, default=100_000)
    parser.add_argument("--muestras", type=int, default=500)
    parser.add_argument("--hijo", help=argparse.SUPPRESS)
    parser.add_argument("--solo-recepcion", action="store_true")
    parser.add_argument("--solo-documentos", action="store_true")
    parser.add_argument("--solo-memoria-pdf", action="store_true")
    parser.add_argument("--solo-avisos", action="store_true")
    parser.add_argument("--solo-portal", action="store_true")
    parser.add_argument("--solo-broker", action="store_true")
    parser.add_argument("--solo-importacion", action="store_true")
    parser.add_argument("--solo-respaldos", action="store_true")
    parser.add_argument("--solo-agenda", action="store_true")
    parser.add_argument("--solo-horarios", action="store_true")
    parser.add_argument("--solo-tablero", action="store_true")
    parser.add_argument("--solo-conservacion", action="store_true")
    parser.add_argument("--solo-comunidad", action="store_true")
    parser.add_argument("--solo-modulos", action="store_true")
    parser.add_argument("--solo-personal", action="store_true")
    parser.add_argument("--solo-crecimiento", action="store_true")
    args = parser.parse_args()
    if args.hijo:
        print(json.dumps(medir(args.hijo, args.existentes, args.muestras)))
        return 0

    destino = RAIZ / "var" / "bench"
    destino.mkdir(parents=True, exist_ok=True)
    if os.getenv("DATABASE_URL", "").startswith("postgres") and not args.solo_recepcion:
        etapas = (
            ("portal", bench_portal, args.solo_portal),
            ("avisos", bench_avisos, args.solo_avisos),
            ("documentos", bench_documentos, args.solo_documentos),
            ("memoria_pdf", bench_memoria_pdf, args.solo_memoria_pdf),
            ("broker_caido", bench_broker_caido, args.solo_broker),
            ("importacion", bench_importacion, args.solo_importacion),
            ("respaldos", bench_respaldos, args.solo_respaldos),
            ("agenda", bench_agenda, args.solo_agenda),
            ("horarios", bench_horarios, args.solo_horarios),
            ("tablero", bench_tablero, args.solo_tablero),
            ("conservacion", bench_conservacion, args.solo_conservacion),
            ("comunidad", bench_comunidad, args.solo_comunidad),
            ("modulos", bench_modulos, args.solo_modulos),
            ("personal", bench_personal, args.solo_personal),
            ("crecimiento", bench_crecimiento, args.solo_crecimiento),
        )
        # Con un --solo-…, solo esa etapa (y no las que van antes en la lista).
        alguna_sola = any(sola for _, _, sola in etapas)
        for nombre, medir_etapa, sola in etapas:
            if alguna_sola and not sola:
                continue
            resultado = medir_etapa(
                preparar_postgres(os.environ["DATABASE_URL"], f"expedientes_bench_{nombre}")
            )
            if resultado is None:
                return 1
            (destino / f"{nombre}.json").write_text(json.dumps(resultado, indent=2))
            if sola:
                return 0

    for nombre, medir_etapa, sola in (
        ("agenda", bench_agenda, args.solo_agenda),
        ("horarios", bench_horarios, args.solo_horarios),
        ("modulos", bench_modulos, args.solo_modulos),
    ):
        if sola:
            return en_sqlite(nombre, medir_etapa, destino)

    bases = []
    with tempfile.TemporaryDirectory() as tmp:
        bases.append(("SQLite", f"sqlite:///{tmp}/bench.sqlite3"))
        if os.getenv("DATABASE_URL", "").startswith("postgres"):
            bases.append(("PostgreSQL", preparar_postgres(os.environ["DATABASE_URL"])))
        resultados = []
        for nombre, url in bases:
            print(f"[bench] {nombre}: llenando {args.existentes:,} casos y midiendo…", flush=True)
            resultado = ejecutar_hijo(
                [
                    __file__,
                    "--hijo",
                    nombre,
                    "--existentes",
                    str(args.existentes),
                    "--muestras",
                    str(args.muestras),
                ],
                url,
            )
            if resultado is None:
                return 1
            resultados.append(resultado)
    imprimir(resultados)
    (destino / "recepcion.json").write_text(json.dumps(resultados, indent=2))
    if os.getenv("DATABASE_URL", "").startswith("postgres") and not args.solo_recepcion:
        flujos = bench_flujos(
            preparar_postgres(os.environ["DATABASE_URL"], "expedientes_bench_flujos")
        )
        if flujos is None:
            return 1
        (destino / "flujos.json").write_text(json.dumps(flujos, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Benchmark de la sincronización del módulo itinerante (se ejecuta desde scripts/bench.py
con DATABASE_URL en una base nueva; `bench.py --solo-modulos`).

Una jornada capturada sin conexión: BENCH_MODULOS_SOLICITUDES (500) solicitudes en un solo
lote, enviadas como las envía el equipo (POST JSON a /modulos/sincronizar/ con la sesión de
la operadora). Una de cada diez trae el teléfono de un caso abierto (queda por decidir).
Mide:
  - el lote completo: solicitudes/s, y p50/p95 por solicitud (el servicio de cada renglón),
  - el mismo lote otra vez (una conexión cortada que reintenta): tiempo y repetidas,
  - el mismo lote desde BENCH_MODULOS_HILOS (4) conexiones a la vez (solo PostgreSQL),
y comprueba que al final hay exactamente un caso o una captura por decidir por solicitud.
Imprime un JSON al final.
"""

import json
import os
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

SOLICITUDES = int(os.getenv("BENCH_MODULOS_SOLICITUDES", "500"))
HILOS = int(os.getenv("BENCH_MODULOS_HILOS", "4"))
EXISTENTES = int(os.getenv("BENCH_MODULOS_EXISTENTES", "50"))


def percentil(valores: list[float], p: float) -> float:
    ordenados = sorted(valores)
    k = max(0, min(len(ordenados) - 1, round(p / 100 * (len(ordenados) - 1))))
    return ordenados[k]


def medir() -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from casos import services as casos_services
    from casos.models import AvisoPrivacidad, Canal, Caso, Categoria, Localidad, Modulo, TipoCaso
    from modulos import services
    from modulos.models import CapturaDeCampo, ResultadoCaptura

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DOS_PASOS_OBLIGATORIO_ROLES = []
    call_command("migrate", verbosity=0)
    categoria = Categoria.objects.filter(tipo=TipoCaso.ASESORIA).first()
    localidad = Localidad.objects.first()
    aviso = AvisoPrivacidad.vigente()
    modulo = Modulo.objects.create(
        nombre="Jornada del benchmark",
        lugar="Plaza principal",
        localidad=localidad,
        fecha=timezone.localdate(),
    )
    operadora, _ = User.objects.get_or_create(username="bench-modulo")
    operadora.groups.add(Group.objects.get(name="operador"))
    for n in range(EXISTENTES):
        casos_services.recibir_solicitud(
            tipo=TipoCaso.ASESORIA,
            canal=Canal.TELEFONO,
            categoria=categoria,
            localidad=localidad,
            resumen="Caso abierto de antes.",
            solicitante=casos_services.DatosPersona(
                nombre=f"Existente {n}", telefono=f"+52391{5000000 + n}"
            ),
            aviso=aviso,
        )
    casos_antes = Caso.objects.count()
    inicio_jornada = timezone.now() - timedelta(hours=5)
    lote = []
    for n in range(SOLICITUDES):
        duplicado = n % 10 == 0 and n // 10 < EXISTENTES
        telefono = f"391{5000000 + n // 10}" if duplicado else f"391{7000000 + n}"
        lote.append(
            {
                "id": str(uuid.uuid4()),
                "capturado_en": (inicio_jornada + timedelta(seconds=30 * n)).isoformat(),
                "datos": {
                    "modulo": modulo.pk,
                    "tipo": TipoCaso.ASESORIA,
                    "categoria": categoria.pk,
                    "localidad": localidad.pk,
                    "nombre": f"Persona del módulo {n}",
                    "telefono": telefono,
                    "avisos_por": "",
                    "resumen": "Pide orientación sobre el trámite de su terreno ejidal.",
                    "aviso": True,
                },
            }
        )
    cuerpo = json.dumps({"capturas": lote})

    # El tiempo de cada renglón, sin cambiar lo que hace el servicio.
    tiempos: list[float] = []
    original = services.sincronizar_captura

    def cronometrada(**kwargs):
        t = time.perf_counter()
        try:
            return original(**kwargs)
        finally:
            tiempos.append((time.perf_counter() - t) * 1000)

    services.sincronizar_captura = cronometrada
    cliente = Client()
    cliente.force_login(operadora)

    def enviar() -> tuple[float, list[dict]]:
        t = time.perf_counter()
        respuesta = cliente.post("/modulos/sincronizar/", cuerpo, content_type="application/json")
        total = time.perf_counter() - t
        assert respuesta.status_code == 200, respuesta.status_code
        return total, respuesta.json()["resultados"]

    total, primera = enviar()
    por_solicitud = list(tiempos)
    tiempos.clear()
    total_repetido, segunda = enviar()
    repetido = list(tiempos)
    services.sincronizar_captura = original

    paralelo = None
    if connection.vendor == "postgresql":
        errores: list[Exception] = []
        barrera = threading.Barrier(HILOS)

        def hilo():
            try:
                barrera.wait()
                services.sincronizar_lote(renglones=lote, actor=operadora)
            except Exception as error:  # se reporta abajo
                errores.append(error)
            finally:
                connections.close_all()

        t = time.perf_counter()
        hilos = [threading.Thread(target=hilo) for _ in range(HILOS)]
        for h in hilos:
            h.start()
        for h in hilos:
            h.join()
        paralelo = {"hilos": HILOS, "segundos": time.perf_counter() - t, "errores": len(errores)}

    nuevos = Caso.objects.count() - casos_antes
    capturas = CapturaDeCampo.objects.count()
    por_decidir = CapturaDeCampo.objects.filter(resultado=ResultadoCaptura.POR_DECIDIR).count()
    rechazadas = sum(1 for r in primera if r["estado"] == "rechazada")
    return {
        "base": connection.vendor,
        "solicitudes": SOLICITUDES,
        "lote": {
            "segundos": total,
            "solicitudes_por_segundo": SOLICITUDES / total,
            "p50_ms": percentil(por_solicitud, 50),
            "p95_ms": percentil(por_solicitud, 95),
        },
        "lote_repetido": {
            "segundos": total_repetido,
            "solicitudes_por_segundo": SOLICITUDES / total_repetido,
            "p95_ms": percentil(repetido, 95),
            "repetidas": sum(1 for r in segunda if r["repetida"]),
            "mismos_folios": [r["folio"] for r in primera] == [r["folio"] for r in segunda],
        },
        "paralelo": paralelo,
        "casos_nuevos": nuevos,
        "capturas": capturas,
        "por_decidir": por_decidir,
        "rechazadas": rechazadas,
        "cero_duplicados": nuevos + por_decidir == SOLICITUDES and capturas == SOLICITUDES,
    }


if __name__ == "__main__":
    print(json.dumps(medir()))

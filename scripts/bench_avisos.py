#!/usr/bin/env python3
"""Benchmark de la bandeja de salida (en PostgreSQL, con Redis y un worker real).

1. Avisos por segundo a través de UN worker de Celery (pool solo) con un proveedor HTTP que
   no hace nada (responde 201 al instante): mide reclamo + redacción + llamada + cierre.
2. El barrido de recordatorios con 1,000,000 de avisos pendientes a futuro: tiempo de una
   vuelta sin nada que enviar, y con 500 que ya llegaron a su hora; el EXPLAIN de su consulta.

Se ejecuta desde bench.py con DATABASE_URL (base nueva) y CELERY_BROKER_URL (Redis).
Imprime un JSON en la última línea.
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

PENDIENTES = int(os.getenv("BENCH_RECORDATORIOS", "1000000"))
MENSAJES = int(os.getenv("BENCH_AVISOS", "2000"))


def preparar():
    from django.core.management import call_command

    from casos.models import AvisoPrivacidad, Categoria, Localidad, TipoCaso
    from casos.services import DatosPersona, recibir_solicitud

    call_command("migrate", verbosity=0)
    return recibir_solicitud(
        tipo=TipoCaso.ASESORIA,
        canal="telefono",
        categoria=Categoria.objects.filter(tipo=TipoCaso.ASESORIA).first(),
        localidad=Localidad.objects.first(),
        resumen="Pregunta por un trámite.",
        solicitante=DatosPersona(nombre="Ana Bench", telefono="+523312345678"),
        aviso=AvisoPrivacidad.vigente(),
    ).caso


def medir_envio(caso, carpeta: Path) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from notificaciones.models import EstadoMensaje, Mensaje
    from notificaciones.services import avisar_a_parte
    from notificaciones.tasks import enviar_aviso
    from nucleo.colas import encolar
    from scripts import procesos
    from scripts.simuladores import ProveedorTwilio

    proveedor = ProveedorTwilio(nulo=True).iniciar()
    entorno = {**os.environ, **proveedor.entorno(), "AVISOS_CORREO": "", "LOG_LEVEL": "WARNING"}
    worker = procesos.worker(entorno, carpeta / "worker.log", beat=False, colas="celery")
    try:
        parte = caso.solicitante
        futuro = timezone.now() + timedelta(days=30)
        ids = []
        for n in range(MENSAJES + 1):
            ids += [m.pk for m in avisar_a_parte(parte, "acuse", f"bench:{n}", cuando=futuro)]
        calentamiento, ids = ids[0], ids[1:]
        Mensaje.objects.filter(pk__in=[calentamiento, *ids]).update(programado_para=timezone.now())
        encolar(enviar_aviso, calentamiento)
        limite = time.monotonic() + 120
        while Mensaje.objects.get(pk=calentamiento).estado != EstadoMensaje.ENVIADO:
            if time.monotonic() > limite or worker.poll() is not None:
                raise RuntimeError("El worker no envió el aviso de calentamiento.")
            time.sleep(0.1)
        inicio = time.monotonic()
        for pk in ids:
            encolar(enviar_aviso, pk)
        publicado = time.monotonic() - inicio
        limite = time.monotonic() + 600
        while Mensaje.objects.filter(pk__in=ids, estado=EstadoMensaje.ENVIADO).count() < len(ids):
            if time.monotonic() > limite:
                raise RuntimeError("La cola de avisos no terminó en 10 minutos.")
            time.sleep(0.2)
        segundos = time.monotonic() - inicio
    finally:
        procesos.detener(worker)
        proveedor.detener()
    return {
        "avisos": len(ids),
        "segundos": segundos,
        "por_segundo": len(ids) / segundos,
        "publicar_segundos": publicado,
        "broker": os.environ.get("CELERY_BROKER_URL", "").split("://")[0],
    }


def medir_barrido(caso) -> dict:
    from django.db import connection
    from django.utils import timezone

    from notificaciones.models import EstadoMensaje, Mensaje
    from notificaciones.services import despachar, recuperar_reclamos

    parte = caso.solicitante
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        # Recordatorios a futuro repartidos en 90 días, como los que deja cada sesión.
        cursor.execute(
            """
            INSERT INTO notificaciones_mensaje
              (llave, plantilla, canal, destino, caso_id, parte_id, contexto, referencia,
               estado, programado_para, intentos, en_duda, ultimo_error, proveedor_id, asunto,
               texto, creado_en)
            SELECT 'bench-recordatorio:' || g, 'recordatorio_sesion', 'sms', %s, %s, %s,
                   '{}'::jsonb, 'sesion:' || (g / 2), 'pendiente',
                   now() + interval '1 hour' + (g %% 129600) * interval '1 minute', 0, false,
                   '', '', '', '', now()
            FROM generate_series(1, %s) AS g
            """,
            [parte.telefono, caso.pk, parte.pk, PENDIENTES],
        )
        cursor.execute("ANALYZE notificaciones_mensaje")
    llenado = time.perf_counter() - t0

    def vuelta() -> tuple[float, int]:
        inicio = time.perf_counter()
        encolados = recuperar_reclamos() + despachar()
        return (time.perf_counter() - inicio) * 1000, encolados

    vacias = sorted(vuelta()[0] for _ in range(20))
    # 500 ya llegaron a su hora (p. ej. los de 24 h de las sesiones de mañana).
    debidos = list(
        Mensaje.objects.filter(estado=EstadoMensaje.PENDIENTE)
        .order_by("programado_para")
        .values_list("pk", flat=True)[:500]
    )
    Mensaje.objects.filter(pk__in=debidos).update(programado_para=timezone.now())
    con_debidos, encolados = vuelta()
    consulta = (
        Mensaje.objects.filter(estado=EstadoMensaje.PENDIENTE, programado_para__lte=timezone.now())
        .order_by("programado_para")
        .values_list("pk", flat=True)[:500]
    )
    plan = consulta.explain(analyze=True)
    plan_reclamos = Mensaje.objects.filter(
        estado=EstadoMensaje.ENVIANDO, reclamado_hasta__lt=timezone.now()
    ).explain()
    return {
        "pendientes": Mensaje.objects.filter(estado=EstadoMensaje.PENDIENTE).count(),
        "llenado_s": llenado,
        "vuelta_vacia_p50_ms": vacias[len(vacias) // 2],
        "vuelta_vacia_max_ms": vacias[-1],
        "vuelta_con_500_ms": con_debidos,
        "encolados": encolados,
        "explain": plan,
        "explain_reclamos": plan_reclamos,
        "usa_indice": "mensaje_por_enviar_idx" in plan and "Seq Scan" not in plan,
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    caso = preparar()
    with tempfile.TemporaryDirectory() as carpeta:
        envio = medir_envio(caso, Path(carpeta))
    resultado = {"envio": envio, "barrido": medir_barrido(caso)}
    print(json.dumps(resultado))
    return 0


if __name__ == "__main__":
    sys.exit(main())

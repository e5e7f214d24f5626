#!/usr/bin/env python3
"""Benchmark de un aviso comunitario a 10,000 contactos (en PostgreSQL, con Redis y un worker
real).

Dos listas que comparten 1,000 contactos (10,000 distintos). La coordinación envía el aviso
(`comunidad.services.enviar_aviso`) y UN worker de Celery (pool solo) lo reparte (escribe un
mensaje por contacto en la bandeja de salida, por lotes) y luego envía cada mensaje a un
proveedor HTTP que no hace nada (responde 201 al instante). Mide:

1. el reparto: mensajes escritos por segundo (de confirmar a `repartido_en`);
2. el envío: mensajes enviados por segundo (del fin del reparto al último enviado);
3. repartir otra vez el mismo aviso (el barrido lo volvió a encolar): cuánto tarda en no
   escribir nada.

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

CONTACTOS = int(os.getenv("BENCH_COMUNIDAD_CONTACTOS", "10000"))


def preparar():
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.utils import timezone

    from casos.models import AvisoPrivacidad, Localidad
    from comunidad import services
    from comunidad.models import Contacto, Membresia

    call_command("migrate", verbosity=0)
    coordinadora = User.objects.create_user("coordinadora-bench")
    coordinadora.groups.add(Group.objects.get(name="coordinador"))
    localidad = Localidad.objects.get(nombre="Milpillas")
    aviso = AvisoPrivacidad.vigente()
    Contacto.objects.bulk_create(
        (
            Contacto(
                nombre=f"Contacto {n}",
                telefono=f"+52391{n:07d}",
                localidad=localidad,
                consentimiento_fecha=timezone.localdate(),
                consentimiento_forma="escrito",
                consentimiento_aviso=aviso,
                consentimiento_registrado_por=coordinadora,
            )
            for n in range(CONTACTOS)
        ),
        batch_size=2000,
    )
    contactos = list(Contacto.objects.order_by("pk").values_list("pk", flat=True))
    mitad = CONTACTOS // 2
    comite = services.crear_lista(nombre="Comité", localidad=localidad)
    lideres = services.crear_lista(nombre="Líderes", localidad=localidad)
    Membresia.objects.bulk_create(
        [Membresia(lista=comite, contacto_id=pk) for pk in contactos[: mitad + CONTACTOS // 20]]
        + [Membresia(lista=lideres, contacto_id=pk) for pk in contactos[mitad - CONTACTOS // 20 :]],
        batch_size=2000,
    )
    return coordinadora, [comite, lideres]


def esperar(condicion, segundos: float, que: str, worker) -> float:
    limite = time.monotonic() + segundos
    while not condicion():
        if time.monotonic() > limite:
            raise RuntimeError(f"No terminó a tiempo: {que}.")
        if worker.poll() is not None:
            raise RuntimeError(f"El worker se detuvo: {que}.")
        time.sleep(0.2)
    return time.monotonic()


def medir(coordinadora, listas, carpeta: Path) -> dict:
    from django.db import transaction

    from comunidad import services
    from comunidad.models import AvisoComunitario
    from comunidad.selectors import destinatarios
    from notificaciones.models import EstadoMensaje, Mensaje
    from scripts import procesos
    from scripts.simuladores import ProveedorTwilio

    proveedor = ProveedorTwilio(nulo=True).iniciar()
    entorno = {**os.environ, **proveedor.entorno(), "AVISOS_CORREO": "", "LOG_LEVEL": "WARNING"}
    bitacora = carpeta / "worker.log"
    worker = procesos.worker(entorno, bitacora, beat=False, colas="celery", nivel="INFO")
    try:
        esperar(
            lambda: bitacora.exists() and " ready." in bitacora.read_text(errors="replace"),
            120,
            "arranque del worker",
            worker,
        )
        # Lo que cuesta la página de confirmación: contar los destinatarios (sin repetir, sin
        # bajas ni sin consentimiento).
        conteos = []
        for _ in range(7):
            t0 = time.perf_counter()
            destinatarios(listas).count()
            conteos.append((time.perf_counter() - t0) * 1000)
        inicio = time.monotonic()
        with transaction.atomic():
            aviso = services.enviar_aviso(
                texto="Módulo itinerante en Milpillas el sábado 12, 9 a 13 h, en la plaza",
                listas=listas,
                actor=coordinadora,
            )
        confirmado = time.monotonic() - inicio
        repartido = esperar(
            lambda: AvisoComunitario.objects.filter(
                pk=aviso.pk, repartido_en__isnull=False
            ).exists(),
            1800,
            "reparto",
            worker,
        )
        mensajes = Mensaje.objects.filter(plantilla="comunitario")
        escritos = mensajes.count()
        enviado = esperar(
            lambda: mensajes.filter(estado=EstadoMensaje.ENVIADO).count() >= escritos,
            3600,
            "envío",
            worker,
        )
    finally:
        procesos.detener(worker)
        proveedor.detener()
    # Otra vez el mismo reparto (p. ej. el barrido lo volvió a encolar): nada nuevo.
    AvisoComunitario.objects.filter(pk=aviso.pk).update(repartido_en=None, reparto_hasta=None)
    t0 = time.monotonic()
    nuevas = services.repartir(aviso.pk)
    repetido = time.monotonic() - t0
    reparto_s = repartido - inicio
    envio_s = enviado - repartido
    return {
        "contactos": CONTACTOS,
        "destinatarios": aviso.destinatarios,
        "mensajes": escritos,
        "contar_destinatarios_ms": sorted(conteos)[len(conteos) // 2],
        "confirmar_s": confirmado,
        "reparto_s": reparto_s,
        "reparto_por_segundo": escritos / reparto_s,
        "envio_s": envio_s,
        "envio_por_segundo": escritos / envio_s,
        "total_s": enviado - inicio,
        "repetido_s": repetido,
        "repetido_nuevas": nuevas,
        "duplicados": escritos - len(set(mensajes.values_list("destino", flat=True))),
        "broker": os.environ.get("CELERY_BROKER_URL", "").split("://")[0],
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    coordinadora, listas = preparar()
    with tempfile.TemporaryDirectory() as carpeta:
        resultado = medir(coordinadora, listas, Path(carpeta))
    print(json.dumps(resultado))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Benchmark de flujos (se ejecuta desde scripts/bench.py, con DATABASE_URL ya fijada).

1. Casos de mediación por segundo por todo el flujo (recepción → cierre con convenio
   cumplido), por los servicios y la API de tareas, con los temporizadores disparados.
2. Bandeja y cola con 10,000 y 100,000 procesos: p50/p95 de la página (cliente de pruebas)
   y consultas por página, junto a las consultas que hacen las vistas de bandeja y cola de
   viewflow (su queryset y sus columnas por renglón, más el caso que cada renglón muestra).
"""

import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))


def percentil(valores, p):
    ordenados = sorted(valores)
    return ordenados[max(0, min(len(ordenados) - 1, round(p / 100 * (len(ordenados) - 1))))]


def flujo_completo(casos: int) -> dict:
    from django.contrib.auth.models import Group, User
    from django.utils import timezone
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS
    from viewflow.workflow.timers import fire_due_timers

    from casos.calendario import Calendario
    from casos.models import AvisoPrivacidad, Categoria, Localidad, PerfilMediador, RolParte, Sesion
    from casos.services import DatosPersona, recibir_solicitud
    from casos.services import mediacion as med
    from flujos import services as acciones
    from flujos.tareas import procesos_de

    coord, _ = User.objects.get_or_create(username="bench-coord")
    coord.groups.add(Group.objects.get(name="coordinador"))
    mediadores = []
    for i in range(4):
        m, _ = User.objects.get_or_create(username=f"bench-mediador-{i}")
        m.groups.add(Group.objects.get(name="mediador"))
        PerfilMediador.objects.get_or_create(
            usuario=m,
            defaults={
                "numero_certificacion": f"B-{i}",
                "certificado_hasta": timezone.localdate() + timedelta(days=900),
            },
        )
        mediadores.append(m)
    categoria = Categoria.objects.filter(tipo="MED", canalizar=False).first()
    localidad = Localidad.objects.first()
    aviso = AvisoPrivacidad.vigente()
    cal = Calendario()

    def tarea(caso, nombre):
        return next(
            t
            for t in Task.objects.filter(
                process__in=procesos_de(caso),
                flow_task_type="HUMAN",
                status__in=[STATUS.NEW, STATUS.ASSIGNED],
            )
            if t.flow_task.name == nombre
        )

    def paso(caso, nombre, usuario, accion):
        t = tarea(caso, nombre)
        if t.owner_id is None:
            acciones.tomar_tarea(task=t, usuario=usuario)
        acciones.completar_tarea(task=Task.objects.get(pk=t.pk), usuario=usuario, accion=accion)

    tiempos = []
    inicio_total = time.perf_counter()
    for n in range(casos):
        t0 = time.perf_counter()
        caso = recibir_solicitud(
            tipo="MED",
            canal="telefono",
            categoria=categoria,
            localidad=localidad,
            resumen="Ruido",
            solicitante=DatosPersona(nombre=f"Bench {n}", telefono=f"+5233{70000000 + n}"),
            otra_parte=DatosPersona(nombre="Vecino", domicilio="Calle 1"),
            aviso=aviso,
        ).caso
        mediador = mediadores[n % len(mediadores)]
        paso(caso, "revisar", coord, lambda: med.admitir(caso=caso, actor=coord))
        paso(
            caso,
            "asignar",
            coord,
            lambda: med.asignar_responsable(caso=caso, actor=coord, responsable=mediador),
        )
        paso(
            caso,
            "invitar",
            mediador,
            lambda: med.registrar_invitacion(
                caso=caso,
                actor=mediador,
                medio="personal",
                fecha=timezone.now(),
                respuesta="acepta",
            ),
        )
        dia = cal.sumar(timezone.localdate(), 1 + n // 32)
        hora = timezone.make_aware(
            timezone.datetime.combine(dia, timezone.datetime.min.time())
        ) + timedelta(hours=9 + (n // 4) % 8)
        paso(
            caso,
            "programar",
            mediador,
            lambda: med.programar_sesion(caso=caso, actor=mediador, inicio=hora, lugar="Oficina"),
        )
        # La sesión "ocurre": se mueve al pasado y el temporizador vence.
        Sesion.objects.filter(caso=caso).update(
            inicio=timezone.now() - timedelta(hours=2), fin=timezone.now() - timedelta(hours=1)
        )
        Task.objects.filter(
            process__in=procesos_de(caso), flow_task_type="TIMER", status=STATUS.SCHEDULED
        ).update(scheduled=timezone.now() - timedelta(seconds=1))
        fire_due_timers()
        paso(
            caso,
            "registrar_sesion",
            mediador,
            lambda: med.registrar_sesion(
                sesion=caso.sesiones.get(),
                actor=mediador,
                asistencia_solicitante="asistio",
                asistencia_invitada="asistio",
                resultado="acuerdo_total",
            ),
        )
        partes = {p.rol: p for p in caso.partes.all()}

        def convenio():
            for p in partes.values():
                med.actualizar_parte(
                    parte=p,
                    actor=mediador,
                    edad=40,
                    nacionalidad="mexicana",
                    estado_civil="casado",
                    ocupacion="comerciante",
                    domicilio="Calle 1",
                )
            med.capturar_convenio(
                caso=caso,
                actor=mediador,
                tipo="total",
                lugar="Atotonilco",
                antecedentes="A",
                consecuencias_incumplimiento="C",
                clausulas=[
                    med.DatosClausula(
                        obligado=partes[RolParte.INVITADA],
                        tipo="hacer",
                        descripcion="Reparar",
                        modo="Por su cuenta",
                        lugar="Calle 1",
                        fecha_limite=timezone.localdate() - timedelta(days=1),
                    )
                ],
            )

        paso(caso, "convenio", mediador, convenio)
        paso(
            caso,
            "firma",
            mediador,
            lambda: med.firmar_convenio(caso=caso, actor=mediador, forma_firma="autografa"),
        )
        paso(
            caso,
            "enviar_registro",
            mediador,
            lambda: med.enviar_a_registro(caso=caso, actor=mediador),
        )
        paso(
            caso,
            "respuesta_registro",
            mediador,
            lambda: med.registrar_respuesta_registro(
                caso=caso, actor=mediador, estado_registro="validado", numero_registro="R"
            ),
        )
        fire_due_timers()

        def cerrar():
            for c in caso.convenio.clausulas.all():
                med.verificar_clausula(clausula=c, actor=mediador, cumplida=True)
            med.cerrar_seguimiento(caso=caso, actor=mediador)

        paso(caso, "seguimiento", mediador, cerrar)
        caso.refresh_from_db()
        assert caso.estado == "concluida_convenio", caso.estado
        tiempos.append(time.perf_counter() - t0)
    total = time.perf_counter() - inicio_total
    return {
        "casos": casos,
        "por_segundo": casos / total,
        "p50_ms": percentil(tiempos, 50) * 1000,
        "p95_ms": percentil(tiempos, 95) * 1000,
    }


def llenar_procesos(cantidad: int, usuario, propias: int) -> None:
    """Casos con su proceso y su tarea de revisión abierta (en la cola), en bloque."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from viewflow.workflow.models import Process, Task
    from viewflow.workflow.status import STATUS
    from viewflow.workflow.token import Token

    from casos import codigos
    from casos.models import AvisoPrivacidad, Caso, Categoria, Localidad
    from flujos.flows import MediacionFlow

    categoria = Categoria.objects.filter(tipo="MED").first()
    localidades = list(Localidad.objects.all())
    aviso = AvisoPrivacidad.vigente()
    tipo = ContentType.objects.get_for_model(Caso)
    ahora = timezone.now()
    ya = Caso.objects.filter(anio=2000).count()
    lote = 5000
    for inicio in range(ya + 1, cantidad + 1, lote):
        numeros = range(inicio, min(inicio + lote, cantidad + 1))
        casos = Caso.objects.bulk_create(
            [
                Caso(
                    tipo="MED",
                    folio=codigos.formatear_folio("MED", 2000, n),
                    anio=2000,
                    numero=n,
                    canal="telefono",
                    categoria=categoria,
                    localidad=localidades[n % len(localidades)],
                    resumen="Existente",
                    recibido_en=ahora,
                    codigo_sal="0",
                    aviso_version=aviso.version,
                    aviso_canal="telefono",
                    aviso_aceptado_en=ahora,
                )
                for n in numeros
            ]
        )
        procesos = Process.objects.bulk_create(
            [
                Process(
                    flow_class=MediacionFlow,
                    status="NEW",
                    artifact_content_type=tipo,
                    artifact_object_id=c.pk,
                )
                for c in casos
            ]
        )
        Task.objects.bulk_create(
            [
                Task(
                    process=p,
                    flow_task=MediacionFlow.revisar,
                    flow_task_type="HUMAN",
                    status=STATUS.ASSIGNED
                    if (c.numero % max(1, cantidad // propias)) == 0
                    else STATUS.NEW,
                    owner=usuario if (c.numero % max(1, cantidad // propias)) == 0 else None,
                    owner_permission="casos.revisar_solicitud",
                    token=Token("start/"),
                    scheduled=ahora + timedelta(days=c.numero % 20 - 10),
                )
                for p, c in zip(procesos, casos, strict=True)
            ]
        )


def medir_bandejas(usuario) -> dict:
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from viewflow.workflow.flow.views.list import FlowInboxListView, FlowQueueListView

    from flujos.flows import MediacionFlow

    cliente = Client()
    cliente.force_login(usuario)
    resultado = {}
    for nombre, url, vista_viewflow in (
        ("bandeja", reverse("flujos:bandeja"), FlowInboxListView),
        ("cola", reverse("flujos:cola"), FlowQueueListView),
    ):
        cliente.get(url)
        tiempos = []
        for _ in range(30):
            t = time.perf_counter()
            respuesta = cliente.get(url)
            tiempos.append(time.perf_counter() - t)
            assert respuesta.status_code == 200
        with CaptureQueriesContext(connection) as propias:
            cliente.get(url)
        # Las vistas de viewflow: su queryset, la primera página (50) y sus columnas, más el
        # caso que cada renglón necesita mostrar (folio, estado, localidad, categoría).
        peticion = RequestFactory().get("/")
        peticion.user = usuario
        vista = vista_viewflow(flow_class=MediacionFlow)
        vista.request = peticion
        with CaptureQueriesContext(connection) as de_viewflow:
            for task in list(vista.queryset[:50]):
                vista.task_title(task)
                str(task.created)
                caso = task.process.coerced.caso
                str(caso.categoria), str(caso.localidad)
        resultado[nombre] = {
            "p50_ms": percentil(tiempos, 50) * 1000,
            "p95_ms": percentil(tiempos, 95) * 1000,
            "consultas": len(propias),
            "consultas_viewflow": len(de_viewflow),
        }
    return resultado


def main():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # como en producción (DEBUG=False)
    casos = int(os.getenv("BENCH_CASOS_FLUJO", "50"))
    resultado = {"flujo_completo": flujo_completo(casos)}
    usuario, _ = User.objects.get_or_create(username="bench-bandeja")
    usuario.groups.add(Group.objects.get(name="coordinador"))
    for cantidad in [int(x) for x in os.getenv("BENCH_PROCESOS", "10000,100000").split(",")]:
        t = time.perf_counter()
        llenar_procesos(cantidad, usuario, propias=200)
        from django.db import connection

        with connection.cursor() as cursor:  # lo que haría autovacuum tras una carga masiva
            cursor.execute("ANALYZE")
        lleno = time.perf_counter() - t
        resultado[f"bandejas_{cantidad}"] = {"llenado_s": lleno, **medir_bandejas(usuario)}
    print(json.dumps(resultado))


if __name__ == "__main__":
    main()

"""Demostración con historia: cada solicitud se recibe en su fecha y avanza por su flujo
hasta una etapa elegida (`demo.guion`). Así la demo tiene casos en todos los estados de ambos
flujos, algunos con plazos vencidos.
"""

import random
from datetime import time, timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.timers import fire_due_timers

from casos.models import Caso, Estado, HorarioSala, PerfilMediador, Sala, TipoCaso
from estadistica import resumen
from estadistica.models import EstadoResumen, MetaPOA, ProgramaPOA

from . import arco, campo, comunidad, confirmaciones, datos, semana
from .guion import CAL, Alto, Guion, entregar_avisos, hora_local

User = get_user_model()


# (hasta qué paso, camino) de las asesorías recientes: una por cada estado del flujo.
ESCENARIOS_ASESORIA = [
    (0, "resolver"),  # recibida
    (1, "resolver"),  # clasificada
    (2, "resolver"),  # asignada, por atender
    (3, "canalizar"),  # en espera de la dependencia
    (3, "esperar"),  # esperando al ciudadano
    (4, "canalizar"),  # la dependencia respondió: de vuelta en atención
    (5, "resolver"),  # resuelta, falta la encuesta
    (6, "resolver"),  # cerrada
    (6, "convertir"),  # convertida en mediación
]


def _salas() -> list[Sala]:
    nombres = [
        ("Sala de mediación 1", "Planta baja"),
        ("Sala de mediación 2", "Planta alta"),
        ("Sala de juntas", "Presidencia municipal"),
    ]
    salas = [Sala.objects.get_or_create(nombre=n, defaults={"ubicacion": u})[0] for n, u in nombres]
    # Lunes a viernes, mañana y tarde: las sesiones se programan dentro del horario de la sala.
    for sala in salas:
        if not sala.horarios.exists():
            HorarioSala.objects.bulk_create(
                HorarioSala(sala=sala, dia_semana=dia, abre=abre, cierra=cierra)
                for dia in range(5)
                for abre, cierra in ((time(9), time(14)), (time(16), time(19)))
            )
    return salas


def _certificar(usuarios: dict) -> None:
    hoy = timezone.localdate()
    for usuario, numero, vigencia in (
        (usuarios["mediador"], "IJA-JAL-0417", hoy + timedelta(days=900)),
        (usuarios["mediadora2"], "IJA-JAL-0532", hoy + timedelta(days=40)),
    ):
        PerfilMediador.objects.update_or_create(
            usuario=usuario,
            defaults={"numero_certificacion": numero, "certificado_hasta": vigencia},
        )


def _documentos_de_muestra() -> int:
    """Pide algunos documentos del procedimiento en los casos más recientes, para que la demo
    los muestre ya hechos; el worker los genera como cualquier otro."""

    from plantillas.documentos import disponibles
    from plantillas.models import TipoDocumento
    from plantillas.services import solicitar_documento

    tipos = {
        TipoDocumento.CONVENIO,
        TipoDocumento.CONSTANCIA_SESION,
        TipoDocumento.CONSTANCIA_CONCLUSION,
        TipoDocumento.CONSTANCIA_CUMPLIMIENTO,
        TipoDocumento.FICHA_ASESORIA,
    }
    pedidos = 0
    for caso in Caso.objects.filter(responsable__isnull=False).order_by("-recibido_en")[:40]:
        for tipo, _, instancia in disponibles(caso):
            if tipo not in tipos:
                continue
            try:
                solicitar_documento(
                    caso=caso, tipo=tipo, actor=caso.responsable, referencia=instancia.referencia
                )
            except ValidationError:
                continue  # al convenio de la demo le pueden faltar datos del art. 94
            pedidos += 1
    return pedidos


def _sesion_proxima(rng: random.Random, usuarios: dict, salas: list[Sala]) -> None:
    """La mediación más reciente con la invitación aceptada queda con su primera sesión en
    los próximos días: la consulta ciudadana de la demo muestra fecha, hora y sala. La más
    antigua se queda con la invitación enviada: la demo tiene casos en todos los estados a
    cualquier hora en que se siembre."""
    candidatos = list(
        Caso.objects.filter(tipo=TipoCaso.MEDIACION, estado=Estado.INVITACION).order_by(
            "-recibido_en"
        )
    )
    for caso in candidatos[:-1]:
        guion = Guion(rng, caso, usuarios, salas)
        if caso.responsable is None or guion.tarea("programar") is None:
            continue
        try:
            if guion.programar(caso.responsable):
                return
        except Alto:
            continue


def _metas_del_poa(usuarios: dict) -> None:
    """Los programas del POA y las metas del año en curso, como las fijaría la Dirección."""
    anio = timezone.localdate().year
    programas = {}
    for clave, nombre, tipo, orden in datos.PROGRAMAS_POA:
        programas[clave], _ = ProgramaPOA.objects.get_or_create(
            clave=clave, defaults={"nombre": nombre, "tipo": tipo, "orden": orden}
        )
    for clave, actividad, indicador, meta in datos.METAS_POA:
        MetaPOA.objects.get_or_create(
            anio=anio,
            programa=programas[clave],
            actividad=actividad,
            defaults={
                "indicador": indicador,
                "meta": meta,
                "actualizada_por": usuarios.get("direccion"),
            },
        )


def sembrar(*, password: str, cantidad: int = 200, semilla: int = 2026) -> dict:
    usuarios_creados = datos.crear_usuarios(password)
    usuarios = {u.username: u for u in User.objects.filter(username__in=usuarios_creados)}
    rng = random.Random(semilla)
    nuevos = 0
    if not Caso.objects.exists():
        _certificar(usuarios)
        salas = _salas()
        ahora = timezone.now()
        modulos = datos.crear_modulos(rng)
        frecuentes = datos.llamantes_frecuentes(rng)
        dias = datos.dias_de_historia()
        instantes = sorted(ahora - timedelta(days=rng.uniform(0, dias)) for _ in range(cantidad))
        # Tres personas atendidas en cada jornada de módulo (a la escala de la demo completa).
        por_jornada = min(3, cantidad // 50)
        for modulo in modulos:
            instantes += [
                hora_local(modulo.fecha, 10 + i)
                for i in range(por_jornada)
                if hora_local(modulo.fecha, 10 + i) < ahora
            ]
        recientes = {TipoCaso.MEDIACION: 0, TipoCaso.ASESORIA: 0}
        for instante in sorted(instantes):
            dia = CAL.sumar(timezone.localtime(instante).date(), 0)
            instante = hora_local(dia, rng.randint(8, 15), rng.randint(0, 59))
            if instante >= ahora:
                instante = ahora - timedelta(minutes=rng.randint(5, 120))
            with transaction.atomic():
                with time_machine.travel(instante, tick=False):
                    caso = datos.nueva_solicitud(
                        rng, modulos=modulos, frecuentes=frecuentes, usuarios=usuarios
                    )
                guion = Guion(rng, caso, usuarios, salas)
                guion.momento = instante
                # Los casos viejos casi siempre concluyeron; los recientes están en curso.
                edad = (ahora - instante).days
                if edad > 60:
                    hasta = 10 if rng.random() < 0.85 else rng.randint(5, 9)
                elif edad > 45:
                    hasta = rng.randint(3, 10)
                else:
                    # Los recientes recorren las primeras etapas y los caminos de la asesoría:
                    # así la demo muestra todos los estados, sea cual sea el día en que se
                    # siembra. Los más antiguos llevan los caminos más largos (la resolución y el
                    # cierre necesitan días hábiles que los de ayer no tienen).
                    n = recientes[caso.tipo]
                    recientes[caso.tipo] += 1
                    if caso.tipo == TipoCaso.MEDIACION:
                        hasta = n % 7
                        guion.camino = "esperar" if n % 4 == 1 else None
                    else:
                        hasta, guion.camino = ESCENARIOS_ASESORIA[-1 - n % len(ESCENARIOS_ASESORIA)]
                try:
                    if caso.tipo == TipoCaso.MEDIACION:
                        guion.mediacion(hasta)
                    else:
                        guion.asesoria(min(hasta, 6))
                except Alto:
                    pass
            entregar_avisos(caso, ahora)
            nuevos += 1
        fire_due_timers()
        _sesion_proxima(rng, usuarios, salas)
        semana.sembrar_semana(rng, usuarios, salas)
        confirmaciones.sembrar_confirmaciones()
        _documentos_de_muestra()
        from notificaciones.reglas import avisos_de_plazos

        avisos_de_plazos()
    # Lo de la Dirección también en una demostración sembrada antes: metas del POA, las cifras
    # del tablero y el informe del mes pasado, como lo pide el beat el primer día hábil (lo
    # genera el worker de la demo). Todo se puede pedir otra vez sin duplicar nada.
    _metas_del_poa(usuarios)
    arco.sembrar_arco(usuarios)
    comunidad.sembrar_comunidad(usuarios)
    de_campo = campo.sembrar_jornada_sin_conexion(usuarios)
    if nuevos or not EstadoResumen.objects.filter(datos_al__isnull=False).exists():
        resumen.rehacer()
    from plantillas.services import informe_del_mes_anterior

    informe_del_mes_anterior()
    return {
        "usuarios": usuarios_creados,
        "casos_nuevos": nuevos,
        "casos_total": Caso.objects.count(),
        "capturas_de_campo": de_campo,
    }

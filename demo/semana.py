"""La semana de la agenda en la demostración: cada persona mediadora y cada sala con sesiones
todos los días hábiles de la semana en curso. Cada caso se recibe, se admite, se asigna, se
invita y se programa por sus tareas y servicios, como en la operación (`demo.guion`); las
sesiones que ya pasaron se registran como celebradas («se necesita otra sesión»)."""

import random
from datetime import timedelta

import time_machine
from django.utils import timezone

from casos.models import (
    AvisoPrivacidad,
    Caso,
    Categoria,
    Localidad,
    RespuestaInvitacion,
    Sala,
    TipoCaso,
)
from casos.services import DatosPersona, recibir_solicitud
from casos.services import mediacion as med

from . import datos
from .guion import CAL, Alto, Guion, entregar_avisos, hora_local

HORAS = (9, 10, 11, 12, 13, 16, 17)


def dias_de_la_semana() -> list:
    """Los días hábiles de lunes a viernes de la semana en curso."""
    hoy = timezone.localdate()
    lunes = hoy - timedelta(days=hoy.weekday())
    return [lunes + timedelta(days=n) for n in range(5) if CAL.es_habil(lunes + timedelta(days=n))]


def _recibir(rng: random.Random, instante, usuarios) -> Caso:
    categoria = rng.choice(
        list(Categoria.objects.activos().filter(tipo=TipoCaso.MEDIACION, canalizar=False))
    )
    with time_machine.travel(instante, tick=False):
        return recibir_solicitud(
            tipo=TipoCaso.MEDIACION,
            canal="telefono",
            categoria=categoria,
            localidad=rng.choice(list(Localidad.objects.activos())),
            resumen=rng.choice(
                datos.RELATOS.get(categoria.nombre, ["Solicita una mediación con su vecino."])
            ),
            solicitante=DatosPersona(nombre=datos._nombre(rng), telefono=datos._telefono(rng)),
            otra_parte=DatosPersona(
                nombre=datos._nombre(rng),
                telefono=datos._telefono(rng),
                domicilio=f"Calle {rng.choice(datos.CALLES)} {rng.randint(1, 480)}",
            ),
            aviso=AvisoPrivacidad.vigente(),
            actor=usuarios["operadora"],
        ).caso


def _siguiente(guion: Guion, dias: int = 1) -> None:
    dia = CAL.sumar(timezone.localtime(guion.momento).date(), dias)
    guion.momento = hora_local(dia, guion.rng.randint(9, 13), guion.rng.choice([0, 15, 30]))


def _una_sesion(rng, usuarios, salas, *, dia, sala: Sala, mediador, hora: int) -> bool:
    """Un caso nuevo con su sesión el `dia` en la `sala`. False si no hubo horario libre."""
    coord = usuarios["coordinadora"]
    recibido = hora_local(CAL.sumar(dia - timedelta(days=16), 0), 9, rng.randint(0, 50))
    caso = _recibir(rng, recibido, usuarios)
    guion = Guion(rng, caso, usuarios, salas)
    guion.momento = recibido + timedelta(hours=1)
    try:
        guion.hacer("revisar", coord, lambda: med.admitir(caso=caso, actor=coord))
        _siguiente(guion)
        guion.hacer(
            "asignar",
            coord,
            lambda: med.asignar_responsable(caso=caso, actor=coord, responsable=mediador),
        )
        _siguiente(guion)
        guion.hacer(
            "invitar",
            mediador,
            lambda: med.registrar_invitacion(
                caso=caso,
                actor=mediador,
                medio="personal",
                fecha=guion.momento,
                respuesta=RespuestaInvitacion.ACEPTA,
                recibio="La propia persona",
            ),
        )
        _siguiente(guion)
        for intento in range(len(HORAS)):
            inicio = hora_local(dia, HORAS[(HORAS.index(hora) + intento) % len(HORAS)])
            try:
                guion.hacer(
                    "programar",
                    mediador,
                    lambda i=inicio: med.programar_sesion(
                        caso=caso, actor=mediador, inicio=i, sala=sala
                    ),
                )
                break
            except Alto:
                continue
        else:
            return False
        guion.momento = inicio + timedelta(hours=1, minutes=10)
        if guion.momento < timezone.now():
            guion.hacer(
                "registrar_sesion",
                mediador,
                lambda: med.registrar_sesion(
                    sesion=caso.sesiones.programadas().get(),
                    actor=mediador,
                    asistencia_solicitante="asistio",
                    asistencia_invitada="asistio",
                    resultado="continua",
                ),
            )
    except Alto:
        return False
    entregar_avisos(caso, timezone.now())
    return True


def sembrar_semana(rng: random.Random, usuarios: dict, salas: list[Sala]) -> int:
    """Una sesión por sala y día hábil de la semana; las personas mediadoras se alternan las
    salas, así que cada una tiene sesiones todos los días. Devuelve cuántas se programaron."""
    mediadores = [usuarios["mediador"], usuarios["mediadora2"]]
    programadas = 0
    for i, dia in enumerate(dias_de_la_semana()):
        for j, sala in enumerate(salas):
            mediador = mediadores[(i + j) % len(mediadores)]
            hora = HORAS[(2 * j + i) % len(HORAS)]
            programadas += _una_sesion(
                rng, usuarios, salas, dia=dia, sala=sala, mediador=mediador, hora=hora
            )
    return programadas

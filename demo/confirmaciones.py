"""Confirmaciones de asistencia en la demostración: dos partes contestan el recordatorio de
su sesión próxima, una con «Sí» y otra con «Cambio» (que deja la tarea «Llamar a la parte» en
la bandeja de quien lleva el caso). Pasan por el mismo servicio que atiende la respuesta que
llega de Twilio, poco después de que les llegó el recordatorio."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from casos.models import EstadoSesion, Sesion
from notificaciones.confirmaciones import registrar_respuesta
from notificaciones.models import Canal, EstadoMensaje, Mensaje
from notificaciones.services import REFERENCIA_SESION

RESPUESTAS = ("Sí, ahí estaré", "Cambio, por favor")


def _recordatorios_enviados():
    """Los recordatorios ya enviados por SMS de sesiones programadas a futuro, de la sesión
    más próxima a la más lejana."""
    ahora = timezone.now()
    proximas = {
        f"{REFERENCIA_SESION}{pk}": inicio
        for pk, inicio in Sesion.objects.filter(
            estado=EstadoSesion.PROGRAMADA, inicio__gt=ahora
        ).values_list("pk", "inicio")
    }
    recordatorios = Mensaje.objects.filter(
        plantilla="recordatorio_sesion",
        estado=EstadoMensaje.ENVIADO,
        canal=Canal.SMS,
        referencia__in=list(proximas),
        parte__isnull=False,
    ).select_related("parte")
    return sorted(recordatorios, key=lambda m: (proximas[m.referencia], m.pk))


def sembrar_confirmaciones() -> list:
    """Las respuestas de la demostración (si ya hay recordatorios enviados: depende del día
    en que se siembre). Devuelve lo que respondió cada parte."""
    hechas = []
    numeros = set()
    casos = set()
    for recordatorio in _recordatorios_enviados():
        if len(hechas) == len(RESPUESTAS):
            break
        numero = recordatorio.parte.telefono
        if numero in numeros or recordatorio.caso_id in casos:
            continue
        numeros.add(numero)
        casos.add(recordatorio.caso_id)
        # Contesta unos minutos después de recibirlo (sin pasar de ahora).
        cuando = min(recordatorio.enviado_en + timedelta(minutes=25), timezone.now())
        with time_machine.travel(cuando, tick=False):
            respuesta = registrar_respuesta(
                numero=numero, canal=Canal.SMS, texto=RESPUESTAS[len(hechas)]
            )
        if respuesta.estado is not None and respuesta.sesion is not None:
            hechas.append(respuesta)
    return hechas

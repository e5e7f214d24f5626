"""Plazos de las tareas, calculados de los hechos del caso y del calendario de días hábiles.

Cada tarea humana guarda su vencimiento en `Task.scheduled` al crearse (así la bandeja
ordena y filtra en la base). Los temporizadores de viewflow (`flow.Timer`, `.OnTimeout`)
leen de aquí sus fechas.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from casos.calendario import Calendario
from casos.models import Clausula, Cumplimiento
from casos.services import asesoria as ase
from casos.services import mediacion as med
from casos.services.comun import fecha_local, plazo


def fin_del_dia(fecha) -> datetime:
    """Un plazo en días vence al terminar ese día, hora de México."""
    return timezone.make_aware(datetime.combine(fecha, time(23, 59)))


def _sumar(desde, dias: int):
    return fin_del_dia(Calendario().sumar(desde, dias))


def vence_tarea(nombre: str, caso):
    """Vencimiento de la tarea `nombre` del flujo para este caso (None: sin plazo)."""
    hoy = timezone.localdate()
    if nombre in ("revisar", "clasificar", "asignar_asesor"):
        return _sumar(fecha_local(caso.recibido_en), plazo("ASESORIA_PRIMER_CONTACTO_DIAS_HABILES"))
    if nombre == "avisar_no_admision":
        return fin_del_dia(med.avisar_no_admision_antes_de(caso))
    if nombre in ("asignar", "invitar"):
        ultima = caso.invitaciones.order_by("-intento").first()
        if ultima is None:
            return fin_del_dia(med.invitacion_vence_el(caso))
        return _sumar(fecha_local(ultima.fecha), plazo("INVITACION_DIAS_HABILES"))
    if nombre == "programar":
        return fin_del_dia(
            min(Calendario().sumar(hoy, plazo("INVITACION_DIAS_HABILES")), caso.vence_el())
        )
    if nombre == "registrar_sesion":
        sesion = caso.sesiones.programadas().order_by("inicio").first()
        return _sumar(fecha_local(sesion.fin), 1) if sesion else None
    if nombre in ("convenio", "firma"):
        return fin_del_dia(caso.vence_el())
    if nombre == "enviar_registro":
        return fin_del_dia(med.registro_vence_el(caso.convenio))
    if nombre == "respuesta_registro":
        return _sumar(caso.convenio.enviado_registro_en, plazo("REGISTRO_RESPUESTA_DIAS_HABILES"))
    if nombre == "seguimiento":
        fecha = primera_fecha_de_clausula(caso)
        return fin_del_dia(fecha) if fecha else None
    if nombre in ("atender", "encuesta"):
        return fin_del_dia(ase.resolucion_vence_el(caso))
    return None


TEMPORIZADORES = {
    "esperar_sesion": lambda caso: inicio_de_sesion(caso),
    "esperar_clausulas": lambda caso: esperar_clausulas_hasta(caso),
    "invitar__timeout": lambda caso: vence_tarea("invitar", caso),
    "programar__timeout": lambda caso: vence_procedimiento(caso),
    "registrar_sesion__timeout": lambda caso: vence_procedimiento(caso),
    "enviar_registro__timeout": lambda caso: vence_tarea("enviar_registro", caso),
}


def vence_temporizador(nombre: str, caso):
    """Fecha de un temporizador del flujo (None si no depende del caso)."""
    calculo = TEMPORIZADORES.get(nombre)
    return calculo(caso) if calculo else None


def inicio_de_sesion(caso):
    """Momento en que la sesión programada empieza (el temporizador la hace registrable)."""
    sesion = caso.sesiones.programadas().order_by("inicio").first()
    return sesion.inicio if sesion else timezone.now()


def primera_fecha_de_clausula(caso):
    pendiente = (
        Clausula.objects.filter(
            convenio__caso=caso, cumplimiento=Cumplimiento.PENDIENTE, fecha_limite__isnull=False
        )
        .order_by("fecha_limite")
        .values_list("fecha_limite", flat=True)
        .first()
    )
    return pendiente


def esperar_clausulas_hasta(caso):
    """El seguimiento se abre en la fecha de la primera cláusula por cumplir (o ya)."""
    fecha = primera_fecha_de_clausula(caso)
    if fecha is None:
        return timezone.now()
    return max(timezone.now(), timezone.make_aware(datetime.combine(fecha, time(9, 0))))


def vence_procedimiento(caso):
    """LGMASC art. 64: fin del plazo del procedimiento (con sus prórrogas)."""
    limite = caso.vence_el()
    return fin_del_dia(limite) if limite else timezone.now() + timedelta(days=90)

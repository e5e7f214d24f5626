"""Una jornada de módulo itinerante capturada sin conexión y sincronizada esa tarde.

Entra por el mismo servicio de sincronización que usa la página del módulo, con ids hechos en
el equipo (fijos: sembrar otra vez no duplica nada, como un lote que llega dos veces) y las
horas de captura de esa mañana. Una de las personas tiene un caso abierto con su teléfono:
queda en «Por decidir»."""

import uuid
from datetime import timedelta

import time_machine
from django.utils import timezone

from casos.models import Caso, Categoria, Modulo, Parte, RolParte, TipoCaso
from modulos import services

from .guion import entregar_avisos, hora_local

ESPACIO = uuid.UUID("6d1f3c52-8a0e-4c55-9a38-0b7f0c6a2d11")
PERSONAS = [
    # (nombre, teléfono, tipo, relato, otra parte)
    (
        "Herminia Cortés Lupercio",
        "391 104 2231",
        TipoCaso.ASESORIA,
        "Pregunta cómo regularizar la escritura del solar que heredó de su padre.",
        None,
    ),
    (
        "Julián Barajas Orozco",
        "391 104 7782",
        TipoCaso.MEDIACION,
        "El vecino dejó material de construcción sobre la banqueta y el agua se encharca.",
        ("Ramiro Navarro", "Calle Morelos 18"),
    ),
    (
        "Ofelia Ramírez Tostado",
        "",
        TipoCaso.ASESORIA,
        "No sabe a qué oficina acudir para el apoyo de adultos mayores.",
        None,
    ),
    (
        "Salvador Gómez Arana",
        "391 104 5520",
        TipoCaso.MEDIACION,
        "Desacuerdo con el dueño del terreno vecino por el paso del ganado.",
        ("Efraín Lupercio", "Rancho El Capulín"),
    ),
    (
        "Teresa Íñiguez Ruvalcaba",
        "391 104 9904",
        TipoCaso.ASESORIA,
        "Quiere orientación para reclamar el recibo de agua que le cobraron doble.",
        None,
    ),
]


def _jornada() -> Modulo | None:
    return (
        Modulo.objects.activos().filter(fecha__lt=timezone.localdate()).order_by("-fecha").first()
    )


def _telefono_con_caso_abierto() -> str:
    parte = (
        Parte.objects.filter(rol=RolParte.SOLICITANTE, caso__in=Caso.objects.abiertos())
        .exclude(telefono="")
        .order_by("caso__folio")
        .first()
    )
    return parte.telefono if parte else ""


def sembrar_jornada_sin_conexion(usuarios: dict) -> dict:
    """Sincroniza la jornada más reciente como la habría capturado la operadora sin señal."""
    jornada = _jornada()
    operadora = usuarios.get("operadora")
    if jornada is None or operadora is None:
        return {"capturas": 0}
    categorias = {
        tipo: Categoria.objects.activos().filter(tipo=tipo, canalizar=False).first()
        for tipo in (TipoCaso.MEDIACION, TipoCaso.ASESORIA)
    }
    personas = list(PERSONAS)
    repetido = _telefono_con_caso_abierto()
    if repetido:
        personas.append(
            (
                "Gloria Méndez Casillas",
                repetido,
                TipoCaso.ASESORIA,
                "Vuelve a preguntar por su trámite; dice que ya había venido a la oficina.",
                None,
            )
        )
    renglones = []
    for n, (nombre, telefono, tipo, relato, otra) in enumerate(personas):
        datos = {
            "modulo": jornada.pk,
            "tipo": tipo,
            "categoria": categorias[tipo].pk,
            "localidad": jornada.localidad_id,
            "nombre": nombre,
            "telefono": telefono,
            "domicilio": f"{jornada.localidad}",
            "resumen": relato,
            "aviso": True,
        }
        if otra:
            datos.update({"otra_nombre": otra[0], "otra_domicilio": otra[1]})
        renglones.append(
            {
                "id": str(uuid.uuid5(ESPACIO, f"{jornada.pk}:{n}")),
                "capturado_en": (
                    hora_local(jornada.fecha, 9, 20) + timedelta(minutes=37 * n)
                ).isoformat(),
                "datos": datos,
            }
        )
    # Sincronizada al volver a la oficina, esa tarde.
    with time_machine.travel(hora_local(jornada.fecha, 16, 30), tick=False):
        resultados = services.sincronizar_lote(renglones=renglones, actor=operadora)
    ahora = timezone.now()
    for r in resultados:
        if r.captura and r.captura.caso and not r.repetida:
            entregar_avisos(r.captura.caso, ahora)
    return {
        "capturas": len(resultados),
        "recibidas": sum(1 for r in resultados if r.estado == "recibida"),
        "por_decidir": sum(1 for r in resultados if r.estado == "por_decidir"),
        "rechazadas": [r.errores for r in resultados if r.estado == "rechazada"],
    }

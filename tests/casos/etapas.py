"""Llevar un caso de mediación a cada etapa por los servicios, para probar la siguiente."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from casos.models import (
    Asistencia,
    FormaFirma,
    RespuestaInvitacion,
    ResultadoSesion,
    RolParte,
    TipoConvenio,
    TipoObligacion,
)
from casos.services import mediacion as med

MX = ZoneInfo("America/Mexico_City")
# Martes 24 de noviembre de 2026, 10:00 en México: día hábil.
AHORA = datetime(2026, 11, 24, 10, 0, tzinfo=MX)


def con_cifra(clave: str, valor: int, desde: date = date(2024, 1, 26)):
    """Fija la cifra de un plazo como dato de la base, desde `desde` (por omisión, desde la
    publicación de la LGMASC: rige a todo caso de las pruebas). Sin pasar por la validación
    del modelo, que no deja cambiar la cifra de casos ya recibidos."""
    from casos.models import ValorDePlazo

    return ValorDePlazo.objects.create(
        clave=clave, valor=valor, vigente_desde=desde, motivo="Cifra de la prueba."
    )


def en(dia: date, hora: int = 10) -> datetime:
    return datetime(dia.year, dia.month, dia.day, hora, 0, tzinfo=MX)


def admitido(caso, coordinadora, mediador):
    caso = med.admitir(caso=caso, actor=coordinadora)
    return med.asignar_responsable(caso=caso, actor=coordinadora, responsable=mediador)


def invitado(caso, mediador, respuesta=RespuestaInvitacion.ACEPTA):
    return med.registrar_invitacion(
        caso=caso,
        actor=mediador,
        medio="personal",
        fecha=AHORA,
        respuesta=respuesta,
        recibio="La propia persona",
    )


def con_sesion(caso, mediador, sala, cuando=None):
    return med.programar_sesion(
        caso=caso, actor=mediador, inicio=cuando or en(date(2026, 11, 26)), sala=sala
    )


def completar_partes(caso, actor):
    for parte in caso.partes.all():
        med.actualizar_parte(
            parte=parte,
            actor=actor,
            edad=40,
            nacionalidad="mexicana",
            estado_civil="casado",
            ocupacion="comerciante",
            domicilio=parte.domicilio or "Calle Hidalgo 1",
        )


def convenio_listo(caso, mediador):
    partes = {p.rol: p for p in caso.partes.all()}
    return med.capturar_convenio(
        caso=caso,
        actor=mediador,
        tipo=TipoConvenio.TOTAL,
        lugar="Atotonilco el Alto, Jalisco",
        antecedentes="Diferencias por la barda colindante.",
        consecuencias_incumplimiento="La parte afectada podrá pedir su ejecución ante el juez.",
        clausulas=[
            med.DatosClausula(
                obligado=partes[RolParte.INVITADA],
                tipo=TipoObligacion.HACER,
                descripcion="Retirar la barda 40 cm hacia su predio.",
                modo="Por su cuenta",
                lugar="Calle Morelos 45",
                fecha_limite=date(2026, 12, 18),
            ),
            med.DatosClausula(
                obligado=partes[RolParte.SOLICITANTE],
                tipo=TipoObligacion.NO_HACER,
                descripcion="No construir sobre la colindancia.",
                modo="En adelante",
                lugar="Calle Morelos 47",
            ),
        ],
    )


def sesion_celebrada(sesion, mediador, resultado=ResultadoSesion.ACUERDO_TOTAL):
    return med.registrar_sesion(
        sesion=sesion,
        actor=mediador,
        asistencia_solicitante=Asistencia.ASISTIO,
        asistencia_invitada=Asistencia.ASISTIO,
        resultado=resultado,
    )


def firmado(caso, mediador):
    return med.firmar_convenio(caso=caso, actor=mediador, forma_firma=FormaFirma.AUTOGRAFA)


def despues(horas: float) -> datetime:
    return AHORA + timedelta(hours=horas)


def hasta_el_convenio_firmado(caso, coordinadora, mediador, sala, reloj, hora: int = 10):
    """Admitido, invitado, sesión del jueves 26/11/2026 a `hora` celebrada y convenio firmado
    (con el reloj de la prueba movido a cada momento)."""
    admitido(caso, coordinadora, mediador)
    invitado(caso, mediador)
    reloj.move_to(en(date(2026, 11, 24), 10))
    sesion = con_sesion(caso, mediador, sala, en(date(2026, 11, 26), hora))
    reloj.move_to(en(date(2026, 11, 26), hora + 1))
    sesion_celebrada(sesion, mediador)
    convenio_listo(caso, mediador)
    completar_partes(caso, mediador)
    firmado(caso, mediador)
    caso.refresh_from_db()
    return caso

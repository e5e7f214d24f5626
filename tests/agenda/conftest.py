"""Dos sesiones el miércoles 25/11/2026 en la misma sala: una del mediador (con la
aviso ya salió a las partes: confirmada) y otra de la mediadora2 (solo programada)."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone

from casos.models import RespuestaInvitacion, Sesion
from tests.casos.etapas import admitido, con_sesion, en, invitado

MIERCOLES = date(2026, 11, 25)


@dataclass
class Escena:
    propio: object
    ajeno: object
    sesion_propia: object
    sesion_ajena: object


def armar_escena(nuevo_caso, coordinadora, certificado, otro_certificado, sala) -> Escena:
    propio = nuevo_caso(nombre="Rosa Propia Tello", telefono="+523311112222").caso
    admitido(propio, coordinadora, certificado)
    invitado(propio, certificado)
    sesion_propia = con_sesion(propio, certificado, sala, en(MIERCOLES, 10))
    # El aviso de la sesión propia ya salió a las partes: queda «confirmada».
    Sesion.objects.filter(pk=sesion_propia.pk).update(avisada_en=timezone.now())
    ajeno = nuevo_caso(nombre="Ramiro Ajeno Soto", telefono="+523333334444").caso
    admitido(ajeno, coordinadora, otro_certificado)
    invitado(ajeno, otro_certificado, respuesta=RespuestaInvitacion.SIN_RESPUESTA)
    sesion_ajena = con_sesion(ajeno, otro_certificado, sala, en(MIERCOLES, 12))
    return Escena(propio, ajeno, sesion_propia, sesion_ajena)


@pytest.fixture
def escena(reloj, nuevo_caso, coordinadora, certificado, otro_certificado, sala):
    return armar_escena(nuevo_caso, coordinadora, certificado, otro_certificado, sala)

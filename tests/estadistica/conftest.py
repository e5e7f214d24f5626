"""Un conjunto de casos hecho a mano, por los servicios, con las cifras que debe dar escritas
en las pruebas (septiembre a noviembre de 2026; «hoy» es el martes 24/11/2026).

| caso | tipo | canal | localidad | recibida | lo que pasó |
|---|---|---|---|---|---|
| A | MED | teléfono | L1 | lun 07/09 | admitida; invitación 09/09 (a tiempo); sesión 14/09 celebrada; convenio total firmado 14/09; enviado a registro 25/09 (a tiempo) |
| B | MED | web | L2 | mar 08/09 | no admitida el mismo día |
| C | MED | módulo | L1 | lun 05/10 | admitida; invitación 19/10 (fuera: vencía 12/10); sesión 21/10 sin acuerdo |
| D | MED | teléfono | L2 | mar 06/10 | admitida; invitación 20/11 (fuera: vencía 13/10); sesión del 23/11 diferida al 27/11 |
| E | ASE | teléfono | L1 | mié 07/10 | resuelta en el primer contacto; satisfacción 5 |
| F | ASE | teléfono | L2 | lun 02/11 | canalizada al DIF municipal el 03/11; sigue abierta (resolución vencida el 17/11) |
| G | ASE | módulo | L1 | mar 03/11 | convertida en mediación el mismo día: abre H |
| H | MED | módulo | L1 | mar 03/11 | en revisión |
| I | MED | teléfono | L1 | mié 04/11 | materia no mediable (sensible): canalizada a la Fiscalía |
| J | MED | teléfono | L2 | lun 09/11 | admitida; sin invitación (vencía el 17/11: el 16 es inhábil) |
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from casos.models import Canal, Categoria, Localidad, Modulo, TipoCaso
from casos.services import asesoria as ase
from casos.services import mediacion as med
from casos.services.recepcion import DatosPersona
from tests.casos import etapas

MX = ZoneInfo("America/Mexico_City")


def _en(mes: int, dia: int, hora: int = 10) -> datetime:
    return datetime(2026, mes, dia, hora, 0, tzinfo=MX)


def _invitar(caso, mediador, cuando):
    med.registrar_invitacion(
        caso=caso,
        actor=mediador,
        medio="personal",
        fecha=cuando,
        respuesta="acepta",
        recibio="La propia persona",
    )


@pytest.fixture
def conjunto(nuevo_caso, coordinadora, mediador, certificado, asesor, sala, cat_asesoria):
    l1, l2 = Localidad.objects.order_by("orden", "nombre")[:2]
    sensible = Categoria.objects.create(
        nombre="Violencia familiar", tipo=TipoCaso.MEDIACION, canalizar=True
    )
    casos = {}
    with time_machine.travel(_en(9, 7), tick=False) as reloj:
        a = nuevo_caso(canal=Canal.TELEFONO, localidad=l1)
        etapas.admitido(a.caso, coordinadora, mediador)
        reloj.move_to(_en(9, 9))
        _invitar(a.caso, mediador, _en(9, 9))
        sesion = etapas.con_sesion(a.caso, mediador, sala, _en(9, 14))
        reloj.move_to(_en(9, 14, 11))
        etapas.sesion_celebrada(sesion, mediador)
        etapas.convenio_listo(a.caso, mediador)
        etapas.completar_partes(a.caso, mediador)
        etapas.firmado(a.caso, mediador)
        reloj.move_to(_en(9, 25))
        med.enviar_a_registro(caso=a.caso, actor=coordinadora)
        casos["A"] = a.caso

        reloj.move_to(_en(9, 8, 12))
        b = nuevo_caso(canal=Canal.WEB, localidad=l2)
        med.no_admitir(caso=b.caso, actor=coordinadora, motivo="El asunto es de otra materia.")
        casos["B"] = b.caso

        reloj.move_to(_en(10, 5))
        jornada = Modulo.objects.create(
            nombre="Módulo Centro", lugar="Plaza principal", localidad=l1, fecha=date(2026, 10, 5)
        )
        c = nuevo_caso(canal=Canal.MODULO, localidad=l1, modulo=jornada)
        etapas.admitido(c.caso, coordinadora, mediador)
        reloj.move_to(_en(10, 19))
        _invitar(c.caso, mediador, _en(10, 19))
        sesion = etapas.con_sesion(c.caso, mediador, sala, _en(10, 21))
        reloj.move_to(_en(10, 21, 11))
        etapas.sesion_celebrada(sesion, mediador, resultado="sin_acuerdo")
        casos["C"] = c.caso

        reloj.move_to(_en(10, 6))
        d = nuevo_caso(canal=Canal.TELEFONO, localidad=l2)
        etapas.admitido(d.caso, coordinadora, mediador)
        reloj.move_to(_en(11, 20))
        _invitar(d.caso, mediador, _en(11, 20))
        sesion = etapas.con_sesion(d.caso, mediador, sala, _en(11, 23))
        reloj.move_to(_en(11, 23, 8))
        med.diferir_sesion(
            sesion=sesion,
            actor=mediador,
            motivo="La otra parte pidió otra fecha.",
            nuevo_inicio=_en(11, 27),
        )
        casos["D"] = d.caso

        reloj.move_to(_en(10, 7))
        e = nuevo_caso(TipoCaso.ASESORIA, canal=Canal.TELEFONO, localidad=l1)
        ase.resolver(
            caso=e.caso,
            actor=asesor,
            resumen_atencion="Se orientó sobre el trámite.",
            primer_contacto=True,
        )
        reloj.move_to(_en(10, 8))
        ase.registrar_encuesta(caso=e.caso, actor=asesor, satisfaccion=5)
        casos["E"] = e.caso

        reloj.move_to(_en(11, 2))
        f = nuevo_caso(TipoCaso.ASESORIA, canal=Canal.TELEFONO, localidad=l2)
        reloj.move_to(_en(11, 3))
        ase.canalizar(
            caso=f.caso, actor=asesor, dependencia="DIF municipal", motivo="Apoyo alimentario."
        )
        casos["F"] = f.caso

        reloj.move_to(_en(11, 3, 12))
        g = nuevo_caso(TipoCaso.ASESORIA, canal=Canal.MODULO, localidad=l1, modulo=jornada)
        h = ase.convertir_en_mediacion(
            caso=g.caso,
            actor=asesor,
            categoria=Categoria.objects.filter(tipo=TipoCaso.MEDIACION, canalizar=False).first(),
            otra_parte=DatosPersona(nombre="Rosa Díaz", domicilio="Calle Juárez 3"),
        )
        casos["G"], casos["H"] = g.caso, h.caso

        reloj.move_to(_en(11, 4))
        i = nuevo_caso(canal=Canal.TELEFONO, localidad=l1, categoria=sensible)
        med.canalizar(
            caso=i.caso,
            actor=coordinadora,
            dependencia="Fiscalía del Estado",
            motivo="Materia penal, no mediable.",
        )
        casos["I"] = i.caso

        reloj.move_to(_en(11, 9))
        j = nuevo_caso(canal=Canal.TELEFONO, localidad=l2)
        etapas.admitido(j.caso, coordinadora, mediador)
        casos["J"] = j.caso

        reloj.move_to(etapas.AHORA)
        yield {"casos": casos, "l1": l1, "l2": l2, "jornada": jornada, "reloj": reloj}

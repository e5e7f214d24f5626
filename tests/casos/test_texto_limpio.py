"""Los caracteres de control de dirección (y demás controles invisibles) se quitan al
entrar: un nombre no puede voltearse en la pantalla ni en el PDF para leerse como otro."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casos.models import Caso, Parte, RolParte
from casos.services import DatosPersona
from casos.services import mediacion as med
from casos.texto import limpiar_texto
from tests.casos.etapas import (
    admitido,
    con_sesion,
    convenio_listo,
    en,
    invitado,
    sesion_celebrada,
)

# Incrustaciones, anulaciones, aislamientos y marcas de dirección (Unicode, UAX #9).
DIRECCION = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]
TRAMPA = "Juana \u202eazeréP\u202c Ruval\u2066caba\u2069\u200f"


def _sin_controles(texto: str) -> bool:
    return not any(c in texto for c in DIRECCION) and "\x00" not in texto and "\r" not in texto


@pytest.mark.parametrize("control", DIRECCION)
def test_limpiar_texto_quita_cada_control_de_direccion(control):
    assert limpiar_texto(f"Ana{control} López") == "Ana López"


def test_limpiar_texto_conserva_lo_demas():
    texto = "José Ñúñez-O'Higgins, «Calle 5 de Mayo» #12 👩‍👩‍👧 ا"
    assert limpiar_texto(f"  {texto}  ") == texto
    assert limpiar_texto(None) == "" and limpiar_texto("") == ""


def test_limpiar_texto_normaliza_saltos_y_quita_otros_controles():
    assert limpiar_texto("uno\r\ndos\rtres\nc\u2028d\x85e") == "uno\ndos\ntres\nc\nd\ne"
    assert limpiar_texto("a\x00b\x07c\x1b[31md\x7f\x9b") == "abc[31md"
    assert limpiar_texto("a\tb") == "a\tb"
    assert limpiar_texto("Calle 1\r\nInterior 2", una_linea=True) == "Calle 1 Interior 2"


def test_la_recepcion_guarda_nombres_y_relato_sin_controles(nuevo_caso):
    recibida = nuevo_caso(
        resumen="El vecino\u202e ruido\u202c\r hace mucho.",
        solicitante=DatosPersona(
            nombre=TRAMPA, telefono="+523312345678", domicilio="Calle\u2067 Hidalgo 3"
        ),
        otra_parte=DatosPersona(nombre="Pedro\u202d López", domicilio="Morelos\u200e 4"),
    )
    caso = Caso.objects.get(pk=recibida.caso.pk)
    assert caso.resumen == "El vecino ruido\n hace mucho."
    for parte in Parte.objects.filter(caso=caso):
        for campo in ("nombre", "domicilio", "nombre_busqueda"):
            assert _sin_controles(getattr(parte, campo)), (campo, getattr(parte, campo))
    solicitante = caso.partes.get(rol=RolParte.SOLICITANTE)
    assert solicitante.nombre == "Juana azeréP Ruvalcaba"
    assert solicitante.domicilio == "Calle Hidalgo 3"


def test_un_nombre_hecho_solo_de_controles_es_un_nombre_vacio(nuevo_caso):
    with pytest.raises(ValidationError) as error:
        nuevo_caso(solicitante=DatosPersona(nombre="\u202e\u2066\u200f", telefono="+523312345678"))
    assert "Escriba el nombre de quien solicita." in error.value.message_dict["nombre"]


def test_el_formulario_publico_guarda_sin_controles(client, catalogos, cat_mediacion, localidad):
    respuesta = client.post(
        reverse("portal:solicitud"),
        {
            "tipo": "MED",
            "categoria": cat_mediacion.pk,
            "localidad": localidad.pk,
            "nombre": TRAMPA,
            "telefono": "3312345678",
            "resumen": "Ruido\u202e por las noches",
            "otra_nombre": "Pedro\u2068 López",
            "otra_domicilio": "Calle\u202b Morelos 4",
            "aviso": "on",
        },
    )
    assert respuesta.status_code == 302, respuesta.content.decode()[-1500:]
    caso = Caso.objects.get()
    assert caso.resumen == "Ruido por las noches"
    assert {p.nombre for p in caso.partes.all()} == {"Juana azeréP Ruvalcaba", "Pedro López"}


def test_actualizar_parte_guarda_sin_controles(nuevo_caso, operadora):
    parte = nuevo_caso().caso.partes.get(rol=RolParte.INVITADA)
    med.actualizar_parte(
        parte=parte,
        actor=operadora,
        nombre="Pedro \u202eLópez",
        ocupacion="comer\u2066ciante",
        representante="Lic.\u200f Ana",
        domicilio="Calle\r\nHidalgo",
    )
    parte.refresh_from_db()
    assert parte.nombre == "Pedro López" and parte.nombre_busqueda == "pedro lopez"
    assert parte.ocupacion == "comerciante" and parte.representante == "Lic. Ana"
    assert parte.domicilio == "Calle Hidalgo"


def test_el_convenio_se_guarda_sin_controles(reloj, nuevo_caso, coordinadora, certificado, sala):
    caso = nuevo_caso().caso
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala, en(date(2026, 11, 26), 10))
    reloj.move_to(en(date(2026, 11, 26), 11))
    sesion_celebrada(sesion, certificado)
    convenio_listo(caso, certificado)
    partes = {p.rol: p for p in caso.partes.all()}
    convenio = med.capturar_convenio(
        caso=caso,
        actor=certificado,
        tipo="total",
        lugar="Atotonilco\u202e el Alto",
        antecedentes="Diferencias\u2067 por la barda.",
        consecuencias_incumplimiento="Ejecución\u202d ante el juez.",
        clausulas=[
            med.DatosClausula(
                obligado=partes[RolParte.INVITADA],
                tipo="hacer",
                descripcion="Retirar\u202e la barda.",
                modo="Por su\u200f cuenta",
                lugar="Calle\u2069 Morelos",
            )
        ],
    )
    convenio.refresh_from_db()
    assert (convenio.lugar, convenio.antecedentes, convenio.consecuencias_incumplimiento) == (
        "Atotonilco el Alto",
        "Diferencias por la barda.",
        "Ejecución ante el juez.",
    )
    clausula = convenio.clausulas.get()
    assert (clausula.descripcion, clausula.modo, clausula.lugar) == (
        "Retirar la barda.",
        "Por su cuenta",
        "Calle Morelos",
    )


def test_los_motivos_y_notas_se_guardan_sin_controles(nuevo_caso, coordinadora, certificado):
    caso = nuevo_caso().caso
    med.no_admitir(caso=caso, actor=coordinadora, motivo="No es\u202e mediable.")
    caso.refresh_from_db()
    assert caso.motivo_conclusion == "No es mediable."
    otro = nuevo_caso().caso
    admitido(otro, coordinadora, certificado)
    med.registrar_invitacion(
        caso=otro,
        actor=certificado,
        medio="personal",
        fecha=caso.recibido_en,
        respuesta="acepta",
        recibio="Su\u2066 cuñada",
        observaciones="Llegó\u202e tarde",
    )
    invitacion = otro.invitaciones.get()
    assert (invitacion.recibio, invitacion.observaciones) == ("Su cuñada", "Llegó tarde")

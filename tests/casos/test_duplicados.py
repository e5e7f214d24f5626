"""La revisión de duplicados por teléfono al recibir: un solo servicio para la operadora,
el módulo y la API del personal."""

import pytest
from django.core.exceptions import ValidationError

from casos import services
from casos.models import Caso, Categoria, Localidad, TipoCaso, TipoEvento
from casos.services import DecisionDuplicado


@pytest.fixture
def llamada(catalogos, aviso, operadora):
    def datos(telefono="+523312345678", **extra):
        return {
            "tipo": TipoCaso.ASESORIA,
            "canal": "telefono",
            "categoria": Categoria.objects.filter(tipo=TipoCaso.ASESORIA).first(),
            "localidad": Localidad.objects.first(),
            "resumen": "Vuelve a llamar por lo mismo.",
            "solicitante": services.DatosPersona(nombre="Juana Pérez", telefono=telefono),
            "aviso": aviso,
            "actor": operadora,
            **extra,
        }

    return datos


def test_sin_casos_abiertos_se_recibe_como_nuevo(llamada):
    recepcion = services.recibir_con_revision(**llamada(telefono="+523399990000"))
    assert recepcion.recibida is not None and not recepcion.falta_decidir


def test_con_casos_abiertos_no_crea_nada_hasta_decidir(nuevo_caso, llamada):
    existente = nuevo_caso().caso
    recepcion = services.recibir_con_revision(**llamada())
    assert recepcion.falta_decidir
    assert [c.folio for c in recepcion.duplicados] == [existente.folio]
    assert Caso.objects.count() == 1


def test_contacto_registra_la_llamada_en_el_existente_y_dice_quien_llamo(nuevo_caso, llamada):
    existente = nuevo_caso().caso
    recepcion = services.recibir_con_revision(
        decision=DecisionDuplicado.CONTACTO, folio_existente=existente.folio, **llamada()
    )
    assert recepcion.contacto_en == existente and recepcion.recibida is None
    assert Caso.objects.count() == 1
    evento = existente.eventos.get(tipo=TipoEvento.CONTACTO)
    assert "persona solicitante" in evento.descripcion
    assert evento.datos["nota"] == "Vuelve a llamar por lo mismo."


def test_nuevo_ligado_liga_el_caso_y_lo_anota_en_el_existente(nuevo_caso, llamada):
    existente = nuevo_caso().caso
    recepcion = services.recibir_con_revision(
        decision=DecisionDuplicado.NUEVO_LIGADO, folio_existente=existente.folio, **llamada()
    )
    nuevo = recepcion.recibida.caso
    assert nuevo.caso_anterior == existente
    assert existente.eventos.filter(tipo=TipoEvento.LIGADA).count() == 1


def test_nuevo_crea_otro_caso_sin_ligar(nuevo_caso, llamada):
    nuevo_caso()
    recepcion = services.recibir_con_revision(decision=DecisionDuplicado.NUEVO, **llamada())
    assert recepcion.recibida.caso.caso_anterior is None
    assert Caso.objects.count() == 2


def test_ligar_a_un_caso_que_no_es_de_ese_telefono_se_rechaza(nuevo_caso, llamada):
    nuevo_caso()
    otro = nuevo_caso(telefono="+523388887777").caso
    with pytest.raises(ValidationError) as error:
        services.recibir_con_revision(
            decision=DecisionDuplicado.CONTACTO, folio_existente=otro.folio, **llamada()
        )
    assert error.value.message_dict == {"caso_existente": ["Elija cuál de los casos existentes."]}
    assert Caso.objects.count() == 2

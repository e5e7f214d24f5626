"""El alta por la API aplica la misma revisión de duplicados que la captura telefónica."""

from django.urls import reverse

from casos.models import Caso, TipoEvento

from .datos import cuerpo_caso

TELEFONO = "+523322223333"  # el de cuerpo_caso()


def _alta(client, **extra):
    return client.post(reverse("api:casos"), cuerpo_caso(**extra), content_type="application/json")


def test_con_casos_abiertos_responde_409_con_ellos_y_no_crea_nada(client, nuevo_caso, operadora):
    existente = nuevo_caso(telefono=TELEFONO).caso
    client.force_login(operadora)
    respuesta = _alta(client)
    assert respuesta.status_code == 409
    cuerpo = respuesta.json()
    assert "decision_duplicado" in cuerpo["detail"]
    assert [d["folio"] for d in cuerpo["posibles_duplicados"]] == [existente.folio]
    assert set(cuerpo["posibles_duplicados"][0]) == {
        "folio",
        "estado",
        "recibido_en",
        "otra_parte",
    }
    assert Caso.objects.count() == 1


def test_contacto_no_crea_caso_y_queda_en_el_existente(client, nuevo_caso, operadora):
    existente = nuevo_caso(telefono=TELEFONO).caso
    client.force_login(operadora)
    respuesta = _alta(client, decision_duplicado="contacto", caso_anterior=existente.folio)
    assert respuesta.status_code == 200
    assert respuesta.json()["folio"] == existente.folio
    assert respuesta.json()["contacto_registrado"] is True
    assert Caso.objects.count() == 1
    assert existente.eventos.filter(tipo=TipoEvento.CONTACTO).count() == 1


def test_nuevo_ligado_crea_el_caso_ligado(client, nuevo_caso, operadora):
    existente = nuevo_caso(telefono=TELEFONO).caso
    client.force_login(operadora)
    respuesta = _alta(client, decision_duplicado="nuevo_ligado", caso_anterior=existente.folio)
    assert respuesta.status_code == 201
    assert Caso.objects.get(folio=respuesta.json()["folio"]).caso_anterior == existente


def test_ligar_a_un_caso_de_otro_telefono_da_400(client, nuevo_caso, operadora):
    nuevo_caso(telefono=TELEFONO)
    otro = nuevo_caso(telefono="+523388887777").caso
    client.force_login(operadora)
    respuesta = _alta(client, decision_duplicado="contacto", caso_anterior=otro.folio)
    assert respuesta.status_code == 400
    assert respuesta.json() == {"caso_anterior": ["Elija cuál de los casos existentes."]}

"""Quién ve y quién reintenta avisos: la coordinación todo, quien lleva el caso lo suyo, el
ajeno nada."""

import pytest
from django.core.exceptions import PermissionDenied

from casos.models import Caso
from notificaciones import selectors
from notificaciones.enlaces import token_encuesta
from notificaciones.models import Canal, EstadoMensaje, Mensaje

pytestmark = pytest.mark.django_db


@pytest.fixture
def aviso_fallido(con_contacto, mediador):
    """Un SMS que falló, de un caso que lleva el mediador."""
    caso = con_contacto()
    Caso.objects.filter(pk=caso.pk).update(responsable=mediador)
    sms = Mensaje.objects.get(caso=caso, canal=Canal.SMS)
    Mensaje.objects.filter(pk=sms.pk).update(estado=EstadoMensaje.FALLIDO)
    return sms


def test_reintenta_la_coordinacion_y_quien_lleva_el_caso(aviso_fallido, coordinadora, mediador):
    for usuario in (coordinadora, mediador):
        encontrado = selectors.aviso_para_reintentar(usuario=usuario, pk=aviso_fallido.pk)
        assert encontrado == aviso_fallido


def test_otro_mediador_y_el_ajeno_no_reintentan(aviso_fallido, otro_mediador, ajeno):
    for usuario in (otro_mediador, ajeno):
        assert not selectors.puede_reintentar(usuario=usuario, caso=aviso_fallido.caso)
        with pytest.raises(PermissionDenied):
            selectors.aviso_para_reintentar(usuario=usuario, pk=aviso_fallido.pk)


def test_la_lista_completa_es_solo_para_quien_ve_todos_los_avisos(
    aviso_fallido, coordinadora, mediador, ajeno
):
    folio = aviso_fallido.caso.folio
    fallidos = selectors.avisos_para_personal(usuario=coordinadora, estado="fallido")
    assert list(fallidos) == [aviso_fallido]
    por_folio = selectors.avisos_para_personal(usuario=coordinadora, folio=folio[-5:])
    assert set(por_folio) == set(Mensaje.objects.filter(caso__folio=folio))
    assert selectors.cuantos_fallidos(usuario=coordinadora) == 1
    for usuario in (mediador, ajeno):
        with pytest.raises(PermissionDenied):
            selectors.avisos_para_personal(usuario=usuario)
        with pytest.raises(PermissionDenied):
            selectors.cuantos_fallidos(usuario=usuario)


def test_un_filtro_desconocido_no_esconde_nada(aviso_fallido, coordinadora):
    todos = selectors.avisos_para_personal(usuario=coordinadora, estado="otro", canal="fax")
    assert todos.count() == Mensaje.objects.count()


def test_el_enlace_de_encuesta_alterado_no_da_caso(con_contacto):
    caso = con_contacto()
    token = token_encuesta(caso.pk)
    assert selectors.caso_de_encuesta(token=token) == caso
    assert selectors.caso_de_encuesta(token=token[:-1] + ("0" if token[-1] != "0" else "1")) is None
    assert selectors.caso_de_encuesta(token="") is None

"""Cifras de un aviso por lista: entregados, sin confirmar, fallidos, dados de baja y pendientes."""

import pytest
from django.db import transaction

from comunidad import selectors, services
from comunidad.models import Entrega
from notificaciones.models import Entrega as Recibo
from notificaciones.models import EstadoMensaje, Mensaje, OrigenBaja
from notificaciones.services import dar_de_baja

pytestmark = pytest.mark.django_db


def _estado(contacto, aviso, estado, entrega=""):
    mensaje = Entrega.objects.get(aviso=aviso, contacto=contacto).mensaje
    Mensaje.objects.filter(pk=mensaje.pk).update(estado=estado, entrega=entrega)


def test_cifras_por_lista_y_total_sin_repetir(
    nuevo_contacto, lista, otra_lista, coordinadora, django_assert_max_num_queries
):
    entregado = nuevo_contacto(listas=[lista, otra_lista])
    leido = nuevo_contacto(listas=[lista])
    sin_confirmar = nuevo_contacto(listas=[lista])
    no_entregado = nuevo_contacto(listas=[otra_lista])
    fallido = nuevo_contacto(listas=[otra_lista])
    pendiente = nuevo_contacto(listas=[lista])
    baja_antes = nuevo_contacto(listas=[lista])
    baja_despues = nuevo_contacto(listas=[otra_lista])
    dar_de_baja(canal="sms", destino=baja_antes.telefono, origen=OrigenBaja.RESPUESTA)
    with transaction.atomic():
        aviso = services.enviar_aviso(
            texto="Jornada de salud el lunes", listas=[lista, otra_lista], actor=coordinadora
        )
    services.repartir(aviso.pk)
    _estado(entregado, aviso, EstadoMensaje.ENVIADO, Recibo.ENTREGADO)
    _estado(leido, aviso, EstadoMensaje.ENVIADO, Recibo.LEIDO)
    _estado(sin_confirmar, aviso, EstadoMensaje.ENVIADO, Recibo.SALIO)
    _estado(no_entregado, aviso, EstadoMensaje.ENVIADO, Recibo.NO_ENTREGADO)
    _estado(fallido, aviso, EstadoMensaje.FALLIDO)
    dar_de_baja(canal="sms", destino=baja_despues.telefono, origen=OrigenBaja.RESPUESTA)
    assert pendiente  # sigue pendiente en la bandeja

    with django_assert_max_num_queries(4):
        por_lista, total = selectors.cifras(aviso)
    cifras = {c.nombre: c for c in por_lista}
    primera, segunda = cifras[lista.nombre], cifras[otra_lista.nombre]
    assert (primera.total, primera.entregados, primera.sin_confirmar) == (5, 2, 1)
    assert (primera.fallidos, primera.dados_de_baja, primera.pendientes) == (0, 1, 1)
    assert (segunda.total, segunda.entregados, segunda.sin_confirmar) == (4, 1, 0)
    assert (segunda.fallidos, segunda.dados_de_baja, segunda.pendientes) == (2, 1, 0)
    # El que está en las dos listas cuenta una vez en el total.
    assert (total.total, total.entregados, total.fallidos, total.dados_de_baja) == (8, 2, 2, 2)
    assert total.pendientes == 1 and total.sin_confirmar == 1


def test_la_pagina_del_aviso_muestra_las_cifras(
    client, direccion, nuevo_contacto, lista, coordinadora
):
    nuevo_contacto(listas=[lista])
    with transaction.atomic():
        aviso = services.enviar_aviso(texto="Aviso", listas=[lista], actor=coordinadora)
    services.repartir(aviso.pk)
    client.force_login(direccion)
    html = client.get(f"/comunidad/avisos/{aviso.pk}/").content.decode()
    assert lista.nombre in html and "Pendientes" in html and "Terminó el" in html

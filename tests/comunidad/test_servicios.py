"""Contactos, consentimiento, bajas y reparto de un aviso (SQLite; con PostgreSQL y un worker
real en test_reales.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from comunidad import services
from comunidad.models import Contacto, Entrega
from comunidad.selectors import destinatarios
from notificaciones.models import Baja, EstadoMensaje, Mensaje, OrigenBaja
from notificaciones.services import dar_de_baja, enviar, redactar

from .conftest import consentimiento

pytestmark = pytest.mark.django_db


def test_el_telefono_se_guarda_en_e164(nuevo_contacto):
    contacto = nuevo_contacto(telefono="391 123 4567")
    assert contacto.telefono == "+523911234567"


def test_el_mismo_numero_por_el_mismo_canal_no_se_registra_dos_veces(nuevo_contacto):
    nuevo_contacto(telefono="391 123 4567", nombre="Rosa")
    with pytest.raises(ValidationError) as error:
        nuevo_contacto(telefono="+52 391 123 4567")
    assert "ya está registrado por SMS a nombre de Rosa" in str(error.value)
    # Por WhatsApp es otro canal: se permite.
    assert nuevo_contacto(telefono="3911234567", canal="whatsapp").canal == "whatsapp"


def test_el_consentimiento_de_palabra_pide_ante_quien(coordinadora, milpillas, aviso):
    with pytest.raises(ValidationError) as error:
        services.registrar_contacto(
            nombre="Luis",
            telefono="3912223344",
            canal="sms",
            localidad=milpillas,
            actor=coordinadora,
            consentimiento=consentimiento(aviso, forma="palabra", ante=""),
        )
    assert "ante quién" in error.value.message_dict["consentimiento_ante"][0]
    assert not Contacto.objects.exists()


def test_queda_quien_registro_el_consentimiento_y_su_historia(nuevo_contacto, coordinadora):
    contacto = nuevo_contacto()
    assert contacto.consentimiento_registrado_por == coordinadora
    assert contacto.consentimiento_forma == "escrito"
    assert contacto.history.count() == 1


def test_destinatarios_sin_repetir_sin_bajas_ni_sin_consentimiento(
    nuevo_contacto, lista, otra_lista
):
    en_dos = nuevo_contacto(listas=[lista, otra_lista])
    solo_una = nuevo_contacto(listas=[lista])
    nuevo_contacto(listas=[lista], con_consentimiento=False)
    de_baja = nuevo_contacto(listas=[otra_lista])
    dar_de_baja(canal="sms", destino=de_baja.telefono, origen=OrigenBaja.RESPUESTA)
    assert set(destinatarios([lista, otra_lista])) == {en_dos, solo_una}


def _aviso(coordinadora, *listas, texto="Módulo itinerante en Milpillas el sábado 12, 9 a 13 h"):
    with transaction.atomic():
        return services.enviar_aviso(texto=texto, listas=listas, actor=coordinadora)


def test_repartir_escribe_un_mensaje_por_contacto_una_sola_vez(
    nuevo_contacto, lista, otra_lista, coordinadora
):
    contactos = [nuevo_contacto(listas=[lista, otra_lista]) for _ in range(5)]
    sin = nuevo_contacto(listas=[lista], con_consentimiento=False)
    aviso = _aviso(coordinadora, lista, otra_lista)
    assert aviso.destinatarios == 5
    assert services.repartir(aviso.pk, lote=2) == 5
    # Otra vez (el beat lo volvió a encolar, o el worker murió antes de marcarlo): nada nuevo.
    aviso.__class__.objects.filter(pk=aviso.pk).update(repartido_en=None, reparto_hasta=None)
    assert services.repartir(aviso.pk, lote=2) == 0
    mensajes = Mensaje.objects.filter(plantilla="comunitario")
    assert sorted(mensajes.values_list("llave", flat=True)) == sorted(
        f"comunidad:{aviso.pk}:{c.pk}" for c in contactos
    )
    assert not Entrega.objects.filter(contacto=sin).exists()
    assert Entrega.objects.filter(aviso=aviso, mensaje__isnull=False).count() == 5


def test_si_el_reparto_se_interrumpe_otro_lo_termina_sin_duplicar(
    nuevo_contacto, lista, coordinadora, monkeypatch
):
    contactos = [nuevo_contacto(listas=[lista]) for _ in range(7)]
    aviso = _aviso(coordinadora, lista)
    original = services._repartir_lote
    vueltas = []

    def muere_en_el_segundo(aviso_, lote):
        vueltas.append(1)
        if len(vueltas) == 2:
            raise RuntimeError("worker muerto")
        return original(aviso_, lote)

    monkeypatch.setattr(services, "_repartir_lote", muere_en_el_segundo)
    with pytest.raises(RuntimeError):
        services.repartir(aviso.pk, lote=3)
    assert Entrega.objects.filter(aviso=aviso).count() == 3  # el primer lote quedó
    monkeypatch.setattr(services, "_repartir_lote", original)
    # Mientras vale el reclamo, otro worker no lo toma; vencido, sí.
    assert services.repartir(aviso.pk, lote=3) == 0
    aviso.__class__.objects.filter(pk=aviso.pk).update(reparto_hasta=None)
    assert services.repartir(aviso.pk, lote=3) == 4
    assert Mensaje.objects.filter(plantilla="comunitario").count() == len(contactos)


def test_el_dado_de_baja_no_recibe_y_queda_contado(nuevo_contacto, lista, coordinadora):
    recibe = nuevo_contacto(listas=[lista])
    baja = nuevo_contacto(listas=[lista])
    services.dar_de_baja(contacto=baja, actor=coordinadora)
    assert Baja.objects.get(destino=baja.telefono).origen == OrigenBaja.PERSONAL
    aviso = _aviso(coordinadora, lista)
    services.repartir(aviso.pk)
    assert list(Mensaje.objects.values_list("destino", flat=True)) == [recibe.telefono]
    assert Entrega.objects.get(aviso=aviso, contacto=baja).mensaje is None


def test_la_baja_despues_de_repartir_cancela_lo_pendiente(nuevo_contacto, lista, coordinadora):
    contacto = nuevo_contacto(listas=[lista])
    aviso = _aviso(coordinadora, lista)
    services.repartir(aviso.pk)
    # Respondió BAJA a un aviso anterior antes de que este saliera.
    dar_de_baja(canal="sms", destino=contacto.telefono, origen=OrigenBaja.RESPUESTA)
    mensaje = Entrega.objects.get(aviso=aviso).mensaje
    assert enviar(mensaje.pk) == "ocupado"  # ya no está pendiente
    mensaje.refresh_from_db()
    assert mensaje.estado == EstadoMensaje.CANCELADO


def test_el_sms_lleva_la_firma_el_texto_sin_acentos_y_el_pie_de_baja(
    nuevo_contacto, lista, coordinadora, settings
):
    nuevo_contacto(listas=[lista])
    nuevo_contacto(listas=[lista], canal="whatsapp")
    aviso = _aviso(coordinadora, lista, texto="Módulo itinerante en Milpillas el sábado.")
    services.repartir(aviso.pk)
    sms = Mensaje.objects.get(canal="sms")
    whatsapp = Mensaje.objects.get(canal="whatsapp")
    firma = settings.AVISOS_FIRMA_SMS
    assert redactar(sms).texto == (
        f"{firma}: Modulo itinerante en Milpillas el sabado. Resp BAJA p/no recibir"
    )
    assert redactar(whatsapp).texto.startswith(f"{firma}: Módulo itinerante en Milpillas")
    assert "Responda BAJA" in redactar(whatsapp).texto


def test_sin_listas_o_con_texto_vacio_no_se_envia(coordinadora, lista):
    with pytest.raises(ValidationError, match="al menos una lista"):
        services.enviar_aviso(texto="Hola", listas=[], actor=coordinadora)
    with pytest.raises(ValidationError, match="Escriba el texto"):
        services.enviar_aviso(texto="   ", listas=[lista], actor=coordinadora)


def test_el_barrido_encola_lo_que_no_termino(nuevo_contacto, lista, coordinadora, monkeypatch):
    nuevo_contacto(listas=[lista])
    aviso = _aviso(coordinadora, lista)
    encolados = []
    monkeypatch.setattr(services, "_encolar", lambda pk: encolados.append(pk) or True)
    assert services.repartir_pendientes() == 1 and encolados == [aviso.pk]
    services.repartir(aviso.pk)
    assert services.repartir_pendientes() == 0  # ya terminó: no se vuelve a encolar

"""Corregir una hora mal capturada antes de avisar a las partes no es un diferimiento (LGMASC
art. 76): la sesión cambia, queda en la línea de tiempo y cada parte recibe un solo aviso, con
la hora buena. En cuanto sale el primer aviso de la sesión a una parte, todo
cambio es un diferimiento, contado contra los dos del art. 76."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from casos.models import EstadoSesion, Evento, TipoEvento
from casos.selectors import contar_diferimientos
from casos.services import mediacion as med
from notificaciones import services
from notificaciones.models import EstadoMensaje, Mensaje
from tests.casos.etapas import admitido, en, invitado

from .conftest import entregar

pytestmark = pytest.mark.django_db


@pytest.fixture
def programada(reloj, con_contacto, coordinadora, certificado, sala):
    """Sesión capturada para el jueves 26/11/2026 a las 10:00, cuando era a las 12:00; los
    avisos aún no salen."""
    caso = con_contacto()
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    return med.programar_sesion(
        caso=caso, actor=certificado, inicio=en(date(2026, 11, 26), 10), sala=sala
    )


def avisos_de(sesion, **filtros):
    return Mensaje.objects.filter(referencia=f"sesion:{sesion.pk}", **filtros)


def test_corregir_antes_de_avisar_no_gasta_diferimiento_y_sale_un_solo_aviso_con_la_hora_buena(
    programada, certificado
):
    pendientes = set(avisos_de(programada, estado=EstadoMensaje.PENDIENTE).values_list("pk"))
    assert pendientes and programada.avisada_en is None

    corregida = med.corregir_hora(
        sesion=programada, actor=certificado, nuevo_inicio=en(date(2026, 11, 26), 12)
    )

    assert corregida.pk == programada.pk and corregida.estado == EstadoSesion.PROGRAMADA
    assert corregida.inicio == en(date(2026, 11, 26), 12) and corregida.correcciones == 1
    assert contar_diferimientos(sesion=corregida) == 0
    assert not corregida.caso.sesiones.filter(estado=EstadoSesion.DIFERIDA).exists()
    evento = Evento.objects.filter(caso=corregida.caso).order_by("-id").first()
    assert evento.tipo == TipoEvento.SESION_REPROGRAMADA
    assert evento.descripcion == (
        "Hora corregida antes de avisar a las partes: de 26/11/2026 10:00 a 26/11/2026 12:00."
    )
    # Lo pendiente con la hora mala se canceló; lo nuevo lleva otra llave.
    assert set(avisos_de(corregida, estado=EstadoMensaje.CANCELADO).values_list("pk")) == pendientes

    entregar()
    enviados = avisos_de(corregida, estado=EstadoMensaje.ENVIADO, plantilla="sesion_programada")
    destinos = [(m.parte_id, m.canal) for m in enviados]
    assert destinos and len(destinos) == len(set(destinos))  # uno por parte y canal
    for mensaje in enviados:
        assert "12:00" in mensaje.texto and "10:00" not in mensaje.texto
    corregida.refresh_from_db()
    assert corregida.avisada_en is not None


def test_ya_avisadas_las_partes_el_cambio_es_un_diferimiento_y_se_agotan_los_dos(
    programada, certificado
):
    entregar()
    programada.refresh_from_db()
    assert programada.avisada_en is not None
    with pytest.raises(ValidationError, match="Ya se avisó a las partes.*art. 76"):
        med.corregir_hora(
            sesion=programada, actor=certificado, nuevo_inicio=en(date(2026, 11, 26), 12)
        )
    programada.refresh_from_db()
    assert programada.inicio == en(date(2026, 11, 26), 10)

    primera = med.diferir_sesion(
        sesion=programada,
        actor=certificado,
        motivo="La otra parte pidió otra hora",
        nuevo_inicio=en(date(2026, 11, 26), 12),
    )
    assert contar_diferimientos(sesion=primera) == 1
    segunda = med.diferir_sesion(
        sesion=primera, actor=certificado, motivo="Enfermedad", nuevo_inicio=en(date(2026, 12, 1))
    )
    with pytest.raises(ValidationError, match="ya tuvo 2 diferimientos; el art. 76 permite 2"):
        med.diferir_sesion(
            sesion=segunda, actor=certificado, motivo="Viaje", nuevo_inicio=en(date(2026, 12, 3))
        )


def test_la_sesion_nacida_de_un_diferimiento_sin_avisar_se_corrige_y_avisa_el_cambio(
    programada, certificado
):
    entregar()
    nueva = med.diferir_sesion(
        sesion=programada,
        actor=certificado,
        motivo="Enfermedad",
        nuevo_inicio=en(date(2026, 11, 30), 10),
    )
    corregida = med.corregir_hora(
        sesion=nueva, actor=certificado, nuevo_inicio=en(date(2026, 11, 30), 11)
    )
    assert contar_diferimientos(sesion=corregida) == 1  # la corrección no sumó otro
    entregar()
    enviados = avisos_de(corregida, estado=EstadoMensaje.ENVIADO)
    assert {m.plantilla for m in enviados} == {"sesion_reprogramada"}
    assert all("11:00" in m.texto for m in enviados)


def test_con_un_aviso_saliendo_la_correccion_se_deshace_entera(programada, certificado):
    """Un worker ya reclamó un aviso de la sesión: puede llegar con la hora vieja, así que
    ya no es corrección sino diferimiento; nada de lo hecho queda (ni las cancelaciones)."""
    reclamado = avisos_de(programada, estado=EstadoMensaje.PENDIENTE).first()
    assert services.RECLAMO.reclamar(reclamado.pk, ahora=reclamado.programado_para)
    with pytest.raises(ValidationError, match="está saliendo.*diferimiento"):
        med.corregir_hora(
            sesion=programada, actor=certificado, nuevo_inicio=en(date(2026, 11, 26), 12)
        )
    programada.refresh_from_db()
    assert programada.inicio == en(date(2026, 11, 26), 10) and programada.correcciones == 0
    assert avisos_de(programada, estado=EstadoMensaje.PENDIENTE).exists()


def test_corregida_la_hora_el_aviso_viejo_ya_no_se_puede_reclamar(programada, certificado):
    """La corrección cancela primero lo pendiente: el worker que llega después no lo gana."""
    viejo = avisos_de(programada, estado=EstadoMensaje.PENDIENTE).first()
    med.corregir_hora(sesion=programada, actor=certificado, nuevo_inicio=en(date(2026, 11, 26), 12))
    assert services.enviar(viejo.pk) == "ocupado"
    viejo.refresh_from_db()
    assert viejo.estado == EstadoMensaje.CANCELADO


def test_la_correccion_revisa_lo_mismo_que_programar(programada, certificado):
    with pytest.raises(ValidationError, match="queda fuera de ese horario"):
        med.corregir_hora(
            sesion=programada, actor=certificado, nuevo_inicio=en(date(2026, 11, 26), 21)
        )
    with pytest.raises(ValidationError, match="ya está a esa hora"):
        med.corregir_hora(
            sesion=programada, actor=certificado, nuevo_inicio=en(date(2026, 11, 26), 10)
        )

"""Avisos por correo de certificaciones por vencer (LGMASC art. 55): a la persona
facilitadora y a la coordinación, a los 90, 30 y 7 días, una sola vez cada uno."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, User

from casos.models import PerfilMediador
from notificaciones.models import EstadoMensaje, Mensaje
from notificaciones.reglas import avisos_de_certificacion, umbral_de_certificacion
from notificaciones.services import enviar
from notificaciones.tasks import avisos_de_certificacion as tarea

pytestmark = pytest.mark.django_db

VENCE = date(2027, 3, 31)


@pytest.fixture
def perfil(mediador, coordinadora):
    mediador.first_name, mediador.last_name, mediador.email = "Marta", "Ruiz", "marta@mun.gob.mx"
    mediador.save()
    coordinadora.email = "coordina@mun.gob.mx"
    coordinadora.save()
    return PerfilMediador.objects.create(
        usuario=mediador,
        numero_certificacion="IJA-0042",
        autoridad_emisora="Instituto de Justicia Alternativa del Estado",
        certificado_hasta=VENCE,
    )


def _dia(reloj, fecha):
    reloj.move_to(f"{fecha.isoformat()}T10:00-06:00")


def _avisos():
    return Mensaje.objects.filter(plantilla="certificacion_por_vencer")


def _umbrales():
    return sorted(m.contexto["dias"] for m in _avisos().filter(destino="marta@mun.gob.mx"))


def test_avisa_a_los_90_30_y_7_dias_a_la_facilitadora_y_a_la_coordinacion(reloj, perfil):
    _dia(reloj, VENCE - timedelta(days=91))
    avisos_de_certificacion()
    assert not _avisos().exists()
    for dias in (90, 30, 7):
        _dia(reloj, VENCE - timedelta(days=dias))
        avisos_de_certificacion()
        assert sorted(_avisos().filter(contexto__dias=dias).values_list("destino", flat=True)) == [
            "coordina@mun.gob.mx",
            "marta@mun.gob.mx",
        ]
    assert _umbrales() == [7, 30, 90]


def test_el_texto_dice_quien_numero_autoridad_fecha_y_que_hacer(reloj, perfil):
    _dia(reloj, VENCE - timedelta(days=30))
    avisos_de_certificacion()
    mensaje = _avisos().get(destino="coordina@mun.gob.mx")
    assert enviar(mensaje.pk)
    mensaje.refresh_from_db()
    assert mensaje.estado == EstadoMensaje.ENVIADO
    assert mensaje.asunto == "La certificación de Marta Ruiz vence el 31/03/2027"
    texto = mensaje.texto
    assert "Hola, Coordinadora:" in texto
    assert "número IJA-0042" in texto
    assert "expedida por Instituto de Justicia Alternativa del Estado" in texto
    assert "vence el 31/03/2027: faltan 30 días" in texto
    assert "tramita la renovación ante Instituto de Justicia Alternativa del Estado" in texto
    assert f"/oficina/casos/perfilmediador/{perfil.pk}/change/" in texto


def test_otra_corrida_el_mismo_dia_o_al_siguiente_no_repite(reloj, perfil):
    _dia(reloj, VENCE - timedelta(days=30))
    avisos_de_certificacion()
    tarea()
    _dia(reloj, VENCE - timedelta(days=29))
    tarea()
    assert _avisos().count() == 2  # uno a la facilitadora y uno a la coordinación


def test_si_el_beat_no_corrio_el_dia_exacto_sale_al_siguiente_solo_el_mas_urgente(reloj, perfil):
    # El beat estuvo caído desde antes de los 90 días hasta faltar 25: toca el de 30, no el de 90.
    _dia(reloj, VENCE - timedelta(days=25))
    avisos_de_certificacion()
    assert _umbrales() == [30]
    # Y si se salta también el de 7 días: al faltar 3, solo ese.
    _dia(reloj, VENCE - timedelta(days=3))
    avisos_de_certificacion()
    assert _umbrales() == [7, 30]


def test_una_certificacion_renovada_tiene_sus_propios_avisos(reloj, perfil):
    _dia(reloj, VENCE - timedelta(days=7))
    avisos_de_certificacion()
    perfil.certificado_hasta = VENCE + timedelta(days=5 * 365)
    perfil.save()
    avisos_de_certificacion()
    assert _umbrales() == [7]
    # El aviso viejo, si aún no salía, ya no corresponde.
    viejo = _avisos().get(destino="marta@mun.gob.mx")
    enviar(viejo.pk)
    viejo.refresh_from_db()
    assert viejo.estado == EstadoMensaje.CANCELADO
    _dia(reloj, perfil.certificado_hasta - timedelta(days=90))
    avisos_de_certificacion()
    nuevos = _avisos().filter(contexto__vence=perfil.certificado_hasta.isoformat())
    assert sorted(nuevos.values_list("contexto__dias", flat=True)) == [90, 90]


def test_vencida_inactiva_o_lejana_no_se_avisa(reloj, perfil, otro_mediador):
    otro_mediador.email = "otra@mun.gob.mx"
    otro_mediador.is_active = False
    otro_mediador.save()
    PerfilMediador.objects.create(
        usuario=otro_mediador, numero_certificacion="IJA-7", certificado_hasta=VENCE
    )
    _dia(reloj, VENCE + timedelta(days=1))
    avisos_de_certificacion()
    _dia(reloj, VENCE - timedelta(days=200))
    avisos_de_certificacion()
    assert not _avisos().exists()


def test_los_dias_se_configuran(reloj, perfil, settings):
    settings.CERTIFICACION_AVISOS_DIAS = [60, 15]
    assert umbral_de_certificacion(VENCE, VENCE - timedelta(days=61)) is None
    assert umbral_de_certificacion(VENCE, VENCE - timedelta(days=40)) == 60
    assert umbral_de_certificacion(VENCE, VENCE) == 15
    assert umbral_de_certificacion(VENCE, VENCE + timedelta(days=1)) is None
    _dia(reloj, VENCE - timedelta(days=15))
    avisos_de_certificacion()
    assert _umbrales() == [15]


def test_solo_la_coordinacion_activa_con_correo(reloj, perfil, catalogos):
    sin_correo = User.objects.create_user("coord2", first_name="Sin correo")
    inactiva = User.objects.create_user("coord3", email="ya-no@mun.gob.mx", is_active=False)
    for usuario in (sin_correo, inactiva):
        usuario.groups.add(Group.objects.get(name="coordinador"))
    _dia(reloj, VENCE - timedelta(days=7))
    avisos_de_certificacion()
    assert set(_avisos().values_list("destino", flat=True)) == {
        "marta@mun.gob.mx",
        "coordina@mun.gob.mx",
    }


def test_el_beat_lo_corre_cada_dia(settings):
    entrada = settings.CELERY_BEAT_SCHEDULE["certificaciones-por-vencer"]
    assert entrada["task"] == "notificaciones.tasks.avisos_de_certificacion"
    assert entrada["schedule"].hour == {settings.AVISOS_HORA_DEL_DIA}
    assert entrada["schedule"].minute == {0}

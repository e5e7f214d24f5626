"""Los avisos de una solicitud ARCO (acuse, requerimiento, ampliación, respuesta) por el
medio que eligió la persona, y la bandeja de salida que respeta el bloqueo y la oposición."""

from datetime import date

import pytest
from django.core import mail
from django.utils import timezone

from casos import plazos
from casos.models import Canal as CanalCaso
from casos.models import Estado, EstadoSesion, EventoARCO, RolParte, TipoEventoARCO
from casos.services import DatosPersona
from casos.services import asesoria as ase
from casos.services import mediacion as med
from casos.services import privacidad as arco
from casos.templatetags.formato import fecha_larga
from notificaciones import reglas
from notificaciones.models import Canal, EstadoMensaje, Mensaje
from notificaciones.services import enviar
from tests.casos.etapas import admitido, con_sesion, en, invitado
from tests.notificaciones.conftest import entregar

from . import personas_arco as p

pytestmark = pytest.mark.django_db


def recibida(actor, *, medio="correo", derecho="acceso"):
    return arco.recibir_solicitud_arco(
        derecho=derecho,
        canal=CanalCaso.TELEFONO,
        nombre=p.NOMBRE,
        medio_respuesta=medio,
        descripcion="Quiero saber qué datos míos tiene la oficina.",
        telefono=p.TELEFONO,
        correo=p.CORREO,
        domicilio="Calle Vieja 10",
        actor=actor,
    )


def avisos_de(solicitud, plantilla=None):
    mensajes = Mensaje.objects.filter(solicitud_arco=solicitud)
    return mensajes.filter(plantilla=plantilla) if plantilla else mensajes


# --- Avisos de la solicitud ----------------------------------------------------------------


def test_el_acuse_sale_por_correo_con_folio_codigo_y_consulta(reloj, settings, privacidad):
    settings.AVISOS_CANALES = {"correo": "django", "sms": "bandeja", "whatsapp": "bandeja"}
    hecho = recibida(privacidad)
    solicitud = hecho.solicitud
    (acuse,) = avisos_de(solicitud)
    assert (acuse.plantilla, acuse.canal, acuse.destino) == ("arco_acuse", Canal.CORREO, p.CORREO)
    assert acuse.caso_id is None and acuse.parte_id is None
    # El código no se guarda en la bandeja: se recalcula al enviar.
    assert hecho.codigo not in str(acuse.contexto)
    assert entregar() == {acuse.pk: EstadoMensaje.ENVIADO}
    (correo,) = mail.outbox
    assert solicitud.folio in correo.subject and correo.to == [p.CORREO]
    assert hecho.codigo_legible in correo.body
    assert "/consulta/" in correo.body
    vence = plazos.arco_respuesta_vence_el(solicitud)
    assert f"a más tardar el {fecha_larga(vence)}" in correo.body
    acuse.refresh_from_db()
    assert hecho.codigo_legible not in acuse.texto  # lo guardado lleva el código oculto
    assert EventoARCO.objects.filter(
        solicitud=solicitud, tipo=TipoEventoARCO.AVISO, datos__mensaje=acuse.pk
    ).exists()


def test_por_sms_y_por_whatsapp_al_telefono_de_la_solicitud(reloj, privacidad):
    por_sms = recibida(privacidad, medio="sms").solicitud
    por_whatsapp = recibida(privacidad, medio="whatsapp").solicitud
    assert [(m.canal, m.destino) for m in avisos_de(por_sms)] == [(Canal.SMS, p.TELEFONO)]
    assert [(m.canal, m.destino) for m in avisos_de(por_whatsapp)] == [(Canal.WHATSAPP, p.TELEFONO)]
    entregar()
    (sms,) = avisos_de(por_sms)
    assert sms.estado == EstadoMensaje.ENVIADO and por_sms.folio in sms.texto


@pytest.mark.parametrize("medio", ["oficina", "domicilio"])
def test_en_la_oficina_o_el_domicilio_no_hay_aviso_electronico(reloj, privacidad, medio):
    solicitud = recibida(privacidad, medio=medio).solicitud
    assert not avisos_de(solicitud).exists()
    evento = EventoARCO.objects.get(solicitud=solicitud, tipo=TipoEventoARCO.AVISO)
    assert "Sin aviso electrónico" in evento.descripcion
    assert solicitud.get_medio_respuesta_display() in evento.descripcion


def test_la_misma_senal_dos_veces_es_un_solo_aviso(reloj, privacidad):
    solicitud = recibida(privacidad).solicitud
    reglas.al_recibir_arco(sender=None, solicitud=solicitud, codigo="")
    assert avisos_de(solicitud, "arco_acuse").count() == 1


def test_requerimiento_dice_que_se_pide_y_hasta_cuando(reloj, privacidad):
    solicitud = recibida(privacidad).solicitud
    arco.requerir_informacion(
        solicitud=solicitud,
        actor=privacidad,
        requerimiento="Copia de su identificación oficial y el folio de su caso.",
    )
    (aviso,) = avisos_de(solicitud, "arco_requerimiento")
    entregar()
    aviso.refresh_from_db()
    assert aviso.estado == EstadoMensaje.ENVIADO
    assert "Copia de su identificación oficial y el folio de su caso." in aviso.texto
    solicitud.refresh_from_db()
    assert fecha_larga(plazos.arco_desahogo_vence_el(solicitud)) in aviso.texto


def test_ampliacion_dice_el_motivo_y_el_nuevo_plazo(reloj, privacidad):
    solicitud = recibida(privacidad, medio="sms").solicitud
    solicitud = arco.ampliar_plazo(
        solicitud=solicitud, actor=privacidad, motivo="Hay que revisar expedientes en archivo."
    )
    (aviso,) = avisos_de(solicitud, "arco_ampliacion")
    assert aviso.canal == Canal.SMS
    entregar()
    aviso.refresh_from_db()
    nuevo = plazos.arco_respuesta_vence_el(solicitud)
    assert fecha_larga(nuevo).replace("é", "e") in aviso.texto  # SMS en GSM-7


def test_la_respuesta_avisa_que_esta_lista_y_como_recogerla(
    reloj, settings, nuevo_caso, privacidad
):
    settings.AVISOS_CANALES = {"correo": "django", "sms": "bandeja", "whatsapp": "bandeja"}
    _casos, partes = p.tres_casos(nuevo_caso)
    solicitud = p.solicitud(privacidad, partes)
    solicitud = arco.responder(
        solicitud=solicitud,
        actor=privacidad,
        sentido="procedente",
        fundamento="Artículo 45 de la LGPDPPSO.",
        respuesta="Le entregamos sus datos.",
    )
    (aviso,) = avisos_de(solicitud, "arco_respuesta")
    assert (aviso.canal, aviso.destino) == (Canal.CORREO, p.CORREO)
    entregar()
    (correo,) = [c for c in mail.outbox if "está lista" in c.subject]
    assert solicitud.folio in correo.subject and correo.to == [p.CORREO]
    assert "identificación oficial" in correo.body
    assert fecha_larga(plazos.arco_recurso_vence_el(solicitud)) in correo.body


# --- Bloqueo y oposición en la bandeja de salida --------------------------------------------


@pytest.fixture
def con_sesion_programada(reloj, nuevo_caso, coordinadora, certificado, sala):
    """Mediación con ambas partes con teléfono, sesión el lunes 30/11 y sus recordatorios
    pendientes."""

    def crear():
        caso = nuevo_caso(
            solicitante=p.persona(),
            otra_parte=DatosPersona(nombre="Gumersindo Tlacuilo Zárate", telefono="+523399990001"),
        ).caso
        admitido(caso, coordinadora, certificado)
        invitado(caso, certificado)
        sesion = con_sesion(caso, certificado, sala, en(date(2026, 11, 30), 10))
        entregar()  # lo inmediato sale; quedan los recordatorios a futuro
        return caso, sesion

    return crear


def pendientes(parte):
    return Mensaje.objects.filter(parte=parte, estado=EstadoMensaje.PENDIENTE)


def test_datos_bloqueados_cancelan_lo_pendiente_y_no_hay_recordatorios_nuevos(
    con_sesion_programada, privacidad, certificado
):
    caso, sesion = con_sesion_programada()
    suya = caso.partes.get(rol=RolParte.SOLICITANTE)
    otra = caso.partes.get(rol=RolParte.INVITADA)
    assert pendientes(suya).filter(plantilla="recordatorio_sesion").exists()
    solicitud = p.solicitud(privacidad, [suya], derecho="cancelacion")
    arco.bloquear_datos(solicitud=solicitud, partes=[suya], actor=privacidad)
    assert not pendientes(suya).exists()
    cancelados = Mensaje.objects.filter(parte=suya, estado=EstadoMensaje.CANCELADO)
    assert cancelados.filter(plantilla="recordatorio_sesion").exists()
    assert all("bloqueados" in m.ultimo_error for m in cancelados)
    assert pendientes(otra).filter(plantilla="recordatorio_sesion").exists()
    # La sesión se difiere: la otra parte recibe lo nuevo; a ella no se le escribe nada.
    nueva = med.diferir_sesion(
        sesion=sesion, actor=certificado, motivo="Enfermedad", nuevo_inicio=en(date(2026, 12, 2))
    )
    assert not Mensaje.objects.filter(parte=suya, referencia=f"sesion:{nueva.pk}").exists()
    assert Mensaje.objects.filter(
        parte=otra, referencia=f"sesion:{nueva.pk}", plantilla="recordatorio_sesion"
    ).exists()


def test_oposicion_a_avisos_detiene_recordatorios_pero_no_el_caso(
    con_sesion_programada, privacidad, certificado
):
    caso, sesion = con_sesion_programada()
    suya = caso.partes.get(rol=RolParte.SOLICITANTE)
    otra = caso.partes.get(rol=RolParte.INVITADA)
    solicitud = p.solicitud(privacidad, [suya], derecho="oposicion")
    arco.registrar_oposicion(solicitud=solicitud, partes=[suya], usos=["avisos"], actor=privacidad)
    assert not pendientes(suya).filter(plantilla="recordatorio_sesion").exists()
    assert all(
        "se opuso" in m.ultimo_error
        for m in Mensaje.objects.filter(parte=suya, estado=EstadoMensaje.CANCELADO)
    )
    # El caso sigue: la sesión sigue programada y puede diferirse; la otra parte, avisada.
    sesion.refresh_from_db()
    caso.refresh_from_db()
    assert sesion.estado == EstadoSesion.PROGRAMADA and caso.estado == Estado.SESION
    nueva = med.diferir_sesion(
        sesion=sesion, actor=certificado, motivo="Enfermedad", nuevo_inicio=en(date(2026, 12, 2))
    )
    assert not Mensaje.objects.filter(parte=suya, referencia=f"sesion:{nueva.pk}").exists()
    assert Mensaje.objects.filter(parte=otra, referencia=f"sesion:{nueva.pk}").count() >= 2


def test_oposicion_a_avisos_no_quita_la_encuesta_pero_oponerse_a_la_encuesta_si(
    reloj, nuevo_caso, privacidad, asesor
):
    def asesoria_con_oposicion(usos):
        caso = nuevo_caso("ASE", solicitante=p.persona()).caso
        suya = caso.partes.get()
        solicitud = p.solicitud(privacidad, [suya], derecho="oposicion")
        arco.registrar_oposicion(solicitud=solicitud, partes=[suya], usos=usos, actor=privacidad)
        ase.resolver(caso=caso, actor=asesor, resumen_atencion="Se orientó.", primer_contacto=True)
        return Mensaje.objects.filter(parte=suya, plantilla="encuesta")

    assert asesoria_con_oposicion(["avisos"]).exists()
    assert not asesoria_con_oposicion(["encuesta"]).exists()


def test_al_enviar_se_revisa_otra_vez_el_bloqueo(reloj, nuevo_caso):
    """Un aviso escrito antes del bloqueo que el receptor no alcanzó a cancelar (p. ej. lo
    bloqueó la conservación directamente) no sale."""
    caso = nuevo_caso(solicitante=p.persona()).caso
    suya = caso.partes.get(rol=RolParte.SOLICITANTE)
    (acuse, *_otros) = pendientes(suya)
    type(suya).objects.filter(pk=suya.pk).update(bloqueada_en=timezone.now())
    assert enviar(acuse.pk) == EstadoMensaje.CANCELADO
    acuse.refresh_from_db()
    assert "bloqueados" in acuse.ultimo_error

"""Bandeja de salida en proceso: qué hecho causa qué aviso, envío una sola vez,
recordatorios que siguen a la sesión, textos y lo que ve el personal (las fallas, en
test_fallas.py)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from casos import codigos
from casos.models import AvisosPor, Estado, RolParte
from casos.services import DatosPersona
from casos.services import asesoria as ase
from casos.services import mediacion as med
from casos.services.recepcion import reexpedir_codigo
from notificaciones import services
from notificaciones.datos import NoCorresponde
from notificaciones.enlaces import token_encuesta
from notificaciones.mensajes import AVISOS, PIE_SMS, a_gsm7, septetos_gsm7
from notificaciones.models import Canal, EstadoMensaje, Mensaje
from tests.casos.etapas import (
    admitido,
    completar_partes,
    con_sesion,
    convenio_listo,
    en,
    firmado,
    invitado,
    sesion_celebrada,
)
from tests.flujos.test_flujo_mediacion import INVITACION

from .conftest import entregar

pytestmark = pytest.mark.django_db


def avisos(**filtros):
    return Mensaje.objects.filter(**filtros).order_by("id")


# --- Qué hecho causa qué aviso --------------------------------------------------------------


def test_la_recepcion_escribe_el_acuse_en_la_misma_transaccion(con_contacto):
    caso = con_contacto()
    acuses = avisos(caso=caso, plantilla="acuse")
    # Correo y SMS de quien solicita; la otra parte no recibe acuse.
    assert {(m.canal, m.destino) for m in acuses} == {
        (Canal.CORREO, "juana@correo.mx"),
        (Canal.SMS, "+523312345678"),
    }
    assert all(m.parte.rol == RolParte.SOLICITANTE for m in acuses)
    # El código de consulta no se guarda en la bandeja: se recalcula al enviar.
    codigo = codigos.derivar_codigo(caso.folio, caso.codigo_sal)
    assert all(codigo not in str(m.contexto) for m in acuses)


def test_si_la_recepcion_falla_no_queda_ningun_aviso(nuevo_caso, monkeypatch):
    from casos.models import Parte

    def falla(*args, **kwargs):
        raise RuntimeError("falla la base")

    monkeypatch.setattr(Parte.objects, "bulk_create", falla)
    with pytest.raises(RuntimeError):
        nuevo_caso()
    assert not Mensaje.objects.exists()


def test_el_acuse_sale_con_folio_codigo_y_enlace_y_en_la_bandeja_queda_completo(con_contacto):
    caso = con_contacto()
    entregar()
    sms = avisos(caso=caso, plantilla="acuse", canal=Canal.SMS).get()
    codigo = codigos.mostrar_codigo(codigos.derivar_codigo(caso.folio, caso.codigo_sal))
    assert sms.estado == EstadoMensaje.ENVIADO and sms.proveedor_id == "bandeja"
    assert caso.folio in sms.texto and codigo in sms.texto and "/consulta/" in sms.texto
    assert "codigo" in sms.texto  # SMS sin los acentos que GSM-7 no tiene
    assert septetos_gsm7(sms.texto) <= 160
    correo = avisos(caso=caso, plantilla="acuse", canal=Canal.CORREO).get()
    assert "Hola, Juana Pérez" in correo.texto and "/avisos/baja/" in correo.texto


def test_lo_enviado_por_un_proveedor_real_guarda_el_codigo_oculto(con_contacto, proveedor):
    caso = con_contacto()
    entregar()
    codigo = codigos.mostrar_codigo(codigos.derivar_codigo(caso.folio, caso.codigo_sal))
    (recibido,) = proveedor.recibidos
    assert codigo in recibido.campos["Body"]  # a la persona sí le llega
    guardado = avisos(caso=caso, canal=Canal.SMS).get()
    assert guardado.estado == EstadoMensaje.ENVIADO and guardado.proveedor_id == recibido.sid
    assert codigo not in guardado.texto and services.CODIGO_OCULTO in guardado.texto


def test_el_mismo_hecho_dos_veces_es_un_solo_aviso(con_contacto):
    caso = con_contacto()
    parte = caso.solicitante
    primero = services.avisar_a_parte(parte, "acuse", f"acuse:{caso.pk}")
    segundo = services.avisar_a_parte(parte, "acuse", f"acuse:{caso.pk}")
    assert [m.pk for m in primero] == [m.pk for m in segundo]
    assert avisos(caso=caso, plantilla="acuse").count() == 2  # correo y SMS, una vez cada uno


def test_dos_workers_con_el_mismo_aviso_solo_uno_envia(con_contacto, proveedor):
    caso = con_contacto()
    sms = avisos(caso=caso, canal=Canal.SMS).get()
    assert services.enviar(sms.pk) == EstadoMensaje.ENVIADO
    assert services.enviar(sms.pk) == "ocupado"
    assert len(proveedor.recibidos) == 1


def test_preferencia_de_canal_y_quien_no_quiere_avisos(nuevo_caso, settings):
    caso = nuevo_caso(
        solicitante=DatosPersona(
            nombre="Ana", telefono="+523312345678", correo="ana@correo.mx", avisos_por="whatsapp"
        ),
        otra_parte=DatosPersona(
            nombre="Luis", telefono="+523398765432", avisos_por=AvisosPor.NINGUNO
        ),
    ).caso
    assert [(m.canal, m.destino) for m in avisos(caso=caso)] == [(Canal.WHATSAPP, "+523312345678")]
    # Con WhatsApp apagado, vuelve a correo y SMS.
    settings.AVISOS_CANALES = {"correo": "bandeja", "sms": "bandeja", "whatsapp": ""}
    assert {c for c, _ in services.canales_de_parte(caso.solicitante)} == {
        Canal.CORREO,
        Canal.SMS,
    }
    assert services.canales_de_parte(caso.otras_partes[0]) == []


def test_invitacion_a_la_otra_parte_al_asignar_el_caso(con_contacto, coordinadora, certificado):
    caso = con_contacto()
    admitido(caso, coordinadora, certificado)
    invitacion = avisos(caso=caso, plantilla="invitacion").get()
    assert invitacion.destino == "+523398765432" and invitacion.parte.rol == RolParte.INVITADA
    entregar()
    invitacion.refresh_from_db()
    assert "mediacion voluntaria y gratuita" in invitacion.texto
    # Reasignar no vuelve a invitar.
    med.asignar_responsable(caso=caso, actor=coordinadora, responsable=certificado)
    assert avisos(caso=caso, plantilla="invitacion").count() == 1


def test_sesion_programada_lleva_cita_de_calendario_por_correo(
    reloj, con_contacto, coordinadora, certificado, sala
):
    caso = con_contacto()
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala, en(date(2026, 11, 30), 10))
    correo = avisos(caso=caso, plantilla="sesion_programada", canal=Canal.CORREO).get()
    salida = services.redactar(correo)
    (cita,) = salida.adjuntos
    assert cita.nombre == "sesion.ics" and cita.tipo == "text/calendar;method=REQUEST"
    lineas = cita.contenido.split("\r\n")
    # 10:00 en la zona del centro (16:00 UTC), con su VTIMEZONE.
    assert "BEGIN:VEVENT" in lineas and "DTSTART;TZID=America/Mexico_City:20261130T100000" in lineas
    assert "BEGIN:VTIMEZONE" in lineas and "TZID:America/Mexico_City" in lineas
    assert f"UID:sesion-{sesion.pk}@127.0.0.1" in lineas
    assert all(len(linea.encode()) <= 75 for linea in lineas)
    assert "lunes 30 de noviembre de 2026, a las 10:00 h" in salida.texto


def test_sesion_en_correo_real_con_adjunto(
    reloj, con_contacto, coordinadora, certificado, sala, settings
):
    settings.AVISOS_CANALES = {"correo": "django", "sms": "bandeja", "whatsapp": "bandeja"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    caso = con_contacto()
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    con_sesion(caso, certificado, sala, en(date(2026, 11, 30), 10))
    mail.outbox.clear()
    entregar()
    (correo,) = [c for c in mail.outbox if "Sesión de mediación" in c.subject]
    assert correo.to == ["juana@correo.mx"]
    (parte,) = correo.attachments
    assert parte.get_filename() == "sesion.ics" and parte.get_content_type() == "text/calendar"
    assert parte.get_param("method") == "REQUEST"
    contenido = parte.get_payload(decode=True).decode()
    assert "METHOD:REQUEST" in contenido and "ATTENDEE;ROLE=REQ-PARTICIPANT" in contenido
    assert "mailto:juana@correo.mx" in contenido


# --- Recordatorios que siguen a la sesión (reloj movido) ------------------------------------


def test_reprogramar_entre_recordatorios(
    reloj, con_contacto, coordinadora, certificado, sala, proveedor
):
    """El de 48 h sale; se difiere la sesión; el viejo de 24 h nunca sale y los nuevos salen a
    sus horas."""
    caso = con_contacto()
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala, en(date(2026, 11, 30), 10))  # lunes
    entregar()
    recordatorios = avisos(plantilla="recordatorio_sesion", estado=EstadoMensaje.PENDIENTE)
    horas = sorted({timezone.localtime(m.programado_para) for m in recordatorios})
    assert horas == [en(date(2026, 11, 28), 10), en(date(2026, 11, 29), 10)]

    def recordatorios_enviados(texto):
        return [
            r
            for r in proveedor.recibidos
            if "Responda SI para confirmar" in r.campos["Body"] and texto in r.campos["Body"]
        ]

    reloj.move_to(en(date(2026, 11, 28), 10) + timedelta(minutes=1))
    entregar()
    assert len(recordatorios_enviados("30/11 10:00")) == 2  # una por parte (SMS)

    reloj.move_to(en(date(2026, 11, 28), 12))
    nueva = med.diferir_sesion(
        sesion=sesion, actor=certificado, motivo="Enfermedad", nuevo_inicio=en(date(2026, 12, 2))
    )
    viejos = avisos(referencia=f"sesion:{sesion.pk}", plantilla="recordatorio_sesion")
    assert {m.estado for m in viejos} == {EstadoMensaje.ENVIADO, EstadoMensaje.CANCELADO}
    entregar()  # el aviso de la nueva fecha
    assert avisos(plantilla="sesion_reprogramada", estado=EstadoMensaje.ENVIADO).count() == 3

    reloj.move_to(en(date(2026, 11, 29), 10) + timedelta(minutes=1))
    entregar()
    assert len(recordatorios_enviados("30/11 10:00")) == 2  # el viejo de 24 h no salió

    reloj.move_to(en(date(2026, 11, 30), 10) + timedelta(minutes=1))
    entregar()
    assert len(recordatorios_enviados("2/12 10:00")) == 2
    reloj.move_to(en(date(2026, 12, 1), 10) + timedelta(minutes=1))
    entregar()
    assert len(recordatorios_enviados("2/12 10:00")) == 4
    assert all(
        m.estado == EstadoMensaje.ENVIADO
        for m in avisos(referencia=f"sesion:{nueva.pk}", plantilla="recordatorio_sesion")
    )


def test_ningun_recordatorio_de_una_sesion_que_ya_no_existe(
    reloj, con_contacto, coordinadora, certificado, sala
):
    caso = con_contacto()
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala, en(date(2026, 11, 30), 10))
    med.concluir_anticipadamente(
        caso=caso, actor=certificado, causa="desistimiento", motivo="Ya se arreglaron."
    )
    recordatorios = avisos(referencia=f"sesion:{sesion.pk}", plantilla="recordatorio_sesion")
    assert {m.estado for m in recordatorios} == {EstadoMensaje.CANCELADO}
    # Aviso de cancelación con la cita cancelada para el calendario.
    cancelada = avisos(plantilla="sesion_cancelada", canal=Canal.CORREO).get()
    assert "METHOD:CANCEL" in services.redactar(cancelada).adjuntos[0].contenido
    # Aunque un recordatorio se hubiera quedado pendiente (carrera), al enviarse se cancela.
    viejo = recordatorios.first()
    Mensaje.objects.filter(pk=viejo.pk).update(estado=EstadoMensaje.PENDIENTE)
    reloj.move_to(en(date(2026, 11, 29), 10) + timedelta(minutes=1))
    assert services.enviar(viejo.pk) == EstadoMensaje.CANCELADO
    viejo.refresh_from_db()
    assert "ya no está programada" in viejo.ultimo_error


def test_recordatorio_de_clausula_el_dia_que_vence(
    reloj, con_contacto, coordinadora, certificado, sala
):
    caso = con_contacto()
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala, en(date(2026, 11, 26), 10))
    reloj.move_to(en(date(2026, 11, 26), 11))
    sesion_celebrada(sesion, certificado)
    completar_partes(caso, certificado)
    convenio_listo(caso, certificado)
    firmado(caso, certificado)
    (recordatorio,) = avisos(plantilla="recordatorio_clausula", canal=Canal.SMS)
    assert recordatorio.parte.rol == RolParte.INVITADA  # la parte obligada
    assert timezone.localtime(recordatorio.programado_para) == en(date(2026, 12, 18), 9)
    reloj.move_to(en(date(2026, 12, 18), 9) + timedelta(minutes=1))
    entregar()
    recordatorio.refresh_from_db()
    assert recordatorio.estado == EstadoMensaje.ENVIADO
    assert "hoy vence el compromiso de la clausula 1" in recordatorio.texto


def test_encuesta_tras_la_asesoria_y_respuesta_por_enlace(nuevo_caso, asesor, client):
    caso = nuevo_caso(
        tipo="ASE", solicitante=DatosPersona(nombre="Rosa", telefono="+523312345678")
    ).caso
    ase.resolver(caso=caso, actor=asesor, resumen_atencion="Se orientó.", primer_contacto=True)
    entregar()
    encuesta = avisos(caso=caso, plantilla="encuesta").get()
    url = reverse("encuesta", args=[token_encuesta(caso.pk)])
    assert url in encuesta.texto and septetos_gsm7(encuesta.texto) <= 160
    assert client.get(url).status_code == 200
    assert "Elija una calificación" in client.post(url, {"satisfaccion": "9"}).content.decode()
    respuesta = client.post(url, {"satisfaccion": "5", "comentario": "Muy amables"})
    assert "Su respuesta quedó registrada" in respuesta.content.decode()
    caso.refresh_from_db()
    assert caso.satisfaccion == 5 and caso.satisfaccion_comentario == "Muy amables"
    assert client.get(reverse("encuesta", args=["1-0000000000"])).status_code == 404


def test_codigo_reexpedido_llega_al_contacto_registrado(con_contacto, operadora):
    caso = con_contacto()
    codigo = reexpedir_codigo(caso=caso, actor=operadora)
    entregar()
    nuevo = avisos(caso=caso, plantilla="codigo_nuevo", canal=Canal.SMS).get()
    assert nuevo.estado == EstadoMensaje.ENVIADO
    assert codigos.mostrar_codigo(codigo) in nuevo.texto


# --- Personal -------------------------------------------------------------------------------


def test_tarea_asignada_avisa_a_quien_la_recibe_y_no_a_quien_se_la_da(
    reloj, con_contacto, coordinadora, certificado, conductor
):
    for persona, correo in ((certificado, "mediador@centro.mx"), (coordinadora, "coord@centro.mx")):
        persona.email = correo
        persona.save()
    caso = con_contacto()
    conductor.hacer(coordinadora, caso, "revisar", {"decision": "admitir", "motivo": ""})
    conductor.hacer(coordinadora, caso, "asignar", {"responsable": certificado.pk})
    assert not avisos(usuario=coordinadora).exists()
    (aviso,) = avisos(usuario=certificado, plantilla="tarea_asignada")
    assert aviso.canal == Canal.CORREO and aviso.destino == "mediador@centro.mx"
    entregar()
    aviso.refresh_from_db()
    assert aviso.estado == EstadoMensaje.ENVIADO and caso.folio in aviso.asunto
    assert "Invitar" in aviso.asunto or "invitar" in aviso.asunto.lower()
    # La tarea siguiente que el mediador se crea a sí mismo no le llega por correo.
    conductor.hacer(certificado, caso, "invitar", INVITACION)
    assert avisos(usuario=certificado, plantilla="tarea_asignada").count() == 1


def test_plazos_por_vencer_y_resumen_diario_sin_repetirse(
    reloj, con_contacto, coordinadora, certificado, conductor
):
    from notificaciones.reglas import avisos_de_plazos

    certificado.email = "mediador@centro.mx"
    certificado.save()
    caso = con_contacto()
    conductor.hacer(coordinadora, caso, "revisar", {"decision": "admitir", "motivo": ""})
    conductor.hacer(coordinadora, caso, "asignar", {"responsable": certificado.pk})
    # La invitación vence a los 5 días hábiles (martes 1 de diciembre): el lunes se avisa.
    reloj.move_to(en(date(2026, 11, 30), 10))
    avisos_de_plazos()
    avisos_de_plazos()
    (plazo,) = avisos(plantilla="plazo_por_vencer", usuario=certificado)
    assert "invitar" in plazo.contexto["que"].lower()
    reloj.move_to(en(date(2026, 12, 3), 10))  # ya venció: entra en el resumen del día
    avisos_de_plazos()
    avisos_de_plazos()
    (resumen,) = avisos(plantilla="resumen_diario", usuario=certificado)
    entregar()
    resumen.refresh_from_db()
    assert caso.folio in resumen.texto and "venció el" in resumen.texto


def test_el_expediente_muestra_los_avisos_y_se_reintenta_desde_ahi(
    con_contacto, coordinadora, cliente_de, proveedor
):
    caso = con_contacto()
    sms = avisos(caso=caso, canal=Canal.SMS).get()
    Mensaje.objects.filter(pk=sms.pk).update(
        estado=EstadoMensaje.FALLIDO, ultimo_error="Twilio rechazó el mensaje (400)"
    )
    cliente = cliente_de(coordinadora)
    pagina = cliente.get(reverse("casos:detalle", args=[caso.folio])).content.decode()
    assert "Acuse de la solicitud" in pagina and "Twilio rechazó el mensaje (400)" in pagina
    assert reverse("notificaciones:reintentar", args=[sms.pk]) in pagina
    fallidos = cliente.get(reverse("notificaciones:lista") + "?estado=fallido")
    assert caso.folio in fallidos.content.decode()
    respuesta = cliente.post(reverse("notificaciones:reintentar", args=[sms.pk]))
    assert respuesta.status_code == 302
    sms.refresh_from_db()
    assert sms.estado == EstadoMensaje.PENDIENTE


def test_el_expediente_muestra_los_avisos_recientes_y_todos_a_peticion(
    con_contacto, coordinadora, cliente_de
):
    from notificaciones.templatetags.avisos import AVISOS_EN_EL_CASO

    caso = con_contacto()
    base = avisos(caso=caso).first()
    ahora = timezone.now()
    Mensaje.objects.bulk_create(
        Mensaje(
            caso=caso,
            parte=base.parte,
            canal=base.canal,
            destino=base.destino,
            plantilla=base.plantilla,
            llave=f"prueba-{i}",
            programado_para=ahora + timedelta(minutes=i),
            texto=f"Aviso número {i:03d}",
        )
        for i in range(AVISOS_EN_EL_CASO + 5)
    )
    total = avisos(caso=caso).count()
    cliente = cliente_de(coordinadora)
    ruta = reverse("casos:detalle", args=[caso.folio])
    pagina = cliente.get(ruta).content.decode()
    seccion = pagina[pagina.index('<section id="avisos">') :]
    seccion = seccion[: seccion.index("</section>")]
    assert seccion.count('<tr class="aviso-') == AVISOS_EN_EL_CASO
    # Los más recientes primero: el último programado está; el primero de la tanda, no.
    ultimo = (ahora + timedelta(minutes=AVISOS_EN_EL_CASO + 4)).astimezone(
        timezone.get_current_timezone()
    )
    assert ultimo.strftime("%d/%m/%Y %H:%M") in seccion
    assert f"Se muestran los {AVISOS_EN_EL_CASO} avisos más recientes." in seccion
    assert 'href="?avisos=todos#avisos"' in seccion
    todos = cliente.get(ruta + "?avisos=todos").content.decode()
    assert todos.count('<tr class="aviso-') == total
    assert "Ver todos los avisos del caso" not in todos


def test_quien_no_lleva_el_caso_no_reintenta(con_contacto, cliente_de, mediador):
    caso = con_contacto()
    sms = avisos(caso=caso, canal=Canal.SMS).get()
    Mensaje.objects.filter(pk=sms.pk).update(estado=EstadoMensaje.FALLIDO)
    respuesta = cliente_de(mediador).post(reverse("notificaciones:reintentar", args=[sms.pk]))
    assert respuesta.status_code == 403
    assert cliente_de(mediador).get(reverse("notificaciones:lista")).status_code == 403


def test_el_barrido_encola_lo_que_llego_a_su_hora_y_no_lo_repite(con_contacto, monkeypatch):
    encolados = []
    monkeypatch.setattr(
        "notificaciones.services.encolar", lambda tarea, *args: encolados.append(args) or True
    )
    caso = con_contacto()
    Mensaje.objects.filter(caso=caso).update(encolado_en=None)
    assert services.despachar() == 2
    assert services.despachar() == 0  # recién encolados: no se repiten
    assert sorted(a[0] for a in encolados) == sorted(avisos(caso=caso).values_list("pk", flat=True))


def test_sin_broker_el_barrido_deja_todo_para_la_siguiente_vuelta(con_contacto, monkeypatch):
    monkeypatch.setattr("notificaciones.services.encolar", lambda tarea, *args: False)
    caso = con_contacto()
    Mensaje.objects.filter(caso=caso).update(encolado_en=None)
    assert services.despachar() == 0
    assert not avisos(caso=caso, encolado_en__isnull=False).exists()


# --- Textos ---------------------------------------------------------------------------------


def test_cada_sms_cabe_en_160_caracteres_gsm7(
    reloj, con_contacto, coordinadora, certificado, sala, settings
):
    """Con la firma más larga permitida y una dirección pública larga."""
    from casos.models import Centro

    settings.AVISOS_FIRMA_SMS = "Vinculación Ciudadana"[:20]
    settings.URL_PUBLICA = "https://vinculacion.atotonilco.gob.mx"
    Centro.objects.update_or_create(
        pk=1,
        defaults={
            "nombre": "Dirección de Vinculación Ciudadana",
            "municipio": "Atotonilco el Alto",
            "entidad": "Jalisco",
            "telefono": "(391) 917 0022 ext. 123",
        },
    )
    sala.nombre = "Sala de mediación número 2 del edificio de la Presidencia"
    sala.save()
    caso = con_contacto()
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala, en(date(2026, 11, 30), 10))
    services.avisar_a_parte(
        caso.solicitante,
        "sesion_cancelada",
        "prueba-cancelada",
        contexto={"sesion": sesion.pk},
    )
    vistos = set()
    for mensaje in Mensaje.objects.filter(canal=Canal.SMS):
        try:
            texto = services.redactar(mensaje).texto
        except NoCorresponde:  # la invitación, una vez que la otra parte aceptó
            continue
        assert septetos_gsm7(texto) <= 160, (mensaje.plantilla, len(texto), texto)
        vistos.add(mensaje.plantilla)
    assert {"acuse", "sesion_programada", "recordatorio_sesion", "sesion_cancelada"} <= vistos
    # Y cada aviso ciudadano con el valor más largo posible de cada dato.
    peor = {
        "firma": settings.AVISOS_FIRMA_SMS,
        "folio": "ARCO-2026-99999",
        "codigo": "K7QM4-X2P9R",
        "vence": "30 de septiembre de 2026",
        "url_consulta": settings.URL_PUBLICA + "/consulta/",
        "url_encuesta": settings.URL_PUBLICA + "/e/zzzzz-abcdef0123/",
        "al_telefono": "al (391) 917 0022",
        "cuando_corto": "mié 30/12 10:00",
        "lugar_corto": "x" * 23 + "…",
        "numero": 12,
    }
    for aviso in AVISOS.values():
        # El aviso comunitario lo escribe la coordinación: su largo (hasta tres segmentos) lo
        # cuida su formulario (tests/comunidad/test_formularios.py).
        if aviso.ciudadano and aviso.clave != "comunitario":
            texto = a_gsm7(str(aviso.corto) % peor + str(PIE_SMS))
            assert septetos_gsm7(texto) <= 160, (aviso.clave, septetos_gsm7(texto), texto)


def test_estado_de_la_asesoria_no_cambia_por_el_enlace_tras_cerrar(nuevo_caso, asesor, client):
    caso = nuevo_caso(tipo="ASE").caso
    ase.resolver(caso=caso, actor=asesor, resumen_atencion="Se orientó.", primer_contacto=True)
    ase.cerrar(caso=caso, actor=asesor)
    url = reverse("encuesta", args=[token_encuesta(caso.pk)])
    assert "ya se cerró" in client.post(url, {"satisfaccion": "4"}).content.decode()
    caso.refresh_from_db()
    assert caso.satisfaccion is None and caso.estado == Estado.CERRADA

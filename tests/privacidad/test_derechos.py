"""Cada derecho de punta a punta, como lo viven la persona y la oficina: la solicitud por el
formulario público → su acuse por correo → la identidad (con un requerimiento que detiene el
reloj, o una ampliación) → la tarea de resolver con la acción del derecho → la respuesta en PDF,
leída con `pdftotext` → el aviso de que está lista. Reloj detenido y calendario de días
hábiles (el 16/11 es inhábil; la oficina declara inhábil el 4/12)."""

import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from casos import plazos
from casos.models import Centro, DiaInhabil, Parte, SolicitudARCO
from casos.templatetags.formato import fecha_larga
from plantillas.models import Documento, EstadoDocumento, TipoDocumento
from plantillas.services import generar
from tests.notificaciones.conftest import entregar

from .test_flujo import abrir, enviar, tarea, terminado, vence

MX = ZoneInfo("America/Mexico_City")
CORREO = "maria.esther.ornelas@correo.mx"


def el(mes, dia):
    """Ese día de 2026 a las 10:00, hora de México."""
    return datetime(2026, mes, dia, 10, tzinfo=MX)


def texto_pdf(documento) -> str:
    resultado = subprocess.run(
        ["pdftotext", documento.archivo.path, "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(resultado.stdout.split())


@pytest.fixture
def escenario(client, privacidad, nuevo_caso, reloj, settings):
    """La misma persona en tres casos (con otras partes de nombres inconfundibles)."""
    settings.AVISOS_CANALES = {"correo": "django", "sms": "bandeja", "whatsapp": "bandeja"}
    DiaInhabil.objects.create(
        fecha_inicio=date(2026, 12, 4), fecha_fin=date(2026, 12, 4), motivo="Acuerdo de cabildo"
    )
    casos = [
        nuevo_caso(nombre="María Esther Ornelas", telefono="+523311110000").caso for _ in range(3)
    ]
    Parte.objects.filter(caso__in=casos, rol="solicitante").update(correo=CORREO)
    mail.outbox.clear()
    entregar()
    mail.outbox.clear()
    return casos


def _presentar(client, derecho) -> SolicitudARCO:
    client.logout()
    respuesta = client.post(
        reverse("arco:solicitud"),
        {
            "nombre": "María Esther Ornelas",
            "representante": "",
            "derecho": derecho,
            "descripcion": "Pido lo que la ley me da sobre mis datos en la oficina.",
            "folios_referidos": "",
            "medio_respuesta": "correo",
            "telefono": "",
            "correo": CORREO,
            "domicilio": "",
            "aviso": "on",
            "sitio_web": "",
        },
    )
    assert respuesta.status_code == 302, respuesta.content.decode()[-1500:]
    return SolicitudARCO.objects.get(derecho=derecho)


@pytest.mark.parametrize(
    "derecho", ["acceso", "portabilidad", "rectificacion", "cancelacion", "oposicion"]
)
def test_cada_derecho_de_la_solicitud_a_la_respuesta(
    client, privacidad, escenario, reloj, derecho, django_capture_on_commit_callbacks
):
    casos = escenario
    solicitud = _presentar(client, derecho)  # martes 24/11
    # El acuse sale por correo con el folio.
    entregar()
    (acuse,) = mail.outbox
    assert solicitud.folio in acuse.subject and acuse.to == [CORREO]
    mail.outbox.clear()

    client.force_login(privacidad)
    verificar = tarea(solicitud, "verificar")
    abrir(client, verificar)
    if derecho == "rectificacion":
        # Falta la identificación: el plazo de respuesta se detiene hasta que la entregue.
        reloj.move_to(el(11, 25))
        enviar(client, verificar, "requerir", requerimiento="Su identificación oficial vigente.")
        solicitud.refresh_from_db()
        assert plazos.arco_respuesta_vence_el(solicitud) is None
        espera = tarea(solicitud, "esperar_informacion")
        assert espera.scheduled == vence(2026, 12, 10)  # 10 días hábiles (sin el 4/12)
        reloj.move_to(el(12, 1))
        abrir(client, espera)
        enviar(client, espera, "desahogo", desahogo="Entregó su credencial para votar.")
        verificar = tarea(solicitud, "verificar")
        abrir(client, verificar)
    reloj.move_to(el(12, 2) if derecho == "rectificacion" else el(11, 26))
    enviar(
        client,
        verificar,
        "acreditar",
        identidad_medio="identificacion",
        identidad_detalle="Credencial para votar, clave terminación 0420",
    )
    resolver = tarea(solicitud, "resolver")
    if derecho == "rectificacion":
        # Desde la entrega (1/12), 20 días hábiles completos, sin el 4/12 ni el 25/12: 31/12.
        assert resolver.scheduled == vence(2026, 12, 31)
    else:
        # Desde la presentación (24/11), sin el 4/12: 23/12.
        assert resolver.scheduled == vence(2026, 12, 23)
    abrir(client, resolver)
    partes = [c.partes.get(rol="solicitante") for c in casos]
    enviar(client, resolver, "identificar", partes=[p.pk for p in partes])
    if derecho == "rectificacion":
        datos = {
            "parte": partes[0].pk,
            "nombre": "María Esther Ornelas Plascencia",
            "telefono": "33 1111 0000",
            "correo": CORREO,
            "domicilio": "",
            "edad": "",
            "nacionalidad": "",
            "estado_civil": "",
            "ocupacion": "",
            "representante": "",
        }
        enviar(client, resolver, "rectificar", **datos)
    elif derecho == "cancelacion":
        enviar(client, resolver, "ampliar", motivo="Hay que revisar el archivo de concentración.")
        assert tarea(solicitud, "resolver").scheduled == vence(2027, 1, 8)
        enviar(client, resolver, "bloquear", partes=[p.pk for p in partes], motivo="")
    elif derecho == "oposicion":
        enviar(client, resolver, "oponer", partes=[partes[0].pk], usos=["avisos"])

    reloj.move_to(el(12, 3))
    with django_capture_on_commit_callbacks(execute=False):
        enviar(
            client,
            resolver,
            "responder",
            sentido="procedente",
            fundamento="LGPDPPSO, derechos ARCO [por confirmar]",
            respuesta="Atendimos su solicitud como se describe en este documento.",
        )
    solicitud.refresh_from_db()
    assert terminado(solicitud) and solicitud.estado == "respondida"

    # La respuesta, generada como lo hace el worker, y leída del PDF.
    pendientes = Documento.objects.filter(solicitud=solicitud, estado=EstadoDocumento.PENDIENTE)
    for documento in pendientes:
        assert generar(documento.pk) is True
    respuesta = Documento.objects.get(solicitud=solicitud, tipo=TipoDocumento.RESPUESTA_ARCO)
    assert respuesta.sha256 and respuesta.version == 1
    texto = texto_pdf(respuesta)
    assert solicitud.folio in texto
    assert "Procedente" in texto or "procedente" in texto
    assert "LGPDPPSO" in texto
    assert "recurso de revisión" in texto.lower()
    assert Centro.actual().autoridad_garante.split(" (")[0] in texto
    recurso = plazos.arco_recurso_vence_el(solicitud)
    assert recurso == date(2026, 12, 28)  # 15 días hábiles desde el 3/12, sin el 4/12
    if derecho in ("acceso", "portabilidad"):
        anexo = Documento.objects.get(solicitud=solicitud, tipo=TipoDocumento.DATOS_ARCO)
        datos_pdf = texto_pdf(anexo)
        assert all(c.folio in datos_pdf for c in casos)
        assert "Pedro López" not in datos_pdf  # la otra parte de cada caso
    else:
        assert not Documento.objects.filter(solicitud=solicitud, tipo=TipoDocumento.DATOS_ARCO)
    if derecho == "rectificacion":
        assert "Ornelas Plascencia" in texto
        partes[0].refresh_from_db()
        assert partes[0].history.count() == 2
    if derecho == "cancelacion":
        bloqueadas = Parte.objects.filter(pk__in=[p.pk for p in partes], bloqueada_en__isnull=False)
        assert bloqueadas.count() == 3

    # El aviso de que la respuesta está lista, por el correo que eligió.
    entregar()
    (aviso,) = [m for m in mail.outbox if "está lista" in m.subject]
    assert aviso.to == [CORREO] and solicitud.folio in aviso.subject
    # La ampliación también se le avisó, con la fecha nueva.
    ampliaciones = [m for m in mail.outbox if m is not aviso]
    assert len(ampliaciones) == (1 if derecho == "cancelacion" else 0)
    if ampliaciones:
        assert fecha_larga(date(2027, 1, 8)) in ampliaciones[0].body
    assert "/consulta/" in aviso.body

"""El flujo de una solicitud ARCO, de punta a punta por las páginas del personal, con el
reloj detenido y el calendario de días hábiles: recibir → acreditar → resolver → responder;
el requerimiento que detiene el plazo; la ampliación (una vez y dentro del plazo); la
solicitud no presentada; y las tareas en las bandejas compartidas."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casos.models import (
    AccesoExpediente,
    Canal,
    Categoria,
    Derecho,
    EstadoARCO,
    EventoARCO,
    MedioRespuesta,
    Parte,
    SolicitudARCO,
    TipoEventoARCO,
)
from casos.services import privacidad as arco
from flujos.tareas import procesos_de

MX = ZoneInfo("America/Mexico_City")

pytestmark = pytest.mark.usefixtures("reloj")  # martes 24/11/2026 10:00


def vence(anio, mes, dia):
    """Un plazo en días vence al terminar el día (23:59, hora de México)."""
    return datetime(anio, mes, dia, 23, 59, tzinfo=MX)


def a_las_10(anio, mes, dia):
    return datetime(anio, mes, dia, 10, 0, tzinfo=MX)


def recibir(nombre="Juana Pérez 1", derecho=Derecho.RECTIFICACION, **extra):
    datos = dict(
        derecho=derecho,
        canal=Canal.PRESENCIAL,
        nombre=nombre,
        medio_respuesta=MedioRespuesta.OFICINA,
        descripcion="Mi teléfono está mal escrito en mi expediente de mediación.",
    )
    datos.update(extra)
    return arco.recibir_solicitud_arco(**datos).solicitud


def abiertas(solicitud):
    return list(
        Task.objects.filter(
            process__in=procesos_de(solicitud),
            flow_task_type="HUMAN",
            status__in=(STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED),
        )
    )


def tarea(solicitud, nombre):
    (task,) = [t for t in abiertas(solicitud) if t.flow_task.name == nombre]
    return task


def terminado(solicitud) -> bool:
    procesos = procesos_de(solicitud)
    return procesos.exists() and not procesos.filter(finished__isnull=True).exists()


@pytest.fixture
def atiende(client, privacidad):
    client.force_login(privacidad)
    return client


def abrir(client, task):
    """Como en la cola: tomarla (si nadie la tiene) y abrirla."""
    task.refresh_from_db()
    if task.owner_id is None:
        assert client.post(reverse("flujos:tomar", args=[task.pk])).status_code == 302
    respuesta = client.get(reverse("flujos:tarea", args=[task.pk]))
    assert respuesta.status_code == 200, respuesta.content.decode()[-2000:]
    return respuesta


def enviar(client, task, accion, esperado=302, **datos):
    respuesta = client.post(reverse("flujos:tarea", args=[task.pk]), {"accion": accion, **datos})
    assert respuesta.status_code == esperado, respuesta.content.decode()[-3000:]
    return respuesta


def acreditar(client, task):
    return enviar(
        client,
        task,
        "acreditar",
        identidad_medio="identificacion",
        identidad_detalle="INE con clave de elector terminación 1234",
    )


# --- El camino directo ------------------------------------------------------------------------


def test_recibida_verificar_resolver_responder(atiende, privacidad, nuevo_caso, reloj):
    caso = nuevo_caso(nombre="Juana Pérez 1", telefono="+523312345678").caso
    otro = nuevo_caso(nombre="Rosa Díaz", telefono="+523399999999").caso
    solicitud = recibir(telefono="+523312345678", folios_referidos=caso.folio)

    # Al recibirla nace su flujo: «verificar», en la cola, vence al fin del plazo para
    # pedir información (5 días hábiles: martes 01/12).
    verificar = tarea(solicitud, "verificar")
    assert verificar.owner_id is None
    assert verificar.scheduled == vence(2026, 12, 1)

    pagina = abrir(atiende, verificar)
    assert solicitud.folio in pagina.content.decode()
    assert reverse("privacidad:detalle", args=[solicitud.folio]) in pagina.content.decode()

    # Sin datos: el error junto al campo, con 400, y nada cambia.
    respuesta = enviar(
        atiende, verificar, "acreditar", esperado=400, identidad_medio="", identidad_detalle="INE"
    )
    assert respuesta.context["acreditar"].errors.get("identidad_medio")
    assert 'aria-invalid="true"' in respuesta.content.decode()
    solicitud.refresh_from_db()
    assert solicitud.estado == EstadoARCO.RECIBIDA

    reloj.move_to(a_las_10(2026, 11, 26))
    respuesta = acreditar(atiende, verificar)
    resolver = tarea(solicitud, "resolver")
    # Quien acreditó la atiende: la tarea nace a su nombre y guardar lleva a ella.
    assert resolver.owner_id == privacidad.pk
    assert respuesta["Location"] == reverse("flujos:tarea", args=[resolver.pk])
    # 20 días hábiles desde la presentación (24/11): martes 22/12.
    assert resolver.scheduled == vence(2026, 12, 22)

    pagina = abrir(atiende, resolver).content.decode()
    # Candidatos por teléfono, nombre o folio mencionado; el de otra persona no.
    solicitante = caso.partes.get(rol="solicitante")
    assert solicitante.nombre in pagina
    assert "Rosa Díaz" not in pagina
    # Abrir la página con datos de casos queda en la bitácora (vista «arco»).
    assert AccesoExpediente.objects.filter(caso=caso, usuario=privacidad, vista="arco").exists()
    assert not AccesoExpediente.objects.filter(caso=otro, vista="arco").exists()

    enviar(atiende, resolver, "identificar", partes=[solicitante.pk])
    assert list(solicitud.partes.all()) == [solicitante]

    # Rectificar: un dato inválido se dice junto al campo (400) y la parte no cambia.
    base = {
        "parte": solicitante.pk,
        "nombre": solicitante.nombre,
        "telefono": "33 1234 5670",
        "correo": "",
        "domicilio": "",
        "edad": "",
        "nacionalidad": "",
        "estado_civil": "",
        "ocupacion": "",
        "representante": "",
    }
    respuesta = enviar(atiende, resolver, "rectificar", esperado=400, **{**base, "edad": "x"})
    assert "Escriba la edad en años" in respuesta.content.decode()
    enviar(atiende, resolver, "rectificar", **base)
    solicitante.refresh_from_db()
    assert solicitante.telefono == "+523312345670"
    # Las acciones de la página no completan la tarea.
    assert tarea(solicitud, "resolver").pk == resolver.pk

    # Responder sin fundamento: el error del servicio junto a su campo, 400.
    respuesta = enviar(
        atiende,
        resolver,
        "responder",
        esperado=400,
        sentido="procedente",
        fundamento=" ",
        respuesta="Se corrigió su teléfono.",
    )
    assert respuesta.context["responder"].errors
    assert not terminado(solicitud)

    enviar(
        atiende,
        resolver,
        "responder",
        sentido="procedente",
        fundamento="LGPDPPSO, arts. 48 y 51.",
        respuesta="Se corrigió su teléfono en el expediente.",
    )
    solicitud.refresh_from_db()
    assert solicitud.estado == EstadoARCO.RESPONDIDA
    assert terminado(solicitud)
    assert abiertas(solicitud) == []


def test_bloquear_y_oponerse_desde_resolver(atiende, nuevo_caso):
    caso = nuevo_caso(nombre="Juana Pérez 1").caso
    solicitud = recibir(derecho=Derecho.CANCELACION)
    resolver = _en_resolver(atiende, solicitud)
    parte = caso.partes.get(rol="solicitante")
    # Sin datos identificados no se bloquea nada: el campo no existe hasta identificarlos.
    respuesta = enviar(atiende, resolver, "bloquear", esperado=400, partes=[parte.pk])
    assert respuesta.context["bloquear"].errors
    enviar(atiende, resolver, "identificar", partes=[parte.pk])
    enviar(atiende, resolver, "bloquear", partes=[parte.pk], motivo="")
    enviar(atiende, resolver, "oponer", partes=[parte.pk], usos=["encuesta"])
    parte.refresh_from_db()
    assert parte.bloqueada_en is not None
    assert parte.usos_opuestos == ["encuesta"]
    assert tarea(solicitud, "resolver").pk == resolver.pk


# --- Requerimiento: el plazo se detiene y corre de nuevo --------------------------------------


def test_requerimiento_detiene_el_plazo_y_el_desahogo_lo_cuenta_de_nuevo(atiende, reloj):
    solicitud = recibir()
    verificar = tarea(solicitud, "verificar")
    abrir(atiende, verificar)
    reloj.move_to(a_las_10(2026, 11, 26))
    enviar(
        atiende,
        verificar,
        "requerir",
        requerimiento="Copia de su identificación oficial y el folio de su caso.",
    )
    solicitud.refresh_from_db()
    assert solicitud.estado == EstadoARCO.REQUERIDA
    espera = tarea(solicitud, "esperar_informacion")
    # 10 días hábiles desde el requerimiento (26/11): jueves 10/12.
    assert espera.scheduled == vence(2026, 12, 10)
    # Mientras se espera, no corre el plazo de respuesta: ninguna tarea vence por él.
    pagina = abrir(atiende, espera).content.decode()
    assert "Detenido: se espera la información pedida a la persona" in pagina
    assert abiertas(solicitud) == [espera]

    reloj.move_to(a_las_10(2026, 12, 3))
    enviar(atiende, espera, "desahogo", desahogo="Entregó copia de su INE.")
    # La identidad aún no se acredita: de vuelta a verificar, que ahora vence con el plazo
    # de respuesta contado completo desde la entrega (20 días hábiles desde el 03/12).
    verificar = tarea(solicitud, "verificar")
    assert verificar.scheduled == vence(2027, 1, 4)
    pagina = abrir(atiende, verificar).content.decode()
    # Ya se pidió una vez: no se ofrece pedir de nuevo, y si se intenta, el servicio lo dice.
    assert "ya se le pidió información una vez" in pagina
    respuesta = enviar(atiende, verificar, "requerir", esperado=400, requerimiento="Otra cosa más")
    assert "ya se le pidió información una vez" in respuesta.content.decode()

    acreditar(atiende, verificar)
    resolver = tarea(solicitud, "resolver")
    assert resolver.scheduled == vence(2027, 1, 4)


def test_no_presentada_solo_despues_del_termino(atiende, reloj):
    solicitud = recibir()
    verificar = tarea(solicitud, "verificar")
    abrir(atiende, verificar)
    reloj.move_to(a_las_10(2026, 11, 26))
    enviar(atiende, verificar, "requerir", requerimiento="Su identificación oficial.")
    espera = tarea(solicitud, "esperar_informacion")
    abrir(atiende, espera)

    # El último día para entregar (10/12) aún no se puede.
    reloj.move_to(a_las_10(2026, 12, 10))
    respuesta = enviar(atiende, espera, "no_presentada", esperado=400)
    assert "tiene hasta el 10/12/2026" in respuesta.content.decode()
    solicitud.refresh_from_db()
    assert solicitud.estado == EstadoARCO.REQUERIDA
    assert not terminado(solicitud)

    reloj.move_to(a_las_10(2026, 12, 11))
    enviar(atiende, espera, "no_presentada")
    solicitud.refresh_from_db()
    assert solicitud.estado == EstadoARCO.NO_PRESENTADA
    assert terminado(solicitud)


def test_sin_identidad_y_fuera_del_plazo_para_pedir_se_responde_que_no_procede(atiende, reloj):
    solicitud = recibir()
    verificar = tarea(solicitud, "verificar")
    abrir(atiende, verificar)
    # Pasó el último día para pedir información (01/12): ya no se puede pedir.
    reloj.move_to(a_las_10(2026, 12, 2))
    respuesta = enviar(
        atiende, verificar, "requerir", esperado=400, requerimiento="Su identificación oficial."
    )
    assert "venció el 01/12/2026" in respuesta.content.decode()
    assert tarea(solicitud, "verificar").pk == verificar.pk

    enviar(
        atiende,
        verificar,
        "sin_identidad",
        fundamento="LGPDPPSO: no se acreditó la identidad de la persona titular.",
        respuesta="No fue posible acreditar su identidad; puede presentar una nueva solicitud.",
    )
    solicitud.refresh_from_db()
    assert solicitud.estado == EstadoARCO.RESPONDIDA
    assert (solicitud.sentido, solicitud.causa_improcedencia) == ("improcedente", "identidad")
    assert terminado(solicitud)


# --- Ampliación ----------------------------------------------------------------------------


def _en_resolver(atiende, solicitud):
    verificar = tarea(solicitud, "verificar")
    abrir(atiende, verificar)
    acreditar(atiende, verificar)
    resolver = tarea(solicitud, "resolver")
    abrir(atiende, resolver)
    return resolver


def test_la_ampliacion_mueve_la_tarea_10_dias_habiles_y_solo_una_vez(atiende, reloj):
    solicitud = recibir()
    resolver = _en_resolver(atiende, solicitud)
    assert resolver.scheduled == vence(2026, 12, 22)

    respuesta = enviar(atiende, resolver, "ampliar", esperado=400, motivo="")
    assert respuesta.context["ampliar"].errors.get("motivo")

    reloj.move_to(a_las_10(2026, 12, 22))  # el último día del plazo aún se puede
    enviar(atiende, resolver, "ampliar", motivo="Los datos están en tres expedientes.")
    resolver.refresh_from_db()
    # 22/12 + 10 días hábiles, sin el 25/12 ni el 01/01: jueves 07/01/2027.
    assert resolver.scheduled == vence(2027, 1, 7)
    assert resolver.status in (STATUS.ASSIGNED, STATUS.STARTED)
    assert (
        EventoARCO.objects.filter(solicitud=solicitud, tipo=TipoEventoARCO.AMPLIACION).count() == 1
    )

    pagina = abrir(atiende, resolver).content.decode()
    assert "ya se amplió una vez" in pagina
    respuesta = enviar(atiende, resolver, "ampliar", esperado=400, motivo="Otra vez más tiempo.")
    assert "ya se amplió una vez" in respuesta.content.decode()
    resolver.refresh_from_db()
    assert resolver.scheduled == vence(2027, 1, 7)


def test_la_ampliacion_fuera_del_plazo_se_rechaza(atiende, reloj):
    solicitud = recibir()
    resolver = _en_resolver(atiende, solicitud)
    reloj.move_to(a_las_10(2026, 12, 23))
    respuesta = enviar(atiende, resolver, "ampliar", esperado=400, motivo="Se necesita más tiempo.")
    assert "venció el 22/12/2026" in respuesta.content.decode()
    resolver.refresh_from_db()
    assert resolver.scheduled == vence(2026, 12, 22)
    assert SolicitudARCO.objects.get(pk=solicitud.pk).ampliada_en is None


# --- Bandejas compartidas -----------------------------------------------------------------


def test_las_tareas_arco_salen_en_las_bandejas_con_su_folio_y_enlace(
    client, privacidad, coordinadora, reloj
):
    solicitud = recibir()
    detalle = reverse("privacidad:detalle", args=[solicitud.folio])
    verificar = tarea(solicitud, "verificar")

    client.force_login(privacidad)
    cola = client.get(reverse("flujos:cola")).content.decode()
    assert solicitud.folio in cola and detalle in cola
    assert reverse("flujos:tomar", args=[verificar.pk]) in cola
    # El filtro por folio encuentra la solicitud; uno por categoría, no (no tiene).
    assert (
        solicitud.folio
        in client.get(reverse("flujos:cola"), {"folio": "arco 2026 1"}).content.decode()
    )
    con_folio_de_caso = client.get(reverse("flujos:cola"), {"folio": "MED-2026-00001"})
    assert solicitud.folio not in con_folio_de_caso.content.decode()
    categoria = Categoria.objects.first()
    con_categoria = client.get(reverse("flujos:cola"), {"categoria": categoria.pk})
    assert solicitud.folio not in con_categoria.content.decode()
    # Sus tareas están en el filtro por tipo de tarea.
    por_tipo = client.get(reverse("flujos:cola"), {"tarea": "verificar"}).content.decode()
    assert "Acreditar identidad o pedir información" in por_tipo
    assert solicitud.folio in por_tipo
    assert (
        solicitud.folio
        not in client.get(reverse("flujos:cola"), {"tarea": "resolver"}).content.decode()
    )

    # Quien puede tomarla ve el resumen antes de tomarla.
    previa = client.get(reverse("flujos:tarea", args=[verificar.pk]))
    assert previa.status_code == 200
    assert solicitud.folio in previa.content.decode()

    client.post(reverse("flujos:tomar", args=[verificar.pk]))
    mias = client.get(reverse("flujos:bandeja")).content.decode()
    assert solicitud.folio in mias and detalle in mias
    assert reverse("flujos:tarea", args=[verificar.pk]) in mias
    assert solicitud.folio not in client.get(reverse("flujos:cola")).content.decode()
    assert client.get(detalle).status_code == 200

    # La coordinación la ve en los plazos cuando está por vencer.
    reloj.move_to(a_las_10(2026, 11, 30))
    client.force_login(coordinadora)
    plazos = client.get(reverse("flujos:plazos")).content.decode()
    assert solicitud.folio in plazos and detalle in plazos


def test_un_mediador_no_puede_tomar_ni_abrir_una_tarea_arco(client, privacidad, mediador):
    solicitud = recibir()
    verificar = tarea(solicitud, "verificar")
    client.force_login(mediador)
    assert solicitud.folio not in client.get(reverse("flujos:cola")).content.decode()
    assert client.get(reverse("flujos:tarea", args=[verificar.pk])).status_code == 403
    assert client.post(reverse("flujos:tomar", args=[verificar.pk])).status_code == 403
    verificar.refresh_from_db()
    assert verificar.owner_id is None

    client.force_login(privacidad)
    client.post(reverse("flujos:tomar", args=[verificar.pk]))
    client.force_login(mediador)
    # Ya tomada por otra persona: tampoco se abre (ni se trabaja por POST).
    assert client.get(reverse("flujos:tarea", args=[verificar.pk])).status_code == 403
    respuesta = client.post(
        reverse("flujos:tarea", args=[verificar.pk]),
        {"accion": "acreditar", "identidad_medio": "identificacion", "identidad_detalle": "INE"},
    )
    assert respuesta.status_code == 403
    assert client.get(reverse("privacidad:detalle", args=[solicitud.folio])).status_code == 403
    assert SolicitudARCO.objects.get(pk=solicitud.pk).identidad_verificada_en is None


def test_la_coordinacion_reasigna_una_tarea_arco_y_queda_en_su_linea_de_tiempo(
    client, privacidad, coordinadora, catalogos
):
    from django.contrib.auth.models import Group, User

    otra = User.objects.create_user("privacidad2", first_name="Otra")
    otra.groups.add(Group.objects.get(name="privacidad"))
    solicitud = recibir()
    verificar = tarea(solicitud, "verificar")
    client.force_login(coordinadora)
    respuesta = client.post(reverse("flujos:reasignar", args=[verificar.pk]), {"usuario": otra.pk})
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("privacidad:detalle", args=[solicitud.folio])
    verificar.refresh_from_db()
    assert verificar.owner_id == otra.pk
    assert EventoARCO.objects.filter(solicitud=solicitud, tipo=TipoEventoARCO.TAREA).exists()


def test_la_cola_no_crece_en_consultas_con_casos_y_solicitudes(client, privacidad, nuevo_caso):
    from django.contrib.auth.models import Group

    # Quien atiende ARCO y además revisa solicitudes ve las dos clases de tareas en su cola.
    privacidad.groups.add(Group.objects.get(name="coordinador"))

    def consultas():
        url = reverse("flujos:cola")
        client.get(url)
        with CaptureQueriesContext(connection) as capturadas:
            assert client.get(url).status_code == 200
        return len(capturadas)

    client.force_login(privacidad)
    for i in range(3):
        nuevo_caso()
        recibir(nombre=f"Persona {i}")
    con_pocas = consultas()
    for i in range(20):
        nuevo_caso()
        recibir(nombre=f"Otra persona {i}")
    assert consultas() == con_pocas
    pagina = client.get(reverse("flujos:cola")).content.decode()
    assert "ARCO-2026-" in pagina and "MED-2026-" in pagina


def test_partes_sin_coincidencia_no_son_candidatas(nuevo_caso):
    from privacidad.selectors import candidatos, folios_mencionados

    caso = nuevo_caso(nombre="José Íñiguez").caso
    nuevo_caso(nombre="Otra Persona", telefono="+523300000000")
    solicitud = recibir(nombre="jose  iniguez", folios_referidos="")
    assert {p.pk for p in candidatos(solicitud)} == {caso.partes.get(rol="solicitante").pk}
    assert folios_mencionados("mis casos: med 2026 7 y ASE-2026-00012") == [
        "MED-2026-00007",
        "ASE-2026-00012",
    ]
    assert Parte.objects.count() >= 3


# --- Avisos al personal -------------------------------------------------------------------


def test_avisos_al_personal_de_las_tareas_arco(client, privacidad, coordinadora, reloj):
    from django.contrib.auth.models import Group, User

    from notificaciones.models import EstadoMensaje, Mensaje
    from notificaciones.reglas import avisos_de_plazos
    from tests.notificaciones.conftest import entregar

    otra = User.objects.create_user("privacidad2", first_name="Otra", email="otra@centro.mx")
    otra.groups.add(Group.objects.get(name="privacidad"))
    solicitud = recibir()
    verificar = tarea(solicitud, "verificar")
    client.force_login(coordinadora)
    client.post(reverse("flujos:reasignar", args=[verificar.pk]), {"usuario": otra.pk})

    # Tarea asignada: el aviso no es de un caso; lleva el folio de la solicitud.
    (asignada,) = Mensaje.objects.filter(usuario=otra, plantilla="tarea_asignada")
    assert asignada.caso_id is None
    entregar()
    asignada.refresh_from_db()
    assert asignada.estado == EstadoMensaje.ENVIADO
    assert solicitud.folio in asignada.asunto

    # Vence el martes 01/12: el lunes se avisa, con el enlace a la solicitud.
    reloj.move_to(a_las_10(2026, 11, 30))
    avisos_de_plazos()
    (plazo,) = Mensaje.objects.filter(usuario=otra, plantilla="plazo_por_vencer")
    entregar()
    plazo.refresh_from_db()
    assert plazo.estado == EstadoMensaje.ENVIADO
    assert solicitud.folio in plazo.asunto
    assert reverse("privacidad:detalle", args=[solicitud.folio]) in plazo.texto

    # Ya vencida: entra en el resumen del día con su folio.
    reloj.move_to(datetime(2026, 12, 3, 18, 0, tzinfo=MX))
    avisos_de_plazos()
    (resumen,) = Mensaje.objects.filter(usuario=otra, plantilla="resumen_diario")
    entregar()
    resumen.refresh_from_db()
    assert solicitud.folio in resumen.texto and "venció el" in resumen.texto


def test_las_acciones_dentro_de_la_tarea_exigen_que_siga_abierta_y_sea_de_quien_actua(
    atiende, privacidad, coordinadora
):
    from django.core.exceptions import PermissionDenied

    from flujos import services as flujos

    solicitud = recibir()
    resolver = _en_resolver(atiende, solicitud)
    hechas = []
    with pytest.raises(PermissionDenied):
        flujos.trabajar_en_tarea(
            task=resolver, usuario=coordinadora, accion=lambda: hechas.append(1)
        )
    assert flujos.trabajar_en_tarea(task=resolver, usuario=privacidad, accion=lambda: "hecho") == (
        "hecho"
    )
    enviar(
        atiende,
        resolver,
        "responder",
        sentido="improcedente",
        causa_improcedencia="sin_datos",
        fundamento="LGPDPPSO, art. 55.",
        respuesta="La oficina no tiene datos suyos.",
    )
    with pytest.raises(flujos.TareaNoDisponible):
        flujos.trabajar_en_tarea(
            task=Task.objects.get(pk=resolver.pk), usuario=privacidad, accion=lambda: None
        )
    # Una acción que llega tarde a la página (la tarea ya se completó) lo dice sin error.
    respuesta = atiende.post(
        reverse("flujos:tarea", args=[resolver.pk]), {"accion": "ampliar", "motivo": "Tarde"}
    )
    assert respuesta.status_code == 200  # la página de la tarea terminada
    assert hechas == []

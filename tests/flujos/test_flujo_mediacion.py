"""Cada camino del flujo de mediación hasta su final, por HTTP y con el tiempo detenido."""

import re
from datetime import date

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casos.models import CausaConclusion, Estado, EstadoSesion, TipoEvento
from flujos.tareas import procesos_de
from flujos.tasks import disparar_temporizadores
from tests.casos.etapas import en

pytestmark = pytest.mark.usefixtures("reloj")

INVITACION = {
    "fecha": "2026-11-24T10:00",
    "medio": "personal",
    "recibio": "La persona",
    "respuesta": "acepta",
    "observaciones": "",
}


@pytest.fixture
def caso(nuevo_caso):
    return nuevo_caso().caso


def admitir_y_asignar(conductor, caso, coordinadora, mediador):
    conductor.hacer(coordinadora, caso, "revisar", {"decision": "admitir", "motivo": ""})
    conductor.hacer(coordinadora, caso, "asignar", {"responsable": mediador.pk})


def con_sesion_programada(conductor, caso, coordinadora, mediador, sala, dia=26):
    """Admitido, asignado, invitado y con la sesión programada el día `dia` a las 10:00."""
    admitir_y_asignar(conductor, caso, coordinadora, mediador)
    conductor.hacer(mediador, caso, "invitar", INVITACION)
    conductor.hacer(
        mediador,
        caso,
        "programar",
        {
            "horario": "otra",
            "otra_hora": f"2026-11-{dia}T10:00",
            "duracion_min": 60,
            "sala": sala.pk,
        },
    )
    return caso.sesiones.get(estado="programada")


def hasta_sesion(conductor, caso, coordinadora, mediador, sala, reloj, dia=26):
    con_sesion_programada(conductor, caso, coordinadora, mediador, sala, dia)
    assert conductor.pendientes(caso) == []  # el temporizador espera la hora de la sesión
    reloj.move_to(en(date(2026, 11, dia), 10))
    assert disparar_temporizadores() == 1  # el de la sesión; los plazos vencen después
    assert "registrar_sesion" in conductor.pendientes(caso)


def test_al_recibir_arranca_el_flujo_con_la_revision_en_la_cola(conductor, caso):
    assert conductor.pendientes(caso) == ["revisar"]
    tarea = conductor.tarea(caso, "revisar")
    assert tarea.owner is None and tarea.owner_permission == "casos.revisar_solicitud"
    assert tarea.scheduled is not None


def test_tomar_la_revision_pone_el_caso_en_revision(conductor, caso, coordinadora, client):
    tarea = conductor.tarea(caso, "revisar")
    client.force_login(coordinadora)
    client.post(reverse("flujos:tomar", args=[tarea.pk]))
    caso.refresh_from_db()
    assert caso.estado == Estado.EN_REVISION


def test_no_admitida_se_avisa_y_termina(conductor, caso, coordinadora):
    conductor.hacer(
        coordinadora, caso, "revisar", {"decision": "no_admitir", "motivo": "Materia penal"}
    )
    tarea = conductor.tarea(caso, "avisar_no_admision")
    assert tarea.scheduled.date() == date(2026, 11, 26)  # fin del 25/11 en México = 26/11 UTC
    conductor.hacer(coordinadora, caso, "avisar_no_admision", {"medio": "teléfono", "nota": ""})
    assert conductor.terminado(caso)


def test_no_admitir_sin_motivo_muestra_el_error_y_no_avanza(conductor, caso, coordinadora):
    respuesta = conductor.hacer(
        coordinadora, caso, "revisar", {"decision": "no_admitir", "motivo": ""}, esperado=400
    )
    assert "Escriba el motivo de la no admisión" in respuesta.content.decode()
    assert conductor.pendientes(caso) == ["revisar"]


def test_canalizada_termina(conductor, caso, coordinadora):
    conductor.hacer(
        coordinadora,
        caso,
        "revisar",
        {
            "decision": "canalizar",
            "motivo": "Violencia",
            "dependencia": "Instituto de las Mujeres",
            "numero_oficio": "DVC-1",
        },
    )
    caso.refresh_from_db()
    assert caso.estado == Estado.CANALIZADA and conductor.terminado(caso)


def test_solo_mediadores_vigentes_aparecen_para_asignar(
    conductor, caso, coordinadora, certificado, otro_mediador, client
):
    conductor.hacer(coordinadora, caso, "revisar", {"decision": "admitir", "motivo": ""})
    tarea = conductor.tarea(caso, "asignar")
    client.post(reverse("flujos:tomar", args=[tarea.pk]))
    html = client.get(reverse("flujos:tarea", args=[tarea.pk])).content.decode()
    assert f'value="{certificado.pk}"' in html
    assert f'value="{otro_mediador.pk}"' not in html  # sin certificación registrada
    respuesta = client.post(
        reverse("flujos:tarea", args=[tarea.pk]), {"responsable": otro_mediador.pk}
    )
    assert respuesta.status_code == 400


def test_la_invitacion_queda_asignada_al_mediador_y_vence_en_cinco_dias_habiles(
    conductor, caso, coordinadora, certificado
):
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    tarea = conductor.tarea(caso, "invitar")
    assert tarea.owner == certificado and tarea.status == STATUS.ASSIGNED
    assert tarea.scheduled.date() == date(2026, 12, 2)  # 1/12 23:59 en México


def test_invitacion_vencida_deja_aviso_sin_detener_el_tramite(
    conductor, caso, coordinadora, certificado, reloj
):
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    reloj.move_to(en(date(2026, 12, 2), 9))
    disparar_temporizadores()
    assert caso.eventos.filter(datos__plazo_vencido="invitacion").exists()
    assert conductor.pendientes(caso) == ["invitar"]  # la invitación sigue pendiente, vencida
    vencidas = conductor.client
    vencidas.force_login(certificado)
    html = vencidas.get(reverse("flujos:bandeja"), {"vencimiento": "vencidas"}).content.decode()
    assert caso.folio in html and "Vencida" in html


def test_invitacion_rechazada_termina(conductor, caso, coordinadora, certificado):
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    conductor.hacer(certificado, caso, "invitar", {**INVITACION, "respuesta": "rechaza"})
    assert conductor.terminado(caso)


def test_tres_invitaciones_sin_respuesta_terminan(conductor, caso, coordinadora, certificado):
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    for _ in range(3):
        conductor.hacer(certificado, caso, "invitar", {**INVITACION, "respuesta": "sin_respuesta"})
    caso.refresh_from_db()
    assert caso.causa_conclusion == CausaConclusion.INVITACION_FALLIDA
    assert conductor.terminado(caso)


def test_sesion_sin_acuerdo_termina(conductor, caso, coordinadora, certificado, sala, reloj):
    hasta_sesion(conductor, caso, coordinadora, certificado, sala, reloj)
    conductor.hacer(
        certificado,
        caso,
        "registrar_sesion",
        {
            "asistencia_solicitante": "asistio",
            "asistencia_invitada": "asistio",
            "resultado": "sin_acuerdo",
        },
    )
    caso.refresh_from_db()
    assert caso.estado == Estado.CONCLUIDA_SIN_ACUERDO and conductor.terminado(caso)


def test_dos_inasistencias_consecutivas_terminan(
    conductor, caso, coordinadora, certificado, sala, reloj
):
    hasta_sesion(conductor, caso, coordinadora, certificado, sala, reloj)
    faltas = {
        "asistencia_solicitante": "asistio",
        "asistencia_invitada": "injustificada",
        "resultado": "",
    }
    conductor.hacer(certificado, caso, "registrar_sesion", faltas)
    conductor.hacer(
        certificado,
        caso,
        "programar",
        {"otra_hora": "2026-12-01T10:00", "duracion_min": 60, "sala": "", "lugar": "Oficina"},
    )
    reloj.move_to(en(date(2026, 12, 1), 10))
    disparar_temporizadores()
    conductor.hacer(certificado, caso, "registrar_sesion", faltas)
    caso.refresh_from_db()
    assert caso.causa_conclusion == CausaConclusion.INASISTENCIAS and conductor.terminado(caso)


def test_diferir_mueve_el_temporizador_a_la_nueva_hora(
    conductor, caso, coordinadora, certificado, sala, client
):
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    conductor.hacer(certificado, caso, "invitar", INVITACION)
    conductor.hacer(
        certificado,
        caso,
        "programar",
        {"horario": "otra", "otra_hora": "2026-11-26T10:00", "duracion_min": 60, "sala": sala.pk},
    )
    client.force_login(certificado)
    url = reverse("flujos:diferir", args=[caso.folio])
    for dia in ("2026-11-30", "2026-12-02"):
        respuesta = client.post(
            url,
            {
                "motivo": "Enfermedad",
                "horario": "otra",
                "otra_hora": f"{dia}T12:00",
                "duracion_min": 60,
                "sala": sala.pk,
                "lugar": "",
            },
        )
        assert respuesta.status_code == 302
    temporizador = Task.objects.get(
        process__in=procesos_de(caso), flow_task_type="TIMER", status=STATUS.SCHEDULED
    )
    assert temporizador.scheduled == en(date(2026, 12, 2), 12)
    tercera = client.post(
        url,
        {
            "motivo": "Viaje",
            "horario": "otra",
            "otra_hora": "2026-12-04T12:00",
            "duracion_min": 60,
            "sala": sala.pk,
            "lugar": "",
        },
    )
    assert tercera.status_code == 400
    assert "2 como máximo" in tercera.content.decode()


def test_diferir_ofrece_los_horarios_libres_de_la_sala_de_la_sesion(
    conductor, caso, coordinadora, certificado, sala, client
):
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    conductor.hacer(certificado, caso, "invitar", INVITACION)
    conductor.hacer(
        certificado,
        caso,
        "programar",
        {"horario": "otra", "otra_hora": "2026-11-26T10:00", "duracion_min": 60, "sala": sala.pk},
    )
    client.force_login(certificado)
    url = reverse("flujos:diferir", args=[caso.folio])
    html = client.get(url).content.decode()
    assert f"Horarios libres en {sala.nombre}" in html and 'name="motivo"' in html
    horarios = re.findall(r'name="horario" value="(2026-[^"]+)"', html)
    assert horarios and "2026-11-26T10:00:00-06:00" in horarios  # su propio horario, libre
    elegido = next(h for h in horarios if h.startswith("2026-11-27T12:00"))
    datos = {"horario": elegido, "duracion_min": 60, "sala": sala.pk, "motivo": "Enfermedad"}
    assert client.post(url, datos).status_code == 302
    sesiones = list(caso.sesiones.order_by("numero"))
    assert [s.estado for s in sesiones] == [EstadoSesion.DIFERIDA, EstadoSesion.PROGRAMADA]
    assert sesiones[1].inicio == en(date(2026, 11, 27), 12)
    sin_motivo = client.post(url, {**datos, "motivo": ""})
    cuerpo = sin_motivo.content.decode()
    assert sin_motivo.status_code == 400 and "Este dato es obligatorio." in cuerpo
    assert "Este campo es requerido" not in cuerpo


def sesion_con_acuerdo(conductor, caso, mediador):
    """Registra la sesión programada: ambas partes asistieron y hubo acuerdo total."""
    conductor.hacer(
        mediador,
        caso,
        "registrar_sesion",
        {
            "asistencia_solicitante": "asistio",
            "asistencia_invitada": "asistio",
            "resultado": "acuerdo_total",
        },
    )


def convenio_firmado_por_http(conductor, caso, mediador, reloj, *, fechas):
    """Tras la sesión con acuerdo: redacta el convenio con una cláusula de hacer por cada
    fecha de `fechas` y lo firma el 26/11/2026."""
    partes = list(caso.partes.order_by("id"))
    datos = {
        "tipo": "total",
        "lugar": "Atotonilco el Alto, Jalisco",
        "antecedentes": "Diferencias por la barda.",
        "consecuencias_incumplimiento": "Podrá pedirse su ejecución ante el juez.",
        "clausula-TOTAL_FORMS": str(len(fechas)),
        "clausula-INITIAL_FORMS": "0",
        "clausula-MIN_NUM_FORMS": "1",
        "clausula-MAX_NUM_FORMS": "30",
    }
    for i, fecha in enumerate(fechas):
        datos.update(
            {
                f"clausula-{i}-obligado": str(partes[1].pk),
                f"clausula-{i}-tipo": "hacer",
                f"clausula-{i}-descripcion": f"Retirar la barda 40 cm (parte {i + 1}).",
                f"clausula-{i}-modo": "Por su cuenta",
                f"clausula-{i}-lugar": "Calle Morelos 45",
                f"clausula-{i}-fecha_limite": fecha,
            }
        )
    for p in partes:
        datos.update(
            {
                f"parte{p.pk}-nombre": p.nombre,
                f"parte{p.pk}-edad": "40",
                f"parte{p.pk}-nacionalidad": "mexicana",
                f"parte{p.pk}-estado_civil": "casado",
                f"parte{p.pk}-ocupacion": "comerciante",
                f"parte{p.pk}-domicilio": p.domicilio or "Calle Hidalgo 1",
            }
        )
    conductor.hacer(mediador, caso, "convenio", datos)
    reloj.move_to(en(date(2026, 11, 26), 12))
    conductor.hacer(
        mediador, caso, "firma", {"forma_firma": "autografa", "firmado_en": "2026-11-26T12:00"}
    )


def test_del_acuerdo_al_cierre_con_convenio(
    conductor, caso, coordinadora, certificado, sala, reloj
):
    hasta_sesion(conductor, caso, coordinadora, certificado, sala, reloj)
    sesion_con_acuerdo(conductor, caso, certificado)
    convenio_firmado_por_http(conductor, caso, certificado, reloj, fechas=["2026-12-18"])
    reloj.move_to(en(date(2026, 11, 27), 12))
    conductor.hacer(certificado, caso, "enviar_registro", {"fecha": "2026-11-27"})
    reloj.move_to(en(date(2026, 11, 30), 12))
    conductor.hacer(
        certificado,
        caso,
        "respuesta_registro",
        {
            "estado_registro": "prevenido",
            "fecha": "2026-11-30",
            "numero_registro": "",
            "observaciones": "Falta la edad con letra",
        },
    )
    reloj.move_to(en(date(2026, 12, 3), 12))
    conductor.hacer(certificado, caso, "enviar_registro", {"fecha": "2026-12-01"})
    conductor.hacer(
        certificado,
        caso,
        "respuesta_registro",
        {
            "estado_registro": "validado",
            "fecha": "2026-12-03",
            "numero_registro": "IJA-42",
            "observaciones": "",
        },
    )
    # El seguimiento se abre en la fecha de la cláusula.
    assert conductor.pendientes(caso) == []
    reloj.move_to(en(date(2026, 12, 18), 9))
    disparar_temporizadores()
    tarea = conductor.tarea(caso, "seguimiento")
    conductor.client.force_login(certificado)
    clausula = caso.convenio.clausulas.get()
    conductor.client.post(
        reverse("flujos:tarea", args=[tarea.pk]),
        {"clausula": clausula.pk, "cumplida": "si", "nota": "Se verificó en sitio"},
    )
    conductor.hacer(certificado, caso, "seguimiento", {"orientacion": ""})
    caso.refresh_from_db()
    assert caso.estado == Estado.CONCLUIDA_CONVENIO and conductor.terminado(caso)


def test_convenio_con_datos_faltantes_no_pasa_a_firma_y_lo_dice(
    conductor, caso, coordinadora, certificado, sala, reloj, client
):
    hasta_sesion(conductor, caso, coordinadora, certificado, sala, reloj)
    conductor.hacer(
        certificado,
        caso,
        "registrar_sesion",
        {
            "asistencia_solicitante": "asistio",
            "asistencia_invitada": "asistio",
            "resultado": "acuerdo_parcial",
        },
    )
    tarea = conductor.tarea(caso, "convenio")
    html = client.get(reverse("flujos:tarea", args=[tarea.pk])).content.decode()
    assert "Redactar convenio" in html
    partes = list(caso.partes.order_by("id"))
    datos = {
        "tipo": "parcial",
        "lugar": "Atotonilco",
        "antecedentes": "A",
        "consecuencias_incumplimiento": "C",
        "clausula-TOTAL_FORMS": "1",
        "clausula-INITIAL_FORMS": "0",
        "clausula-MIN_NUM_FORMS": "1",
        "clausula-MAX_NUM_FORMS": "30",
        "clausula-0-obligado": str(partes[0].pk),
        "clausula-0-tipo": "dar",
        "clausula-0-descripcion": "Pagar 3,000 pesos",
        **{f"parte{p.pk}-nombre": p.nombre for p in partes},
    }
    conductor.hacer(certificado, caso, "convenio", datos)
    firma = conductor.tarea(caso, "firma")
    html = client.get(reverse("flujos:tarea", args=[firma.pk])).content.decode()
    assert "falta: edad, nacionalidad, estado civil, ocupación" in html
    respuesta = client.post(
        reverse("flujos:tarea", args=[firma.pk]),
        {"forma_firma": "autografa", "firmado_en": "2026-11-26T10:30"},
    )
    assert respuesta.status_code == 400
    assert conductor.pendientes(caso) == ["firma"]


def test_conclusion_anticipada_cancela_las_tareas(
    conductor, caso, coordinadora, certificado, client
):
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    client.force_login(certificado)
    respuesta = client.post(
        reverse("flujos:concluir", args=[caso.folio]),
        {"causa": "desistimiento", "motivo": "Desistió por escrito"},
    )
    assert respuesta.status_code == 302
    caso.refresh_from_db()
    assert caso.estado == Estado.CONCLUIDA_SIN_ACUERDO and conductor.terminado(caso)
    assert conductor.pendientes(caso) == []


def test_el_plazo_del_procedimiento_vencido_avisa(
    conductor, caso, coordinadora, certificado, reloj
):
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    conductor.hacer(certificado, caso, "invitar", INVITACION)
    reloj.move_to(en(date(2027, 2, 25), 9))
    disparar_temporizadores()
    assert caso.eventos.filter(datos__plazo_vencido="procedimiento").exists()


def test_un_ajeno_o_alguien_sin_el_rol_no_trabaja_tareas(
    conductor, caso, ajeno, mediador, operadora, client
):
    tarea = conductor.tarea(caso, "revisar")
    for usuario in (ajeno, mediador, operadora):
        client.force_login(usuario)
        assert client.post(reverse("flujos:tomar", args=[tarea.pk])).status_code == 403
        assert client.get(reverse("flujos:tarea", args=[tarea.pk])).status_code == 403


def test_el_mediador_no_trabaja_tareas_de_otro(
    conductor, caso, coordinadora, certificado, otro_certificado, client
):
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    tarea = conductor.tarea(caso, "invitar")
    client.force_login(otro_certificado)
    respuesta = client.post(reverse("flujos:tarea", args=[tarea.pk]), INVITACION)
    assert respuesta.status_code == 302  # se le informa quién la tiene; no se registra nada
    assert not caso.invitaciones.exists()


def test_la_coordinacion_reasigna_y_queda_en_bitacora(
    conductor, caso, coordinadora, certificado, otro_certificado, client
):
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    tarea = conductor.tarea(caso, "invitar")
    client.force_login(coordinadora)
    client.post(reverse("flujos:reasignar", args=[tarea.pk]), {"usuario": otro_certificado.pk})
    tarea.refresh_from_db()
    assert tarea.owner == otro_certificado
    assert caso.eventos.filter(tipo=TipoEvento.TAREA, descripcion__contains="pasada de").exists()


def test_la_pagina_del_caso_muestra_tarea_responsable_y_plazos(
    conductor, caso, coordinadora, certificado, client
):
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    client.force_login(coordinadora)
    html = client.get(reverse("casos:detalle", args=[caso.folio])).content.decode()
    assert "Invitar a la otra parte" in html and "la tiene Mediador" in html
    assert "Fin del procedimiento (LGMASC art. 64)" in html and "24/02/2027" in html
    assert "Invitar a la otra parte (LGMASC art. 69)" in html


def test_la_consulta_publica_sigue_al_flujo(
    conductor, nuevo_caso, coordinadora, certificado, sala, reloj, client
):
    recibida = nuevo_caso()
    caso = recibida.caso
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    conductor.hacer(certificado, caso, "invitar", INVITACION)
    conductor.hacer(
        certificado,
        caso,
        "programar",
        {"horario": "otra", "otra_hora": "2026-11-26T10:00", "duracion_min": 60, "sala": sala.pk},
    )
    client.logout()
    html = client.post(
        reverse("portal:consulta"), {"folio": caso.folio, "codigo": recibida.codigo}
    ).content.decode()
    assert "Sesión programada" in html and "Admitida" not in html.split("Estado actual")[1][:200]
    assert caso.sesiones.get().estado == EstadoSesion.PROGRAMADA

"""Recalcular plazos: la coordinación aplica las cifras de hoy a casos abiertos y sus tareas y
temporizadores se mueven como al diferir o prorrogar. Reloj en el martes 24/11/2026 10:00."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casos.models import ClavePlazo, TipoEvento
from casos.services import plazos as cifras_de_plazos
from flujos import services
from flujos.tareas import procesos_de
from tests.casos.etapas import MX, en
from tests.flujos.test_flujo_mediacion import admitir_y_asignar

pytestmark = pytest.mark.usefixtures("reloj")

MIERCOLES = date(2026, 11, 25)


def _fin(dia: date):
    from datetime import datetime, time

    return datetime.combine(dia, time(23, 59), tzinfo=MX)


def _tarea(caso, nombre, tipo="HUMAN"):
    return Task.objects.get(
        process__in=procesos_de(caso),
        flow_task_type=tipo,
        status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.SCHEDULED],
        flow_task=procesos_de(caso).first().flow_class.instance.node(nombre),
    )


@pytest.fixture
def invitando(conductor, nuevo_caso, coordinadora, certificado, reloj):
    """Mediación recibida, admitida y asignada el martes 24/11 (la invitación vence el 01/12
    con 5 días hábiles); desde el miércoles rigen 7 días hábiles y el reloj ya está ahí."""
    caso = nuevo_caso().caso
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    cifras_de_plazos.registrar_cifra(
        clave=ClavePlazo.INVITACION_DIAS_HABILES,
        valor=7,
        vigente_desde=MIERCOLES,
        motivo="Acuerdo de la dirección.",
        actor=coordinadora,
    )
    reloj.move_to(en(MIERCOLES, 10))
    caso.refresh_from_db()
    return caso


def test_el_caso_conserva_su_cifra_hasta_que_la_coordinacion_lo_recalcula(invitando, coordinadora):
    caso = invitando
    assert _tarea(caso, "invitar").scheduled == _fin(date(2026, 12, 1))
    assert _tarea(caso, "invitar__timeout", "TIMER").scheduled == _fin(date(2026, 12, 1))

    (resultado,) = services.recalcular_plazos_de(
        casos=[caso], actor=coordinadora, motivo="Reforma a la ley estatal"
    )

    # 24/11 + 7 días hábiles: la tarea y el temporizador que la vigila se mueven.
    assert _tarea(caso, "invitar").scheduled == _fin(date(2026, 12, 3))
    assert _tarea(caso, "invitar__timeout", "TIMER").scheduled == _fin(date(2026, 12, 3))
    assert resultado.cambio and resultado.movidas == 2
    caso.refresh_from_db()
    assert caso.plazos_segun == MIERCOLES
    evento = caso.eventos.get(tipo=TipoEvento.PLAZOS_RECALCULADOS)
    assert evento.actor == coordinadora
    assert [(c["clave"], c["antes"], c["ahora"]) for c in evento.datos["cambios"]] == [
        ("INVITACION_DIAS_HABILES", 5, 7)
    ]
    # Otra vez: ya sigue las de hoy, no hay nada que mover ni que anotar.
    (otra,) = services.recalcular_plazos_de(casos=[caso], actor=coordinadora, motivo="Repaso")
    assert not otra.cambio and otra.movidas == 0
    assert caso.eventos.filter(tipo=TipoEvento.PLAZOS_RECALCULADOS).count() == 1


def test_recalcular_es_solo_de_la_coordinacion(invitando, certificado):
    with pytest.raises(PermissionDenied):
        services.recalcular_plazos_de(casos=[invitando], actor=certificado, motivo="Reforma")
    invitando.refresh_from_db()
    assert invitando.plazos_segun is None


def test_con_un_caso_concluido_no_se_recalcula_ninguno(
    invitando, nuevo_caso, coordinadora, conductor
):
    concluido = nuevo_caso().caso
    conductor.hacer(
        coordinadora, concluido, "revisar", {"decision": "no_admitir", "motivo": "No mediable"}
    )
    concluido.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.recalcular_plazos_de(
            casos=[invitando, concluido], actor=coordinadora, motivo="Reforma"
        )
    assert error.value.messages == [
        f"Estos casos ya concluyeron y sus plazos no se recalculan: {concluido.folio}."
    ]
    invitando.refresh_from_db()
    assert invitando.plazos_segun is None
    assert _tarea(invitando, "invitar").scheduled == _fin(date(2026, 12, 1))


def test_la_pagina_del_caso_dice_de_que_fecha_son_sus_cifras(invitando, client, coordinadora):
    client.force_login(coordinadora)
    html = client.get(reverse("casos:detalle", args=[invitando.folio])).content.decode()
    assert "Invitar a la otra parte (LGMASC art. 69)" in html
    assert "Este caso sigue las cifras de plazos vigentes al 24/11/2026, cuando se recibió" in html
    assert "Invitación a la otra parte: 5 días hábiles → 7 días hábiles" in html
    assert reverse("flujos:recalcular_plazos") in html

    services.recalcular_plazos_de(casos=[invitando], actor=coordinadora, motivo="Reforma")
    html = client.get(reverse("casos:detalle", args=[invitando.folio])).content.decode()
    assert "Este caso sigue las cifras" not in html
    assert "Plazos según las cifras vigentes al 25/11/2026 (recalculados" in html
    assert "7 días hábiles" in html


def test_el_fundamento_que_se_muestra_es_el_de_la_cifra_del_caso(
    conductor, nuevo_caso, coordinadora, certificado, client, reloj
):
    cifras_de_plazos.registrar_cifra(
        clave=ClavePlazo.DURACION_MAXIMA_MESES,
        valor=4,
        vigente_desde=MIERCOLES,
        motivo="Armonización estatal.",
        actor=coordinadora,
        fundamento="Ley de Justicia Alternativa de Jalisco, art. 30",
    )
    reloj.move_to(en(MIERCOLES, 10))
    caso = nuevo_caso().caso
    admitir_y_asignar(conductor, caso, coordinadora, certificado)
    client.force_login(coordinadora)
    html = client.get(reverse("casos:detalle", args=[caso.folio])).content.decode()
    assert "Fin del procedimiento (Ley de Justicia Alternativa de Jalisco, art. 30)" in html
    assert "4 meses" in html and "25/03/2027" in html
    assert "Este caso sigue las cifras" not in html


def test_la_pagina_de_recalculo_lista_elige_y_recalcula(
    invitando, nuevo_caso, client, coordinadora
):
    reciente = nuevo_caso().caso  # recibido hoy: ya sigue las cifras de hoy
    client.force_login(coordinadora)
    url = reverse("flujos:recalcular_plazos")
    html = client.get(url).content.decode()
    assert invitando.folio in html and reciente.folio not in html
    assert "5 días hábiles → 7 días hábiles" in html

    sin_motivo = client.post(url, {"casos": [invitando.pk], "motivo": ""})
    assert sin_motivo.status_code == 400
    assert "Este dato es obligatorio." in sin_motivo.content.decode()
    sin_casos = client.post(url, {"motivo": "Reforma"})
    assert sin_casos.status_code == 400
    assert "Elija al menos un caso." in sin_casos.content.decode()
    ajeno = client.post(url, {"casos": [reciente.pk], "motivo": "Reforma"})
    assert ajeno.status_code == 400  # no está en la lista: sus cifras ya son las de hoy
    assert not invitando.eventos.filter(tipo=TipoEvento.PLAZOS_RECALCULADOS).exists()

    hecho = client.post(url, {"casos": [invitando.pk], "motivo": "Reforma"}, follow=True)
    html = hecho.content.decode()
    assert "Se recalcularon los plazos de 1 caso; se movieron 2 vencimientos del flujo." in html
    assert "Todos los casos abiertos siguen las cifras de hoy." in html
    assert invitando.eventos.filter(
        tipo=TipoEvento.PLAZOS_RECALCULADOS, actor=coordinadora
    ).exists()


def test_la_pagina_filtra_por_folio(invitando):
    from flujos import selectors

    assert [f.caso for f in selectors.casos_por_recalcular()] == [invitando]
    assert selectors.casos_por_recalcular(folio=invitando.folio)[0].caso == invitando
    assert selectors.casos_por_recalcular(folio="MED-1999-00001") == []

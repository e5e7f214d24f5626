"""La demostración llena la semana en curso de cada agenda (personas mediadoras y salas)."""

from django.contrib.auth import get_user_model

from casos.models import Sala, Sesion
from demo.historia import sembrar
from demo.semana import dias_de_la_semana


def test_la_demo_deja_una_semana_completa_en_cada_agenda(reloj, catalogos):
    sembrar(password="clave-de-la-demo-2026", cantidad=2)
    dias = dias_de_la_semana()
    assert [d.isoformat() for d in dias] == [
        "2026-11-23",
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-11-27",
    ]
    sesiones = Sesion.objects.filter(inicio__date__gte=dias[0], inicio__date__lte=dias[-1])
    mediadores = get_user_model().objects.filter(username__in=["mediador", "mediadora2"])
    for mediador in mediadores:
        fechas = {s.inicio.date() for s in sesiones.filter(mediador=mediador)}
        assert fechas >= set(dias), mediador
    for sala in Sala.objects.all():
        fechas = {s.inicio.date() for s in sesiones.filter(sala=sala)}
        assert fechas >= set(dias), sala
    # Las de días ya pasados quedan celebradas; las de hoy en adelante, programadas.
    assert sesiones.filter(inicio__date=dias[0], estado="celebrada").exists()
    assert sesiones.filter(inicio__date=dias[-1], estado="programada").exists()


def test_la_demo_deja_una_confirmacion_y_un_cambio_con_su_tarea_de_llamar(reloj, catalogos):
    from viewflow.workflow.models import Task

    from notificaciones.models import Confirmacion, EstadoConfirmacion

    sembrar(password="clave-de-la-demo-2026", cantidad=2)
    estados = set(Confirmacion.objects.values_list("estado", flat=True))
    assert estados == {EstadoConfirmacion.CONFIRMADA, EstadoConfirmacion.OTRA_FECHA}
    cambio = Confirmacion.objects.get(estado=EstadoConfirmacion.OTRA_FECHA)
    tarea = Task.objects.get(flow_task__endswith=".llamar")
    assert tarea.process.data["parte"] == cambio.parte_id
    assert tarea.owner == cambio.sesion.caso.responsable

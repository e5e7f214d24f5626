"""La coordinación, sin ser superusuaria, deja lista una oficina recién instalada (solo
migraciones y catálogos): da de alta a una mediadora con su certificación, una sala con su
horario, y le asigna un caso. Una certificación vencida no se ofrece. axe-core en la lista,
el formulario y la historia, sin fallas graves ni críticas."""

from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from viewflow.workflow.models import Task

from casos.models import Caso, DiaInhabil, PerfilMediador, Sala
from casos.services import mediacion as med
from flujos import tareas
from flujos.tareas import procesos_de
from tests.navegador.test_pantallas import entrar
from tests.navegador.test_portal_publico import auditar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def vencido(catalogos):
    """Un mediador cuya certificación venció: no debe poder recibir el caso."""
    usuario = User.objects.create_user("vencido", first_name="Víctor", last_name="Vencido")
    usuario.groups.add(Group.objects.get(name="mediador"))
    PerfilMediador.objects.create(
        usuario=usuario, numero_certificacion="IJA-0001", certificado_hasta=date(2020, 1, 1)
    )
    return usuario


def _caso_por_asignar(nuevo_caso, coordinadora):
    caso = nuevo_caso(nombre="Guadalupe Aceves Ramos").caso
    revisar = Task.objects.get(process__in=procesos_de(caso), flow_task_type="HUMAN")
    tareas.tomar(task=revisar, usuario=coordinadora)
    tareas.completar(
        task=revisar,
        usuario=coordinadora,
        accion=lambda: med.admitir(caso=caso, actor=coordinadora),
    )
    asignar = Task.objects.get(process__in=procesos_de(caso), flow_task_type="HUMAN", status="NEW")
    tareas.tomar(task=asignar, usuario=coordinadora)
    return caso, asignar


def test_la_coordinacion_da_de_alta_a_una_mediadora_y_le_asigna_un_caso(
    pagina, captura, coordinadora, vencido, nuevo_caso, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    assert not coordinadora.is_superuser and not coordinadora.is_staff
    caso, asignar = _caso_por_asignar(nuevo_caso, coordinadora)

    entrar(pagina, "coordinadora", "/oficina/")
    pagina.get_by_role("heading", name="Personal, certificaciones, salas y catálogos").wait_for()
    assert auditar(pagina) == []
    captura(pagina, "oficina-inicio")

    # La lista de puesta en marcha: sin sala ni mediadora vigente, eso va primero.
    pagina.get_by_role("link", name="Ver lo que falta y dónde se arregla").click()
    pendientes = pagina.locator("ol.pendientes")
    pendientes.get_by_text("No hay ninguna sala activa").wait_for()
    assert pendientes.get_by_text("No hay ninguna persona mediadora con certificación").count()
    assert auditar(pagina) == []
    captura(pagina, "oficina-puesta-en-marcha")

    # Los días inhábiles del año que entra, con un clic desde la lista, y confirmados.
    anio = timezone.localdate().year + 1
    pagina.get_by_role("link", name=f"Proponer los días usuales de {anio}").click()
    pagina.get_by_role("heading", name=f"Proponer los días inhábiles usuales de {anio}").wait_for()
    marcadas = pagina.locator("input[name='fechas']:checked")
    assert marcadas.count() == 4
    assert auditar(pagina) == []
    captura(pagina, "oficina-proponer-inhabiles")
    pagina.get_by_role("button", name="Confirmar y agregar los días marcados").click()
    pagina.locator(".messagelist .success").wait_for()
    assert (
        pagina.locator(".messagelist .success")
        .inner_text()
        .startswith(f"Se agregaron 4 días inhábiles de {anio}")
    )
    assert DiaInhabil.objects.filter(fecha_inicio__year=anio).count() == 4

    # Alta de la mediadora con su certificación y el escaneo de la constancia.
    pagina.goto("/oficina/cuentas/personal/add/")
    pagina.locator("#id_username").fill("lucia")
    pagina.locator("#id_first_name").fill("Lucía")
    pagina.locator("#id_last_name").fill("Ramos")
    pagina.locator("#id_email").fill("lucia@example.mx")
    pagina.get_by_label("Mediación (persona facilitadora)").check()
    pagina.locator("#id_perfil_mediador-0-numero_certificacion").fill("IJA-2025-0420")
    pagina.locator("#id_perfil_mediador-0-autoridad_emisora").fill(
        "Instituto de Justicia Alternativa"
    )
    pagina.locator("#id_perfil_mediador-0-fecha_expedicion").fill("2025-06-02")
    pagina.locator("#id_perfil_mediador-0-certificado").set_input_files(
        files=[{"name": "constancia.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    assert auditar(pagina) == []
    captura(pagina, "oficina-alta-mediadora")
    pagina.get_by_role("button", name="Guardar", exact=True).click()
    pagina.locator(".messagelist .success").wait_for()
    lucia = User.objects.get(username="lucia")
    perfil = lucia.perfil_mediador
    assert perfil.certificado_hasta == date(2030, 6, 1) and perfil.certificado
    assert not lucia.is_superuser and not lucia.is_staff
    assert list(lucia.groups.values_list("name", flat=True)) == ["mediador"]
    assert auditar(pagina) == []
    captura(pagina, "oficina-lista-personal")

    # La historia de la cuenta: quién la dio de alta.
    pagina.goto(f"/oficina/cuentas/personal/{lucia.pk}/history/")
    assert "coordinadora" in pagina.locator("#change-history").inner_text()
    assert auditar(pagina) == []
    captura(pagina, "oficina-historia-cuenta")

    # Una sala con su horario de los lunes.
    pagina.goto("/oficina/casos/sala/add/")
    pagina.locator("#id_nombre").fill("Sala de mediación 1")
    pagina.locator("#id_ubicacion").fill("Presidencia municipal, planta baja")
    pagina.locator("#id_capacidad").fill("6")
    fila = pagina.locator("#horarios-0")
    fila.locator("select").select_option("0")
    fila.locator("input[name='horarios-0-abre']").fill("09:00")
    fila.locator("input[name='horarios-0-cierra']").fill("14:00")
    assert auditar(pagina) == []
    captura(pagina, "oficina-alta-sala")
    pagina.get_by_role("button", name="Guardar", exact=True).click()
    pagina.locator(".messagelist .success").wait_for()
    sala = Sala.objects.get(nombre="Sala de mediación 1")
    assert sala.capacidad == 6 and sala.horarios.count() == 1

    # La historia de la sala, con la de su horario.
    pagina.goto(f"/oficina/casos/sala/{sala.pk}/history/")
    horario = pagina.locator("#historia-relacionada").inner_text()
    assert "Alta" in horario and "lunes 09:00–14:00" in horario and "coordinadora" in horario
    assert auditar(pagina) == []
    captura(pagina, "oficina-historia-sala")

    # En la lista, sala y mediadora ya están.
    pagina.goto("/oficina/puesta-en-marcha/")
    listos = pagina.locator("ul.listos").inner_text()
    assert "1 sala activa" in listos and "1 persona mediadora con certificación" in listos
    assert "Cada sala activa tiene su horario" in listos
    captura(pagina, "oficina-puesta-en-marcha-avance")

    # La tarea «asignar»: la mediadora nueva aparece; el vencido, no.
    pagina.goto(f"/tareas/{asignar.pk}/")
    opciones = pagina.get_by_label("Persona responsable").locator("option").all_inner_texts()
    assert any("Lucía Ramos" in o for o in opciones), opciones
    assert not any("Vencido" in o for o in opciones), opciones
    captura(pagina, "oficina-asignar-caso")
    pagina.get_by_label("Persona responsable").select_option(
        label=next(o for o in opciones if "Lucía Ramos" in o)
    )
    pagina.get_by_role("button", name="Guardar y continuar").click()
    pagina.wait_for_load_state()
    caso.refresh_from_db()
    assert caso.responsable == lucia
    assert Caso.objects.get(pk=caso.pk).responsable_id == lucia.pk

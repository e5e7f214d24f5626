"""Cada camino del flujo de asesoría, por HTTP."""

from datetime import date

import pytest
from django.urls import reverse

from casos.models import Caso, Categoria, Estado, TipoCaso
from flujos.tareas import procesos_de
from tests.casos.etapas import en

pytestmark = pytest.mark.usefixtures("reloj")


def asesoria_asignada(nuevo_caso, conductor, coordinadora, asesor):
    """Una asesoría clasificada y asignada al asesor, lista para atender."""
    caso = nuevo_caso(TipoCaso.ASESORIA).caso
    conductor.hacer(
        coordinadora,
        caso,
        "clasificar",
        {"categoria": caso.categoria_id, "localidad": caso.localidad_id},
    )
    conductor.hacer(coordinadora, caso, "asignar_asesor", {"responsable": asesor.pk})
    return caso


@pytest.fixture
def caso(nuevo_caso, conductor, coordinadora, asesor):
    return asesoria_asignada(nuevo_caso, conductor, coordinadora, asesor)


def atender(conductor, asesor, caso, esperado=302, **datos):
    base = {
        "accion": "resolver",
        "primer_contacto": "",
        "resumen_atencion": "",
        "dependencia": "",
        "motivo": "",
        "numero_oficio": "",
        "que_se_espera": "",
        "categoria_mediacion": "",
        "relato_conflicto": "",
        "otra_nombre": "",
        "otra_domicilio": "",
        "otra_telefono": "",
    }
    return conductor.hacer(asesor, caso, "atender", {**base, **datos}, esperado=esperado)


def test_resuelta_en_primer_contacto_encuesta_y_cierre(conductor, caso, asesor):
    assert conductor.tarea(caso, "atender").owner == asesor
    atender(conductor, asesor, caso, resumen_atencion="Se explicó el trámite", primer_contacto="on")
    conductor.hacer(asesor, caso, "encuesta", {"satisfaccion": "5", "comentario": "Gracias"})
    caso.refresh_from_db()
    assert caso.estado == Estado.CERRADA and caso.satisfaccion == 5 and conductor.terminado(caso)


def test_canalizar_y_esperar_respuesta(conductor, caso, asesor):
    atender(
        conductor,
        asesor,
        caso,
        accion="canalizar",
        dependencia="Agua Potable",
        motivo="Fuga",
        numero_oficio="DVC-7",
    )
    assert conductor.pendientes(caso) == ["esperar_dependencia"]
    conductor.hacer(asesor, caso, "esperar_dependencia", {"respuesta": "Se reparó la fuga"})
    atender(conductor, asesor, caso, resumen_atencion="Se informó la respuesta")
    conductor.hacer(asesor, caso, "encuesta", {"satisfaccion": "", "comentario": ""})
    assert conductor.terminado(caso)


def test_esperar_al_ciudadano_y_reanudar(conductor, caso, asesor, reloj):
    atender(conductor, asesor, caso, accion="esperar", que_se_espera="Copia de la credencial")
    caso.refresh_from_db()
    assert caso.estado == Estado.ESPERA_CIUDADANO
    reloj.move_to(en(date(2026, 11, 27)))
    conductor.hacer(asesor, caso, "esperar_ciudadano", {"confirmar": "on"})
    assert conductor.pendientes(caso) == ["atender"]
    tarea = conductor.tarea(caso, "atender")
    assert tarea.scheduled.date() == date(2026, 12, 12)  # 10 hábiles + 3 de pausa (fin del 11/12)


def test_convertir_en_mediacion_abre_caso_ligado_con_su_flujo(conductor, caso, asesor):
    categoria = Categoria.objects.filter(tipo=TipoCaso.MEDIACION, canalizar=False).first()
    respuesta = atender(
        conductor,
        asesor,
        caso,
        accion="convertir",
        categoria_mediacion=categoria.pk,
        otra_nombre="Arturo Barba",
        otra_domicilio="Calle Juárez 3",
    )
    assert respuesta.status_code == 302
    nueva = Caso.objects.get(caso_anterior=caso)
    assert nueva.tipo == TipoCaso.MEDIACION
    assert conductor.pendientes(nueva) == ["revisar"]
    assert conductor.pendientes(caso) == ["encuesta"]


def test_convertir_sin_otra_parte_avisa_y_no_crea(conductor, caso, asesor):
    categoria = Categoria.objects.filter(tipo=TipoCaso.MEDIACION, canalizar=False).first()
    respuesta = atender(
        conductor, asesor, caso, accion="convertir", categoria_mediacion=categoria.pk, esperado=400
    )
    html = respuesta.content.decode()
    assert "nombre de la otra parte" in html
    # El mensaje nombra solo datos que el formulario pide.
    assert "su domicilio o su teléfono" in html and "correo" not in html.split("<form")[1]
    assert not Caso.objects.filter(caso_anterior=caso).exists()
    assert conductor.pendientes(caso) == ["atender"]


def test_convertir_lleva_el_relato_de_la_asesora_a_la_mediacion(conductor, caso, asesor):
    categoria = Categoria.objects.filter(tipo=TipoCaso.MEDIACION, canalizar=False).first()
    atender(
        conductor,
        asesor,
        caso,
        accion="convertir",
        categoria_mediacion=categoria.pk,
        relato_conflicto="El vecino desvía el agua de lluvia a su patio.",
        otra_nombre="Arturo Barba",
        otra_telefono="33 4444 5555",
    )
    nueva = Caso.objects.get(caso_anterior=caso)
    assert nueva.resumen.startswith("El vecino desvía el agua de lluvia a su patio.")
    assert nueva.otras_partes[0].telefono == "+523344445555"


def test_los_datos_de_otra_opcion_no_estorban_ni_aparecen_en_los_errores(conductor, caso, asesor):
    # Resuelta sin orientación, con un motivo de canalización demasiado largo (de otra opción).
    respuesta = atender(conductor, asesor, caso, motivo="x" * 5000, esperado=400)
    html = respuesta.content.decode()
    assert "Describa la orientación que se dio." in html
    assert "No debe pasar de" not in html
    respuesta = atender(
        conductor, asesor, caso, resumen_atencion="Orientado", motivo="x" * 5000, dependencia="Agua"
    )
    assert conductor.pendientes(caso) == ["encuesta"]
    assert not caso.canalizaciones.exists()


def test_cada_opcion_lleva_su_titulo_para_quien_no_tiene_javascript(conductor, caso, asesor):
    conductor.client.force_login(asesor)
    tarea = conductor.tarea(caso, "atender")
    html = conductor.client.get(reverse("flujos:tarea", args=[tarea.pk])).content.decode()
    for titulo in (
        "Si se resolvió",
        "Si se canaliza a otra dependencia",
        "Si se espera información de la persona",
        "Si se convierte en mediación",
    ):
        assert f"<legend>{titulo}</legend>" in html
    assert 'data-opcion="convertir"' in html and "js/atender.js" in html


def test_reabrir_una_asesoria_cerrada_vuelve_a_atencion(conductor, caso, asesor, client):
    atender(conductor, asesor, caso, resumen_atencion="Orientado")
    conductor.hacer(asesor, caso, "encuesta", {"satisfaccion": "3", "comentario": ""})
    assert conductor.terminado(caso)
    client.force_login(asesor)
    respuesta = client.post(
        reverse("flujos:reabrir", args=[caso.folio]), {"motivo": "El problema volvió"}
    )
    assert respuesta.status_code == 302
    caso.refresh_from_db()
    assert caso.estado == Estado.EN_ATENCION
    assert conductor.pendientes(caso) == ["atender"]
    assert procesos_de(caso).count() == 2

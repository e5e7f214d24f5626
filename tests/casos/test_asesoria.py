"""Asesoría: clasificar, atender, canalizar, esperar (reloj en pausa), convertir, cerrar."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from casos import plazos
from casos.models import Caso, Categoria, Estado, Localidad, TipoCaso, TipoEvento
from casos.services import DatosPersona
from casos.services import asesoria as ase
from casos.services import mediacion as med
from tests.casos.etapas import en

pytestmark = pytest.mark.usefixtures("reloj")


@pytest.fixture
def caso(nuevo_caso, coordinadora, asesor):
    caso = nuevo_caso(TipoCaso.ASESORIA).caso
    caso = ase.clasificar(
        caso=caso, actor=coordinadora, categoria=caso.categoria, localidad=caso.localidad
    )
    return med.asignar_responsable(caso=caso, actor=coordinadora, responsable=asesor)


def test_clasificar_y_asignar(caso, asesor):
    assert caso.estado == Estado.ASIGNADA and caso.responsable == asesor
    assert caso.eventos.filter(tipo=TipoEvento.CLASIFICADA).exists()


def test_clasificar_con_categoria_de_mediacion_se_rechaza(nuevo_caso, coordinadora):
    caso = nuevo_caso(TipoCaso.ASESORIA).caso
    mediacion = Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first()
    with pytest.raises(ValidationError, match="categoría vigente de asesoría"):
        ase.clasificar(
            caso=caso, actor=coordinadora, categoria=mediacion, localidad=Localidad.objects.first()
        )


def test_solo_se_asigna_a_asesores(nuevo_caso, coordinadora, certificado):
    caso = nuevo_caso(TipoCaso.ASESORIA).caso
    with pytest.raises(ValidationError, match="personas asesoras"):
        med.asignar_responsable(caso=caso, actor=coordinadora, responsable=certificado)


def test_resuelta_en_primer_contacto_encuesta_y_cierre(caso, asesor):
    ase.resolver(
        caso=caso, actor=asesor, resumen_atencion="Se le explicó el trámite.", primer_contacto=True
    )
    with pytest.raises(ValidationError):
        ase.registrar_encuesta(caso=caso, actor=asesor, satisfaccion=6)
    ase.registrar_encuesta(caso=caso, actor=asesor, satisfaccion=5, comentario="Muy amable")
    caso = ase.cerrar(caso=caso, actor=asesor)
    assert caso.estado == Estado.CERRADA and caso.satisfaccion == 5
    assert caso.eventos.get(tipo=TipoEvento.CONCLUIDA, estado_nuevo=Estado.RESUELTA).datos[
        "primer_contacto"
    ]


def test_canalizar_espera_la_respuesta_y_vuelve_a_atencion(caso, asesor):
    ase.iniciar_atencion(caso=caso, actor=asesor)
    canalizacion = ase.canalizar(
        caso=caso,
        actor=asesor,
        dependencia="Agua Potable Municipal",
        motivo="Fuga en la red",
        numero_oficio="DVC/123/2026",
    )
    caso.refresh_from_db()
    assert caso.estado == Estado.EN_CANALIZACION and caso.abierto
    ase.registrar_respuesta_canalizacion(
        canalizacion=canalizacion, actor=asesor, respuesta="Se reparó el 25/11."
    )
    caso.refresh_from_db()
    assert caso.estado == Estado.EN_ATENCION


def test_esperar_al_ciudadano_pausa_el_reloj(caso, asesor, reloj):
    # Recibida el martes 24/11: vence en 10 hábiles, el martes 8/12.
    assert plazos.resolucion_vence_el(caso) == date(2026, 12, 8)
    ase.esperar_ciudadano(caso=caso, actor=asesor, motivo="Copia de su credencial")
    reloj.move_to(en(date(2026, 11, 27)))  # 3 días hábiles después
    ase.reanudar(caso=caso, actor=asesor)
    caso = Caso.objects.get(pk=caso.pk)
    assert plazos.dias_habiles_en_pausa(caso) == 3
    assert plazos.resolucion_vence_el(caso) == date(2026, 12, 11)
    assert caso.estado == Estado.EN_ATENCION


def test_convertir_en_mediacion_abre_un_caso_ligado(caso, asesor):
    categoria = Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first()
    nueva = ase.convertir_en_mediacion(
        caso=caso,
        actor=asesor,
        categoria=categoria,
        otra_parte=DatosPersona(nombre="Arturo Barba", domicilio="Calle Juárez 3"),
    )
    caso.refresh_from_db()
    assert nueva.caso.folio.startswith("MED-") and nueva.caso.caso_anterior == caso
    assert caso.estado == Estado.RESUELTA
    assert nueva.caso.solicitante.telefono == caso.solicitante.telefono
    ase.registrar_encuesta(caso=caso, actor=asesor, satisfaccion=4)
    ase.cerrar(caso=caso, actor=asesor)
    with pytest.raises(ValidationError, match="se convirtió en mediación"):
        ase.reabrir(caso=caso, actor=asesor, motivo="Volvió")


def test_la_conversion_lleva_el_relato_de_la_asesora_y_el_aviso_como_se_acepto(caso, asesor, reloj):
    from datetime import timedelta

    from casos.models import TipoEvento

    aceptado, canal = caso.aviso_aceptado_en, caso.aviso_canal
    reloj.shift(timedelta(days=2))
    nueva = ase.convertir_en_mediacion(
        caso=caso,
        actor=asesor,
        categoria=Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first(),
        otra_parte=DatosPersona(nombre="Arturo Barba", domicilio="Calle Juárez 3"),
        resumen="El vecino desvía el agua de lluvia a su patio desde hace un mes.",
    ).caso
    assert nueva.resumen.startswith("El vecino desvía el agua de lluvia")
    assert caso.folio in nueva.resumen and caso.resumen in nueva.resumen
    assert nueva.aviso_aceptado_en == aceptado and nueva.aviso_canal == canal
    recibida = nueva.eventos.get(tipo=TipoEvento.RECIBIDA)
    assert recibida.descripcion == (
        f"Solicitud de mediación abierta al convertir la asesoría {caso.folio}."
    )
    assert "por línea telefónica" not in recibida.descripcion


def test_reabrir_una_asesoria_cerrada(caso, asesor):
    ase.resolver(caso=caso, actor=asesor, resumen_atencion="Orientado")
    ase.cerrar(caso=caso, actor=asesor)
    with pytest.raises(ValidationError):
        ase.reabrir(caso=caso, actor=asesor, motivo="")
    caso = ase.reabrir(caso=caso, actor=asesor, motivo="El problema volvió a presentarse")
    assert caso.estado == Estado.EN_ATENCION and caso.concluido_en is None


def test_la_mediacion_cerrada_no_se_reabre(nuevo_caso, coordinadora, asesor):
    caso = nuevo_caso().caso
    med.no_admitir(caso=caso, actor=coordinadora, motivo="No mediable")
    with pytest.raises(ValidationError, match="solo para casos de asesoría"):
        ase.reabrir(caso=caso, actor=asesor, motivo="Insiste")

"""Convenio de mediación (LGMASC art. 94), su firma, su registro y el seguimiento de sus
cláusulas, por los servicios."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from casos import plazos
from casos.models import (
    CausaConclusion,
    Cumplimiento,
    Estado,
    EstadoRegistro,
    ResultadoSeguimiento,
)
from casos.services import mediacion as med
from tests.casos.etapas import (
    completar_partes,
    convenio_listo,
    en,
    firmado,
)

pytestmark = pytest.mark.usefixtures("reloj")


def test_convenio_incompleto_no_se_firma_y_dice_que_falta(en_mediacion, certificado):
    convenio_listo(en_mediacion, certificado)
    faltan = med.faltantes_convenio(en_mediacion)
    assert any("edad" in f and "ocupación" in f for f in faltan)
    with pytest.raises(ValidationError, match="Antes de firmar, complete"):
        firmado(en_mediacion, certificado)
    completar_partes(en_mediacion, certificado)
    assert med.faltantes_convenio(en_mediacion) == []


def test_clausula_de_hacer_sin_fecha_falta(en_mediacion, certificado):
    from casos.models import Clausula

    convenio_listo(en_mediacion, certificado)
    completar_partes(en_mediacion, certificado)
    Clausula.objects.filter(numero=1).update(fecha_limite=None)
    assert med.faltantes_convenio(en_mediacion) == ["A la cláusula 1 le falta: fecha para cumplir."]


def test_del_convenio_al_cumplimiento(en_mediacion, certificado, reloj):
    caso = en_mediacion
    convenio_listo(caso, certificado)
    completar_partes(caso, certificado)
    convenio = firmado(caso, certificado)
    assert plazos.registro_vence_el(convenio) == date(2026, 12, 10)
    med.enviar_a_registro(caso=caso, actor=certificado)
    med.registrar_respuesta_registro(
        caso=caso,
        actor=certificado,
        estado_registro=EstadoRegistro.PREVENIDO,
        observaciones="Falta la edad en letra.",
    )
    caso.refresh_from_db()
    assert caso.estado == Estado.VALIDACION
    med.enviar_a_registro(caso=caso, actor=certificado)
    med.registrar_respuesta_registro(
        caso=caso,
        actor=certificado,
        estado_registro=EstadoRegistro.VALIDADO,
        numero_registro="IJA-2026-0042",
    )
    caso.refresh_from_db()
    assert caso.estado == Estado.SEGUIMIENTO
    with pytest.raises(ValidationError, match="Faltan por verificar"):
        med.cerrar_seguimiento(caso=caso, actor=certificado)
    for clausula in caso.convenio.clausulas.all():
        med.verificar_clausula(clausula=clausula, actor=certificado, cumplida=True)
    caso = med.cerrar_seguimiento(caso=caso, actor=certificado)
    assert caso.estado == Estado.CONCLUIDA_CONVENIO
    assert caso.resultado_seguimiento == ResultadoSeguimiento.CUMPLIDO
    assert caso.causa_conclusion == CausaConclusion.CONVENIO_TOTAL


def test_incumplimiento_exige_orientacion(en_mediacion, certificado, reloj):
    caso = en_mediacion
    convenio_listo(caso, certificado)
    completar_partes(caso, certificado)
    firmado(caso, certificado)
    med.enviar_a_registro(caso=caso, actor=certificado)
    med.registrar_respuesta_registro(
        caso=caso, actor=certificado, estado_registro=EstadoRegistro.NO_PRESENTADO
    )
    primera, segunda = caso.convenio.clausulas.all()
    with pytest.raises(ValidationError, match="todavía no puede darse por incumplida"):
        med.verificar_clausula(clausula=primera, actor=certificado, cumplida=False)
    reloj.move_to(en(date(2026, 12, 19)))  # ya venció la cláusula 1 (18/12)
    med.verificar_clausula(
        clausula=primera, actor=certificado, cumplida=False, nota="No retiró la barda"
    )
    med.verificar_clausula(clausula=segunda, actor=certificado, cumplida=True)
    with pytest.raises(ValidationError, match="orientación"):
        med.cerrar_seguimiento(caso=caso, actor=certificado)
    caso = med.cerrar_seguimiento(
        caso=caso, actor=certificado, orientacion="Se orientó sobre la ejecución ante el juzgado."
    )
    assert caso.resultado_seguimiento == ResultadoSeguimiento.INCUMPLIDO
    assert primera.__class__.objects.get(pk=primera.pk).cumplimiento == Cumplimiento.INCUMPLIDA
    assert caso.get_estado_display() == "Concluida: convenio incumplido"
    assert "no se cumplió" in caso.explicacion_estado


def _concluido_con_incumplimiento(caso, certificado, reloj):
    convenio_listo(caso, certificado)
    completar_partes(caso, certificado)
    firmado(caso, certificado)
    med.enviar_a_registro(caso=caso, actor=certificado)
    med.registrar_respuesta_registro(
        caso=caso, actor=certificado, estado_registro=EstadoRegistro.NO_PRESENTADO
    )
    reloj.move_to(en(date(2026, 12, 19)))
    primera, segunda = caso.convenio.clausulas.all()
    med.verificar_clausula(clausula=primera, actor=certificado, cumplida=False, nota="No pagó")
    med.verificar_clausula(clausula=segunda, actor=certificado, cumplida=True)
    return med.cerrar_seguimiento(caso=caso, actor=certificado, orientacion="Se orientó.")


def test_convenio_incumplido_se_dice_en_expediente_bandeja_consulta_y_open311(
    en_mediacion, certificado, reloj, client
):
    from open311.selectors import Presentador, solicitud
    from portal.estado import estado_publico

    caso = _concluido_con_incumplimiento(en_mediacion, certificado, reloj)
    client.force_login(certificado)
    pagina = client.get(f"/casos/{caso.folio}/").content.decode()
    assert "Concluida: convenio incumplido" in pagina
    assert "Concluida con convenio" not in pagina
    publico = estado_publico(caso, sesion="s")
    assert publico.estado == "Concluida: convenio incumplido"
    renglon = Presentador().renglon(solicitud(caso.folio))
    assert renglon["status"] == "closed"
    assert renglon["status_notes"].startswith("Concluida: convenio incumplido.")


def test_el_convenio_firmado_no_se_modifica(en_mediacion, certificado):
    convenio_listo(en_mediacion, certificado)
    completar_partes(en_mediacion, certificado)
    firmado(en_mediacion, certificado)
    with pytest.raises(ValidationError):
        convenio_listo(en_mediacion, certificado)


def test_actualizar_parte_guarda_lo_anterior(caso, coordinadora):
    parte = caso.partes.get(rol="invitada")
    med.actualizar_parte(parte=parte, actor=coordinadora, nombre="Pedro López Ávila", edad=51)
    evento = caso.eventos.order_by("-id").first()
    assert evento.datos["anteriores"] == {"nombre": "Pedro López", "edad": None}
    parte.refresh_from_db()
    assert parte.nombre_busqueda == "pedro lopez avila"


def test_con_convenio_firmado_no_hay_conclusion_anticipada(en_mediacion, certificado):
    convenio_listo(en_mediacion, certificado)
    completar_partes(en_mediacion, certificado)
    firmado(en_mediacion, certificado)
    with pytest.raises(ValidationError, match="no corresponde"):
        med.concluir_anticipadamente(
            caso=en_mediacion,
            actor=certificado,
            causa=CausaConclusion.DESISTIMIENTO,
            motivo="Desiste",
        )


def test_fechas_de_firma_y_registro_no_pueden_ser_futuras(en_mediacion, certificado):

    from django.utils import timezone

    convenio_listo(en_mediacion, certificado)
    completar_partes(en_mediacion, certificado)
    with pytest.raises(ValidationError, match="no puede ser futura"):
        med.firmar_convenio(
            caso=en_mediacion,
            actor=certificado,
            forma_firma="autografa",
            firmado_en=timezone.now() + timedelta(days=3),
        )
    firmado(en_mediacion, certificado)
    with pytest.raises(ValidationError, match="no puede ser futura"):
        med.enviar_a_registro(caso=en_mediacion, actor=certificado, fecha=date(2026, 12, 30))

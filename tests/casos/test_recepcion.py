from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from casos import codigos, services
from casos.models import (
    Canal,
    Caso,
    Categoria,
    Estado,
    Evento,
    Localidad,
    Parte,
    RolParte,
    TipoCaso,
    TipoEvento,
)
from casos.senales import caso_recibido

MX = ZoneInfo("America/Mexico_City")


def test_recibir_crea_caso_partes_folio_codigo_y_evento(nuevo_caso, operadora):
    recibida = nuevo_caso(actor=operadora)
    caso = recibida.caso
    assert caso.folio == f"MED-{caso.anio}-00001"
    assert caso.estado == Estado.RECIBIDA
    assert codigos.codigo_coincide(caso.folio, caso.codigo_sal, recibida.codigo)
    partes = {p.rol: p for p in caso.partes.all()}
    assert partes[RolParte.SOLICITANTE].telefono == "+523312345678"
    assert partes[RolParte.INVITADA].nombre == "Pedro López"
    evento = caso.eventos.get()
    assert evento.tipo == TipoEvento.RECIBIDA
    assert evento.actor == operadora
    assert evento.publico
    assert evento.estado_nuevo == Estado.RECIBIDA
    assert caso.aviso_version == "2026-01"
    assert caso.aviso_canal == Canal.TELEFONO


def test_folios_consecutivos_por_tipo(nuevo_caso):
    folios = [nuevo_caso(TipoCaso.MEDIACION).caso.folio for _ in range(3)]
    folios += [nuevo_caso(TipoCaso.ASESORIA).caso.folio for _ in range(2)]
    anio = Caso.objects.first().anio
    assert folios == [
        f"MED-{anio}-00001",
        f"MED-{anio}-00002",
        f"MED-{anio}-00003",
        f"ASE-{anio}-00001",
        f"ASE-{anio}-00002",
    ]


def test_el_folio_reinicia_con_el_anio_de_la_recepcion(nuevo_caso):
    with time_machine.travel(datetime(2026, 12, 31, 23, 50, tzinfo=MX), tick=False):
        assert nuevo_caso().caso.folio == "MED-2026-00001"
    # 1 de enero en México, aunque en UTC ya sean las 6 de la mañana.
    with time_machine.travel(datetime(2027, 1, 1, 0, 10, tzinfo=MX), tick=False):
        assert nuevo_caso().caso.folio == "MED-2027-00001"
    with time_machine.travel(datetime(2027, 1, 2, 9, 0, tzinfo=MX), tick=False):
        assert nuevo_caso().caso.folio == "MED-2027-00002"


def test_captura_extemporanea_toma_el_anio_de_la_recepcion(nuevo_caso):
    recibido = datetime(2025, 11, 3, 11, 0, tzinfo=MX)
    caso = nuevo_caso(recibido_en=recibido).caso
    assert caso.folio == "MED-2025-00001"
    assert caso.eventos.get().creado_en == recibido
    assert caso.aviso_aceptado_en == recibido


def test_si_la_transaccion_falla_el_folio_no_se_pierde(nuevo_caso):
    with mock.patch.object(Parte.objects, "bulk_create", side_effect=RuntimeError("disco lleno")):
        with pytest.raises(RuntimeError):
            nuevo_caso()
    assert not Caso.objects.exists()
    assert nuevo_caso().caso.numero == 1


def test_mediacion_exige_nombre_y_ubicacion_de_la_otra_parte(nuevo_caso):
    with pytest.raises(ValidationError) as error:
        nuevo_caso(otra_parte=services.DatosPersona(nombre="", domicilio=""))
    assert set(error.value.message_dict) == {"otra_nombre", "otra_domicilio"}
    assert not Caso.objects.exists()


def test_asesoria_no_exige_otra_parte(nuevo_caso):
    caso = nuevo_caso(TipoCaso.ASESORIA).caso
    assert caso.folio.startswith("ASE-")
    assert [p.rol for p in caso.partes.all()] == [RolParte.SOLICITANTE]


def test_modulo_exige_elegir_el_modulo(nuevo_caso, modulo):
    with pytest.raises(ValidationError) as error:
        nuevo_caso(canal=Canal.MODULO)
    assert "modulo" in error.value.message_dict
    caso = nuevo_caso(canal=Canal.MODULO, modulo=modulo).caso
    assert caso.modulo == modulo
    assert modulo.casos.count() == 1


def test_categoria_de_otro_tipo_o_inactiva_se_rechaza(nuevo_caso, cat_asesoria, cat_mediacion):
    with pytest.raises(ValidationError) as error:
        nuevo_caso(TipoCaso.MEDIACION, categoria=cat_asesoria)
    assert "categoria" in error.value.message_dict
    Categoria.objects.filter(pk=cat_mediacion.pk).update(activo=False)
    cat_mediacion.refresh_from_db()
    with pytest.raises(ValidationError):
        nuevo_caso(TipoCaso.MEDIACION, categoria=cat_mediacion)


def test_localidad_inactiva_se_rechaza(nuevo_caso, localidad):
    Localidad.objects.filter(pk=localidad.pk).update(activo=False)
    localidad.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        nuevo_caso(localidad=localidad)
    assert "localidad" in error.value.message_dict


def test_sin_aviso_de_privacidad_no_se_recibe(nuevo_caso):
    with pytest.raises(ValidationError) as error:
        nuevo_caso(aviso=None)
    assert "aviso" in error.value.message_dict


def test_sin_ningun_contacto_del_solicitante_no_se_recibe(nuevo_caso):
    with pytest.raises(ValidationError) as error:
        nuevo_caso(telefono="")
    assert "telefono" in error.value.message_dict


def test_la_senal_lleva_el_codigo_y_llega_dentro_de_la_transaccion(nuevo_caso):
    recibidos = []

    def receptor(sender, caso, codigo, **kwargs):
        recibidos.append((caso.folio, codigo, connection.in_atomic_block))

    caso_recibido.connect(receptor)
    try:
        recibida = nuevo_caso()
    finally:
        caso_recibido.disconnect(receptor)
    assert recibidos == [(recibida.caso.folio, recibida.codigo, True)]


def test_caso_ligado_deja_evento_en_ambos(nuevo_caso, operadora):
    anterior = nuevo_caso().caso
    nuevo = nuevo_caso(caso_anterior=anterior, actor=operadora).caso
    assert nuevo.caso_anterior == anterior
    assert anterior.eventos.filter(tipo=TipoEvento.LIGADA, datos__caso=nuevo.folio).exists()


def test_registrar_contacto_no_crea_caso(nuevo_caso, operadora):
    caso = nuevo_caso().caso
    evento = services.registrar_contacto(
        caso=caso, actor=operadora, canal=Canal.TELEFONO, nota="Pregunta cuándo la llaman."
    )
    assert Caso.objects.count() == 1
    assert evento.tipo == TipoEvento.CONTACTO and not evento.publico
    assert evento.datos["nota"] == "Pregunta cuándo la llaman."
    with pytest.raises(ValidationError):
        services.registrar_contacto(caso=caso, actor=operadora, canal=Canal.TELEFONO, nota=" ")


def test_reexpedir_invalida_el_codigo_anterior(nuevo_caso, operadora):
    recibida = nuevo_caso()
    caso = recibida.caso
    nuevo = services.reexpedir_codigo(caso=caso, actor=operadora)
    caso.refresh_from_db()
    assert nuevo != recibida.codigo
    assert not codigos.codigo_coincide(caso.folio, caso.codigo_sal, recibida.codigo)
    assert codigos.codigo_coincide(caso.folio, caso.codigo_sal, nuevo)
    assert caso.eventos.filter(tipo=TipoEvento.CODIGO_REEXPEDIDO, actor=operadora).exists()


def test_una_copia_de_la_base_no_revela_el_codigo(nuevo_caso):
    recibida = nuevo_caso()
    with connection.cursor() as cursor:
        for tabla in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{tabla}"')
            for renglon in cursor.fetchall():
                assert recibida.codigo not in " ".join(str(v) for v in renglon)


def test_cada_recepcion_deja_un_evento(nuevo_caso):
    for _ in range(3):
        nuevo_caso()
    assert Evento.objects.filter(tipo=TipoEvento.RECIBIDA).count() == 3


def test_la_recepcion_no_bloquea_ni_relee_lo_que_acaba_de_insertar(nuevo_caso):
    """Lo que la recepción inserta en su transacción nadie más lo ve hasta el COMMIT: ni el
    candado del proceso ni el del caso, ni releer las partes, la versión del acuse o la
    llave de su aviso hacen falta. Todo queda escrito igual."""
    from django.test.utils import CaptureQueriesContext
    from viewflow.workflow.models import Task

    from flujos.tareas import procesos_de
    from notificaciones.models import Mensaje
    from plantillas.models import Documento, TipoDocumento

    with CaptureQueriesContext(connection) as consultas:
        caso = nuevo_caso().caso
    enunciados = [q["sql"] for q in consultas.captured_queries]
    lecturas = [s for s in enunciados if s.lstrip().upper().startswith("SELECT")]
    assert not [s for s in enunciados if "FOR UPDATE" in s]
    assert not [s for s in lecturas if "casos_parte" in s or "casos_caso" in s]
    assert not [s for s in lecturas if "notificaciones_mensaje" in s]
    assert not [s for s in lecturas if "plantillas_documento" in s]
    assert not [s for s in lecturas if "viewflow_process" in s]
    acuse = Documento.objects.get(caso=caso, tipo=TipoDocumento.ACUSE)
    assert acuse.version == 1
    solicitante = caso.partes.get(rol=RolParte.SOLICITANTE)
    aviso = Mensaje.objects.get(caso=caso, plantilla="acuse")
    assert aviso.parte == solicitante
    assert aviso.llave == f"acuse:{caso.pk}:{solicitante.pk}:sms"
    tareas = Task.objects.filter(process__in=procesos_de(caso)).order_by("pk")
    assert [t.flow_task.name for t in tareas] == ["inicio", "revisar"]
    assert tareas[1].scheduled is not None


def test_el_acuse_de_un_caso_existente_sigue_numerando_sus_versiones(nuevo_caso):
    from plantillas.models import Documento, TipoDocumento

    caso = nuevo_caso().caso
    services.reexpedir_codigo(caso=caso, actor=None)
    versiones = Documento.objects.filter(caso=caso, tipo=TipoDocumento.ACUSE).values_list(
        "version", flat=True
    )
    assert sorted(versiones) == [1, 2]

"""Conservación de los datos personales: qué vence y cuándo (por tipo y resultado, el renglón
preciso sobre «cualquiera»), el simulacro que no cambia nada, el bloqueo y, después, la
supresión que no deja rastro de la persona en ninguna tabla ni archivo sin mover una sola
cifra del tablero; todo idempotente."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from casos.models import (
    Caso,
    CausaConclusion,
    Depuracion,
    Estado,
    Evento,
    EventoARCO,
    Parte,
    PlazoConservacion,
    SolicitudARCO,
    TipoCaso,
    TipoEvento,
)
from casos.services import mediacion as med
from privacidad import conservacion
from privacidad.conservacion import MARCA, MOTIVO_BLOQUEO, depurar
from tests.casos.etapas import AHORA, en

from . import expedientes

pytestmark = pytest.mark.usefixtures("reloj")

HOY = AHORA.date()  # martes 24/11/2026


@pytest.fixture(autouse=True)
def _medios(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "medios"


def _concluido(recibida, *, estado, dia: date):
    caso = getattr(recibida, "caso", recibida)
    Caso.objects.filter(pk=caso.pk).update(
        estado=estado, concluido_en=en(dia), causa_conclusion=CausaConclusion.SIN_ACUERDO
    )
    caso.refresh_from_db()
    return caso


def _foto() -> dict:
    """Todo lo que hay en la base (menos la bitácora de corridas), para ver que nada cambió."""
    foto = {}
    for modelo in apps.get_models():
        if modelo._meta.proxy or modelo is Depuracion or not modelo._meta.managed:
            continue
        foto[modelo._meta.label] = sorted(
            (tuple(sorted((k, str(v)) for k, v in r.items())) for r in modelo.objects.values()),
        )
    return foto


# --- Que toda columna de texto ligada a un expediente esté declarada ------------------------


TEXTO = (models.CharField, models.TextField, models.JSONField, models.FileField)


def _ligados() -> set[type[models.Model]]:
    """Los modelos con una llave (directa o a través de otro) a un caso o a una solicitud."""
    ligados = {Caso, SolicitudARCO}
    cambio = True
    while cambio:
        cambio = False
        for modelo in apps.get_models():
            if modelo in ligados or modelo._meta.proxy:
                continue
            if any(
                f.is_relation and f.concrete and f.related_model in ligados
                for f in modelo._meta.get_fields()
            ):
                ligados.add(modelo)
                cambio = True
    return ligados


def _declaradas(modelo) -> set[str] | None:
    label = modelo._meta.label
    if modelo is Caso:
        return set(conservacion.CASO_SUPRIMIR) | set(conservacion.CASO_CONSERVAR)
    for tabla in conservacion.TABLAS + conservacion.TABLAS_ARCO:
        if tabla.modelo == label:
            return set(tabla.suprimir) | set(tabla.conservar)
        historia = conservacion.historica(tabla.clase)
        if historia is modelo:
            return (
                set(tabla.suprimir)
                | set(tabla.conservar)
                | set(conservacion.HISTORIA_SUPRIMIR)
                | conservacion.HISTORIA_CONSERVAR
            )
    if label in conservacion.SIN_DATOS_PERSONALES:
        return set(conservacion.SIN_DATOS_PERSONALES[label])
    return None


def test_cada_columna_de_texto_ligada_a_un_expediente_se_suprime_o_se_declara_no_personal():
    faltan = []
    for modelo in _ligados():
        if modelo.__name__.endswith("_partes") or modelo._meta.auto_created:
            continue  # tablas intermedias: solo llaves
        textos = {f.name for f in modelo._meta.concrete_fields if isinstance(f, TEXTO)}
        declaradas = _declaradas(modelo)
        if declaradas is None:
            faltan.append(f"{modelo._meta.label} (la tabla entera)")
            continue
        faltan += [f"{modelo._meta.label}.{c}" for c in sorted(textos - declaradas)]
    assert not faltan, "Columnas sin decidir si se suprimen: " + ", ".join(faltan)


def test_lo_declarado_existe_y_cada_tabla_generica_esta():
    for tabla in conservacion.TABLAS + conservacion.TABLAS_ARCO:
        nombres = {f.name for f in tabla.clase._meta.get_fields()}
        assert set(tabla.suprimir) <= nombres, tabla.modelo
        assert set(tabla.conservar) <= nombres, tabla.modelo
        assert not set(tabla.suprimir) & set(tabla.conservar), tabla.modelo
    modelos = {t.modelo for t in conservacion.TABLAS}
    # Ligadas al caso sin llave propia: por el artefacto de viewflow o por la importación.
    assert {"viewflow.Process", "viewflow.Task", "importacion.Importacion"} <= modelos
    assert conservacion.historica(Parte) is not None


def test_los_datos_de_bitacora_conservan_solo_numeros_y_codigos():
    datos = {
        "sesion": 3,
        "fuera_de_plazo": True,
        "causa": "sin_acuerdo",
        "nota": "Habló con Zacarías",
        "antes": {"nombre": "Zacarías"},
        "partes": [1, 2],
        "usos": ["avisos"],
        "casos": ["MED-2026-00001"],
    }
    assert conservacion.datos_anonimos(datos) == {
        "sesion": 3,
        "fuera_de_plazo": True,
        "causa": "sin_acuerdo",
        "partes": [1, 2],
        "usos": ["avisos"],
    }


# --- Qué vence y cuándo --------------------------------------------------------------------


def test_plazos_por_tipo_y_resultado_el_preciso_gana_sobre_cualquiera(nuevo_caso):
    # Sembrados: MED con convenio 2/10, MED sin convenio 2/5, ASE cualquiera 2/5.
    assert PlazoConservacion.objects.count() == 4
    con = _concluido(nuevo_caso(), estado=Estado.CONCLUIDA_CONVENIO, dia=HOY)
    sin = _concluido(nuevo_caso(), estado=Estado.CONCLUIDA_SIN_ACUERDO, dia=HOY)
    ase = _concluido(nuevo_caso(TipoCaso.ASESORIA), estado=Estado.CERRADA, dia=HOY)
    abierto = nuevo_caso().caso
    Caso.objects.filter(pk=abierto.pk).update(concluido_en=en(date(2010, 1, 4)))

    def bloquear(dia):
        return set(conservacion.casos_por_bloquear(dia).values_list("pk", flat=True))

    def suprimir(dia):
        return set(conservacion.casos_por_suprimir(dia).values_list("pk", flat=True))

    # El día antes de cumplir dos años, nada; ese día, los tres (el abierto nunca).
    assert bloquear(date(2028, 11, 23)) == set()
    assert bloquear(date(2028, 11, 24)) == {con.pk, sin.pk, ase.pk}
    assert suprimir(date(2031, 11, 23)) == set()
    assert suprimir(date(2031, 11, 24)) == {sin.pk, ase.pk}
    assert suprimir(date(2036, 11, 24)) == {con.pk, sin.pk, ase.pk}

    # Un renglón preciso para la asesoría sin convenio rige sobre el de «cualquiera».
    PlazoConservacion.objects.create(
        tipo="ASE", resultado="sin_convenio", bloquear_anios=1, suprimir_anios=3, fundamento="x"
    )
    assert bloquear(date(2027, 11, 24)) == {ase.pk}
    assert suprimir(date(2029, 11, 24)) == {ase.pk}
    # Y la mediación con convenio se alarga sin tocar la sin convenio.
    PlazoConservacion.objects.filter(tipo="MED", resultado="con_convenio").update(
        bloquear_anios=3, suprimir_anios=12
    )
    assert bloquear(date(2028, 11, 24)) == {sin.pk, ase.pk}
    assert suprimir(date(2036, 11, 24)) == {sin.pk, ase.pk}


def test_el_29_de_febrero_cumple_el_28(nuevo_caso):
    caso = _concluido(nuevo_caso(), estado=Estado.CONCLUIDA_SIN_ACUERDO, dia=date(2028, 2, 29))
    assert not conservacion.casos_por_bloquear(date(2030, 2, 27)).filter(pk=caso.pk).exists()
    assert conservacion.casos_por_bloquear(date(2030, 2, 28)).filter(pk=caso.pk).exists()


def test_solicitudes_arco_por_su_conclusion(privacidad):
    solicitud = expedientes.solicitud_arco_concluida(privacidad)
    assert not conservacion.solicitudes_por_bloquear(date(2027, 11, 23)).exists()
    assert list(conservacion.solicitudes_por_bloquear(date(2027, 11, 24))) == [solicitud]
    assert not conservacion.solicitudes_por_suprimir(date(2029, 11, 23)).exists()
    assert list(conservacion.solicitudes_por_suprimir(date(2029, 11, 24))) == [solicitud]


# --- Simulacro, bloqueo, supresión, idempotencia -------------------------------------------


def test_el_simulacro_no_cambia_nada_y_dice_que_haria(nuevo_caso, coordinadora):
    sin = _concluido(nuevo_caso(), estado=Estado.CONCLUIDA_SIN_ACUERDO, dia=HOY)
    con = _concluido(nuevo_caso(), estado=Estado.CONCLUIDA_CONVENIO, dia=HOY)
    antes = _foto()
    corrida = depurar(al_dia=date(2032, 1, 1), simulacro=True, actor=coordinadora)
    assert _foto() == antes
    assert corrida.simulacro and corrida.pedida_por == coordinadora and corrida.terminada_en
    assert corrida.detalle["suprimir"] == [sin.folio]
    assert corrida.detalle["bloquear"] == [con.folio]
    assert corrida.suprimidos == 1 and corrida.bloqueados == 1
    # El acuse del caso por suprimir es un archivo que se borraría (aún sin generar: nada).
    assert corrida.detalle["archivos"] == []


def test_bloquea_y_mas_tarde_suprime_una_vez(nuevo_caso, coordinadora):
    caso = _concluido(nuevo_caso(nombre="Zacarías Quetzalcóatl"), estado=Estado.CERRADA, dia=HOY)
    partes = list(caso.partes.all())
    med.actualizar_parte(parte=partes[0], actor=coordinadora, permitir_concluido=True, edad=41)
    # La otra parte ya estaba bloqueada por una cancelación (su motivo, en palabras libres).
    Parte.objects.filter(pk=partes[1].pk).update(
        bloqueada_en=AHORA, bloqueo_motivo="Cancelación que pidió Pedro López"
    )

    primera = depurar(al_dia=date(2029, 1, 1), simulacro=False)
    assert primera.detalle["bloquear"] == [caso.folio] and primera.detalle["suprimir"] == []
    caso.refresh_from_db()
    assert caso.bloqueado_en is not None and caso.suprimido_en is None
    assert [p.bloqueo_motivo for p in caso.partes.all()] == [
        MOTIVO_BLOQUEO,
        "Cancelación que pidió Pedro López",
    ]
    assert all(p.bloqueada_en and p.nombre != MARCA for p in caso.partes.all())
    evento = caso.eventos.get(tipo=TipoEvento.CONSERVACION)
    assert evento.actor is None and evento.actor_descripcion == conservacion.ORIGEN

    # Otra vez el mismo día: nada nuevo.
    foto = _foto()
    assert depurar(al_dia=date(2029, 1, 1), simulacro=False).bloqueados == 0
    assert _foto() == foto

    segunda = depurar(al_dia=date(2032, 1, 1), simulacro=False, actor=coordinadora)
    assert segunda.detalle["suprimir"] == [caso.folio] and segunda.detalle["bloquear"] == []
    caso.refresh_from_db()
    assert caso.suprimido_en is not None and caso.folio  # el folio queda
    assert caso.resumen == MARCA and caso.motivo_conclusion == ""
    for parte in caso.partes.all():
        assert parte.nombre == MARCA and parte.telefono == "" and parte.domicilio == ""
        assert parte.edad is None and parte.suprimida_en is not None
        assert parte.bloqueo_motivo == MOTIVO_BLOQUEO
        for version in parte.history.all():
            assert version.nombre == MARCA and version.edad is None
    # La bitácora queda con el nombre de cada tipo de evento, sin notas ni valores anteriores.
    for evento in caso.eventos.all():
        assert evento.descripcion == str(TipoEvento(evento.tipo).label) or (
            evento.tipo == TipoEvento.CONSERVACION
        )
        assert "Zacar" not in str(evento.datos)
    assert caso.eventos.filter(tipo=TipoEvento.CONSERVACION).count() == 2

    foto = _foto()
    tercera = depurar(al_dia=date(2040, 1, 1), simulacro=False)
    assert tercera.bloqueados == tercera.suprimidos == 0
    assert _foto() == foto


def test_un_caso_que_vence_de_golpe_queda_bloqueado_y_suprimido(nuevo_caso):
    caso = _concluido(nuevo_caso(), estado=Estado.CONCLUIDA_SIN_ACUERDO, dia=HOY)
    corrida = depurar(al_dia=date(2035, 1, 1), simulacro=False)
    caso.refresh_from_db()
    assert corrida.detalle["suprimir"] == [caso.folio]
    assert caso.bloqueado_en and caso.suprimido_en
    assert all(p.bloqueada_en and p.suprimida_en for p in caso.partes.all())


def test_los_casos_abiertos_y_los_recientes_no_se_tocan(nuevo_caso):
    abierto = nuevo_caso().caso
    reciente = _concluido(nuevo_caso(), estado=Estado.CONCLUIDA_SIN_ACUERDO, dia=date(2034, 6, 1))
    depurar(al_dia=date(2035, 1, 1), simulacro=False)
    for caso in (abierto, reciente):
        caso.refresh_from_db()
        assert caso.bloqueado_en is None and caso.suprimido_en is None
        assert caso.partes.first().nombre != MARCA


def test_la_solicitud_arco_vencida_se_anonimiza(privacidad):
    solicitud = expedientes.solicitud_arco_concluida(privacidad)
    depurar(al_dia=date(2028, 1, 1), simulacro=False)
    solicitud.refresh_from_db()
    assert solicitud.bloqueada_en and not solicitud.suprimida_en
    assert solicitud.nombre == "Eustaquio Wenceslao Pantoja"
    depurar(al_dia=date(2030, 1, 1), simulacro=False)
    solicitud.refresh_from_db()
    assert solicitud.suprimida_en and solicitud.folio.startswith("ARCO-")
    assert solicitud.nombre == MARCA and solicitud.descripcion == MARCA
    assert solicitud.domicilio == solicitud.respuesta == ""
    assert not solicitud.partes.exists()
    assert "Pantoja" not in " ".join(
        EventoARCO.objects.filter(solicitud=solicitud).values_list("descripcion", flat=True)
    )


def test_corre_por_lotes(nuevo_caso, monkeypatch):
    monkeypatch.setattr(conservacion, "LOTE", 2)
    casos = [
        _concluido(nuevo_caso(), estado=Estado.CONCLUIDA_SIN_ACUERDO, dia=HOY) for _ in range(5)
    ]
    corrida = depurar(al_dia=date(2035, 1, 1), simulacro=False)
    assert corrida.suprimidos == 5
    assert sorted(corrida.detalle["suprimir"]) == sorted(c.folio for c in casos)
    assert Parte.objects.filter(nombre=MARCA).count() == 10


# --- Sin rastro de la persona, con las mismas cifras -----------------------------------------


def test_no_queda_ningun_dato_personal_y_las_cifras_no_cambian(
    nuevo_caso,
    coordinadora,
    certificado,
    sala,
    reloj,
    asesor,
    privacidad,
    django_capture_on_commit_callbacks,
):
    mediacion = expedientes.mediacion_con_convenio(
        nuevo_caso, coordinadora, certificado, sala, reloj
    )
    asesoria = expedientes.asesoria_resuelta(nuevo_caso, coordinadora, asesor)
    expedientes.solicitud_arco_concluida(privacidad)
    # Las huellas están en la base y en los PDF: la búsqueda de abajo sí encuentra.
    antes = expedientes.encontradas()
    assert set(antes) == {expedientes.sin_acentos(h) for h in expedientes.HUELLAS}, antes
    assert "casos_historicalparte.nombre" in antes["quetzalcoatl"]
    assert expedientes.en_archivos().get("quetzalcoatl")
    generados = expedientes.archivos()
    assert Evento.objects.filter(caso=mediacion, tipo=TipoEvento.DATOS_PARTE).exists()

    reloj.move_to(expedientes.DIA_DE_SUPRESION.isoformat() + "T10:00-06:00")
    from estadistica import resumen

    resumen.rehacer()
    cifras = expedientes.cifras()
    simulacro = depurar(al_dia=expedientes.DIA_DE_SUPRESION, simulacro=True)
    assert sorted(simulacro.detalle["suprimir"]) == sorted([mediacion.folio, asesoria.folio])
    assert len(simulacro.detalle["archivos"]) == len(generados) > 0
    assert expedientes.encontradas() == antes

    with django_capture_on_commit_callbacks(execute=True):
        corrida = depurar(al_dia=expedientes.DIA_DE_SUPRESION, simulacro=False)
    assert corrida.archivos == len(generados)
    assert expedientes.encontradas() == {}
    assert expedientes.en_archivos() == {}
    assert expedientes.archivos() == []
    # Las cifras del tablero, las mismas (y también tras recalcular lo que cambió).
    assert expedientes.cifras() == cifras
    resumen.refrescar()
    assert expedientes.cifras() == cifras
    resumen.rehacer()
    assert expedientes.cifras() == cifras


# --- La orden y la tarea -----------------------------------------------------------------


def test_la_orden_en_simulacro_y_de_verdad(nuevo_caso, capsys):
    caso = _concluido(nuevo_caso(), estado=Estado.CONCLUIDA_SIN_ACUERDO, dia=HOY)
    call_command("depurar_conservacion", "--simulacro", "--al", "2032-01-01")
    salida = capsys.readouterr().out
    assert "Simulacro con los plazos al 01/01/2032: no se cambió nada." in salida
    assert f"Se suprimirían 1 expedientes: {caso.folio}." in salida
    caso.refresh_from_db()
    assert caso.suprimido_en is None
    call_command("depurar_conservacion", "--al", "2032-01-01")
    salida = capsys.readouterr().out
    assert f"Se suprimieron 1 expedientes: {caso.folio}." in salida
    caso.refresh_from_db()
    assert caso.suprimido_en is not None


def test_la_orden_rechaza_una_fecha_mal_escrita():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="AAAA-MM-DD"):
        call_command("depurar_conservacion", "--al", "1/1/2032")


def test_la_tarea_diaria_corre_con_la_fecha_de_hoy(nuevo_caso, reloj, settings):
    from privacidad.tasks import depurar_conservacion

    entrada = settings.CELERY_BEAT_SCHEDULE["conservacion-de-datos"]
    assert entrada["task"] == "privacidad.tasks.depurar_conservacion"
    caso = _concluido(nuevo_caso(), estado=Estado.CONCLUIDA_SIN_ACUERDO, dia=HOY)
    reloj.move_to(AHORA + timedelta(days=365 * 5 + 2))
    corrida = Depuracion.objects.get(pk=depurar_conservacion())
    assert corrida.al_dia == (AHORA + timedelta(days=365 * 5 + 2)).date()
    assert corrida.detalle["suprimir"] == [caso.folio]

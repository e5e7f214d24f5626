"""Las cifras de los plazos son datos fechados (`ValorDePlazo`, `casos.cifras`): a cada caso le
rigen las vigentes el día (hora de México) en que se recibió; sin renglón, `settings.PLAZOS`.
Reloj detenido en el martes 24/11/2026 10:00 de México."""

import importlib
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython
from django.test.utils import CaptureQueriesContext

from casos import cifras, plazos
from casos.models import (
    DEFINICIONES_PLAZO,
    PUBLICACION_LGMASC,
    ClavePlazo,
    Estado,
    TipoEvento,
    UnidadPlazo,
    ValorDePlazo,
)
from casos.services import mediacion as med
from casos.services import plazos as servicio
from nucleo import memoria
from tests.casos.etapas import MX, admitido, con_cifra, en

pytestmark = pytest.mark.usefixtures("reloj")

INVITACION = ClavePlazo.INVITACION_DIAS_HABILES
MIERCOLES = date(2026, 11, 25)


def _cifra_nueva(actor, clave=INVITACION, valor=7, desde=MIERCOLES, **extra):
    return servicio.registrar_cifra(
        clave=clave,
        valor=valor,
        vigente_desde=desde,
        motivo="Reforma a la ley estatal de justicia alternativa.",
        actor=actor,
        **extra,
    )


# --- Instalación nueva ----------------------------------------------------------------------


def test_cada_plazo_de_los_ajustes_tiene_su_definicion():
    from django.conf import settings

    assert set(DEFINICIONES_PLAZO) == set(settings.PLAZOS) == set(ClavePlazo.values)


def _datos_de_la_migracion(nombre: str) -> None:
    """Las operaciones de datos (RunPython) de una migración de `casos`, en su orden y con los
    modelos históricos de esa altura, como las corre `migrate`; el esquema ya está (ninguna
    de estas usa el editor de esquema)."""
    estado = MigrationExecutor(connection).loader.project_state(("casos", nombre))
    migracion = importlib.import_module(f"casos.migrations.{nombre}").Migration
    operaciones = [o for o in migracion.operations if isinstance(o, RunPython)]
    assert operaciones, nombre
    for operacion in operaciones:
        operacion.code(estado.apps, None)


@pytest.mark.django_db
def test_la_migracion_crea_un_renglon_por_plazo_con_las_cifras_de_los_ajustes(settings):
    """La migración de datos lee `settings.PLAZOS` (las variables de entorno) en el momento
    en que corre: así una instalación nueva funciona sin capturar nada."""
    settings.PLAZOS = {**settings.PLAZOS, "INVITACION_DIAS_HABILES": 4}
    ValorDePlazo.objects.all().delete()
    _datos_de_la_migracion("0014_plazos_como_datos")
    renglones = {v.clave: v for v in ValorDePlazo.objects.all()}
    _datos_de_la_migracion("0022_privacidad")

    # Los de los derechos ARCO llegaron con su propia migración (0022).
    assert ValorDePlazo.objects.count() == len(ClavePlazo.values) == 18
    assert set(renglones) == {c for c in ClavePlazo.values if not c.startswith("ARCO_")}
    assert len(renglones) == 12
    for clave, renglon in renglones.items():
        assert renglon.valor == settings.PLAZOS[clave], clave
        assert renglon.vigente_desde == PUBLICACION_LGMASC == date(2024, 1, 26)
        assert renglon.unidad == DEFINICIONES_PLAZO[clave].unidad
        assert renglon.etiqueta and renglon.fundamento and renglon.motivo
    assert renglones[INVITACION].valor == 4
    assert renglones[INVITACION].fundamento == "LGMASC art. 69"
    assert renglones["DURACION_MAXIMA_MESES"].unidad == UnidadPlazo.MESES
    # La coordinación administra las cifras.
    permisos = set(
        Group.objects.get(name="coordinador").permissions.values_list("codename", flat=True)
    )
    assert {"add_valordeplazo", "change_valordeplazo", "view_valordeplazo"} <= permisos


def test_sembrar_las_cifras_es_idempotente(db):
    from django.apps import apps

    from casos.catalogos import sembrar_plazos

    ValorDePlazo.objects.filter(clave=INVITACION).delete()
    assert sembrar_plazos(apps) == 1
    assert sembrar_plazos(apps) == 0
    assert ValorDePlazo.objects.filter(clave=INVITACION).count() == 1


def test_sin_renglon_para_un_plazo_manda_la_cifra_de_los_ajustes(
    nuevo_caso, coordinadora, certificado, settings
):
    ValorDePlazo.objects.filter(clave=INVITACION).delete()
    settings.PLAZOS = {**settings.PLAZOS, "INVITACION_DIAS_HABILES": 8}
    caso = nuevo_caso().caso
    admitido(caso, coordinadora, certificado)
    caso.refresh_from_db()

    cifra = cifras.del_caso(INVITACION, caso)
    assert (cifra.valor, cifra.vigente_desde, cifra.fundamento) == (8, None, "LGMASC art. 69")
    # 24/11 + 8 días hábiles.
    assert plazos.invitacion_vence_el(caso) == date(2026, 12, 4)
    # Los demás plazos siguen en la base.
    assert cifras.del_caso("DURACION_MAXIMA_MESES", caso).vigente_desde == PUBLICACION_LGMASC


def test_sin_renglon_vigente_a_la_fecha_del_caso_tambien_mandan_los_ajustes(nuevo_caso):
    caso = nuevo_caso(recibido_en=datetime(2023, 6, 1, 10, tzinfo=MX)).caso
    assert cifras.del_caso(INVITACION, caso) == cifras.de_los_ajustes(INVITACION)


# --- Una cifra nueva rige desde su fecha -----------------------------------------------------


def test_la_cifra_nueva_rige_a_los_casos_recibidos_desde_su_fecha_y_no_a_los_de_antes(
    nuevo_caso, coordinadora, certificado, reloj
):
    antes = nuevo_caso().caso  # martes 24/11
    _cifra_nueva(coordinadora)  # 7 días hábiles desde el miércoles 25/11
    # Capturado ya el miércoles, pero recibido el martes a las 23:30 de México (el miércoles
    # en UTC): rige la fecha de México.
    reloj.move_to(en(MIERCOLES, 9))
    tarde = nuevo_caso(recibido_en=datetime(2026, 11, 24, 23, 30, tzinfo=MX)).caso
    despues = nuevo_caso().caso
    for caso in (antes, tarde, despues):
        admitido(caso, coordinadora, certificado)
        caso.refresh_from_db()

    # Admitidos el 25/11: +5 hábiles es el 02/12; +7, el 04/12.
    assert plazos.invitacion_vence_el(antes) == date(2026, 12, 2)
    assert plazos.invitacion_vence_el(tarde) == date(2026, 12, 2)
    assert plazos.invitacion_vence_el(despues) == date(2026, 12, 4)
    assert plazos.plazo(INVITACION, caso=antes) == 5
    assert plazos.plazo(INVITACION, caso=despues) == 7
    # Sin caso (p. ej. las bandejas): la de hoy.
    assert plazos.plazo(INVITACION, caso=None) == 7
    # Los plazos que no cambiaron siguen igual para ambos.
    assert plazos.procedimiento_vence_el(antes) == plazos.procedimiento_vence_el(despues)


def test_una_cifra_futura_aun_no_rige_a_nadie(nuevo_caso, coordinadora):
    _cifra_nueva(coordinadora, desde=date(2027, 1, 4))
    caso = nuevo_caso().caso
    assert plazos.plazo(INVITACION, caso=caso) == 5
    assert plazos.plazo(INVITACION, caso=None) == 5


def test_el_limite_de_intentos_y_de_diferimientos_sigue_la_cifra_del_caso(
    nuevo_caso, coordinadora, certificado, reloj
):
    from casos.models import RespuestaInvitacion
    from tests.casos.etapas import invitado

    antes = nuevo_caso().caso
    _cifra_nueva(coordinadora, clave=ClavePlazo.INVITACION_INTENTOS, valor=1)
    reloj.move_to(en(MIERCOLES, 10))
    despues = nuevo_caso().caso
    for caso in (antes, despues):
        admitido(caso, coordinadora, certificado)
        invitado(caso, certificado, RespuestaInvitacion.SIN_RESPUESTA)
        caso.refresh_from_db()
    assert antes.estado == Estado.INVITACION  # le quedan intentos (3)
    assert despues.estado == Estado.CONCLUIDA_SIN_ACUERDO  # un solo intento


# --- Validación, en español -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("clave", "valor", "mensaje"),
    [
        (
            ClavePlazo.DURACION_MAXIMA_MESES,
            0,
            "«Duración máxima del procedimiento» admite de 1 mes a 36 meses; se escribió 0.",
        ),
        (
            ClavePlazo.DIFERIMIENTOS_MAXIMOS,
            0,
            "«Diferimientos de una sesión» admite de 1 vez a 10 veces; se escribió 0.",
        ),
        (
            INVITACION,
            400,
            "«Invitación a la otra parte» admite de 0 días hábiles a 365 días hábiles; "
            "se escribió 400.",
        ),
    ],
)
def test_la_cifra_fuera_de_rango_se_rechaza_con_su_explicacion(coordinadora, clave, valor, mensaje):
    with pytest.raises(ValidationError) as error:
        _cifra_nueva(coordinadora, clave=clave, valor=valor)
    assert error.value.message_dict["valor"] == [mensaje]
    assert not ValorDePlazo.objects.filter(vigente_desde=MIERCOLES).exists()


def test_cero_dias_habiles_si_se_admite_como_en_los_ajustes(coordinadora):
    assert _cifra_nueva(coordinadora, valor=0).valor == 0


def test_una_cifra_negativa_se_rechaza_en_espanol(coordinadora):
    with pytest.raises(ValidationError) as error:
        _cifra_nueva(coordinadora, valor=-1)
    assert "mayor o igual a 0" in " ".join(error.value.message_dict["valor"])


def test_la_vigencia_no_empieza_en_el_pasado(coordinadora):
    with pytest.raises(ValidationError) as error:
        _cifra_nueva(coordinadora, desde=date(2026, 11, 23))
    assert error.value.message_dict["vigente_desde"] == [
        "La vigencia no puede empezar antes de hoy: los casos ya recibidos conservan sus "
        "plazos. Para aplicar las cifras de hoy a casos abiertos, use «Recalcular plazos»."
    ]


def test_hoy_solo_si_hoy_no_se_ha_recibido_ningun_caso(coordinadora, nuevo_caso):
    hoy = date(2026, 11, 24)
    assert _cifra_nueva(coordinadora, desde=hoy).vigente_desde == hoy
    nuevo_caso()
    with pytest.raises(ValidationError) as error:
        _cifra_nueva(coordinadora, clave=ClavePlazo.INVITACION_INTENTOS, valor=2, desde=hoy)
    assert error.value.message_dict["vigente_desde"] == [
        "Hoy ya se recibieron casos con las cifras actuales: la nueva puede regir desde mañana "
        "(o recalcule después los plazos de los casos de hoy)."
    ]


def test_sin_motivo_no_se_registra(coordinadora):
    with pytest.raises(ValidationError) as error:
        servicio.registrar_cifra(
            clave=INVITACION, valor=7, vigente_desde=MIERCOLES, motivo="  ", actor=coordinadora
        )
    assert error.value.message_dict["motivo"] == ["Escriba el motivo de la nueva cifra."]


def test_la_cifra_que_ya_rige_no_se_modifica_y_la_futura_si(coordinadora, nuevo_caso, reloj):
    futura = _cifra_nueva(coordinadora)
    futura.valor = 6
    futura.full_clean()
    futura.save()
    assert not futura.ya_rige()
    reloj.move_to(en(MIERCOLES, 10))
    nuevo_caso()
    assert futura.ya_rige()
    futura.valor = 9
    with pytest.raises(ValidationError) as error:
        futura.full_clean()
    assert error.value.messages == [
        "Esta cifra ya rige casos y no se modifica: registre una nueva con su fecha de vigencia."
    ]


def test_nombre_y_fundamento_vacios_se_heredan_y_la_unidad_es_la_del_plazo(coordinadora):
    nueva = _cifra_nueva(coordinadora)
    assert (nueva.etiqueta, nueva.fundamento, nueva.unidad) == (
        "Invitación a la otra parte",
        "LGMASC art. 69",
        UnidadPlazo.DIAS_HABILES,
    )
    propia = _cifra_nueva(
        coordinadora,
        desde=MIERCOLES + timedelta(days=7),
        fundamento="Ley de Justicia Alternativa de Jalisco, art. 30",
    )
    assert propia.fundamento == "Ley de Justicia Alternativa de Jalisco, art. 30"
    siguiente = _cifra_nueva(coordinadora, valor=8, desde=MIERCOLES + timedelta(days=14))
    assert siguiente.fundamento == propia.fundamento
    assert str(siguiente) == "Invitación a la otra parte: 8 días hábiles desde el 09/12/2026"
    assert nueva.creado_por == coordinadora and nueva.creado_en is not None


# --- La tabla en memoria: una consulta, y se olvida a tiempo ---------------------------------


def test_la_tabla_se_lee_una_vez_para_cualquier_numero_de_casos(nuevo_caso):
    casos = [nuevo_caso().caso for _ in range(5)]
    cifras.olvidar()
    with CaptureQueriesContext(connection) as consultas:
        for caso in casos:
            for clave in ClavePlazo.values:
                cifras.del_caso(clave, caso)
    assert len(consultas) == 1


def test_guardar_una_cifra_la_ve_al_instante_y_la_de_otro_proceso_a_los_pocos_segundos(
    coordinadora, reloj, monkeypatch
):
    instante = [1000.0]
    monkeypatch.setattr(memoria.time, "monotonic", lambda: instante[0])
    assert plazos.plazo(INVITACION, caso=None) == 5
    con_cifra(INVITACION, 6, desde=date(2026, 11, 24))
    assert plazos.plazo(INVITACION, caso=None) == 6  # guardada aquí: se olvidó la tabla
    # Otro proceso la cambia (aquí, sin señales): este la ve cuando vence lo que guardó.
    ValorDePlazo.objects.filter(clave=INVITACION, valor=6).update(valor=4)
    instante[0] += memoria.SEGUNDOS - 1
    assert plazos.plazo(INVITACION, caso=None) == 6
    instante[0] += 2
    assert plazos.plazo(INVITACION, caso=None) == 4


def test_cada_tarea_de_celery_empieza_con_la_tabla_de_la_base(coordinadora):
    from celery.signals import task_prerun

    assert plazos.plazo(INVITACION, caso=None) == 5
    ValorDePlazo.objects.filter(clave=INVITACION).update(valor=3)
    task_prerun.send(sender=None, task_id="x", task=None)
    assert plazos.plazo(INVITACION, caso=None) == 3


# --- Aplicar las cifras de hoy a un caso (la parte del expediente del recálculo) ------------


def test_aplicar_las_cifras_de_hoy_cambia_la_fecha_y_deja_el_evento(
    nuevo_caso, coordinadora, certificado, reloj
):
    caso = nuevo_caso().caso
    admitido(caso, coordinadora, certificado)
    _cifra_nueva(coordinadora)
    reloj.move_to(en(MIERCOLES, 10))
    caso.refresh_from_db()
    (diferencia,) = cifras.diferencias_con_hoy(caso)
    assert diferencia.descripcion == ("Invitación a la otra parte: 5 días hábiles → 7 días hábiles")

    aplicadas = servicio.aplicar_cifras_de_hoy(
        caso=caso, actor=coordinadora, motivo="Reforma publicada"
    )

    caso.refresh_from_db()
    assert (aplicadas.antes, aplicadas.ahora) == (date(2026, 11, 24), MIERCOLES)
    assert caso.plazos_segun == MIERCOLES and cifras.fecha_de_plazos(caso) == MIERCOLES
    assert plazos.invitacion_vence_el(caso) == date(2026, 12, 3)  # 24/11 + 7 hábiles
    assert cifras.diferencias_con_hoy(caso) == []
    evento = caso.eventos.get(tipo=TipoEvento.PLAZOS_RECALCULADOS)
    assert evento.actor == coordinadora and not evento.publico
    assert evento.datos["cambios"] == [
        {
            "clave": "INVITACION_DIAS_HABILES",
            "antes": 5,
            "ahora": 7,
            "fundamento_antes": "LGMASC art. 69",
            "fundamento_ahora": "LGMASC art. 69",
        }
    ]
    assert (evento.datos["antes"], evento.datos["ahora"]) == ("2026-11-24", "2026-11-25")
    assert "5 días hábiles → 7 días hábiles" in evento.descripcion
    assert "Reforma publicada" in evento.descripcion


def test_aplicar_a_un_caso_que_ya_sigue_las_de_hoy_no_cambia_nada(nuevo_caso, coordinadora):
    caso = nuevo_caso().caso
    aplicadas = servicio.aplicar_cifras_de_hoy(caso=caso, actor=coordinadora, motivo="Revisión")
    caso.refresh_from_db()
    assert aplicadas.cambios == [] and caso.plazos_segun is None
    assert not caso.eventos.filter(tipo=TipoEvento.PLAZOS_RECALCULADOS).exists()


def test_un_caso_concluido_no_se_recalcula(nuevo_caso, coordinadora, reloj):
    caso = nuevo_caso().caso
    med.no_admitir(caso=caso, actor=coordinadora, motivo="No es mediable.")
    _cifra_nueva(coordinadora)
    reloj.move_to(en(MIERCOLES, 10))
    with pytest.raises(ValidationError, match="ya concluyó"):
        servicio.aplicar_cifras_de_hoy(caso=caso, actor=coordinadora, motivo="Reforma")
    with pytest.raises(ValidationError) as error:
        servicio.aplicar_cifras_de_hoy(caso=caso, actor=coordinadora, motivo="")
    assert error.value.message_dict["motivo"] == ["Escriba el motivo del recálculo."]


# --- Administración ---------------------------------------------------------------------------


@pytest.fixture
def en_el_admin(client, coordinadora):
    # En la administración de la oficina: la coordinación entra sin ser staff.
    client.force_login(coordinadora)
    return client


def _alta(client, **datos):
    return client.post(
        "/oficina/casos/valordeplazo/add/",
        {
            "clave": INVITACION,
            "valor": "7",
            "vigente_desde": "2026-11-25",
            "etiqueta": "",
            "fundamento": "",
            "motivo": "Acuerdo de la dirección.",
            **datos,
        },
    )


def test_la_coordinacion_registra_una_cifra_en_la_administracion(en_el_admin, coordinadora):
    assert en_el_admin.get("/oficina/casos/valordeplazo/").status_code == 200
    formulario = en_el_admin.get("/oficina/casos/valordeplazo/add/").content.decode()
    assert 'value="25/11/2026"' in formulario  # por omisión, desde mañana
    assert _alta(en_el_admin).status_code == 302
    nueva = ValorDePlazo.objects.get(vigente_desde=MIERCOLES)
    assert (nueva.valor, nueva.creado_por, nueva.fundamento) == (7, coordinadora, "LGMASC art. 69")

    rechazada = _alta(en_el_admin, valor="0", clave="DURACION_MAXIMA_MESES")
    assert rechazada.status_code == 200
    assert "admite de 1 mes a 36 meses" in rechazada.content.decode()
    pasada = _alta(en_el_admin, vigente_desde="2026-11-01")
    assert "La vigencia no puede empezar antes de hoy" in pasada.content.decode()


def test_la_cifra_que_ya_rige_no_se_edita_ni_se_borra_en_la_administracion(en_el_admin):
    inicial = ValorDePlazo.objects.get(clave=INVITACION)
    cambio = f"/oficina/casos/valordeplazo/{inicial.pk}/change/"
    assert en_el_admin.get(cambio).status_code == 200  # se consulta
    assert en_el_admin.post(cambio, {"valor": "9"}).status_code == 403
    assert en_el_admin.post(f"/oficina/casos/valordeplazo/{inicial.pk}/delete/").status_code == 403
    lista = en_el_admin.get("/oficina/casos/valordeplazo/").content.decode()
    assert "delete_selected" not in lista
    inicial.refresh_from_db()
    assert inicial.valor == 5

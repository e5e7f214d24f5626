"""Consultas compiladas una vez por proceso (`nucleo.compiladas`): dan lo mismo que el ORM con
cualquier valor, con sus conversiones (fechas con zona también en SQLite), y se niegan a
guardarse si un marcador no llega al SQL."""

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casos.models import Caso, EsperaCiudadano, TipoCaso
from nucleo.compiladas import Compilada, MarcadorAusente

pytestmark = pytest.mark.django_db


def _armar(folio, minimo):
    return (
        Caso.objects.filter(folio=folio, pk__gte=minimo)
        .annotate(con_pausas=Exists(EsperaCiudadano.objects.filter(caso=OuterRef("pk"))))
        .order_by()
        .values_list("id", "folio", "recibido_en", "con_pausas", "categoria__nombre")
    )


def test_da_lo_mismo_que_el_orm_con_cada_valor_y_arma_el_sql_una_vez(nuevo_caso):
    casos = [nuevo_caso(TipoCaso.ASESORIA).caso for _ in range(3)]
    EsperaCiudadano.objects.create(caso=casos[1], motivo="Copia", desde=timezone.now())
    compilada = Compilada(_armar, "\x00folio\x00", -(2**61) + 17)
    armados = []
    original = compilada._armar
    compilada._armar = lambda *m: armados.append(m) or original(*m)

    for caso in casos:
        esperadas = list(_armar(caso.folio, casos[0].pk))
        with CaptureQueriesContext(connection) as capturadas:
            filas = compilada.filas(caso.folio, casos[0].pk)
        assert filas == esperadas and len(capturadas) == 1
        assert timezone.is_aware(filas[0][2])
    assert [f[3] for f in compilada.filas(casos[1].folio, 0)] == [True]
    assert compilada.filas(casos[0].folio, casos[0].pk + 1) == []
    assert compilada.filas("ASE-2026-99999", 0) == []
    assert len(armados) == 1


def test_un_marcador_que_no_llega_al_sql_se_rechaza(db):
    # Un filtro imposible que el ORM resuelve sin preguntarle a la base: el marcador se pierde.
    vacia = Compilada(lambda pks: Caso.objects.filter(pk__in=pks).values_list("id"), [])
    with pytest.raises(MarcadorAusente):
        vacia.filas([1])
    # Un valor que el ORM convierte antes de pasarlo: no se encontraría en los parámetros.
    convertida = Compilada(lambda folio: Caso.objects.filter(folio=folio).values_list("id"), 7)
    with pytest.raises(MarcadorAusente):
        convertida.filas("MED-2026-00001")


def test_los_modelos_traen_sus_relaciones_anotaciones_y_diferidos_como_el_queryset(nuevo_caso):
    casos = [nuevo_caso(TipoCaso.ASESORIA).caso for _ in range(2)]
    EsperaCiudadano.objects.create(caso=casos[1], motivo="Copia", desde=timezone.now())

    def armar(folio):
        return (
            Caso.objects.filter(folio=folio)
            .select_related("categoria", "localidad")
            .annotate(con_pausas=Exists(EsperaCiudadano.objects.filter(caso=OuterRef("pk"))))
            .only("folio", "estado", "categoria__nombre", "localidad__nombre")
        )

    compilada = Compilada(armar, "\x00folio\x00")
    for caso in casos:
        (esperado,) = armar(caso.folio)
        (obtenido,) = compilada.modelos(caso.folio)
        assert obtenido == esperado and obtenido.con_pausas == esperado.con_pausas
        assert obtenido.get_deferred_fields() == esperado.get_deferred_fields()
        with CaptureQueriesContext(connection) as capturadas:
            nombres = (obtenido.categoria.nombre, obtenido.localidad.nombre, obtenido.folio)
        assert len(capturadas) == 0
        assert nombres == (esperado.categoria.nombre, esperado.localidad.nombre, caso.folio)
    assert [
        c.con_pausas
        for c in (compilada.modelos(casos[0].folio) + compilada.modelos(casos[1].folio))
    ] == [False, True]
    assert compilada.modelos("ASE-2026-99999") == []
    with pytest.raises(TypeError):
        Compilada(lambda f: Caso.objects.filter(folio=f).values_list("id"), "x").modelos("y")


@pytest.mark.postgres
def test_en_postgresql_la_lectura_repetida_se_prepara_una_vez_en_la_conexion(nuevo_caso):
    casos = [nuevo_caso().caso for _ in range(7)]
    compilada = Compilada(
        lambda folio: Caso.objects.filter(folio=folio).values_list("id", "folio"), "\x00folio\x00"
    )

    def preparadas() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ["%casos_caso%folio%"],
            )
            return cursor.fetchone()[0]

    antes = preparadas()
    for caso in casos:  # el mismo SQL con otro folio cada vez
        assert compilada.filas(caso.folio) == [(caso.pk, caso.folio)]
    assert preparadas() == antes + 1


class _PlanViejo(Exception):
    sqlstate = "0A000"

    def __str__(self):
        return "cached plan must not change result type"


def _fallar_una_vez(monkeypatch):
    """El primer enunciado que no sea DEALLOCATE falla como falla PostgreSQL con una sentencia
    preparada cuya columna migró otro proceso."""
    from django.db import NotSupportedError
    from django.db.backends import utils

    original = utils.CursorWrapper.execute
    vistos = []

    def execute(self, sql, params=None):
        vistos.append(sql)
        if len(vistos) == 1:
            try:
                raise _PlanViejo()
            except _PlanViejo as causa:
                raise NotSupportedError(str(causa)) from causa
        return original(self, sql, params)

    monkeypatch.setattr(utils.CursorWrapper, "execute", execute)
    monkeypatch.setattr(utils.CursorDebugWrapper, "execute", execute)
    return vistos


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_una_sentencia_preparada_vieja_se_suelta_y_se_repite_una_vez(monkeypatch):
    from nucleo.compiladas import ejecutar_preparado

    vistos = _fallar_una_vez(monkeypatch)
    assert ejecutar_preparado("SELECT %s::int", [7]) == [(7,)]
    assert vistos == ["SELECT %s::int", "DEALLOCATE ALL", "SELECT %s::int"]


@pytest.mark.django_db
def test_dentro_de_una_transaccion_el_plan_viejo_se_propaga(monkeypatch):
    from django.db import NotSupportedError

    from nucleo.compiladas import ejecutar_preparado

    vistos = _fallar_una_vez(monkeypatch)
    with pytest.raises(NotSupportedError):
        ejecutar_preparado("SELECT 7", [])
    assert vistos == ["SELECT 7"]

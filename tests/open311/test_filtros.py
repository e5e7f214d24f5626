"""GET requests: filtros del spec, ventana de 90 días y tope de resultados."""

from datetime import timedelta

import pytest

from casos.models import Caso, Categoria, TipoCaso
from casos.services import mediacion as med
from open311 import selectors
from tests.casos.etapas import AHORA

from .ayudas import folio_de, ident, leer, url


@pytest.fixture
def casos(reloj, nuevo_caso, coordinadora):
    """Seis casos: dos de mediación (uno cerrado), dos de asesoría, uno viejo y uno más viejo."""
    categoria_med = Categoria.objects.filter(tipo="MED").order_by("pk")[1]
    hechos = {
        "med": nuevo_caso(recibido_en=AHORA - timedelta(days=1)).caso,
        "med_cerrado": nuevo_caso(
            categoria=categoria_med, recibido_en=AHORA - timedelta(days=2)
        ).caso,
        "ase": nuevo_caso(TipoCaso.ASESORIA, recibido_en=AHORA - timedelta(days=3)).caso,
        "ase2": nuevo_caso(TipoCaso.ASESORIA, recibido_en=AHORA - timedelta(days=40)).caso,
        "viejo": nuevo_caso(recibido_en=AHORA - timedelta(days=100)).caso,
        "muy_viejo": nuevo_caso(recibido_en=AHORA - timedelta(days=400)).caso,
    }
    med.no_admitir(caso=hechos["med_cerrado"], actor=coordinadora, motivo="No es mediable.")
    return hechos


def folios(client, **parametros) -> list[str]:
    """Los folios de los casos que responde `GET requests` (publica sus identificadores)."""
    respuesta = client.get(url("open311:solicitudes"), parametros)
    assert respuesta.status_code == 200, respuesta.content
    return [folio_de(r["service_request_id"]) for r in leer(respuesta)]


def test_por_omision_los_ultimos_90_dias_mas_recientes_primero(client, casos):
    assert folios(client) == [casos[n].folio for n in ("med", "med_cerrado", "ase", "ase2")]


def test_por_estado(client, casos):
    assert folios(client, status="closed") == [casos["med_cerrado"].folio]
    abiertos = [casos[n].folio for n in ("med", "ase", "ase2")]
    assert folios(client, status="open") == abiertos
    assert len(folios(client, status="open,closed")) == 4
    assert len(folios(client, status="OPEN, closed")) == 4


def test_estado_desconocido_da_400(client, casos):
    respuesta = client.get(url("open311:solicitudes"), {"status": "open,pendiente"})
    assert respuesta.status_code == 400
    (error,) = leer(respuesta)
    assert error["code"] == 400 and "pendiente" in error["description"]


def test_por_tipo_de_servicio(client, casos):
    ase = casos["ase"]
    codigo = f"ASE-{ase.categoria_id}"
    assert folios(client, service_code=codigo) == [ase.folio, casos["ase2"].folio]
    med_cod = f"MED-{casos['med'].categoria_id}"
    cerrado = f"MED-{casos['med_cerrado'].categoria_id}"
    assert folios(client, service_code=f"{med_cod},{cerrado}") == [
        casos["med"].folio,
        casos["med_cerrado"].folio,
    ]
    # El tipo cuenta: la misma categoría en el otro tipo no coincide.
    assert folios(client, service_code=f"MED-{ase.categoria_id}") == []
    assert folios(client, service_code="basura") == []
    assert len(folios(client, service_code="")) == 4


def test_por_fechas(client, casos):
    assert folios(
        client,
        start_date=(AHORA - timedelta(days=2, hours=1)).isoformat(),
        end_date=(AHORA - timedelta(days=1, hours=1)).isoformat(),
    ) == [casos["med_cerrado"].folio]
    # Solo inicio: 90 días desde ahí.
    desde = (AHORA - timedelta(days=150)).isoformat()
    assert folios(client, start_date=desde) == [casos["viejo"].folio]
    # Solo fin: los 90 días anteriores.
    assert folios(client, end_date=(AHORA - timedelta(days=30)).isoformat()) == [
        casos["ase2"].folio,
        casos["viejo"].folio,
    ]


def test_fechas_en_utc_y_con_mas_sin_codificar(client, casos):
    inicio = "2026-11-21T00:00:00Z"
    assert folios(client, start_date=inicio) == [
        casos[n].folio for n in ("med", "med_cerrado", "ase")
    ]
    # «+00:00» escrito tal cual en la URL llega como espacio.
    respuesta = client.get(url("open311:solicitudes") + "?start_date=2026-11-21T00:00:00+00:00")
    assert len(leer(respuesta)) == 3
    assert folios(client, start_date="2026-11-21") == folios(client, start_date=inicio)[:3]


@pytest.mark.parametrize(
    "parametros",
    [
        {"start_date": "ayer"},
        {"end_date": "2026-13-01T00:00:00Z"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
        {"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"},
        {"start_date": "9999-12-31T00:00:00Z"},
        {"end_date": "0001-01-01T00:00:00Z"},
        {"start_date": "9999-12-01T00:00:00-06:00", "end_date": "9999-12-31T23:59:59-06:00"},
        {"start_date": "0001-01-01T00:00:00+06:00"},
        {"end_date": "9999-12-31"},
        {"start_date": "1999-12-31T23:59:59-06:00"},
        {"end_date": "2101-01-01"},
    ],
)
def test_fechas_invalidas_o_intervalo_mayor_a_90_dias_dan_400(client, casos, parametros):
    respuesta = client.get(url("open311:solicitudes"), parametros)
    assert respuesta.status_code == 400
    assert leer(respuesta)[0]["code"] == 400


def test_combinados(client, casos):
    codigo = f"MED-{casos['med_cerrado'].categoria_id}"
    assert folios(client, service_code=codigo, status="open") == []
    assert folios(client, service_code=codigo, status="closed") == [casos["med_cerrado"].folio]
    assert folios(
        client,
        service_code=f"ASE-{casos['ase'].categoria_id}",
        status="open",
        start_date=(AHORA - timedelta(days=10)).isoformat(),
    ) == [casos["ase"].folio]


def test_service_request_id_manda_sobre_los_demas(client, casos):
    pedidos = (
        f"{ident(casos['muy_viejo'])}, {ident(casos['med']).lower()},{ident('MED-2026-99999')}"
    )
    assert folios(client, service_request_id=pedidos, status="closed", service_code="x") == [
        casos["med"].folio,
        casos["muy_viejo"].folio,
    ]


def test_tope_de_resultados(client, casos, monkeypatch):
    monkeypatch.setattr(selectors, "MAXIMO", 2)
    assert folios(client) == [casos["med"].folio, casos["med_cerrado"].folio]
    todos = ",".join(ident(c) for c in Caso.objects.all())
    assert len(folios(client, service_request_id=todos)) == 2


def test_jurisdiccion_en_la_consulta(client, casos, settings):
    settings.OPEN311_JURISDICCION = "atotonilco.gob.mx"
    respuesta = client.get(url("open311:solicitudes"), {"jurisdiction_id": "otra.gob.mx"})
    assert respuesta.status_code == 404
    identificador = ident(casos["med"])
    respuesta = client.get(
        url("open311:solicitud", identificador), {"jurisdiction_id": "otra.gob.mx"}
    )
    assert respuesta.status_code == 404
    assert len(folios(client, jurisdiction_id="atotonilco.gob.mx")) == 4


def test_fechas_en_los_extremos_del_rango_admitido(client, casos):
    assert folios(client, start_date="2000-01-01T00:00:00-06:00") == []
    assert folios(client, end_date="2100-12-31") == []


def test_end_date_sin_hora_incluye_todo_ese_dia(client, casos):
    # «med» se recibió el 23/11/2026 a las 10:00 (hora de México).
    assert folios(client, end_date="2026-11-23")[0] == casos["med"].folio
    assert folios(client, start_date="2026-11-23", end_date="2026-11-23") == [casos["med"].folio]
    assert folios(client, start_date="2026-11-22", end_date="2026-11-22") == [
        casos["med_cerrado"].folio
    ]


@pytest.mark.parametrize("pedidos", ["\x00", "MED-2026-00001\x00", "basura", "x" * 500])
def test_service_request_id_invalido_no_encuentra_nada(client, casos, pedidos):
    assert folios(client, service_request_id=pedidos) == []


def test_service_request_id_invalido_junto_a_uno_valido(client, casos):
    pedidos = f"\x00,{ident(casos['med'])}"
    assert folios(client, service_request_id=pedidos) == [casos["med"].folio]


def test_noventa_dias_por_fecha_con_el_ultimo_dia_completo(client, casos):
    assert casos["med"].folio in folios(client, start_date="2026-08-25", end_date="2026-11-23")
    respuesta = client.get(
        url("open311:solicitudes"), {"start_date": "2026-08-24", "end_date": "2026-11-23"}
    )
    assert respuesta.status_code == 400

"""Las páginas del tablero, sus exportaciones y la transparencia, por HTTP."""

import csv
import io
import json

import openpyxl
import pytest

from casos.models import AccesoExpediente
from estadistica import resumen

pytestmark = pytest.mark.django_db

PERIODO = "periodo=rango&desde=2026-09-01&hasta=2026-11-30"


@pytest.fixture
def al_dia(conjunto):
    resumen.rehacer()
    return conjunto


def test_el_tablero_es_de_la_direccion_y_la_coordinacion(
    al_dia, cliente_de, direccion, coordinadora, mediador
):
    for persona in (direccion, coordinadora):
        r = cliente_de(persona).get(f"/tablero/?{PERIODO}")
        assert r.status_code == 200
        html = r.content.decode()
        assert "Tablero de la Dirección" in html and "Datos al" in html
        assert "<svg" in html and "Cumplimiento de los plazos" in html
    assert cliente_de(mediador).get("/tablero/").status_code == 403


def test_un_periodo_mal_escrito_dice_por_que(al_dia, cliente_de, direccion):
    r = cliente_de(direccion).get("/tablero/?periodo=rango&desde=2026-11-30&hasta=2026-09-01")
    assert r.status_code == 200
    assert "La fecha final es anterior a la inicial." in r.content.decode()


def test_la_lista_de_una_cifra_deja_su_rastro(al_dia, cliente_de, direccion):
    c = al_dia["casos"]
    r = cliente_de(direccion).get(f"/tablero/casos/?{PERIODO}&medida=inv_fuera")
    html = r.content.decode()
    assert r.status_code == 200 and c["C"].folio in html and c["D"].folio in html
    assert c["A"].folio not in html
    vistos = set(
        AccesoExpediente.objects.filter(usuario=direccion, vista="estadistica").values_list(
            "caso__folio", flat=True
        )
    )
    assert vistos == {c["C"].folio, c["D"].folio}
    assert cliente_de(direccion).get("/tablero/casos/?medida=nada").status_code == 404


def test_exportar_csv_y_xlsx_dice_lo_mismo_que_la_pagina(al_dia, cliente_de, direccion):
    cliente = cliente_de(direccion)
    r = cliente.get(f"/tablero/exportar/canal.csv?{PERIODO}&tipo=MED")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    filas = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert filas[0][0] == "Periodo" and "01/09/2026 a 30/11/2026" in filas[0][1]
    assert "Tipo: Mediación" in filas[1][1]
    datos = {f[0]: f[1] for f in filas if f and f[0] in ("Línea telefónica", "Formulario web")}
    assert datos == {"Línea telefónica": "4", "Formulario web": "1"}
    r = cliente.get(f"/tablero/exportar/canal.xlsx?{PERIODO}&tipo=MED")
    libro = openpyxl.load_workbook(io.BytesIO(r.content))
    valores = {
        fila[0]: fila[1] for fila in libro.active.iter_rows(values_only=True) if fila and fila[0]
    }
    assert valores["Línea telefónica"] == 4 and valores["Formulario web"] == 1
    assert cliente.get("/tablero/exportar/nada.csv").status_code == 404
    assert cliente.get("/tablero/exportar/canal.pdf").status_code == 404


def test_transparencia_publica_y_con_supresion(al_dia, client):
    r = client.get("/transparencia/?anio=2026")
    html = r.content.decode()
    assert r.status_code == 200
    assert "&lt; 5" in html or "‹ 5" in html or "< 5" in html
    # Ningún nombre de persona ni folio.
    for caso in al_dia["casos"].values():
        assert caso.folio not in html
        assert caso.solicitante.nombre not in html
    datos = json.loads(client.get("/transparencia/datos/2026.json").content)
    assert {t["clave"] for t in datos["tablas"]} >= {"recibidas_por_mes", "recibidas_por_canal"}
    # Diez solicitudes: el total se publica; todo lo demás cuenta menos de 5.
    mensual = next(t for t in datos["tablas"] if t["clave"] == "recibidas_por_mes")
    assert mensual["total"]["valores"]["total"] == 10
    for renglon in mensual["renglones"]:
        assert all(v is None or v >= 5 for v in renglon["valores"].values())
    r = client.get("/transparencia/datos/2026/recibidas_por_canal.csv")
    assert r.status_code == 200
    assert client.get("/transparencia/datos/2026/nada.csv").status_code == 404
    assert client.get("/transparencia/diccionario.csv").status_code == 200


def test_pedir_un_informe_de_cualquier_periodo(al_dia, cliente_de, direccion, settings):
    from plantillas.models import InformeEstadistico

    cliente = cliente_de(direccion)
    r = cliente.post(
        "/tablero/informes/",
        {"periodo": "rango", "desde": "2026-11-30", "hasta": "2026-09-01"},
    )
    assert r.status_code == 200
    assert "La fecha final es anterior a la inicial." in r.content.decode()
    assert not InformeEstadistico.objects.exists()
    r = cliente.post(
        "/tablero/informes/",
        {"periodo": "trimestre", "anio": "2026", "trimestre": "4", "tipo": "MED"},
    )
    assert r.status_code == 302
    informe = InformeEstadistico.objects.get()
    assert (str(informe.desde), str(informe.hasta)) == ("2026-10-01", "2026-12-31")
    assert informe.parametros["tipo"] == "MED" and not informe.automatico
    assert ["Tipo", "Mediación"] in informe.descripcion
    html = cliente.get("/tablero/informes/").content.decode()
    assert informe.numero in html

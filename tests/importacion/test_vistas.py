"""Las páginas de la importación por HTTP: subir, relacionar columnas, vista previa,
importar (el worker, simulado con la misma función) y resultado; y el barrido del beat."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casos.models import Caso
from importacion import services
from importacion.models import EstadoImportacion, Importacion

from .conftest import EJEMPLO, csv_de, revisar

pytestmark = pytest.mark.usefixtures("reloj")

MINIMO = csv_de(
    [
        ["Tipo", "Fecha", "Categoría", "Localidad", "Asunto", "Nombre", "Fecha de conclusión"],
        [
            "ASE",
            "01/02/2025",
            "Orientación jurídica general",
            "Milpillas",
            "Duda",
            "Ana",
            "03/02/2025",
        ],
    ]
)


@pytest.fixture
def worker(monkeypatch):
    """Lo que el worker haría al recibir el trabajo, en el mismo proceso."""
    encolados = []
    monkeypatch.setattr(services, "encolar", encolados.append)

    def correr():
        for pk in encolados:
            services.ejecutar(pk)
        encolados.clear()

    return correr


def test_de_subir_a_importar(client, personal, worker, django_capture_on_commit_callbacks):
    client.force_login(personal["coordinadora"])
    pagina = client.get(reverse("importacion:subir"))
    assert pagina.status_code == 200
    assert reverse("importacion:ejemplo", args=["xlsx"]) in pagina.content.decode()
    with (EJEMPLO / "registro_anterior.xlsx").open("rb") as archivo:
        subida = client.post(reverse("importacion:subir"), {"archivo": archivo})
    importacion = Importacion.objects.get()
    assert subida.status_code == 302 and subida["Location"] == reverse(
        "importacion:columnas", args=[importacion.pk]
    )

    columnas = client.get(subida["Location"])
    html = columnas.content.decode()
    assert columnas.status_code == 200
    # La columna adivinada queda elegida, con valores de ejemplo para reconocerla.
    assert '<option value="2" selected>Fecha de recepción (p. ej. 13/01/2025' in html
    datos = {clave: str(indice) for clave, indice in importacion.columnas.items()}
    revisada = client.post(subida["Location"], datos)
    assert revisada.status_code == 302

    previa = client.get(revisada["Location"])
    html = previa.content.decode()
    assert previa.status_code == 200
    assert "Importar los 20 casos" in html
    assert "Así quedarían los primeros casos" in html and "MED-2025-00031" in html
    assert "Lic. Rosa Elena Navarro" in html  # el aviso, que no impide importar

    with django_capture_on_commit_callbacks(execute=True):
        pedida = client.post(reverse("importacion:importar", args=[importacion.pk]))
    assert pedida["Location"] == reverse("importacion:resultado", args=[importacion.pk])
    esperando = client.get(pedida["Location"])
    assert "Importando…" in esperando.content.decode()
    html = esperando.content.decode()
    assert reverse("importacion:estado", args=[importacion.pk]) in html
    assert client.get(reverse("importacion:estado", args=[importacion.pk])).json() == {
        "estado": "en_cola",
        "texto": "En espera de importarse",
        "en_curso": True,
    }

    worker()
    resultado = client.get(pedida["Location"])
    html = resultado.content.decode()
    assert "Se importaron 20 casos de «registro_anterior.xlsx»" in html
    assert Caso.objects.count() == 20
    assert reverse("casos:detalle", args=["MED-2025-00031"]) in html
    # Una segunda petición de importar (doble clic) no hace nada.
    client.post(reverse("importacion:importar", args=[importacion.pk]))
    worker()
    assert Caso.objects.count() == 20


def test_un_pdf_se_rechaza_junto_al_campo(client, personal, tmp_path):
    client.force_login(personal["coordinadora"])
    pdf = tmp_path / "registro.pdf"
    pdf.write_bytes(b"%PDF-1.4 no es una hoja de calculo")
    with pdf.open("rb") as archivo:
        respuesta = client.post(reverse("importacion:subir"), {"archivo": archivo})
    assert respuesta.status_code == 400
    assert "Suba un archivo CSV o XLSX" in respuesta.content.decode()
    assert not Importacion.objects.exists()


def test_con_errores_no_hay_boton_de_importar(client, personal):
    filas = [
        ["Tipo", "Fecha", "Categoría", "Localidad", "Asunto", "Nombre"],
        ["ASE", "31/02/2025", "Orientación jurídica general", "Milpillas", "Duda", "Ana"],
    ]
    importacion = revisar("r.csv", csv_de(filas), personal["coordinadora"])
    client.force_login(personal["coordinadora"])
    html = client.get(reverse("importacion:vista_previa", args=[importacion.pk])).content.decode()
    assert "Hay 1 error en 1 renglón(es): no se importa nada mientras haya errores." in html
    assert "«31/02/2025» no es una fecha que exista." in html
    assert reverse("importacion:importar", args=[importacion.pk]) not in html
    pedida = client.post(reverse("importacion:importar", args=[importacion.pk]), follow=True)
    assert "Solo se importa un archivo revisado y sin errores" in pedida.content.decode()


def test_descartar_borra_el_archivo(client, personal):
    importacion = revisar("r.csv", MINIMO, personal["coordinadora"])
    assert importacion.estado == EstadoImportacion.LISTA
    ruta = importacion.archivo.path
    client.force_login(personal["coordinadora"])
    client.post(reverse("importacion:descartar", args=[importacion.pk]))
    importacion.refresh_from_db()
    assert importacion.estado == EstadoImportacion.DESCARTADA and not importacion.archivo
    import os

    assert not os.path.exists(ruta)


def test_el_archivo_subido_queda_fuera_de_toda_url(client, personal):
    importacion = revisar("r.csv", MINIMO, personal["coordinadora"])
    assert importacion.archivo.name.startswith("importaciones/")
    carpeta = importacion.archivo.name.split("/")[1]
    assert len(carpeta) >= 24  # al azar: no se adivina
    client.force_login(personal["coordinadora"])
    assert client.get("/media/" + importacion.archivo.name).status_code == 404


def test_el_barrido_vuelve_a_encolar_lo_que_se_quedo_esperando(personal, monkeypatch):
    importacion = revisar("r.csv", MINIMO, personal["coordinadora"])
    Importacion.objects.filter(pk=importacion.pk).update(
        estado=EstadoImportacion.EN_COLA, pedida_en=timezone.now() - timedelta(minutes=5)
    )
    encolados = []
    monkeypatch.setattr(services, "encolar", encolados.append)
    assert services.barrer_pendientes() == 1 and encolados == [importacion.pk]


def test_lo_que_nadie_termino_en_30_dias_se_descarta_con_su_archivo(personal):
    import os

    vieja = revisar("viejo.csv", MINIMO, personal["coordinadora"])
    reciente = revisar("nuevo.csv", MINIMO + b"\r\n", personal["coordinadora"])
    ruta = vieja.archivo.path
    Importacion.objects.filter(pk=vieja.pk).update(creada_en=timezone.now() - timedelta(days=31))
    services.barrer_pendientes()
    vieja.refresh_from_db()
    reciente.refresh_from_db()
    assert vieja.estado == EstadoImportacion.DESCARTADA and not os.path.exists(ruta)
    assert reciente.estado == EstadoImportacion.LISTA and reciente.archivo

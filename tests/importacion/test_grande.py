"""Un archivo más grande que cada lote de la importación se importa entero (y se mide cuánto
tarda). Los casos, sus partes, sus eventos y su origen se escriben con `bulk_create` en lotes
de 500 y 1,000, y los folios existentes se buscan de 500 en 500: con 1,200 renglones cada uno
pasa por varios lotes. La cifra de 10,000 renglones va en scripts/bench_importacion.py."""

import time
from datetime import date, timedelta

import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casos.models import Caso, ContadorFolio
from importacion.models import EstadoImportacion

from .conftest import ENCABEZADOS, importar, xlsx_de

pytestmark = pytest.mark.usefixtures("reloj")

RENGLONES = 1200


def registro(renglones: int) -> list[list]:
    """Un registro de varios años: 3 de cada 4 concluidos; el resto, con la invitación
    enviada por el mediador. Folios del sistema consecutivos por año."""
    filas = [ENCABEZADOS]
    por_anio: dict[int, int] = {}
    for i in range(renglones):
        recibido = date(2023, 1, 2) + timedelta(days=(i * 7) % 1300)
        por_anio[recibido.year] = por_anio.get(recibido.year, 0) + 1
        abierto = i % 4 == 0
        filas.append(
            [
                f"MED-{recibido.year}-{por_anio[recibido.year]:05d}",
                "MED",
                recibido,
                "Linderos, bardas y construcciones",
                ("Margaritas", "Milpillas", "San Gaspar")[i % 3],
                f"Diferencias por la barda de la casa {i}.",
                f"Persona {i}",
                f"391{1000000 + i:07d}",
                "Vecino",
                f"Calle Hidalgo {i}",
                "Invitación enviada" if abierto else "Concluida",
                "mediador" if abierto else "",
                None if abierto else recibido + timedelta(days=40),
                None if abierto else ("convenio", "sin acuerdo", "desistimiento")[i % 3],
            ]
        )
    return filas


def test_un_archivo_de_varios_lotes_se_importa_entero(personal):
    contenido = xlsx_de(registro(RENGLONES))
    inicio = time.perf_counter()
    importacion = importar("grande.xlsx", contenido, personal["coordinadora"])
    segundos = time.perf_counter() - inicio
    print(
        f"\n{RENGLONES} renglones: {segundos:.1f} s en total (importación en el worker "
        f"{importacion.segundos:.1f} s, {RENGLONES / importacion.segundos:.0f} renglones/s)"
    )
    assert importacion.estado == EstadoImportacion.IMPORTADA, importacion.error
    assert importacion.importados == RENGLONES == Caso.objects.count()
    abiertos = RENGLONES // 4
    assert Task.objects.filter(flow_task_type="HUMAN", status=STATUS.ASSIGNED).count() == abiertos
    assert Caso.objects.filter(estado="invitacion", responsable__username="mediador").count() == (
        abiertos
    )
    ultimo = max(int(f[0][9:]) for f in registro(RENGLONES)[1:] if f[0].startswith("MED-2026"))
    assert ContadorFolio.objects.get(tipo="MED", anio=2026).ultimo == ultimo
    # Holgado para dos núcleos compartidos; la cifra medida sale arriba y en el README.
    assert segundos < 600

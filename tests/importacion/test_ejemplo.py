"""El archivo de ejemplo que se ofrece en la página se importa completo: folios, fechas,
estados, flujos en su paso, plazos desde las fechas originales, bitácora y ningún aviso."""

import csv
import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from viewflow.workflow.status import STATUS

from casos import plazos, services
from casos.models import (
    AvisoPrivacidad,
    Canal,
    Caso,
    Categoria,
    CausaConclusion,
    ContadorFolio,
    Estado,
    Localidad,
    TipoCaso,
    TipoEvento,
)
from flujos.selectors import tareas_abiertas_del_caso
from flujos.tareas import procesos_de
from importacion.ejemplo import generar
from importacion.models import CasoImportado, EstadoImportacion
from notificaciones.models import Mensaje
from plantillas.models import Documento

from .conftest import EJEMPLO, importar, revisar

pytestmark = pytest.mark.usefixtures("reloj")
MX = ZoneInfo("America/Mexico_City")


@pytest.fixture
def importada(personal):
    contenido = (EJEMPLO / "registro_anterior.xlsx").read_bytes()
    return importar("registro_anterior.xlsx", contenido, personal["coordinadora"])


def _caso(renglon: int) -> Caso:
    return CasoImportado.objects.select_related("caso").get(renglon=renglon).caso


def _abiertas(caso) -> list[tuple[str, str | None]]:
    return sorted(
        (t.flow_task.name, t.owner.username if t.owner_id else None)
        for t in tareas_abiertas_del_caso(caso=caso)
    )


def test_el_ejemplo_se_importa_completo(importada):
    assert importada.estado == EstadoImportacion.IMPORTADA, importada.error
    assert importada.errores == []
    assert importada.importados == 20 == Caso.objects.count()
    assert importada.resumen["concluidos"] == 10 and importada.resumen["abiertos"] == 10
    # Lo único que avisa: quien atendió un caso concluido no tiene cuenta en el sistema.
    assert [(a["renglon"], a["columna"]) for a in importada.avisos] == [(2, "Responsable")]
    # Ya importado, no quedan en la importación el archivo ni los datos personales de muestra.
    assert not importada.archivo and importada.muestra == []


def test_los_folios_se_conservan_o_se_asignan_y_el_contador_avanza(importada):
    assert _caso(2).folio == "MED-2025-00031"
    assert _caso(5).folio == "ASE-2025-00104"
    # «M-118/2025» no es un folio del sistema: queda como folio anterior, con folio nuevo.
    anterior = _caso(6)
    assert anterior.folio_anterior == "M-118/2025"
    assert anterior.folio == "MED-2025-00052"  # después del mayor importado de 2025 (00051)
    contadores = {(c.tipo, c.anio): c.ultimo for c in ContadorFolio.objects.all()}
    assert contadores[("MED", 2025)] == 52
    assert contadores[("ASE", 2025)] == 161  # 00160 importado y A-077/2025 nuevo
    # Los nuevos de 2026, en orden de recepción (19/01, 28/08, 02/09…).
    assert [_caso(r).folio for r in (11, 17, 12)] == [
        "MED-2026-00001",
        "MED-2026-00002",
        "MED-2026-00003",
    ]

    # Un caso que se recibe hoy con fecha de 2025 (captura extemporánea) no choca.
    nuevo = services.recibir_solicitud(
        tipo=TipoCaso.MEDIACION,
        canal=Canal.TELEFONO,
        categoria=Categoria.objects.filter(tipo="MED").first(),
        localidad=Localidad.objects.first(),
        resumen="Ruido del taller vecino.",
        solicitante=services.DatosPersona(nombre="Nueva", telefono="+523919170000"),
        otra_parte=services.DatosPersona(nombre="Taller", domicilio="Calle 2"),
        aviso=AvisoPrivacidad.vigente(),
        recibido_en=datetime(2025, 12, 30, 10, tzinfo=MX),
    )
    assert nuevo.caso.folio == "MED-2025-00053"


def test_el_folio_anterior_se_encuentra_en_la_busqueda(importada, personal):
    from casos.selectors import buscar_casos

    encontrados = buscar_casos(usuario=personal["coordinadora"], texto="M-118/2025")
    assert [c.folio for c in encontrados] == ["MED-2025-00052"]


def test_se_conservan_las_fechas_originales(importada):
    caso = _caso(2)
    assert caso.recibido_en == datetime(2025, 1, 13, 12, tzinfo=MX)
    assert caso.admitido_en == datetime(2025, 1, 15, 12, tzinfo=MX)
    assert caso.concluido_en == datetime(2025, 3, 28, 12, tzinfo=MX)
    assert caso.aviso_aceptado_en == caso.recibido_en
    recibida = caso.eventos.get(tipo=TipoEvento.RECIBIDA)
    assert recibida.creado_en == caso.recibido_en and recibida.publico


def test_los_concluidos_llegan_cerrados_sin_tareas(importada):
    esperados = {
        2: (Estado.CONCLUIDA_CONVENIO, CausaConclusion.CONVENIO_TOTAL),
        3: (Estado.CONCLUIDA_SIN_ACUERDO, CausaConclusion.SIN_ACUERDO),
        4: (Estado.CONCLUIDA_SIN_ACUERDO, CausaConclusion.DESISTIMIENTO),
        5: (Estado.CERRADA, CausaConclusion.RESUELTA),
        6: (Estado.CONCLUIDA_CONVENIO, CausaConclusion.CONVENIO_PARCIAL),
        7: (Estado.CERRADA, CausaConclusion.RESUELTA),
        8: (Estado.NO_ADMITIDA, CausaConclusion.NO_ADMITIDA),
        9: (Estado.CANALIZADA, CausaConclusion.CANALIZADA),
        10: (Estado.CERRADA, CausaConclusion.CANALIZADA),
        11: (Estado.CONCLUIDA_SIN_ACUERDO, CausaConclusion.INASISTENCIAS),
    }
    for renglon, (estado, causa) in esperados.items():
        caso = _caso(renglon)
        assert (caso.estado, caso.causa_conclusion) == (estado, causa), renglon
        assert not caso.abierto and caso.concluido_en is not None
        assert _abiertas(caso) == []
        (proceso,) = procesos_de(caso)
        assert proceso.status == STATUS.DONE and proceso.finished is not None
        assert proceso.data == {"importado": True, "entrada": "fin"}
    # El responsable de un concluido se conserva si tiene cuenta; si no, queda su nombre.
    assert _caso(3).responsable.username == "mediador"
    assert _caso(2).responsable is None
    marca = _caso(2).eventos.get(tipo=TipoEvento.IMPORTADO)
    assert "Lo atendió: Lic. Rosa Elena Navarro." in marca.descripcion


def test_los_abiertos_entran_a_su_flujo_en_el_paso_que_les_toca(importada):
    esperados = {
        12: (Estado.RECIBIDA, [("revisar", None)]),
        13: (Estado.EN_REVISION, [("revisar", None)]),
        14: (Estado.ADMITIDA, [("asignar", None)]),
        15: (Estado.INVITACION, [("invitar", "mediador")]),
        16: (Estado.EN_MEDIACION, [("programar", "mediadora2")]),
        17: (Estado.EN_MEDIACION, [("convenio", "mediador")]),
        18: (Estado.RECIBIDA, [("clasificar", None)]),
        19: (Estado.CLASIFICADA, [("asignar_asesor", None)]),
        20: (Estado.EN_ATENCION, [("atender", "asesor")]),
        21: (Estado.ASIGNADA, [("atender", "asesor")]),
    }
    for renglon, (estado, tareas) in esperados.items():
        caso = _caso(renglon)
        assert caso.estado == estado, renglon
        assert _abiertas(caso) == tareas, renglon
        (proceso,) = procesos_de(caso)
        assert proceso.finished is None
    # El responsable de una mediación es quien lleva sus tareas.
    assert _caso(16).responsable.username == "mediadora2"


def test_los_plazos_se_cuentan_desde_las_fechas_originales(importada):
    invitar = _caso(15)
    (tarea,) = tareas_abiertas_del_caso(caso=invitar)
    # Art. 69: 5 días hábiles desde la admisión del 14/10/2026 → 21/10/2026, ya vencido.
    assert plazos.invitacion_vence_el(invitar) == date(2026, 10, 21)
    assert tarea.scheduled == datetime.combine(date(2026, 10, 21), time(23, 59), tzinfo=MX)
    atender = _caso(20)
    (tarea,) = tareas_abiertas_del_caso(caso=atender)
    assert tarea.scheduled == plazos.vence_resolucion(atender)
    assert plazos.resolucion_vence_el(atender) == date(2026, 11, 27)  # 10 hábiles del 12/11


def test_cada_caso_queda_marcado_como_importado(importada):
    for ci in CasoImportado.objects.select_related("caso"):
        marca = ci.caso.eventos.get(tipo=TipoEvento.IMPORTADO)
        assert marca.descripcion.startswith(
            f"Importado del registro anterior (registro_anterior.xlsx, renglón {ci.renglon})."
        )
        assert marca.actor.username == "coordinadora" and not marca.publico
        assert marca.datos["renglon"] == ci.renglon
    assert (
        "Folio anterior: M-118/2025." in _caso(6).eventos.get(tipo=TipoEvento.IMPORTADO).descripcion
    )


def test_no_se_avisa_a_nadie_ni_se_genera_el_acuse(personal, otro_certificado):
    """Ni acuse ni aviso a la ciudadanía (quien solicitó tiene teléfono y a veces correo), ni
    «tarea asignada» al personal, aunque todos tengan correo."""
    for persona in (personal["mediador"], otro_certificado, personal["asesor"]):
        persona.email = f"{persona.username}@oficina.invalid"
        persona.save()
    contenido = (EJEMPLO / "registro_anterior.xlsx").read_bytes()
    importada = importar("registro_anterior.xlsx", contenido, personal["coordinadora"])
    assert importada.estado == EstadoImportacion.IMPORTADA
    assert Mensaje.objects.count() == 0
    assert Documento.objects.count() == 0
    # Lo que se haga después avisa como siempre: pasar una tarea a otra persona le avisa.
    from flujos.services import reasignar_tarea

    (tarea,) = tareas_abiertas_del_caso(caso=_caso(15))
    reasignar_tarea(task=tarea, usuario=personal["coordinadora"], nuevo=otro_certificado)
    assert list(Mensaje.objects.values_list("plantilla", "destino")) == [
        ("tarea_asignada", "mediadora2@oficina.invalid")
    ]


def test_un_caso_importado_sigue_su_flujo_como_cualquiera(importada, client, personal):
    """El mediador registra la invitación del caso que llegó «invitación enviada»: pasa a
    programar la sesión, con el flujo y los servicios de siempre."""
    from tests.flujos.conftest import Conductor

    conductor = Conductor(client)
    caso = _caso(15)
    conductor.hacer(
        personal["mediador"],
        caso,
        "invitar",
        {
            "fecha": "2026-11-24T10:00",
            "medio": "personal",
            "recibio": "La persona",
            "respuesta": "acepta",
            "observaciones": "",
        },
    )
    assert conductor.pendientes(caso) == ["programar"]
    # Y la coordinación asigna el admitido sin facilitador: desde ahí sí sale la invitación.
    admitido = _caso(14)
    conductor.hacer(
        personal["coordinadora"], admitido, "asignar", {"responsable": personal["mediador"].pk}
    )
    assert conductor.pendientes(admitido) == ["invitar"]
    admitido.refresh_from_db()
    assert admitido.responsable == personal["mediador"]


def test_el_csv_del_ejemplo_dice_lo_mismo_que_el_xlsx(personal):
    actor = personal["coordinadora"]
    del_xlsx = revisar("a.xlsx", (EJEMPLO / "registro_anterior.xlsx").read_bytes(), actor)
    del_csv = revisar("a.csv", (EJEMPLO / "registro_anterior.csv").read_bytes(), actor)
    assert del_csv.codificacion == "utf-8-sig" and del_csv.separador == ","
    assert del_xlsx.estado == del_csv.estado == EstadoImportacion.LISTA
    assert del_xlsx.muestra == del_csv.muestra
    assert {k: v for k, v in del_xlsx.resumen.items() if k != "otras_hojas"} == {
        k: v for k, v in del_csv.resumen.items() if k != "otras_hojas"
    }


def test_los_archivos_de_ejemplo_son_los_que_genera_el_script():
    assert (EJEMPLO / "registro_anterior.csv").read_bytes() == generar._csv()
    libro = load_workbook(EJEMPLO / "registro_anterior.xlsx", read_only=True)
    valores = [list(f) for f in libro.worksheets[0].iter_rows(values_only=True)]
    esperado = [generar.ENCABEZADOS] + [
        [
            datetime.combine(v, time(0)) if isinstance(v, date) else (v if v != "" else None)
            for v in renglon
        ]
        for renglon in generar.RENGLONES
    ]
    assert valores == esperado
    assert len(generar.RENGLONES) == 20
    filas = list(
        csv.reader(io.StringIO((EJEMPLO / "registro_anterior.csv").read_text("utf-8-sig")))
    )
    assert len(filas) == 21

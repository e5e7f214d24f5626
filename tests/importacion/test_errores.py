"""Un archivo con renglones malos no importa nada y dice cada error con su renglón y su
columna, en español."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from casos.models import Caso, ContadorFolio
from importacion import services
from importacion.models import EstadoImportacion

from .conftest import ENCABEZADOS, archivo, csv_de, importar, revisar

pytestmark = pytest.mark.usefixtures("reloj")

VECINAL = "Conflicto vecinal (ruido, basura, mascotas)"


def bueno(**cambios) -> list:
    """Un renglón válido: mediación concluida sin acuerdo."""
    base = {
        "Folio": "",
        "Tipo": "MED",
        "Fecha de recepción": "10/03/2025",
        "Categoría": VECINAL,
        "Localidad": "Margaritas",
        "Asunto": "Ruido del vecino.",
        "Solicitante": "Ana Ruiz",
        "Teléfono": "391 917 2045",
        "Otra parte": "Pedro López",
        "Domicilio otra parte": "Calle 1",
        "Estado": "Concluida",
        "Responsable": "",
        "Fecha de conclusión": "20/04/2025",
        "Resultado": "sin acuerdo",
    }
    base.update({k.replace("_", " "): v for k, v in cambios.items()})
    return [base[e] for e in ENCABEZADOS]


def _errores(importacion) -> dict[int, list[tuple[str, str]]]:
    por_renglon: dict[int, list[tuple[str, str]]] = {}
    for e in importacion.errores:
        por_renglon.setdefault(e["renglon"], []).append((e["columna"], e["mensaje"]))
    return por_renglon


def test_un_archivo_con_renglones_malos_no_importa_nada_y_dice_cada_error(personal):
    filas = [
        ENCABEZADOS,
        bueno(Folio="MED-2025-00010"),  # 2: bueno
        bueno(**{"Fecha de recepción": "31/02/2025"}),  # 3
        bueno(**{"Fecha de recepción": "5/3/25"}),  # 4
        bueno(**{"Fecha de recepción": "03/25/2025"}),  # 5
        bueno(Categoría="Pleito de gallos"),  # 6
        bueno(Localidad="Tepatitlán"),  # 7
        bueno(Folio="MED-2025-00010"),  # 8: repetido en el archivo
        bueno(Teléfono="12345"),  # 9
        bueno(Solicitante="", Asunto=""),  # 10: faltan obligatorios
        bueno(**{"Fecha de conclusión": ""}),  # 11: concluido sin fecha
        bueno(Resultado="se fue de viaje"),  # 12
        bueno(Estado="Invitación enviada", Resultado="", **{"Fecha de conclusión": ""}),  # 13
        bueno(
            Estado="En mediación",
            Resultado="",
            Responsable="Fulano de Tal",
            **{"Fecha de conclusión": ""},
        ),  # 14
        bueno(Estado="Recibida", Resultado="", **{"Otra parte": "", "Fecha de conclusión": ""}),
        bueno(Tipo="X"),  # 16
        bueno(**{"Fecha de conclusión": "01/01/2025"}),  # 17: antes de la recepción
        bueno(**{"Fecha de recepción": "2027-01-10", "Fecha de conclusión": ""}),  # 18
        bueno(Estado="Clasificada"),  # 19: etapa de asesoría en una mediación
        bueno(
            Responsable="asesor",
            Estado="Invitación enviada",
            Resultado="",
            **{"Fecha de conclusión": ""},
        ),  # 20: no es facilitador
    ]
    importacion = revisar("malo.csv", csv_de(filas), personal["coordinadora"])
    assert importacion.estado == EstadoImportacion.CON_ERRORES
    errores = _errores(importacion)
    assert 2 not in errores
    assert errores[3] == [("Fecha de recepción", "«31/02/2025» no es una fecha que exista.")]
    assert errores[4] == [
        ("Fecha de recepción", "«5/3/25»: escriba el año con cuatro dígitos (dd/mm/aaaa).")
    ]
    assert errores[5][0][0] == "Fecha de recepción" and "¿está como mes/día?" in errores[5][0][1]
    assert errores[6][0][0] == "Categoría"
    assert "«Pleito de gallos» no está en el catálogo de categorías" in errores[6][0][1]
    assert "Linderos, bardas y construcciones" in errores[6][0][1]  # dice cuáles hay
    assert errores[7][0][0] == "Localidad" and "«Tepatitlán»" in errores[7][0][1]
    assert errores[8] == [("Folio", "El folio MED-2025-00010 ya viene en el renglón 2.")]
    assert errores[9] == [
        ("Teléfono", "El número 12345 no es un teléfono válido: revise la lada y los 10 dígitos.")
    ]
    assert ("Asunto", "Falta el relato breve del asunto.") in errores[10]
    assert ("Solicitante", "Falta el nombre de quien solicitó.") in errores[10]
    assert errores[11] == [
        ("Fecha de conclusión", "Falta la fecha de conclusión de un caso concluido.")
    ]
    assert errores[12][0][0] == "Resultado" and "«se fue de viaje»" in errores[12][0][1]
    assert errores[13] == [
        (
            "Responsable",
            "Indique quién atiende el caso: en «Invitación enviada» el caso ya tiene responsable.",
        )
    ]
    assert (
        "Responsable",
        "No hay nadie del personal con el usuario o el nombre «Fulano de Tal».",
    ) in errores[14]
    assert errores[15] == [
        ("Otra parte", "Una mediación abierta necesita el nombre de la otra parte.")
    ]
    assert (
        errores[16][0][0] == "Tipo" and "use MED (mediación) o ASE (asesoría)" in errores[16][0][1]
    )
    assert errores[17] == [
        ("Fecha de conclusión", "La fecha de conclusión es anterior a la de recepción.")
    ]
    assert ("Fecha de recepción", "La fecha de recepción no puede ser futura.") in errores[18]
    assert errores[19] == [("Estado", "«Clasificada» no es una etapa de mediación.")]
    assert errores[20] == [("Responsable", "Asesor no es persona facilitadora (rol mediador).")]
    assert importacion.resumen["con_error"] == 18 and importacion.resumen["validos"] == 1

    # Todo o nada: con un solo error no se puede pedir la importación, y nada se creó.
    with pytest.raises(ValidationError, match="sin errores"):
        services.pedir_importacion(importacion=importacion, actor=personal["coordinadora"])
    assert Caso.objects.count() == 0 and ContadorFolio.objects.count() == 0


def test_un_folio_que_ya_existe_en_el_sistema(personal, nuevo_caso):
    existente = nuevo_caso().caso
    filas = [ENCABEZADOS, bueno(Folio=existente.folio.lower().replace("-", " "))]
    importacion = revisar("r.csv", csv_de(filas), personal["coordinadora"])
    assert importacion.errores == [
        {
            "renglon": 2,
            "columna": "Folio",
            "campo": "folio",
            "mensaje": f"El folio {existente.folio} ya existe en el sistema.",
        }
    ]


def test_un_facilitador_sin_certificacion_vigente_no_recibe_casos_abiertos(personal):
    perfil = personal["mediador"].perfil_mediador
    perfil.certificado_hasta = date(2026, 1, 31)
    perfil.save()
    filas = [
        ENCABEZADOS,
        bueno(
            Estado="Invitación enviada",
            Resultado="",
            Responsable="Mediador",
            **{"Fecha de conclusión": ""},
        ),
    ]
    importacion = revisar("r.csv", csv_de(filas), personal["coordinadora"])
    (error,) = importacion.errores
    assert error["columna"] == "Responsable"
    assert "no tiene certificación vigente" in error["mensaje"]


def test_al_importar_se_revisa_otra_vez_y_un_folio_tomado_entretanto_detiene_todo(
    personal, nuevo_caso
):
    """Entre la vista previa y la importación alguien capturó el folio: el worker lo
    encuentra dentro de su transacción y no importa nada."""
    filas = [ENCABEZADOS, bueno(), bueno(Folio="MED-2026-00001")]
    importacion = revisar("r.csv", csv_de(filas), personal["coordinadora"])
    assert importacion.estado == EstadoImportacion.LISTA
    services.pedir_importacion(importacion=importacion, actor=personal["coordinadora"])
    assert nuevo_caso().caso.folio == "MED-2026-00001"
    assert services.ejecutar(importacion.pk) is False
    importacion.refresh_from_db()
    assert importacion.estado == EstadoImportacion.CON_ERRORES
    assert "no se importó nada" in importacion.error
    assert [e["renglon"] for e in importacion.errores] == [3]
    assert Caso.objects.count() == 1


def test_una_falla_a_media_importacion_no_deja_ningun_caso(personal, monkeypatch):
    import flujos.services

    llamadas = {"n": 0}
    original = flujos.services.iniciar_importado

    def falla_en_el_segundo(**kwargs):
        llamadas["n"] += 1
        if llamadas["n"] == 2:
            raise RuntimeError("se fue la luz")
        return original(**kwargs)

    monkeypatch.setattr("importacion.services.iniciar_importado", falla_en_el_segundo)
    filas = [ENCABEZADOS, bueno(), bueno(), bueno()]
    importacion = importar("r.csv", csv_de(filas), personal["coordinadora"])
    assert importacion.estado == EstadoImportacion.FALLIDA
    assert importacion.error == "No se importó nada: se fue la luz"
    assert Caso.objects.count() == 0 and ContadorFolio.objects.count() == 0
    # Se puede intentar de nuevo; esta vez sí.
    monkeypatch.setattr("importacion.services.iniciar_importado", original)
    services.pedir_importacion(importacion=importacion, actor=personal["coordinadora"])
    assert services.ejecutar(importacion.pk)
    assert Caso.objects.count() == 3


def test_el_mismo_archivo_no_se_importa_dos_veces(personal):
    contenido = csv_de([ENCABEZADOS, bueno()])
    primera = importar("r.csv", contenido, personal["coordinadora"])
    assert primera.estado == EstadoImportacion.IMPORTADA
    with pytest.raises(ValidationError, match="Este mismo archivo ya se importó el"):
        services.subir(archivo=archivo("otra-vez.csv", contenido), actor=personal["coordinadora"])


def test_faltan_columnas_obligatorias_en_la_relacion(personal):
    importacion = services.subir(
        archivo=archivo("r.csv", csv_de([ENCABEZADOS, bueno()])), actor=personal["coordinadora"]
    )
    columnas = {**importacion.columnas, "categoria": None, "tipo": None, "folio": None}
    with pytest.raises(ValidationError) as error:
        services.relacionar_columnas(
            importacion=importacion, columnas=columnas, actor=personal["coordinadora"]
        )
    mensajes = error.value.message_dict
    assert mensajes["categoria"] == ["Elija la columna de «Categoría»: es obligatoria."]
    assert "la del folio para tomarlo de ahí" in mensajes["tipo"][0]
    repetida = {**importacion.columnas, "resumen": importacion.columnas["solicitante_nombre"]}
    with pytest.raises(ValidationError, match="ya está elegida para"):
        services.relacionar_columnas(
            importacion=importacion, columnas=repetida, actor=personal["coordinadora"]
        )


def test_el_flujo_solo_acepta_entradas_que_correspondan_al_caso(nuevo_caso):
    from flujos.services import iniciar_importado

    abierto = nuevo_caso().caso
    with pytest.raises(ValidationError, match="Solo un caso concluido entra a su flujo ya"):
        iniciar_importado(caso=abierto, entrada="fin")
    with pytest.raises(ValidationError, match="no puede entrar a su flujo en «atender»"):
        iniciar_importado(caso=abierto, entrada="atender")

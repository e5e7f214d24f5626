"""Importar el registro anterior: subir el archivo, relacionar sus columnas (con la revisión
de cada renglón), pedir la importación y hacerla en el worker, todo o nada.

La importación corre en el worker (cola `celery`), no en la petición: un archivo de miles de
renglones tarda más que lo que un navegador o gunicorn esperan. El worker reclama la fila
con un UPDATE condicional (`nucleo.reclamo`), vuelve a leer y a revisar el archivo dentro de
la transacción (los folios o el personal pudieron cambiar desde la vista previa) y crea los
casos y sus flujos; si algo falla, no queda ningún caso. Lo que no se pudo encolar, o lo que
un worker muerto dejó a medias, lo retoma el barrido del beat.
"""

import hashlib
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from casos.models import AvisoPrivacidad
from casos.services.anteriores import registrar_casos_anteriores
from flujos.services import iniciar_importado
from nucleo.colas import encolar as publicar
from nucleo.reclamo import Reclamo

from . import lectura, revision
from .campos import OBLIGATORIOS, POR_CLAVE, adivinar_columnas
from .models import CasoImportado, EstadoImportacion, Importacion

logger = logging.getLogger(__name__)

# Una importación que nadie terminó (ni importó ni descartó) en este tiempo se descarta sola:
# su archivo trae datos personales de la ciudadanía y no debe quedarse guardado sin fin.
DIAS_SIN_TERMINAR = 30

RECLAMO = Reclamo(
    modelo=Importacion,
    pendiente=EstadoImportacion.EN_COLA,
    en_curso=EstadoImportacion.IMPORTANDO,
    # Más que el tiempo máximo del trabajo: una importación lenta pero viva no se retoma.
    plazo=lambda: timedelta(seconds=settings.IMPORTACION_TIEMPO_LIMITE_SEGUNDOS + 120),
    campo_desde="reclamada_en",
)


def _sha256(archivo) -> str:
    resumen = hashlib.sha256()
    archivo.seek(0)
    for bloque in iter(lambda: archivo.read(1024 * 1024), b""):
        resumen.update(bloque)
    archivo.seek(0)
    return resumen.hexdigest()


def _ya_importado(sha256: str) -> None:
    anterior = (
        Importacion.objects.filter(sha256=sha256, estado=EstadoImportacion.IMPORTADA)
        .order_by("-terminada_en")
        .first()
    )
    if anterior is not None:
        raise ValidationError(
            _("Este mismo archivo ya se importó el %(fecha)s (%(n)d casos).")
            % {
                "fecha": formats.date_format(timezone.localtime(anterior.terminada_en), "d/m/Y"),
                "n": anterior.importados,
            },
            code="repetido",
        )


def subir(*, archivo, actor) -> Importacion:
    """Guarda el archivo (privado) si es un CSV o XLSX legible, dentro de los límites de
    tamaño y de renglones, y propone la relación de columnas por sus encabezados."""
    lectura.revisar_tamano(archivo.size)
    sha256 = _sha256(archivo)
    _ya_importado(sha256)
    with lectura.abrir(archivo) as hoja:
        renglones = lectura.contar_renglones(hoja)
    nombre = (getattr(archivo, "name", "") or "registro").rsplit("/", 1)[-1][:200]
    importacion = Importacion(
        nombre_archivo=nombre,
        formato=hoja.formato,
        tamano=archivo.size,
        sha256=sha256,
        codificacion=hoja.codificacion,
        separador=hoja.separador,
        hoja=hoja.nombre_hoja,
        encabezados=hoja.encabezados,
        renglones=renglones,
        columnas=adivinar_columnas(hoja.encabezados),
        creada_por=actor,
        resumen={"otras_hojas": hoja.otras_hojas},
    )
    archivo.seek(0)
    importacion.archivo.save(nombre, archivo, save=False)
    importacion.save()
    return importacion


def _exigir_editable(importacion: Importacion) -> None:
    if not importacion.editable:
        raise ValidationError(
            _("Esta importación ya está «%(estado)s»: no se puede cambiar.")
            % {"estado": importacion.get_estado_display()}
        )


def _validar_columnas(columnas: dict[str, int | None], encabezados: list[str]) -> dict[str, int]:
    elegidas = {c: i for c, i in columnas.items() if i is not None and c in POR_CLAVE}
    errores: dict[str, list[str]] = {}
    for clave in OBLIGATORIOS:
        if clave not in elegidas:
            errores.setdefault(clave, []).append(
                _("Elija la columna de «%(campo)s»: es obligatoria.")
                % {"campo": POR_CLAVE[clave].etiqueta}
            )
    if "tipo" not in elegidas and "folio" not in elegidas:
        errores.setdefault("tipo", []).append(
            _("Elija la columna del tipo (MED o ASE), o la del folio para tomarlo de ahí.")
        )
    por_columna: dict[int, str] = {}
    for clave, indice in elegidas.items():
        if not 0 <= indice < len(encabezados):
            errores.setdefault(clave, []).append(_("Esa columna no está en el archivo."))
        elif indice in por_columna:
            errores.setdefault(clave, []).append(
                _("La columna «%(col)s» ya está elegida para «%(otro)s».")
                % {"col": encabezados[indice], "otro": POR_CLAVE[por_columna[indice]].etiqueta}
            )
        else:
            por_columna[indice] = clave
    if errores:
        raise ValidationError(errores)
    return elegidas


def analizar(importacion: Importacion) -> revision.Analisis:
    """Lee el archivo guardado y revisa cada renglón con la relación de columnas vigente."""
    revisor = revision.Revisor(
        encabezados=importacion.encabezados,
        columnas=importacion.columnas,
        origen=importacion.nombre_archivo,
    )
    with importacion.archivo.open("rb") as archivo, lectura.abrir(archivo) as hoja:
        return revisor.revisar_todo(hoja.renglones)


def _guardar_analisis(importacion: Importacion, analisis: revision.Analisis) -> None:
    importacion.errores = analisis.errores
    importacion.avisos = analisis.avisos
    importacion.muestra = analisis.muestra
    importacion.resumen = {
        **analisis.resumen,
        "otras_hojas": importacion.resumen.get("otras_hojas", []),
    }
    importacion.revisada_en = timezone.now()


def relacionar_columnas(
    *, importacion: Importacion, columnas: dict[str, int | None], actor
) -> Importacion:
    """Guarda qué columna del archivo es cada dato del sistema y revisa el archivo completo:
    queda lista para importar, o con la lista de errores por renglón y columna."""
    _exigir_editable(importacion)
    importacion.columnas = _validar_columnas(columnas, importacion.encabezados)
    analisis = analizar(importacion)
    _guardar_analisis(importacion, analisis)
    importacion.estado = (
        EstadoImportacion.CON_ERRORES if analisis.errores else EstadoImportacion.LISTA
    )
    importacion.error = ""
    importacion.save()
    return importacion


def pedir_importacion(*, importacion: Importacion, actor) -> Importacion:
    """Manda la importación al worker (si la revisión no encontró errores). Solo una vez:
    pedirla de nuevo mientras espera o corre no hace nada."""
    with transaction.atomic():
        importacion = Importacion.objects.select_for_update().get(pk=importacion.pk)
        if importacion.en_curso:
            return importacion
        if importacion.estado not in (EstadoImportacion.LISTA, EstadoImportacion.FALLIDA):
            raise ValidationError(
                _("Solo se importa un archivo revisado y sin errores (está «%(estado)s»).")
                % {"estado": importacion.get_estado_display()}
            )
        importacion.estado = EstadoImportacion.EN_COLA
        importacion.pedida_por = actor
        importacion.pedida_en = timezone.now()
        importacion.error = ""
        importacion.save(update_fields=["estado", "pedida_por", "pedida_en", "error"])
        transaction.on_commit(lambda: encolar(importacion.pk))
    return importacion


def encolar(importacion_id: int) -> None:
    from .tasks import importar

    publicar(importar, importacion_id)


class _ConErrores(Exception):
    def __init__(self, analisis):
        self.analisis = analisis


class _Retomada(Exception):
    """Otro worker retomó la importación (este tardó más que el reclamo): la suya cuenta."""


def _importar_dentro(importacion: Importacion) -> int:
    """Revisa otra vez y crea todo en la transacción de quien llama; `_ConErrores` si el
    archivo ya no pasa la revisión (nada se crea)."""
    analisis = analizar(importacion)
    if analisis.errores:
        raise _ConErrores(analisis)
    aviso = AvisoPrivacidad.vigente()
    casos = registrar_casos_anteriores(
        casos=[caso for _n, caso, _e in analisis.validos], actor=importacion.pedida_por, aviso=aviso
    )
    origenes = []
    for caso, (numero, _datos, entrada) in zip(casos, analisis.validos, strict=True):
        iniciar_importado(caso=caso, entrada=entrada)
        origenes.append(
            CasoImportado(caso=caso, importacion=importacion, renglon=numero, entrada=entrada)
        )
    CasoImportado.objects.bulk_create(origenes, batch_size=1000)
    _guardar_analisis(importacion, analisis)
    return len(casos)


def ejecutar(importacion_id: int) -> bool:
    """Hace la importación si este proceso gana el reclamo. Todo en una transacción: los
    casos, sus partes, eventos y flujos, el contador de folios y el cierre de la fila; si
    algo falla no queda nada y la importación dice por qué."""
    if not RECLAMO.reclamar(importacion_id, ahora=timezone.now(), retomar_vencido=True):
        return False
    importacion = Importacion.objects.select_related("pedida_por").get(pk=importacion_id)
    inicio = time.perf_counter()
    try:
        with transaction.atomic():
            importados = _importar_dentro(importacion)
            cerrado = RECLAMO.cerrar(
                importacion,
                estado=EstadoImportacion.IMPORTADA,
                importados=importados,
                terminada_en=timezone.now(),
                segundos=time.perf_counter() - inicio,
                errores=[],
                avisos=importacion.avisos,
                resumen=importacion.resumen,
                # Los datos personales de muestra ya están en los casos: no se quedan aquí.
                muestra=[],
                archivo="",
            )
            if not cerrado:
                raise _Retomada
    except _Retomada:
        return False
    except _ConErrores as con_errores:
        _guardar_analisis(importacion, con_errores.analisis)
        RECLAMO.cerrar(
            importacion,
            estado=EstadoImportacion.CON_ERRORES,
            errores=importacion.errores,
            avisos=importacion.avisos,
            muestra=importacion.muestra,
            resumen=importacion.resumen,
            revisada_en=importacion.revisada_en,
            error=_("Al importar, la revisión encontró errores nuevos: no se importó nada."),
        )
        return False
    except Exception as error:
        logger.exception("Falló la importación %s", importacion_id)
        RECLAMO.cerrar(
            importacion,
            estado=EstadoImportacion.FALLIDA,
            error=_("No se importó nada: %(error)s") % {"error": str(error)[:400]},
            segundos=time.perf_counter() - inicio,
        )
        return False
    # Ya importado, el archivo original (con datos personales) no se conserva.
    importacion.archivo.storage.delete(importacion.archivo.name)
    return True


def descartar(*, importacion: Importacion, actor) -> Importacion:
    """Deja la importación sin efecto y borra el archivo subido."""
    _exigir_editable(importacion)
    nombre = importacion.archivo.name
    importacion.estado = EstadoImportacion.DESCARTADA
    importacion.archivo = ""
    importacion.muestra = []
    importacion.save(update_fields=["estado", "archivo", "muestra"])
    if nombre:
        importacion.archivo.storage.delete(nombre)
    return importacion


def descartar_abandonadas() -> int:
    """Descarta (y borra su archivo) lo subido hace más de `DIAS_SIN_TERMINAR` días que no se
    importó."""
    limite = timezone.now() - timedelta(days=DIAS_SIN_TERMINAR)
    abandonadas = Importacion.objects.filter(
        creada_en__lt=limite,
        estado__in=[
            EstadoImportacion.SUBIDA,
            EstadoImportacion.CON_ERRORES,
            EstadoImportacion.LISTA,
            EstadoImportacion.FALLIDA,
        ],
    )[:50]
    for importacion in abandonadas:
        descartar(importacion=importacion, actor=None)
    return len(abandonadas)


def barrer_pendientes() -> int:
    """Vuelve a encolar lo que espera desde hace un minuto (no se pudo publicar o se perdió
    en el broker) y lo que un worker que murió dejó reclamado; descarta lo abandonado."""
    descartar_abandonadas()
    limite = timezone.now() - timedelta(seconds=60)
    ids = list(
        Importacion.objects.filter(
            Q(estado=EstadoImportacion.EN_COLA, pedida_en__lt=limite)
            | RECLAMO.vencidos(ahora=timezone.now())
        ).values_list("pk", flat=True)[:50]
    )
    for importacion_id in ids:
        encolar(importacion_id)
    return len(ids)

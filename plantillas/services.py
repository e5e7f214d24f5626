"""Servicios de documentos: solicitar (nueva versión, se genera en segundo plano) y generar."""

import calendar
import hashlib
import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casos.calendario import Calendario
from casos.models import Caso, Convenio, SolicitudARCO, TipoEvento, TipoEventoARCO
from casos.services.comun import bloquear, exigir, registrar
from casos.services.recepcion import siguiente_numero
from nucleo.colas import ERRORES_TRANSITORIOS
from nucleo.colas import encolar as publicar
from nucleo.reclamo import Reclamo

from . import selectors
from .archivos import revisar_escaneo, tipo_por_contenido
from .documentos import DOCUMENTOS, DOCUMENTOS_ARCO, instancia_de
from .models import (
    Documento,
    EstadoDocumento,
    InformeEstadistico,
    RemisionRegistro,
    TipoDocumento,
)
from .render import renderizar

logger = logging.getLogger(__name__)

INTENTOS_MAXIMOS = 3

# Un reclamo vencido (el worker murió) lo retoma el siguiente que intente generar.
RECLAMO = Reclamo(
    modelo=Documento,
    pendiente=EstadoDocumento.PENDIENTE,
    en_curso=EstadoDocumento.GENERANDO,
    plazo=lambda: timedelta(seconds=settings.DOCUMENTOS_RECLAMO_SEGUNDOS),
    campo_desde="reclamado_en",
)


def solicitar_documento(
    *,
    caso: Caso,
    tipo: str,
    actor=None,
    referencia: str = "",
    datos: dict | None = None,
    con_evento: bool = True,
    caso_nuevo: bool = False,
) -> Documento:
    """Crea la siguiente versión del documento y encola su generación al confirmar.

    Antes revisa, con el caso bloqueado, que el documento corresponda a la etapa del caso y
    que no le falten datos (un mensaje dice cuáles). `con_evento=False` cuando el documento
    acompaña a un hecho que ya dejó su evento (el acuse automático de la recepción).
    `caso_nuevo=True` cuando el caso se insertó en la transacción en curso (el acuse de la
    recepción): ninguna otra transacción lo ve hasta el COMMIT, así que no hay carrera que
    evitar ni versión anterior que leer (es la 1), y el error, si lo hay, deshace la
    recepción entera (sin savepoint propio)."""
    definicion = DOCUMENTOS[tipo]
    with transaction.atomic(savepoint=not caso_nuevo):
        if not caso_nuevo:
            caso = bloquear(caso)  # numeración de versiones sin carreras
        instancia = instancia_de(caso, tipo, referencia)
        if instancia is None:
            raise ValidationError(
                _("Ese documento no corresponde a la etapa en que está el caso %(folio)s.")
                % {"folio": caso.folio}
            )
        if definicion.faltantes is not None:
            faltan = definicion.faltantes(caso, referencia)
            if faltan:
                raise ValidationError(
                    _("Antes de generar el documento, complete: ") + " ".join(faltan)
                )
        ultima = (
            None
            if caso_nuevo
            else Documento.objects.filter(caso=caso, tipo=tipo, referencia=referencia).aggregate(
                n=Max("version")
            )["n"]
        )
        documento = Documento.objects.create(
            caso=caso,
            tipo=tipo,
            referencia=referencia,
            datos={
                **(definicion.al_pedir(caso, referencia) if definicion.al_pedir else {}),
                **(datos or {}),
                "etiqueta": instancia.etiqueta,
            },
            version=(ultima or 0) + 1,
            version_plantilla=definicion.version,
            solicitado_por=actor,
        )
        if con_evento:
            registrar(
                caso=caso,
                tipo=TipoEvento.TAREA,
                actor=actor,
                descripcion=_("Se generó %(doc)s (versión %(v)d).")
                % {"doc": documento.descripcion, "v": documento.version},
                datos={"documento": documento.pk},
            )
        transaction.on_commit(lambda: encolar(documento.pk))
    return documento


def solicitar_documento_arco(
    *, solicitud: SolicitudARCO, tipo: str, actor=None, datos: dict | None = None
) -> Documento:
    """La siguiente versión de un documento de la solicitud ARCO (la respuesta o el anexo
    con los datos de la persona), encolada en la cola `pdf` al confirmar; deja su evento en
    la línea de tiempo de la solicitud. El contenido lo arma la capa de privacidad al
    generarse (`plantillas.arco`)."""
    from casos.services.privacidad import bloquear_solicitud, registrar_evento

    if tipo not in DOCUMENTOS_ARCO:
        raise ValueError(f"No es un documento de una solicitud ARCO: {tipo}")
    with transaction.atomic():
        solicitud = bloquear_solicitud(solicitud)  # numeración de versiones sin carreras
        ultima = Documento.objects.filter(solicitud=solicitud, tipo=tipo).aggregate(
            n=Max("version")
        )["n"]
        documento = Documento.objects.create(
            solicitud=solicitud,
            tipo=tipo,
            datos=datos or {},
            version=(ultima or 0) + 1,
            version_plantilla=DOCUMENTOS[tipo].version,
            solicitado_por=actor,
        )
        registrar_evento(
            solicitud=solicitud,
            tipo=TipoEventoARCO.DOCUMENTO,
            descripcion=_("Se generó %(doc)s (versión %(v)d).")
            % {"doc": documento.descripcion, "v": documento.version},
            actor=actor,
            datos={"documento": documento.pk},
        )
        transaction.on_commit(lambda: encolar(documento.pk))
    return documento


def remitir_convenios(*, actor, convenios, destinatario: str) -> RemisionRegistro:
    """La coordinación arma un oficio con los convenios firmados que van al registro (los
    que no se han enviado y los prevenidos ya corregidos). Se genera el oficio en PDF."""
    exigir(bool((destinatario or "").strip()), _("Indique a quién va dirigido el oficio."))
    exigir(bool(convenios), _("Elija al menos un convenio para remitir."), "convenios")
    with transaction.atomic():
        ids = sorted(c.pk for c in convenios)
        bloqueados = list(
            Convenio.objects.select_for_update().select_related("caso").filter(pk__in=ids)
        )
        listos = set(
            selectors.convenios_remitibles().filter(pk__in=ids).values_list("pk", flat=True)
        )
        for convenio in bloqueados:
            exigir(
                convenio.pk in listos,
                _("El convenio del caso %(folio)s no está listo para remitirse.")
                % {"folio": convenio.caso.folio},
                "convenios",
            )
        anio = timezone.localdate().year
        numero = siguiente_numero("REM", anio)
        remision = RemisionRegistro.objects.create(
            numero=f"REM-{anio}-{numero:04d}",
            anio=anio,
            destinatario=destinatario.strip(),
            creada_por=actor,
        )
        remision.convenios.set(bloqueados)
        documento = Documento.objects.create(
            remision=remision,
            tipo=TipoDocumento.OFICIO_REMISION,
            version=1,
            version_plantilla=DOCUMENTOS[TipoDocumento.OFICIO_REMISION].version,
            solicitado_por=actor,
        )
        for convenio in bloqueados:
            registrar(
                caso=convenio.caso,
                tipo=TipoEvento.TAREA,
                actor=actor,
                descripcion=_("El convenio va en el oficio %(numero)s al registro.")
                % {"numero": remision.numero},
                datos={"remision": remision.pk, "documento": documento.pk},
            )
        transaction.on_commit(lambda: encolar(documento.pk))
    return remision


# --- Informe estadístico de la Dirección -----------------------------------------------------

INFORME = TipoDocumento.INFORME_ESTADISTICO
# Intentos de numerar un informe pedido mientras otro toma a la vez la misma letra.
INTENTOS_NUMERO = 5


def _letras(n: int) -> str:
    """1 → «A», 26 → «Z», 27 → «AA»: el sufijo de los informes pedidos en un mes."""
    letras = ""
    while n > 0:
        n, resto = divmod(n - 1, 26)
        letras = chr(ord("A") + resto) + letras
    return letras


def _fecha(valor, campo: str) -> date:
    if isinstance(valor, datetime):
        return timezone.localtime(valor).date() if timezone.is_aware(valor) else valor.date()
    exigir(isinstance(valor, date), _("Indique una fecha válida."), campo)
    return valor


def _parametros(parametros) -> dict[str, str]:
    """Los filtros del tablero tal como van en su dirección: nombre → valor, ambos texto."""
    exigir(hasattr(parametros, "items"), _("Los filtros del informe no son válidos."), "parametros")
    limpios = {}
    for nombre, valor in parametros.items():
        exigir(
            isinstance(nombre, str) and isinstance(valor, str),
            _("Los filtros del informe no son válidos."),
            "parametros",
        )
        limpios[nombre] = valor
    return limpios


def _descripcion(descripcion) -> list[list[str]]:
    """Los filtros en palabras: pares [etiqueta, valor]."""
    limpia = []
    for par in descripcion or []:
        exigir(
            isinstance(par, list | tuple) and len(par) == 2,
            _("La descripción de los filtros del informe no es válida."),
            "descripcion",
        )
        limpia.append([str(par[0]), str(par[1])])
    return limpia


def _es_el_mes(desde: date, hasta: date) -> bool:
    return desde.day == 1 and hasta == desde.replace(
        day=calendar.monthrange(desde.year, desde.month)[1]
    )


def _informe_mensual(*, desde: date, hasta: date, actor) -> tuple[InformeEstadistico, bool]:
    """El informe automático del mes, creado una sola vez («INF-2026-11»), bloqueado hasta
    el fin de la transacción. Dos peticiones simultáneas: la segunda espera a la primera
    (el número es único) y encuentra el mismo informe."""
    informe, creado = InformeEstadistico.objects.get_or_create(
        numero=f"INF-{desde:%Y-%m}",
        defaults={"desde": desde, "hasta": hasta, "automatico": True, "pedido_por": actor},
    )
    return InformeEstadistico.objects.select_for_update().get(pk=informe.pk), creado


def _informe_pedido(*, desde: date, hasta: date, **campos) -> InformeEstadistico:
    """Un informe pedido desde el tablero: «INF-2026-11-A», «-B»… por el mes en que empieza
    el periodo. Si otro pedido toma la misma letra a la vez, el número único lo rechaza y se
    toma la siguiente."""
    base = f"INF-{desde:%Y-%m}-"
    for _intento in range(INTENTOS_NUMERO):
        hechos = InformeEstadistico.objects.filter(numero__startswith=base).count()
        try:
            with transaction.atomic():
                return InformeEstadistico.objects.create(
                    numero=base + _letras(hechos + 1), desde=desde, hasta=hasta, **campos
                )
        except IntegrityError:
            continue
    raise ValidationError(_("No se pudo numerar el informe; vuelva a pedirlo."))


def pedir_informe_estadistico(
    *,
    desde: date,
    hasta: date,
    parametros: dict,
    descripcion: list,
    actor,
    automatico: bool = False,
) -> Documento:
    """Pide el informe estadístico del periodo con los filtros del tablero y encola su PDF al
    confirmar (la misma generación que el resto de los documentos).

    Uno pedido (`automatico=False`, necesita `casos.ver_estadistica`) es siempre un informe
    nuevo con su número. El mensual automático va del primer al último día de un mes, sin
    filtros, y es idempotente: pedirlo otra vez devuelve su documento en espera, en curso o
    listo, sin crear otro informe ni otro documento; solo si su última versión falló se pide
    una versión nueva."""
    desde, hasta = _fecha(desde, "desde"), _fecha(hasta, "hasta")
    exigir(
        desde <= hasta,
        _("La fecha inicial del informe no puede ser posterior a la fecha final."),
        "hasta",
    )
    parametros, descripcion = _parametros(parametros), _descripcion(descripcion)
    if automatico:
        exigir(
            _es_el_mes(desde, hasta),
            _("El informe mensual va del primer al último día de un mes."),
        )
    # El beat pide el mensual sin actor; una persona necesita ver la estadística.
    if (actor is not None or not automatico) and not (
        actor is not None and actor.has_perm(selectors.VER_ESTADISTICA)
    ):
        raise PermissionDenied
    with transaction.atomic():
        if automatico:
            informe, creado = _informe_mensual(desde=desde, hasta=hasta, actor=actor)
            vigente = (
                None
                if creado
                else informe.documentos.filter(tipo=INFORME)
                .exclude(estado=EstadoDocumento.FALLIDO)
                .order_by("-version")
                .first()
            )
            if vigente is not None:
                return vigente
        else:
            informe = _informe_pedido(
                desde=desde,
                hasta=hasta,
                parametros=parametros,
                descripcion=descripcion,
                pedido_por=actor,
            )
        ultima = informe.documentos.filter(tipo=INFORME).aggregate(n=Max("version"))["n"]
        documento = Documento.objects.create(
            informe=informe,
            tipo=INFORME,
            version=(ultima or 0) + 1,
            version_plantilla=DOCUMENTOS[INFORME].version,
            solicitado_por=actor,
        )
        transaction.on_commit(lambda: encolar(documento.pk))
    return documento


def primer_dia_habil(anio: int, mes: int, calendario: Calendario | None = None) -> date:
    """El primer día hábil del mes (sin fines de semana, descansos obligatorios ni los
    inhábiles del municipio)."""
    calendario = calendario or Calendario()
    dia = date(anio, mes, 1)
    while not calendario.es_habil(dia):
        dia += timedelta(days=1)
    return dia


def informe_del_mes_anterior(hoy: date | None = None) -> Documento | None:
    """Desde el primer día hábil de cada mes, el informe automático del mes anterior, sin
    filtros: se pide una sola vez (los días siguientes devuelve el mismo, así un beat que no
    corrió ese día lo pide al siguiente). Antes de ese día no hace nada y devuelve None."""
    hoy = hoy or timezone.localdate()
    if hoy < primer_dia_habil(hoy.year, hoy.month):
        return None
    hasta = hoy.replace(day=1) - timedelta(days=1)
    return pedir_informe_estadistico(
        desde=hasta.replace(day=1),
        hasta=hasta,
        parametros={},
        descripcion=[],
        actor=None,
        automatico=True,
    )


# --- Ejemplar firmado ------------------------------------------------------------------------


def _tipo_por_contenido(archivo) -> tuple[str, str]:
    """Tipo real del archivo por sus bytes (no por el nombre ni por lo que diga el
    navegador), y que esté completo: una imagen que abre, un PDF con su final."""
    archivo.seek(0)
    cabecera = archivo.read(16)
    encontrado = tipo_por_contenido(cabecera)
    if encontrado is None:
        raise ValidationError(
            _("El archivo no es un PDF, JPG ni PNG. Escanee el documento en uno de esos formatos."),
            code="tipo",
        )
    tipo, extension = encontrado
    archivo.seek(0)
    if extension == "pdf":
        contenido = archivo.read()
        if b"%%EOF" not in contenido[-2048:]:
            raise ValidationError(_("El PDF está incompleto o dañado."), code="danado")
    else:
        from PIL import Image

        try:
            with Image.open(archivo) as imagen:
                imagen.verify()
        except Exception:
            raise ValidationError(_("La imagen está incompleta o dañada."), code="danado") from None
    archivo.seek(0)
    return tipo, extension


def adjuntar_firmado(*, documento: Documento, archivo, actor) -> Documento:
    """Guarda el escaneo firmado de una versión; desde ese momento la versión queda
    bloqueada (no se vuelve a subir otro encima)."""
    maximo = settings.DOCUMENTO_FIRMADO_MAX_MB * 1024 * 1024
    exigir(
        archivo.size <= maximo,
        _("El archivo pesa %(mb).1f MB; el máximo es %(max)d MB.")
        % {"mb": archivo.size / 1024 / 1024, "max": settings.DOCUMENTO_FIRMADO_MAX_MB},
        "archivo",
    )
    exigir(archivo.size > 0, _("El archivo está vacío."), "archivo")
    tipo, extension = _tipo_por_contenido(archivo)
    # También por el servicio (no solo por el formulario): una imagen enorme en píxeles
    # agota la memoria del worker aunque pese poco.
    revisar_escaneo(archivo)
    resumen = hashlib.sha256()
    for trozo in archivo.chunks():
        resumen.update(trozo)
    archivo.seek(0)
    with transaction.atomic():
        documento = (
            Documento.objects.select_for_update(of=("self",))
            .select_related("caso", "remision", "informe", "solicitud")
            .get(pk=documento.pk)
        )
        exigir(
            documento.estado == EstadoDocumento.LISTO,
            _("Esta versión todavía no se genera; espere a que esté lista."),
        )
        exigir(
            not documento.bloqueado,
            _(
                "Esta versión ya tiene su ejemplar firmado y está bloqueada. Si hace falta otro, "
                "genere una versión nueva."
            ),
        )
        nombre = documento.nombre_archivo.removesuffix(".pdf") + f"-firmado.{extension}"
        documento.firmado.save(nombre, archivo, save=False)
        documento.firmado_tipo = tipo
        documento.firmado_sha256 = resumen.hexdigest()
        documento.firmado_en = timezone.now()
        documento.firmado_por = actor
        documento.save(
            update_fields=[
                "firmado",
                "firmado_tipo",
                "firmado_sha256",
                "firmado_en",
                "firmado_por",
            ]
        )
        if documento.caso_id:
            registrar(
                caso=documento.caso,
                tipo=TipoEvento.TAREA,
                actor=actor,
                descripcion=_("Se subió el ejemplar firmado de %(doc)s (versión %(v)d).")
                % {"doc": documento.descripcion, "v": documento.version},
                datos={"documento": documento.pk, "sha256": documento.firmado_sha256},
            )
    return documento


def encolar(documento_id: int) -> None:
    """Manda el documento a la cola `pdf`. Si el broker no responde, queda pendiente y el
    barrido periódico lo vuelve a encolar: la solicitud del usuario no falla por eso."""
    from .tasks import generar_documento

    publicar(generar_documento, documento_id)


def generar(documento_id: int) -> bool:
    """Genera el PDF si este proceso gana el reclamo de la fila (UPDATE condicional).

    Un error transitorio (la base, el almacenamiento, un worker saturado) devuelve el
    documento a pendiente y se relanza para que la tarea lo reintente; al agotar los intentos
    queda fallido. Un error de la plantilla o de sus datos no se arregla reintentando: queda
    fallido de inmediato, con su mensaje a la vista. El cierre exige el número de intento
    del reclamo: un worker lento cuyo reclamo venció no pisa al que lo retomó."""
    if not RECLAMO.reclamar(documento_id, ahora=timezone.now(), retomar_vencido=True):
        return False
    documento = Documento.objects.select_related("caso", "remision", "informe", "solicitud").get(
        pk=documento_id
    )
    definicion = DOCUMENTOS[documento.tipo]
    try:
        pdf = renderizar(definicion.plantilla, definicion.contexto(documento))
        documento.archivo.save(documento.nombre_archivo, ContentFile(pdf.contenido), save=False)
    except ERRORES_TRANSITORIOS as error:
        fallo = documento.intentos >= INTENTOS_MAXIMOS
        RECLAMO.cerrar(
            documento,
            estado=EstadoDocumento.FALLIDO if fallo else EstadoDocumento.PENDIENTE,
            error=str(error)[:500],
        )
        logger.exception("Falló la generación del documento %s", documento_id)
        raise
    except Exception as error:
        RECLAMO.cerrar(documento, estado=EstadoDocumento.FALLIDO, error=str(error)[:500])
        logger.exception("El documento %s no se puede generar (plantilla o datos)", documento_id)
        return False
    cerrado = RECLAMO.cerrar(
        documento,
        estado=EstadoDocumento.LISTO,
        archivo=documento.archivo.name,
        sha256=pdf.sha256,
        paginas=pdf.paginas,
        generado_en=timezone.now(),
        error="",
    )
    if not cerrado:
        # Otro worker lo retomó y su archivo es el que quedó registrado.
        documento.archivo.storage.delete(documento.archivo.name)
    return cerrado


def barrer_pendientes() -> int:
    """Vuelve a encolar lo pendiente de hace rato (lo que no se pudo publicar, o se perdió en
    el broker) y lo reclamado por un worker que murió."""
    limite = timezone.now() - timedelta(seconds=settings.DOCUMENTOS_BARRIDO_SEGUNDOS)
    ids = list(
        Documento.objects.filter(
            Q(estado=EstadoDocumento.PENDIENTE, solicitado_en__lt=limite)
            | RECLAMO.vencidos(ahora=timezone.now())
        ).values_list("pk", flat=True)[:500]
    )
    for documento_id in ids:
        encolar(documento_id)
    return len(ids)

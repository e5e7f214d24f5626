"""Servicios de documentos: solicitar (nueva versión, se genera en segundo plano) y generar."""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casos.models import Caso, TipoEvento
from casos.services.comun import bloquear, registrar

from .documentos import DOCUMENTOS
from .models import Documento, EstadoDocumento
from .render import renderizar

logger = logging.getLogger(__name__)

RECLAMO_VENCE = timedelta(minutes=5)
INTENTOS_MAXIMOS = 3


def solicitar_documento(
    *, caso: Caso, tipo: str, actor=None, referencia: str = "", con_evento: bool = True
) -> Documento:
    """Crea la siguiente versión del documento y encola su generación al confirmar.

    `con_evento=False` cuando el documento acompaña a un hecho que ya dejó su evento (el
    acuse automático de la recepción)."""
    definicion = DOCUMENTOS[tipo]
    if definicion.faltantes is not None:
        faltan = definicion.faltantes(caso)
        if faltan:
            raise ValidationError(_("Antes de generar el documento, complete: ") + " ".join(faltan))
    with transaction.atomic():
        caso = bloquear(caso)  # numeración de versiones sin carreras
        ultima = Documento.objects.filter(caso=caso, tipo=tipo, referencia=referencia).aggregate(
            n=Max("version")
        )["n"]
        documento = Documento.objects.create(
            caso=caso,
            tipo=tipo,
            referencia=referencia,
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
                % {"doc": documento.get_tipo_display().lower(), "v": documento.version},
                datos={"documento": documento.pk},
            )
        transaction.on_commit(lambda: encolar(documento.pk))
    return documento


def encolar(documento_id: int) -> None:
    """Manda el documento a la cola `pdf`. Si el broker no responde, queda pendiente y el
    barrido periódico lo vuelve a encolar: la solicitud del usuario no falla por eso."""
    from .tasks import generar_documento

    try:
        generar_documento.delay(documento_id)
    except Exception:  # broker caído: lo recoge el barrido
        logger.warning("No se pudo encolar el documento %s; queda pendiente", documento_id)


def generar(documento_id: int) -> bool:
    """Genera el PDF si este proceso gana el reclamo de la fila (UPDATE condicional)."""
    ahora = timezone.now()
    reclamado = Documento.objects.filter(
        Q(estado=EstadoDocumento.PENDIENTE)
        | Q(estado=EstadoDocumento.GENERANDO, reclamado_en__lt=ahora - RECLAMO_VENCE),
        pk=documento_id,
    ).update(estado=EstadoDocumento.GENERANDO, reclamado_en=ahora, intentos=F("intentos") + 1)
    if reclamado != 1:
        return False
    documento = Documento.objects.select_related("caso").get(pk=documento_id)
    definicion = DOCUMENTOS[documento.tipo]
    try:
        pdf = renderizar(definicion.plantilla, definicion.contexto(documento))
    except Exception as error:
        fallo = documento.intentos >= INTENTOS_MAXIMOS
        Documento.objects.filter(pk=documento_id).update(
            estado=EstadoDocumento.FALLIDO if fallo else EstadoDocumento.PENDIENTE,
            error=str(error)[:500],
        )
        logger.exception("Falló la generación del documento %s", documento_id)
        raise
    documento.archivo.save(documento.nombre_archivo, ContentFile(pdf.contenido), save=False)
    Documento.objects.filter(pk=documento_id).update(
        estado=EstadoDocumento.LISTO,
        archivo=documento.archivo.name,
        sha256=pdf.sha256,
        paginas=pdf.paginas,
        generado_en=timezone.now(),
        error="",
    )
    return True


def barrer_pendientes() -> int:
    """Vuelve a encolar lo pendiente de hace rato y lo reclamado por un worker que murió."""
    limite = timezone.now() - timedelta(minutes=2)
    ids = list(
        Documento.objects.filter(
            Q(estado=EstadoDocumento.PENDIENTE, solicitado_en__lt=limite)
            | Q(estado=EstadoDocumento.GENERANDO, reclamado_en__lt=timezone.now() - RECLAMO_VENCE)
        ).values_list("pk", flat=True)[:500]
    )
    for documento_id in ids:
        encolar(documento_id)
    return len(ids)

"""Lecturas de documentos y remisiones, con los permisos ya aplicados."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from casos.models import Caso, Convenio, EstadoRegistro

from .models import Documento, RemisionRegistro


def ultima_version(*, caso: Caso, tipo: str, referencia: str = "") -> Documento | None:
    """La versión más reciente de un documento del caso (de esa referencia), o None."""
    return (
        Documento.objects.filter(caso=caso, tipo=tipo, referencia=referencia)
        .order_by("-version")
        .first()
    )


def convenios_remitibles() -> QuerySet[Convenio]:
    """Convenios firmados que pueden ir en un oficio de remisión: sin enviar y que no van ya
    en otro oficio, o prevenidos sin un oficio de un día posterior a la prevención (la fecha de
    la prevención no tiene hora: el mismo día se permite volver a remitir)."""
    ya_remitido = RemisionRegistro.objects.filter(convenios=OuterRef("pk"))
    return (
        Convenio.objects.filter(firmado_en__isnull=False)
        .filter(
            Q(~Exists(ya_remitido), estado_registro=EstadoRegistro.SIN_ENVIAR)
            | Q(
                ~Exists(ya_remitido.filter(creada_en__date__gt=OuterRef("prevenido_en"))),
                estado_registro=EstadoRegistro.PREVENIDO,
            )
        )
        .select_related("caso", "caso__responsable")
        .order_by("firmado_en")
    )

"""Lecturas de documentos, remisiones e informes estadísticos, con los permisos ya aplicados."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from casos import acceso
from casos.calendario import Calendario
from casos.models import Caso, Convenio, Estado, EstadoRegistro, TipoEvento
from casos.plazos import registro_vence_el
from casos.selectors import caso_para_personal, puede_actuar_en
from nucleo.compiladas import ENTERO, Compilada

from .models import (
    Documento,
    EstadoDocumento,
    InformeEstadistico,
    RemisionRegistro,
    TipoDocumento,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

REMITIR = "plantillas.remitir_convenios"
VER_ESTADISTICA = "casos.ver_estadistica"


def documento_para_personal(*, usuario: "AbstractUser", pk: int) -> Documento:
    """El documento, si quien lo pide puede ver su caso (remitir, si es de una remisión; ver
    la estadística, si es un informe estadístico; atender los derechos ARCO, si es de una
    solicitud ARCO).

    Http404 si no existe; PermissionDenied si no le corresponde."""
    documento = get_object_or_404(
        Documento.objects.select_related("caso", "remision", "informe", "solicitud"), pk=pk
    )
    if documento.caso_id:
        caso_para_personal(usuario=usuario, folio=documento.caso.folio)
    elif documento.solicitud_id:
        if not acceso.atiende_arco(usuario):
            raise PermissionDenied
    elif documento.informe_id:
        if not usuario.has_perm(VER_ESTADISTICA):
            raise PermissionDenied
    elif not usuario.has_perm(REMITIR):
        raise PermissionDenied
    return documento


def puede_modificar(*, usuario: "AbstractUser", documento: Documento) -> bool:
    """Si puede subir el ejemplar firmado: quien actúa en el caso, o quien remite si el
    documento es de una remisión. Un informe estadístico y los documentos de una solicitud
    ARCO no llevan ejemplar firmado."""
    if documento.caso_id:
        return puede_actuar_en(usuario, documento.caso)
    if documento.informe_id or documento.solicitud_id:
        return False
    return usuario.has_perm(REMITIR)


def documentos_de_caso(*, caso: Caso) -> QuerySet[Documento]:
    """Todas las versiones de los documentos del caso, la más reciente primero en cada uno."""
    return (
        Documento.objects.filter(caso=caso)
        .select_related("caso")
        .order_by("tipo", "referencia", "-version")
    )


def documentos_de_solicitud(*, solicitud) -> QuerySet[Documento]:
    """Las versiones de los documentos de una solicitud ARCO, la más reciente primero."""
    return (
        Documento.objects.filter(solicitud=solicitud)
        .select_related("solicitud")
        .order_by("tipo", "-version")
    )


def ultima_version(*, caso: Caso, tipo: str, referencia: str = "") -> Documento | None:
    """La versión más reciente de un documento del caso (de esa referencia), o None."""
    return (
        Documento.objects.filter(caso=caso, tipo=tipo, referencia=referencia)
        .order_by("-version")
        .first()
    )


def ultimo_acuse(*, caso: Caso) -> Documento | None:
    """El acuse vigente del caso: su última versión (la que lleva el código actual)."""
    return (
        Documento.objects.filter(caso=caso, tipo=TipoDocumento.ACUSE).order_by("-version").first()
    )


def remisiones_recientes(
    *, usuario: "AbstractUser", limite: int = 50
) -> QuerySet[RemisionRegistro]:
    """Los últimos oficios de remisión con sus convenios y documentos (solo quien remite)."""
    if not usuario.has_perm(REMITIR):
        raise PermissionDenied
    return RemisionRegistro.objects.prefetch_related("convenios__caso", "documentos")[:limite]


def informes_recientes(
    *, usuario: "AbstractUser", limite: int = 24
) -> QuerySet[InformeEstadistico]:
    """Los últimos informes estadísticos, el más nuevo primero, cada uno con sus versiones
    ya leídas (`informe.ultimo_documento` no vuelve a consultar). Solo quien ve la
    estadística."""
    if not usuario.has_perm(VER_ESTADISTICA):
        raise PermissionDenied
    versiones = Documento.objects.filter(tipo=TipoDocumento.INFORME_ESTADISTICO).order_by(
        "-version"
    )
    return InformeEstadistico.objects.select_related("pedido_por").prefetch_related(
        Prefetch("documentos", queryset=versiones)
    )[:limite]


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


def documento_por_id(*, pk: int) -> Documento | None:
    """Un documento con su caso, o None (para enlaces firmados que ya se verificaron)."""
    return Documento.objects.select_related("caso").filter(pk=pk).first()


def ultimo_convenio_firmado(*, caso: Caso) -> Documento | None:
    """La versión más reciente del convenio con su ejemplar firmado subido."""
    return (
        Documento.objects.filter(caso=caso, tipo=TipoDocumento.CONVENIO)
        .exclude(firmado="")
        .order_by("-version")
        .first()
    )


# Lo que la página de estado pública necesita de cada versión (enlace, nombre y si ya está
# lista), con su SQL armado una vez por proceso (`nucleo.compiladas`).
_COLUMNAS_PUBLICAS = ("caso", "tipo", "version", "estado", "firmado")
_ACUSES_Y_CONVENIOS_FIRMADOS = Compilada(
    lambda caso_id: (
        Documento.objects.filter(
            Q(tipo=TipoDocumento.ACUSE) | (Q(tipo=TipoDocumento.CONVENIO) & ~Q(firmado="")),
            caso_id=caso_id,
        )
        .order_by("-version", "-pk")
        .only(*_COLUMNAS_PUBLICAS)
    ),
    ENTERO,
)


def acuse_y_convenio_firmado(*, caso: Caso) -> tuple[Documento | None, Documento | None]:
    """`ultimo_acuse` y `ultimo_convenio_firmado` en una sola consulta (la página de estado
    pública pide los dos; un caso tiene pocas versiones de cada uno). Con las columnas que
    usa esa página; las demás, diferidas."""
    acuse = convenio = None
    for documento in _ACUSES_Y_CONVENIOS_FIRMADOS.modelos(caso.pk):
        if documento.tipo == TipoDocumento.ACUSE:
            acuse = acuse or documento
        else:
            convenio = convenio or documento
    return acuse, convenio


def documento_pendiente_mas_antiguo():
    """Desde cuándo espera el documento en espera de generarse más antiguo (None: ninguno)."""
    return Documento.objects.filter(estado=EstadoDocumento.PENDIENTE).aggregate(
        desde=Min("solicitado_en")
    )["desde"]


@dataclass(frozen=True)
class ConvenioEnRegistro:
    """Un renglón del reloj del registro: el convenio, el término que corre y cuántos días
    hábiles le quedan (negativo: vencido hace tantos)."""

    convenio: Convenio
    que: str
    vence: date
    dias: int

    @property
    def vencido(self) -> bool:
        return self.dias < 0

    @property
    def atraso(self) -> int:
        return max(0, -self.dias)


def reloj_del_registro(*, usuario: "AbstractUser", al: date | None = None) -> list:
    """Cada convenio firmado que está en el registro o debe ir a él, con su término: enviado,
    la respuesta del registro (30 días hábiles, arts. 103-111); prevenido, la corrección (10
    días hábiles); firmado sin enviar, el envío (10 días hábiles, art. 98). Lo vencido
    primero (lo más vencido arriba) y luego por fecha. Solo quien remite convenios."""
    from casos.services import mediacion as med

    if not usuario.has_perm(REMITIR):
        raise PermissionDenied
    al = al or timezone.localdate()
    cal = Calendario()
    convenios = (
        Convenio.objects.filter(firmado_en__isnull=False)
        .filter(
            estado_registro__in=[
                EstadoRegistro.SIN_ENVIAR,
                EstadoRegistro.ENVIADO,
                EstadoRegistro.PREVENIDO,
            ]
        )
        .filter(caso__estado__in=[Estado.CONVENIO, Estado.VALIDACION, Estado.SEGUIMIENTO])
        .select_related("caso", "caso__responsable")
    )
    renglones = []
    for convenio in convenios:
        terminos = med.plazos_de_registro(convenio, cal)
        if terminos:
            termino = terminos[0]
            que = (
                _("Respuesta del registro")
                if termino.tipo_evento == TipoEvento.PLAZO_REGISTRO_VENCIDO
                else _("Corrección de la prevención")
            )
            vence = termino.vence
        else:
            vence = registro_vence_el(convenio)
            que = _("Envío a registro (art. 98)")
        renglones.append(ConvenioEnRegistro(convenio, que, vence, cal.entre(al, vence)))
    return sorted(renglones, key=lambda r: (not r.vencido, r.dias, r.convenio.caso.folio))


def invitaciones_con_sesion(*, caso: Caso, sesion_id: int) -> list[Documento]:
    """La última versión de cada invitación del caso que ya se generó con esa sesión (su
    fecha, hora y lugar quedaron impresos)."""
    ultimas: dict[str, Documento] = {}
    for documento in Documento.objects.filter(caso=caso, tipo=TipoDocumento.INVITACION).order_by(
        "referencia", "version"
    ):
        ultimas[documento.referencia] = documento
    return [
        d
        for d in ultimas.values()
        if d.estado == EstadoDocumento.LISTO and d.datos.get("sesion") == sesion_id
    ]

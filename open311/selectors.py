"""Lecturas públicas de Open311: solicitudes sin ningún dato personal.

Solo se leen columnas que pueden publicarse (estado, categoría, fechas); el relato, las
partes y las sesiones ni siquiera se cargan. Los asuntos que se canalizan (violencia contra
las mujeres, materia penal) y los que el personal canalizó no se listan: su sola existencia
con fecha y hora puede delatar a quien pidió ayuda. Por eso tampoco se publica el folio
(consecutivo: sus huecos los delatarían), sino su identificador cifrado
(`identificadores`).
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casos import plazos, selectors
from casos.calendario import Calendario, calendario_del_proceso
from casos.models import (
    ESTADOS_FINALES,
    AvisoPrivacidad,
    Canalizacion,
    Caso,
    Categoria,
    Centro,
    EsperaCiudadano,
    Estado,
    Localidad,
    TipoCaso,
)
from nucleo.compiladas import ENTERO, TEXTO, Compilada

from . import catalogo
from .formatos import fecha_w3c
from .identificadores import identificador_de

# GeoReport v2: "a span of 90 days or first 1000 requests returned, whichever is smallest".
VENTANA = timedelta(days=90)
MAXIMO = 1000

ABIERTA, CERRADA = "open", "closed"
_CAMPOS = (
    "folio",
    "tipo",
    "estado",
    "recibido_en",
    "actualizado_en",
    "admitido_en",
    "concluido_en",
    # Según qué fecha rigen sus cifras de plazos (para `expected_datetime`; no se publica).
    "plazos_segun",
    # Si el seguimiento halló un convenio incumplido (lo dice `status_notes`).
    "resultado_seguimiento",
    "categoria__nombre",
    "categoria__canalizar",
)


@dataclass(frozen=True)
class Filtros:
    """Filtros de `GET requests` ya validados. `folios` (si no es None, los de los
    identificadores pedidos) manda sobre todos los demás; una tupla vacía (ningún
    identificador válido) no encuentra nada."""

    folios: tuple[str, ...] | None = None
    servicios: tuple[tuple[str, int], ...] | None = None
    desde: datetime | None = None
    hasta: datetime | None = None
    estados: frozenset[str] = field(default_factory=frozenset)


def _publicables() -> QuerySet[Caso]:
    """Sin los asuntos que se canalizan: por su categoría, por su estado o porque el personal
    los canalizó (aunque la categoría sea ordinaria). Todo en la misma consulta."""
    return (
        selectors.con_ultima_prorroga(Caso.objects.all())
        .exclude(categoria__canalizar=True)
        .exclude(estado__in=[Estado.CANALIZADA, Estado.EN_CANALIZACION])
        .exclude(Exists(Canalizacion.objects.filter(caso=OuterRef("pk"))))
        .select_related("categoria")
        .only(*_CAMPOS)
    )


def solicitudes(filtros: Filtros) -> list[Caso]:
    """Más recientes primero, a lo más MAXIMO."""
    qs = _publicables()
    if filtros.folios is not None:
        qs = qs.filter(folio__in=filtros.folios)
    else:
        if filtros.servicios is not None:
            condicion = Q(pk__in=[])
            for tipo, categoria_id in filtros.servicios:
                condicion |= Q(tipo=tipo, categoria_id=categoria_id)
            qs = qs.filter(condicion)
        if filtros.desde is not None:
            qs = qs.filter(recibido_en__gte=filtros.desde)
        if filtros.hasta is not None:
            qs = qs.filter(recibido_en__lte=filtros.hasta)
        if filtros.estados == {ABIERTA}:
            qs = qs.exclude(estado__in=ESTADOS_FINALES)
        elif filtros.estados == {CERRADA}:
            qs = qs.filter(estado__in=ESTADOS_FINALES)
    return list(
        qs.prefetch_related(*plazos.precargas("esperas")).order_by("-recibido_en", "-pk")[:MAXIMO]
    )


# Una solicitud por su folio es la lectura pública más pedida: su SQL se arma una vez por
# proceso (`nucleo.compiladas`). El folio es único: sin el orden de los casos, que obligaría a
# ordenar el resultado. Con si tiene pausas, que solo se leen entonces.
_UNA = Compilada(
    lambda folio: (
        _publicables()
        .filter(folio=folio)
        .annotate(con_pausas=Exists(EsperaCiudadano.objects.filter(caso=OuterRef("pk"))))
        .order_by()[:1]
    ),
    TEXTO,
)
_PAUSAS = Compilada(
    lambda caso_id: EsperaCiudadano.objects.filter(caso_id=caso_id).order_by(), ENTERO
)


def solicitud(folio: str) -> Caso | None:
    """El caso publicable de ese folio; None si no existe o no se publica (igual para ambos).
    Las pausas se leen solo si una asesoría abierta las tiene (lo único que las usa: su
    plazo)."""
    caso = next(iter(_UNA.modelos(folio)), None)
    if caso is not None and caso.abierto and caso.tipo == TipoCaso.ASESORIA:
        plazos.precargar(caso, "esperas", _PAUSAS.modelos(caso.pk) if caso.con_pausas else [])
    return caso


def _fecha_esperada(caso: Caso, calendario: Calendario):
    """Fin del plazo que corre: el del procedimiento de mediación (LGMASC art. 64, con sus
    prórrogas) desde la admisión, o el de resolución de la asesoría (descontando pausas)."""
    if not caso.abierto:
        return None
    if caso.tipo == TipoCaso.MEDIACION:
        fecha = plazos.procedimiento_vence_el(caso)
    else:
        fecha = plazos.resolucion_vence_el(caso, calendario)
    return plazos.fin_del_dia(fecha) if fecha else None


class Presentador:
    """Convierte casos en renglones de `GET requests`; una consulta para el centro y un
    calendario compartido, sin importar cuántos casos sean."""

    def __init__(self):
        self.dependencia = Centro.actual().nombre
        self.calendario = calendario_del_proceso()
        self.zona = timezone.get_current_timezone()
        self.aviso = _(
            "Quien hizo la solicitud puede ver su detalle con el folio y su código de "
            "consulta en %(url)s."
        ) % {"url": catalogo.url_publica("portal:consulta")}

    def renglon(self, caso: Caso) -> dict:
        estado = caso.get_estado_display()
        notas = f"{estado}. {caso.explicacion_estado}" if caso.explicacion_estado else estado
        actualizada = caso.actualizado_en
        if not caso.abierto and caso.concluido_en:
            actualizada = caso.concluido_en
        return {
            "service_request_id": identificador_de(caso.folio),
            "status": ABIERTA if caso.abierto else CERRADA,
            "status_notes": notas,
            "service_name": caso.categoria.nombre,
            "service_code": catalogo.codigo_servicio(caso.tipo, caso.categoria_id),
            # El relato es confidencial (LGMASC arts. 6 y 37): nunca se publica.
            "description": None,
            "agency_responsible": self.dependencia,
            "service_notice": self.aviso,
            "requested_datetime": fecha_w3c(caso.recibido_en, self.zona),
            "updated_datetime": fecha_w3c(actualizada, self.zona),
            "expected_datetime": fecha_w3c(_fecha_esperada(caso, self.calendario), self.zona),
            # Ubicación: datos personales de las partes; no se publican.
            "address": None,
            "address_id": None,
            "zipcode": None,
            "lat": None,
            "long": None,
            "media_url": None,
        }


def ultimo_cambio_de_servicios() -> datetime:
    """Cuándo pudo cambiar la lista o la definición de servicios: la última edición de un
    catálogo en el admin, la última migración (los catálogos se siembran así) o la entrada
    en vigor del aviso de privacidad (su texto va en la definición)."""
    tipos = ContentType.objects.get_for_models(Categoria, Localidad, AvisoPrivacidad).values()
    momentos = [
        LogEntry.objects.filter(content_type__in=tipos).aggregate(m=Max("action_time"))["m"],
        MigrationRecorder.Migration.objects.aggregate(m=Max("applied"))["m"],
    ]
    aviso = AvisoPrivacidad.vigente()
    if aviso is not None:
        momentos.append(timezone.make_aware(datetime.combine(aviso.vigente_desde, time.min)))
    return max((m for m in momentos if m), default=None) or timezone.now()

"""De qué trata cada proceso: el registro de los tipos de artefacto que un flujo puede llevar.

El proceso de viewflow apunta a su artefacto por `artifact` (un caso, una solicitud ARCO…).
Las bandejas, la cola, los plazos, abrir o tomar una tarea y los avisos al personal no
saben qué es: se lo preguntan al adaptador de ese tipo, que da el folio, el estado, la
página de detalle, quién puede ver sus datos y cómo se anota esa apertura.

`flujos` registra el de los casos; las capas de arriba registran los suyos en
`AppConfig.ready()` (así `flujos` no importa a quien está arriba de él)."""

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from casos import acceso, codigos
from casos.models import Caso, TipoEvento
from casos.services.comun import registrar


@dataclass(frozen=True)
class Asunto:
    """Lo que una lista de tareas muestra del artefacto de su proceso."""

    folio: str
    estado: str  # texto para mostrar
    url: str  # su página de detalle
    tipo: str = ""
    categoria: str = ""
    localidad: str = ""
    objeto: Any = None
    # El caso, si el artefacto es un caso (los avisos al personal se ligan a él).
    caso: Caso | None = None


class Adaptador(ABC):
    """Lo que `flujos` necesita saber de un tipo de artefacto. Cada método que lee en lote
    hace una sola consulta para todos los renglones. Un adaptador al que le falte uno de los
    métodos abstractos no se puede crear (falla al registrarse, no al abrir una bandeja)."""

    modelo: type[Model]
    # Atributo del proceso (la clase proxy de su flujo) que da el artefacto ya leído.
    atributo = ""
    # El resumen con datos personales que ve, al abrir una tarea de la cola, quien ya puede
    # ver el artefacto (recibe `task` y el artefacto con el nombre de `atributo`).
    plantilla_resumen = ""
    # Si su página de detalle ofrece, a quien no puede verlo, pedir un acceso excepcional (los
    # casos): abrir una tarea ajena lleva ahí; si no, quien no puede verlo recibe un 403.
    pide_acceso_excepcional = False

    def flujos(self) -> Iterable:
        """Las clases de flujo que llevan este artefacto (para el filtro por tipo de tarea)."""
        return ()

    def objeto(self, process):
        return getattr(process.coerced, self.atributo)

    @abstractmethod
    def asunto(self, objeto) -> Asunto:
        """Lo que las listas de tareas muestran de este artefacto."""

    @abstractmethod
    def en_lote(self, pks: list) -> dict:
        """{pk: Asunto} de estos artefactos, en una consulta."""

    @abstractmethod
    def filtrar(self, *, folio: str, localidad: int | None, categoria: int | None):
        """Los pk de los artefactos que cumplen los filtros de la bandeja (un QuerySet de
        valores), o None si ninguno de este tipo puede cumplirlos."""

    @abstractmethod
    def puede_ver(self, usuario, objeto) -> bool:
        """Si la persona puede abrir los datos de este artefacto."""

    @abstractmethod
    def registrar_acceso(self, *, usuario, objeto, vista: str, request=None, detalle: str = ""):
        """Anota en la bitácora de accesos los datos personales que la página muestra."""

    def al_pasar_tarea(self, task, *, actor, nuevo) -> None:  # noqa: B027 - opcional
        """Lo que cambia en el artefacto cuando una tarea pasa a otra persona (al tomarla
        de la cola o al reasignarla), bajo el candado del proceso. Por omisión, nada: una
        solicitud ARCO no tiene «quien la lleva» que deba seguir a la tarea."""

    @abstractmethod
    def registrar_reasignacion(self, objeto, *, actor, descripcion: str, task) -> None:
        """El evento que deja la reasignación de una tarea en el artefacto."""


class AdaptadorCaso(Adaptador):
    """Casos de mediación y de asesoría: acceso por necesidad de saber (`casos.acceso`)."""

    modelo = Caso
    atributo = "caso"
    plantilla_resumen = "flujos/_resumen_caso.html"
    pide_acceso_excepcional = True

    def flujos(self):
        from .flows import AsesoriaFlow, LlamadaFlow, MediacionFlow

        return (MediacionFlow, AsesoriaFlow, LlamadaFlow)

    def asunto(self, caso: Caso) -> Asunto:
        return Asunto(
            folio=caso.folio,
            estado=caso.get_estado_display(),
            url=reverse("casos:detalle", args=[caso.folio]),
            tipo=caso.get_tipo_display(),
            categoria=str(caso.categoria or ""),
            localidad=str(caso.localidad or ""),
            objeto=caso,
            caso=caso,
        )

    def en_lote(self, pks):
        casos = Caso.objects.select_related("categoria", "localidad").in_bulk(pks)
        return {pk: self.asunto(caso) for pk, caso in casos.items()}

    def filtrar(self, *, folio, localidad, categoria):
        casos = Caso.objects.all()
        if folio:
            canonico = codigos.normalizar_folio(folio)
            casos = (
                casos.filter(folio=canonico) if canonico else casos.filter(folio__icontains=folio)
            )
        if localidad:
            casos = casos.filter(localidad_id=localidad)
        if categoria:
            casos = casos.filter(categoria_id=categoria)
        return casos.values("pk")

    def puede_ver(self, usuario, objeto):
        return acceso.puede_ver(usuario, objeto)

    def registrar_acceso(self, *, usuario, objeto, vista, request=None, detalle=""):
        acceso.registrar_acceso(
            usuario=usuario, casos=objeto, vista=vista, request=request, objeto=detalle
        )

    def al_pasar_tarea(self, task, *, actor, nuevo):
        """Las tareas que el flujo asigna a quien lleva el caso (`Assign(this.responsable)`)
        son del caso, no de una persona suelta: quien toma una de la cola, o a quien la
        coordinación se la pasa, pasa a llevar el caso (las siguientes tareas, las sesiones
        nuevas, los avisos y la política de acceso siguen a la misma persona)."""
        caso = task.process.coerced.caso
        if task.flow_task._owner is not None and caso.responsable_id != nuevo.pk:
            from casos.services.mediacion import asignar_responsable

            asignar_responsable(caso=caso, actor=actor, responsable=nuevo)

    def registrar_reasignacion(self, caso, *, actor, descripcion, task):
        registrar(
            caso=caso,
            tipo=TipoEvento.TAREA,
            actor=actor,
            descripcion=descripcion,
            datos={"tarea": task.pk},
        )


_ADAPTADORES: dict[type[Model], Adaptador] = {}


def registrar_adaptador(adaptador: Adaptador) -> None:
    """Lo llama el `AppConfig.ready()` de la capa dueña del artefacto."""
    _ADAPTADORES[adaptador.modelo] = adaptador


def adaptadores() -> list[Adaptador]:
    return list(_ADAPTADORES.values())


def _de_tipo(content_type_id) -> Adaptador:
    modelo = ContentType.objects.get_for_id(content_type_id).model_class()
    try:
        return _ADAPTADORES[modelo]
    except KeyError:
        raise LookupError(
            _("Ningún adaptador registrado para %(modelo)s.") % {"modelo": modelo}
        ) from None


def de_proceso(process) -> Adaptador:
    return _de_tipo(process.artifact_content_type_id)


def objeto_de(process):
    """El artefacto del proceso (el caso, la solicitud…), ya leído por su proceso proxy."""
    return de_proceso(process).objeto(process)


def de_tarea(task) -> Asunto:
    """El asunto de la tarea (una consulta: su artefacto)."""
    adaptador = de_proceso(task.process)
    return adaptador.asunto(adaptador.objeto(task.process))


def en_lote(tareas) -> dict[tuple[int, Any], Asunto]:
    """{(content_type_id, object_id): Asunto} de las tareas: una consulta por tipo."""
    por_tipo: dict[int, list] = {}
    for task in tareas:
        proceso = task.process
        por_tipo.setdefault(proceso.artifact_content_type_id, []).append(proceso.artifact_object_id)
    resultado = {}
    for tipo, pks in por_tipo.items():
        for pk, asunto in _de_tipo(tipo).en_lote(pks).items():
            resultado[(tipo, str(pk))] = asunto
    return resultado


def asunto_en(lote: dict, task) -> Asunto | None:
    proceso = task.process
    return lote.get((proceso.artifact_content_type_id, str(proceso.artifact_object_id)))


def condicion_de_filtros(*, folio: str, localidad, categoria) -> Q:
    """Las tareas cuyo artefacto cumple los filtros, en cualquiera de los tipos."""
    condicion = Q(pk__in=[])
    for adaptador in adaptadores():
        pks: QuerySet | None = adaptador.filtrar(
            folio=folio, localidad=localidad, categoria=categoria
        )
        if pks is None:
            continue
        condicion |= Q(
            process__artifact_content_type=ContentType.objects.get_for_model(adaptador.modelo),
            process__artifact_object_id__in=pks,
        )
    return condicion

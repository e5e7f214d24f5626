"""Lecturas de tareas: bandeja, cola, plazos y carga de trabajo. Cada lista hace un número
fijo de consultas: las tareas de la página y, en una consulta más por tipo de artefacto
(casos, solicitudes ARCO…), de qué trata cada una (`flujos.asuntos`)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casos import cifras, codigos, plazos
from casos.calendario import Calendario
from casos.horarios import horarios_libres
from casos.models import (
    ESTADOS_FINALES,
    Canalizacion,
    Caso,
    Clausula,
    Parte,
    Sala,
    Sesion,
    TipoCaso,
)
from casos.selectors import mediadores_elegibles
from casos.texto import limpiar_texto
from nucleo.entradas import entero_ascii

from . import asuntos

ABIERTAS = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
POR_PAGINA = 50


def tarea_humana(*, pk) -> Task:
    """Una tarea humana con su proceso y su dueño (404 si no existe o el id no es un número).
    Qué puede hacer cada quien con ella lo deciden `flujos.tareas` y el flujo."""
    if (numero := entero_ascii(pk)) is None:
        raise Http404
    return get_object_or_404(
        Task.objects.select_related("process", "owner"), pk=numero, flow_task_type="HUMAN"
    )


def clausula_del_caso(*, caso: Caso, pk) -> Clausula:
    """Una cláusula del convenio de este caso (404 si es de otro caso o no existe)."""
    if (numero := entero_ascii(pk)) is None:
        raise Http404
    return get_object_or_404(Clausula, pk=numero, convenio__caso=caso)


def canalizacion_en_espera(*, caso: Caso) -> Canalizacion | None:
    """El último oficio de canalización del caso que aún espera la respuesta de la
    dependencia."""
    return caso.canalizaciones.filter(respondida_en__isnull=True).last()


def elegibles_para(caso: Caso):
    """Quién puede llevar el caso: en mediación, facilitadores con certificación vigente
    (LGMASC arts. 42-43 y 55); en asesoría, las personas asesoras activas."""
    if caso.tipo == TipoCaso.MEDIACION:
        return mediadores_elegibles()
    return get_user_model().objects.filter(is_active=True, groups__name="asesor").distinct()


def usuario_activo(*, pk) -> AbstractBaseUser:
    """Una persona activa del personal por su id (404 si no existe, está inactiva o el id no
    es un número)."""
    if (numero := entero_ascii(pk)) is None:
        raise Http404
    return get_object_or_404(get_user_model(), pk=numero, is_active=True)


@dataclass
class FiltrosBandeja:
    folio: str = ""
    localidad: int | None = None
    categoria: int | None = None
    vencimiento: str = ""  # "", "vencidas", "por_vencer"
    persona: int | None = None  # quién tiene la tarea (vista de la coordinación)
    tarea: str = ""  # nombre del nodo («invitar», «programar»…)
    errores: list[str] = field(default_factory=list)

    @classmethod
    def desde(cls, datos) -> "FiltrosBandeja":
        def entero(nombre):
            # Un id mal escrito (otra escritura, superíndice, demasiadas cifras) no filtra.
            return entero_ascii((datos.get(nombre) or "").strip())

        vencimiento = datos.get("vencimiento", "")
        return cls(
            # Sin caracteres de control (un NUL no cabe en una consulta de PostgreSQL).
            folio=limpiar_texto(datos.get("folio"), una_linea=True)[:30],
            localidad=entero("localidad"),
            categoria=entero("categoria"),
            vencimiento=vencimiento if vencimiento in ("vencidas", "por_vencer") else "",
            persona=entero("persona"),
            tarea=tarea
            if (tarea := (datos.get("tarea") or "").strip()) in _nombres_de_tarea()
            else "",
        )

    def aplicar(self, tareas):
        if self.folio or self.localidad or self.categoria:
            # Cada tipo de artefacto (casos, solicitudes ARCO…) dice cuáles cumplen.
            tareas = tareas.filter(
                asuntos.condicion_de_filtros(
                    folio=self.folio, localidad=self.localidad, categoria=self.categoria
                )
            )
        if self.persona:
            tareas = tareas.filter(owner_id=self.persona)
        if self.tarea:
            tareas = tareas.filter(flow_task__endswith=f".{self.tarea}")
        ahora = timezone.now()
        if self.vencimiento == "vencidas":
            tareas = tareas.filter(scheduled__lt=ahora)
        elif self.vencimiento == "por_vencer":
            tareas = tareas.filter(scheduled__lte=limite_por_vencer())
        return tareas


def tipos_de_tarea() -> list[tuple[str, str]]:
    """Las tareas humanas de todos los flujos registrados (nombre del nodo y título), para
    filtrar listas."""
    tipos: dict[str, str] = {}
    for adaptador in asuntos.adaptadores():
        for flujo in adaptador.flujos():
            for nodo in flujo.instance.nodes():
                if nodo.task_type == "HUMAN":
                    tipos.setdefault(nodo.name, str(nodo.task_title))
    return sorted(tipos.items(), key=lambda par: par[1])


def _nombres_de_tarea() -> set[str]:
    return {nombre for nombre, _ in tipos_de_tarea()}


def personas_con_tareas():
    """Personal activo que tiene alguna tarea abierta (para el filtro de la coordinación)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=_abiertas().values("owner_id"))
        .order_by("first_name", "last_name", "username")
    )


def limite_por_vencer() -> datetime:
    """Fin del día hábil que está a N días hábiles de hoy."""
    return plazos.fin_del_dia(plazos.por_vencer_hasta(timezone.localdate()))


def _abiertas() -> QuerySet[Task]:
    # Las tareas de todos los tipos de artefacto (casos, solicitudes ARCO…): no se filtra por
    # el tipo (y así la consulta no depende de un join que el planificador puede estimar mal).
    return Task.objects.filter(flow_task_type="HUMAN", status__in=ABIERTAS)


def _humanas(tareas: QuerySet[Task] | None = None):
    return (
        (_abiertas() if tareas is None else tareas)
        .select_related("process", "owner")
        .order_by(F("scheduled").asc(nulls_last=True), "created")
    )


def tareas_humanas_abiertas(
    *, vencen_desde: date | None = None, vencen_hasta: date | None = None
) -> QuerySet[Task]:
    """Tareas humanas abiertas de todos los flujos, con su dueño y su proceso; si se dan
    fechas, solo las que vencen en ese rango de días (ambos incluidos)."""
    tareas = _abiertas().select_related("owner", "process")
    if vencen_desde is not None:
        tareas = tareas.filter(scheduled__date__gte=vencen_desde)
    if vencen_hasta is not None:
        tareas = tareas.filter(scheduled__date__lte=vencen_hasta)
    return tareas


def tareas_vencidas_por_persona(*, al: datetime) -> QuerySet[Task]:
    """Tareas humanas abiertas, con dueño, que vencieron antes de `al`; por persona y plazo."""
    return (
        _abiertas()
        .filter(owner__isnull=False, scheduled__lt=al)
        .select_related("owner", "process")
        .order_by("owner_id", "scheduled")
    )


def tareas_abiertas_del_caso(*, caso: Caso) -> QuerySet[Task]:
    """Tareas humanas abiertas del caso (nuevas, asignadas o empezadas), en el orden en que
    nacieron."""
    return tareas_del_caso(caso).filter(flow_task_type="HUMAN", status__in=ABIERTAS)


def tarea_abierta_del_caso(*, caso: Caso, nombre: str) -> Task | None:
    """La tarea abierta del caso en el nodo `nombre` («asignar»…), si la hay."""
    return tareas_abiertas_del_caso(caso=caso).filter(flow_task__endswith=f".{nombre}").first()


def siguiente_tarea_propia(*, caso: Caso, usuario) -> Task | None:
    """La primera tarea abierta del caso que ya está a nombre de `usuario` (a donde lo lleva
    guardar un paso), o None si no tiene otra en ese caso."""
    return (
        tareas_abiertas_del_caso(caso=caso)
        .filter(owner=usuario, status__in=(STATUS.ASSIGNED, STATUS.STARTED))
        .first()
    )


@dataclass
class Fila:
    task: Task
    asunto: asuntos.Asunto | None  # el caso, la solicitud ARCO…: folio, estado y enlace
    vence: datetime | None
    dias: int | None  # días hábiles que faltan (negativo: vencida)

    @property
    def caso(self) -> Caso | None:
        return self.asunto.caso if self.asunto else None

    @property
    def vencida(self) -> bool:
        return self.vence is not None and self.vence < timezone.now()


def _pagina(tareas, numero):
    pagina = Paginator(tareas, POR_PAGINA).get_page(entero_ascii(numero) or 1)
    lista = list(pagina.object_list)
    # Una consulta por tipo de artefacto en la página.
    lote = asuntos.en_lote(lista)
    calendario = Calendario()
    hoy = timezone.localdate()
    filas = []
    for t in lista:
        vence = t.scheduled
        dias = calendario.entre(hoy, timezone.localtime(vence).date()) if vence else None
        filas.append(Fila(task=t, asunto=asuntos.asunto_en(lote, t), vence=vence, dias=dias))
    pagina.object_list = filas
    return pagina


def bandeja(*, usuario, filtros: FiltrosBandeja, pagina=None, solo_casos: bool = False):
    """Las tareas de la persona; con `solo_casos`, solo las de casos (la API de casos no
    conoce otros asuntos, y así su paginación cuenta lo mismo que muestra)."""
    tareas = filtros.aplicar(_humanas().filter(owner=usuario))
    if solo_casos:
        tareas = tareas.filter(
            process__artifact_content_type=ContentType.objects.get_for_model(Caso)
        )
    return _pagina(tareas, pagina)


def permisos_de(usuario) -> list[str]:
    return sorted(usuario.get_all_permissions())


def cola(*, usuario, filtros: FiltrosBandeja, pagina=None):
    # Solo `status = NEW`, sin el `status IN (abiertas)` de las demás listas: con las dos
    # condiciones, PostgreSQL multiplica sus selectividades, estima casi cero renglones y, con
    # muchas tareas terminadas, deja el índice parcial de la cola (tarea_cola_idx) para
    # recorrer y ordenar todas las abiertas (5–10 ms a 100,000 y 1,000,000 de casos, contra
    # 0.2 ms por el índice).
    tareas = _humanas(
        Task.objects.filter(
            flow_task_type="HUMAN",
            status=STATUS.NEW,
            owner__isnull=True,
            owner_permission__in=permisos_de(usuario),
        )
    )
    return _pagina(filtros.aplicar(tareas), pagina)


def todas(*, filtros: FiltrosBandeja, pagina=None):
    return _pagina(filtros.aplicar(_humanas()), pagina)


def tareas_del_caso(caso):
    """Tareas del caso (abiertas y terminadas), para mostrar avance, turno y plazos."""
    tipo = ContentType.objects.get_for_model(Caso)
    return (
        Task.objects.filter(
            process__artifact_content_type=tipo, process__artifact_object_id=caso.pk
        )
        .select_related("owner", "process")
        .order_by("created", "id")
    )


def carga_de_trabajo(grupo: str):
    """Personas del rol con sus casos abiertos, para asignar según carga."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, groups__name=grupo)
        .annotate(
            abiertos=Count(
                "casos_a_cargo", filter=~Q(casos_a_cargo__estado__in=ESTADOS_FINALES), distinct=True
            )
        )
        .select_related("perfil_mediador")
        .order_by("abiertos", "first_name")
    )


@dataclass
class Plazo:
    etiqueta: str
    fecha: object
    dias: int
    cumplido: bool = False
    cifra: str = ""  # la cifra que rige al caso, p. ej. «5 días hábiles»

    @property
    def vencido(self) -> bool:
        return not self.cumplido and self.dias < 0


def plazos_del_caso(caso) -> list[Plazo]:
    """Plazos legales e internos que corren para el caso, con días hábiles restantes, cada
    uno con el fundamento y la cifra que rigen al caso (`casos.cifras`)."""
    from django.utils.translation import gettext as _

    from casos.models import ClavePlazo, Estado, EstadoRegistro, TipoCaso

    calendario = Calendario()
    hoy = timezone.localdate()
    lista = []

    def agregar(que, clave, fecha, cumplido=False, cifra=None):
        if fecha:
            regla = cifras.del_caso(clave, caso)
            lista.append(
                Plazo(
                    f"{que} ({regla.fundamento})",
                    fecha,
                    calendario.entre(hoy, fecha),
                    cumplido,
                    regla.texto if cifra is None else cifra,
                )
            )

    if not caso.abierto:
        return lista
    if caso.tipo == TipoCaso.MEDIACION:
        if caso.admitido_en:
            agregar(
                _("Invitar a la otra parte"),
                ClavePlazo.INVITACION_DIAS_HABILES,
                plazos.invitacion_vence_el(caso),
                caso.invitaciones.exists(),
            )
            prorrogado = caso.prorrogas.exists()
            agregar(
                _("Fin del procedimiento"),
                ClavePlazo.DURACION_MAXIMA_MESES,
                plazos.procedimiento_vence_el(caso),
                cifra=_("prorrogado por las partes") if prorrogado else None,
            )
        convenio = (
            getattr(caso, "convenio", None)
            if caso.estado in (Estado.CONVENIO, Estado.VALIDACION, Estado.SEGUIMIENTO)
            else None
        )
        if convenio is not None:
            if convenio.estado_registro == EstadoRegistro.SIN_ENVIAR:
                agregar(
                    _("Enviar el convenio a registro"),
                    ClavePlazo.REGISTRO_ENVIO_DIAS_HABILES,
                    plazos.registro_vence_el(convenio),
                )
            elif convenio.estado_registro == EstadoRegistro.PREVENIDO:
                agregar(
                    _("Corregir y reenviar el convenio prevenido"),
                    ClavePlazo.PREVENCION_DIAS_HABILES,
                    plazos.registro_vence_el(convenio),
                )
            elif convenio.estado_registro == EstadoRegistro.ENVIADO:
                agregar(
                    _("Respuesta del registro"),
                    ClavePlazo.REGISTRO_RESPUESTA_DIAS_HABILES,
                    plazos.respuesta_registro_vence_el(convenio, calendario),
                )
    else:
        agregar(
            _("Resolver la asesoría (descontando pausas)"),
            ClavePlazo.ASESORIA_RESOLUCION_DIAS_HABILES,
            plazos.resolucion_vence_el(caso, calendario),
        )
    return lista


@dataclass
class CifrasDelCaso:
    """Según qué fecha se cuentan las cifras de los plazos del caso y, si no son las de hoy,
    en qué difieren (`casos.cifras`)."""

    caso: Caso
    fecha: date
    recalculado: bool
    diferencias: list[cifras.Diferencia]


def cifras_del_caso(caso: Caso) -> CifrasDelCaso:
    return CifrasDelCaso(
        caso=caso,
        fecha=cifras.fecha_de_plazos(caso),
        recalculado=caso.plazos_segun is not None,
        diferencias=cifras.diferencias_con_hoy(caso) if caso.abierto else [],
    )


def cifra_del_caso(caso: Caso, clave: str) -> cifras.Cifra:
    """La cifra de un plazo que rige al caso, con su fundamento (para los textos de ayuda)."""
    return cifras.del_caso(clave, caso)


def casos_por_recalcular(*, folio: str = "") -> list[CifrasDelCaso]:
    """Casos abiertos cuyas cifras de plazos difieren de las de hoy (se recibieron, o se
    recalcularon, antes de la última cifra que empezó a regir), los más antiguos primero.
    Una consulta: las cifras se comparan en memoria."""
    hoy = timezone.localdate()
    cambio = cifras.ultimo_cambio(hoy)
    if cambio is None:
        return []
    inicio = timezone.make_aware(datetime.combine(cambio, time.min))
    casos = (
        Caso.objects.abiertos()
        .filter(Q(plazos_segun__lt=cambio) | Q(plazos_segun__isnull=True, recibido_en__lt=inicio))
        .select_related("categoria", "responsable")
        .order_by("recibido_en", "pk")
    )
    if folio := limpiar_texto(folio, una_linea=True)[:30]:
        normalizado = codigos.normalizar_folio(folio)
        casos = (
            casos.filter(folio=normalizado) if normalizado else casos.filter(folio__icontains=folio)
        )
    filas = (cifras_del_caso(c) for c in casos)
    return [f for f in filas if f.diferencias]


def personal_para(caso):
    """A quién se puede pasar una tarea del caso."""
    grupo = "mediador" if caso.tipo == "MED" else "asesor"
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[grupo, "coordinador"])
        .distinct()
        .order_by("first_name", "username")
    )


# --- Programar una sesión ---------------------------------------------------------------------


@dataclass
class Programacion:
    """Lo que muestra la página de programar (o corregir) una sesión: la sala elegida (None:
    otro lugar), la duración y los horarios libres de esa sala para quien lleva el caso."""

    sala: object
    duracion_min: int
    libres: object = None
    salas: list = field(default_factory=list)


def programacion(
    *, caso: Caso, sala_id=None, duracion_min=None, desde=None, excluir=None, mediador=None
) -> Programacion:
    """La sala pedida (o, si no se pide, la de la sesión que se mueve o la primera activa;
    «otro» es otro lugar sin sala) y sus horarios libres para la persona facilitadora del
    caso, en los siguientes días hábiles y dentro del plazo del procedimiento."""
    salas = list(Sala.objects.activos().prefetch_related("horarios"))
    duracion = entero_ascii(duracion_min) if duracion_min not in (None, "") else None
    if duracion is None or not 15 <= duracion <= 480:
        duracion = int(excluir.duracion.total_seconds() // 60) if excluir is not None else 60
    if sala_id == "otro":
        return Programacion(sala=None, duracion_min=duracion, salas=salas)
    numero = entero_ascii(sala_id) if sala_id else None
    if numero is None and excluir is not None:
        numero = excluir.sala_id
    sala = next((s for s in salas if s.pk == numero), None)
    if sala is None and numero is None:
        sala = salas[0] if salas else None
    if sala is None:
        return Programacion(sala=None, duracion_min=duracion, salas=salas)
    libres = horarios_libres(
        sala=sala,
        mediador=mediador or caso.responsable,
        duracion=timedelta(minutes=duracion),
        desde=desde,
        caso=caso,
        excluir=excluir,
    )
    return Programacion(sala=sala, duracion_min=duracion, libres=libres, salas=salas)


@dataclass(frozen=True)
class Llamada:
    """A quién llamar y por qué (los datos del proceso de la llamada)."""

    parte: Parte | None
    sesion: Sesion | None
    respuesta: str  # lo que respondió, ya en palabras («No asistirá», «Pide otra fecha»)


def llamada_de(process) -> Llamada:
    datos = process.data or {}
    parte = Parte.objects.filter(pk=datos.get("parte")).first()
    sesion = Sesion.objects.filter(pk=datos.get("sesion")).first()
    return Llamada(parte=parte, sesion=sesion, respuesta=str(datos.get("respuesta_texto", "")))


def llamada_abierta(*, caso: Caso, parte_id: int, sesion_id: int) -> Task | None:
    """La tarea «Llamar a la parte» aún abierta de esa parte y esa sesión, si la hay."""
    return (
        tareas_abiertas_del_caso(caso=caso)
        .filter(
            flow_task__endswith=".llamar",
            process__data__parte=parte_id,
            process__data__sesion=sesion_id,
        )
        .first()
    )

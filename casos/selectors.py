"""Lecturas del expediente, con los permisos ya aplicados, y las consultas que los servicios
y los plazos repiten (sesiones, invitaciones, convenio, certificación)."""

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from nucleo import compiladas

from . import acceso, codigos
from .models import (
    AccesoExcepcional,
    AccesoExpediente,
    Asistencia,
    Caso,
    Categoria,
    Clausula,
    Convenio,
    Cumplimiento,
    EstadoSesion,
    Evento,
    Invitacion,
    Localidad,
    Parte,
    PerfilMediador,
    Prorroga,
    RolParte,
    Sala,
    Sesion,
)
from .telefonos import intentar_normalizar
from .texto import normalizar_busqueda

# Sal ficticia para igualar el tiempo de respuesta cuando el folio no existe.
_SAL_FICTICIA = "0" * 32


def puede_ver_casos(usuario) -> bool:
    """Si la persona es del personal (rol con acceso a expedientes)."""
    return acceso.es_personal(usuario)


def puede_actuar_en(usuario, caso) -> bool:
    """Quien lleva el caso o la coordinación (asigna casos) actúa sobre él fuera de una tarea."""
    return acceso.puede_actuar(usuario, caso)


def _exigir_vista(usuario) -> None:
    if not puede_ver_casos(usuario):
        raise PermissionDenied


def buscar_casos(*, usuario, texto: str = "") -> QuerySet[Caso]:
    """Casos por folio (completo o parte), nombre de una parte o teléfono, entre los que la
    persona puede ver (`casos.acceso`)."""
    _exigir_vista(usuario)
    qs = (
        acceso.casos_visibles(usuario)
        .select_related("categoria", "localidad")
        .prefetch_related(Prefetch("partes", queryset=Parte.objects.order_by("id")))
    )
    texto = (texto or "").strip()
    if not texto:
        return qs.order_by("-recibido_en")
    folio = codigos.normalizar_folio(texto)
    if folio:
        return qs.filter(folio=folio)
    # Cada manera de coincidir es su propia consulta de ids, unidas con UNION: así cada una usa
    # su índice (en PostgreSQL, los de trigramas de la migración 0024) en vez de recorrer todos
    # los casos evaluando un OR de subconsultas.
    ids = [
        Caso.objects.filter(folio_anterior__in={texto, texto.upper()}).values_list("pk", flat=True)
    ]
    if len(texto) >= 4:
        ids.append(Caso.objects.filter(folio__icontains=texto.upper()).values_list("pk", flat=True))
    # Nombre y teléfono, solo de las partes cuyos datos no están bloqueados.
    partes = acceso.partes_visibles()
    telefono = intentar_normalizar(texto)
    if telefono:
        ids.append(partes.filter(telefono=telefono).values_list("caso_id", flat=True))
    digitos = "".join(c for c in texto if c.isdigit())
    # Quien llama suele dar solo los últimos dígitos de su número: bastan cuatro.
    if len(digitos) >= 4 and not telefono:
        ids.append(partes.filter(telefono__endswith=digitos).values_list("caso_id", flat=True))
    nombre = normalizar_busqueda(texto)
    if len(nombre) >= 3 and not digitos:
        ids.append(
            partes.filter(nombre_busqueda__contains=nombre).values_list("caso_id", flat=True)
        )
    ids = [q.order_by() for q in ids]  # sin el orden de cada modelo: no cabe en un UNION
    # Los ids se leen una vez: con el UNION como subconsulta, el conteo y la página lo volvían
    # a evaluar cada uno y PostgreSQL lo cruzaba con todos los casos (un nombre común, miles de
    # coincidencias entre 100,000 casos: ~100 ms por consulta); con la lista, cada una va por la
    # llave primaria.
    return qs.filter(pk__in=list(ids[0].union(*ids[1:]))).order_by("-recibido_en")


def caso_para_personal(*, usuario, folio: str) -> Caso:
    """El expediente completo, si la persona puede verlo. Http404 si no existe; SinAcceso
    (un PermissionDenied) si existe pero no es de su alcance."""
    _exigir_vista(usuario)
    try:
        caso = (
            Caso.objects.select_related(
                "categoria",
                "localidad",
                "modulo",
                "modulo__localidad",
                "capturado_por",
                "caso_anterior",
            )
            .prefetch_related(
                Prefetch("partes", queryset=Parte.objects.select_related("localidad")),
                Prefetch("eventos", queryset=Evento.objects.select_related("actor")),
                "casos_ligados",
            )
            .get(folio=folio)
        )
    except Caso.DoesNotExist:
        raise Http404 from None
    acceso.exigir_ver(usuario, caso)
    return caso


def parte_para_corregir(*, usuario, folio: str, pk: int) -> tuple[Caso, Parte]:
    """El caso y una de sus partes, para corregir sus datos de contacto. Solo quien actúa
    sobre el caso (quien lo lleva o la coordinación) y mientras siga abierto; Http404 si la
    parte no es de ese caso o sus datos están bloqueados (se corrigen con una rectificación
    ARCO, no desde el expediente)."""
    caso = caso_para_personal(usuario=usuario, folio=folio)
    if not acceso.puede_actuar(usuario, caso):
        raise PermissionDenied
    parte = next((p for p in caso.partes.all() if p.pk == pk), None)
    if parte is None or acceso.parte_bloqueada(parte):
        raise Http404
    return caso, parte


def casos_por_telefono(telefono_e164: str, *, solo_abiertos: bool = False) -> QuerySet[Caso]:
    """Casos donde alguna parte tiene ese teléfono, abiertos primero (para el conmutador y la
    revisión de duplicados). Un teléfono bloqueado no lleva a su caso."""
    if not telefono_e164:
        return Caso.objects.none()
    ids = acceso.partes_visibles(Parte.objects.filter(telefono=telefono_e164)).values("caso_id")
    qs = Caso.objects.filter(pk__in=ids).select_related("categoria", "localidad")
    if solo_abiertos:
        qs = qs.abiertos().order_by("-recibido_en")
    else:
        qs = qs.abiertos_primero()
    return qs.prefetch_related("partes")


def caso_recien_recibido(*, folio: str) -> Caso | None:
    """El caso que este navegador acaba de enviar (su folio viene de la sesión, no de la
    persona), para mostrarle folio y código mientras se puedan ver."""
    return Caso.objects.filter(folio=folio).first()


def con_ultima_prorroga(casos: QuerySet[Caso]) -> QuerySet[Caso]:
    """Cada caso con `ultima_prorroga`: la fecha límite de su prórroga más lejana (None sin
    prórrogas), en la misma consulta. `plazos.procedimiento_vence_el` la usa si está y no
    vuelve a leer las prórrogas."""
    ultima = (
        Prorroga.objects.filter(caso=OuterRef("pk"))
        .order_by("-nueva_fecha_limite")
        .values("nueva_fecha_limite")[:1]
    )
    return casos.annotate(ultima_prorroga=Subquery(ultima))


# La página de estado es la lectura pública más pedida: sus consultas (el caso, la próxima
# sesión, los pasos) se pasan a SQL una vez por proceso (`nucleo.compiladas`).
_CASO_POR_FOLIO = compiladas.Compilada(
    lambda folio: (
        con_ultima_prorroga(Caso.objects.filter(folio=folio))
        .select_related("categoria")
        .order_by()[:1]
    ),
    compiladas.TEXTO,
)


def caso_publico(*, folio: str, codigo: str) -> Caso | None:
    """El caso si folio y código coinciden; None en cualquier otro caso (misma respuesta).
    Con su categoría y su última prórroga (la página muestra el plazo). El folio es único:
    sin ordenar."""
    folio = codigos.normalizar_folio(folio)
    caso = next(iter(_CASO_POR_FOLIO.modelos(folio)), None) if folio else None
    if caso is None:
        codigos.codigo_coincide("MED-0000-00000", _SAL_FICTICIA, codigo)
        return None
    if not codigos.codigo_coincide(caso.folio, caso.codigo_sal, codigo):
        return None
    return caso


_PASOS_PUBLICOS = compiladas.Compilada(
    lambda caso_id: Evento.objects.filter(caso_id=caso_id, publico=True).values_list(
        "tipo", "creado_en"
    ),
    compiladas.ENTERO,
)


def pasos_publicos(caso: Caso) -> list[tuple[str, datetime]]:
    """(tipo, fecha) de los eventos públicos del caso, en orden: lo que la página de estado
    muestra de cada uno."""
    return _PASOS_PUBLICOS.filas(caso.pk)


_PROGRAMADAS = compiladas.Compilada(
    lambda caso_id: (
        Sesion.objects.filter(caso_id=caso_id)
        .programadas()
        .select_related("sala")
        .order_by("inicio", "pk")
    ),
    compiladas.ENTERO,
)


def proxima_sesion_por_venir(*, caso: Caso) -> Sesion | None:
    """La sesión programada del caso que empieza primero y no ha terminado, con su sala
    (la página de estado). Un caso tiene pocas programadas: la hora se compara aquí."""
    ahora = timezone.now()
    return next((s for s in _PROGRAMADAS.modelos(caso.pk) if s.fin >= ahora), None)


# --- Personas facilitadoras -----------------------------------------------------------------


def mediadores_elegibles(*, fecha: date | None = None) -> QuerySet:
    """Personas del rol mediador con certificación vigente (LGMASC arts. 42-43, 55)."""
    fecha = fecha or timezone.localdate()
    return (
        get_user_model()
        .objects.filter(
            is_active=True, groups__name="mediador", perfil_mediador__certificado_hasta__gte=fecha
        )
        .select_related("perfil_mediador")
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


def perfil_mediador(*, usuario_id: int | None) -> PerfilMediador | None:
    """Registro y certificación de la persona facilitadora (None si no está registrada)."""
    return PerfilMediador.objects.filter(usuario_id=usuario_id).first()


def tiene_rol(*, usuario, rol: str) -> bool:
    """Si la persona pertenece al grupo del rol (mediador, asesor, coordinador…)."""
    return usuario.groups.filter(name=rol).exists()


# --- Invitación -----------------------------------------------------------------------------


def parte_invitada(*, caso: Caso) -> Parte | None:
    """La otra parte del caso, a quien se invita (LGMASC art. 72)."""
    return caso.partes.filter(rol=RolParte.INVITADA).first()


def ultima_invitacion(*, caso: Caso) -> Invitacion | None:
    """El intento de invitación más reciente del caso."""
    return caso.invitaciones.order_by("-intento").first()


# --- Sesiones -------------------------------------------------------------------------------


def proxima_sesion_programada(*, caso: Caso) -> Sesion | None:
    """La sesión programada del caso que empieza primero."""
    return caso.sesiones.programadas().order_by("inicio").first()


def _otras_que_chocan(inicio: datetime, fin: datetime, excluir: Sesion | None) -> QuerySet:
    otras = Sesion.objects.que_chocan(inicio, fin)
    return otras.exclude(pk=excluir.pk) if excluir is not None else otras


def choque_en_sala(
    *, sala: Sala, inicio: datetime, fin: datetime, excluir: Sesion | None = None
) -> Sesion | None:
    """Una sesión programada en esa sala que se traslapa con [inicio, fin), sin contar
    `excluir` (la que se está moviendo)."""
    return _otras_que_chocan(inicio, fin, excluir).filter(sala=sala).select_related("caso").first()


def choque_del_mediador(
    *, mediador, inicio: datetime, fin: datetime, excluir: Sesion | None = None
) -> Sesion | None:
    """Una sesión programada de esa persona facilitadora que se traslapa con [inicio, fin),
    sin contar `excluir` (la que se está moviendo)."""
    return (
        _otras_que_chocan(inicio, fin, excluir)
        .filter(mediador=mediador)
        .select_related("caso")
        .first()
    )


def siguiente_numero_de_sesion(*, caso: Caso, tras: Sesion | None = None) -> int:
    """Número para una sesión nueva del caso: el que sigue a `tras` si está libre; si no,
    el siguiente al mayor."""
    if tras is not None and not caso.sesiones.filter(numero=tras.numero + 1).exists():
        return tras.numero + 1
    return (caso.sesiones.aggregate(n=Max("numero"))["n"] or 0) + 1


def contar_diferimientos(*, sesion: Sesion) -> int:
    """Cuántas veces se difirió esta sesión: cada diferimiento crea la siguiente, así que son
    las sesiones diferidas inmediatamente anteriores (el art. 76 cuenta por sesión)."""
    cuenta = 0
    anteriores = Sesion.objects.filter(caso_id=sesion.caso_id, numero__lt=sesion.numero)
    for estado in anteriores.order_by("-numero").values_list("estado", flat=True):
        if estado != EstadoSesion.DIFERIDA:
            break
        cuenta += 1
    return cuenta


def inasistencias_consecutivas(*, caso: Caso, campo: str) -> int:
    """Sesiones seguidas, desde la más reciente, con inasistencia sin causa de la parte cuyo
    `campo` de asistencia se cuenta (`asistencia_solicitante` o `asistencia_invitada`)."""
    cuenta = 0
    for valor in (
        caso.sesiones.exclude(
            estado__in=[EstadoSesion.PROGRAMADA, EstadoSesion.CANCELADA, EstadoSesion.DIFERIDA]
        )
        .order_by("-numero")
        .values_list(campo, flat=True)
    ):
        if valor != Asistencia.INJUSTIFICADA:
            break
        cuenta += 1
    return cuenta


# --- Convenio -------------------------------------------------------------------------------


def convenio_del_caso(*, caso: Caso, con_clausulas: bool = False) -> Convenio | None:
    """El convenio del caso, si ya se redactó (con sus cláusulas precargadas si se pide)."""
    convenios = Convenio.objects.filter(caso=caso)
    if con_clausulas:
        convenios = convenios.prefetch_related("clausulas")
    return convenios.first()


def primera_fecha_de_clausula(*, caso: Caso) -> date | None:
    """La fecha más próxima en que una cláusula pendiente debe cumplirse."""
    return (
        Clausula.objects.filter(
            convenio__caso=caso, cumplimiento=Cumplimiento.PENDIENTE, fecha_limite__isnull=False
        )
        .order_by("fecha_limite")
        .values_list("fecha_limite", flat=True)
        .first()
    )


VER_BITACORA = "casos.ver_bitacora_accesos"


def _exigir_bitacora(usuario) -> None:
    if not (acceso.es_personal(usuario) and usuario.has_perm(VER_BITACORA)):
        raise PermissionDenied


def bitacora_de_accesos(
    *, usuario, persona: str = "", folio: str = "", desde: date | None = None, hasta=None
) -> QuerySet[AccesoExpediente]:
    """Quién abrió qué expediente, cuándo y desde dónde (coordinación y dirección), con
    filtros por persona (usuario), folio y fechas en hora de México."""
    _exigir_bitacora(usuario)
    qs = AccesoExpediente.objects.select_related("usuario", "caso")
    if persona:
        qs = qs.filter(usuario__username=persona.strip())
    if folio:
        qs = qs.filter(caso__folio=codigos.normalizar_folio(folio) or folio.strip().upper())
    zona = timezone.get_current_timezone()
    if desde:
        qs = qs.filter(creado_en__gte=datetime.combine(desde, time.min, tzinfo=zona))
    if hasta:
        qs = qs.filter(
            creado_en__lt=datetime.combine(hasta + timedelta(days=1), time.min, tzinfo=zona)
        )
    return qs.order_by("-creado_en", "-id")


def accesos_del_caso(*, usuario, caso: Caso, limite: int = 50) -> list[AccesoExpediente]:
    """«Quién consultó este expediente»: lo más reciente primero (coordinación y dirección);
    lista vacía para quien no puede ver la bitácora."""
    if not (acceso.es_personal(usuario) and usuario.has_perm(VER_BITACORA)):
        return []
    return list(
        AccesoExpediente.objects.filter(caso=caso)
        .select_related("usuario")
        .order_by("-creado_en", "-id")[:limite]
    )


def excepcionales_por_revisar(*, usuario) -> QuerySet[AccesoExcepcional]:
    """Accesos excepcionales que la coordinación aún no revisa."""
    _exigir_bitacora(usuario)
    return (
        AccesoExcepcional.objects.filter(revisado_en__isnull=True)
        .select_related("usuario", "caso")
        .order_by("-concedido_en")
    )


def excepcional_por_revisar(*, usuario, pk: int) -> AccesoExcepcional:
    _exigir_bitacora(usuario)
    return get_object_or_404(AccesoExcepcional, pk=pk)


def caso_por_folio(*, folio: str) -> Caso:
    """Solo el caso (sin datos), para pedir un acceso excepcional sobre él; Http404 si no
    existe."""
    return get_object_or_404(Caso, folio=codigos.normalizar_folio(folio) or "")


@dataclass(frozen=True)
class PosibleDuplicado:
    """Lo único que se muestra de un caso abierto con el mismo teléfono mientras se captura
    (aunque quien captura no pueda ver ese expediente): folio, estado, fecha, categoría y el
    nombre de la otra parte, para que quien llama reconozca su asunto entre varios del mismo
    tipo (cuatro quejas por ruido se distinguen por el vecino). Quien llama es parte de esos
    casos: se le dice con quién es cada uno, nunca el relato, el domicilio ni los contactos
    de la otra parte. Cada vistazo queda en la bitácora de accesos."""

    folio: str
    estado: str
    estado_texto: str
    recibido_en: date
    categoria: str
    otra_parte: str


def posibles_duplicados(casos, *, telefono: str) -> list[PosibleDuplicado]:
    resumen = []
    for caso in casos:
        partes = list(caso.partes.all())
        quien_llama = next(
            (p for p in partes if p.telefono == telefono and not acceso.parte_bloqueada(p)), None
        )
        otra = next((p for p in partes if p is not quien_llama), None)
        resumen.append(
            PosibleDuplicado(
                folio=caso.folio,
                estado=caso.estado,
                estado_texto=caso.get_estado_display(),
                recibido_en=timezone.localtime(caso.recibido_en).date(),
                categoria=caso.categoria.nombre,
                otra_parte=acceso.nombre_para_mostrar(otra),
            )
        )
    return resumen


# --- Registro anterior (importación de casos) ---------------------------------------------


@dataclass(frozen=True)
class PersonalAsignable:
    """Quiénes del personal pueden recibir un caso importado (leído una vez por lote)."""

    mediadores_vigentes: frozenset[int]
    mediadores: frozenset[int]
    asesores: frozenset[int]


def personal_asignable(fecha: date | None = None) -> PersonalAsignable:
    """Quiénes pueden recibir un caso abierto importado, leído una vez para todo el lote."""
    fecha = fecha or timezone.localdate()
    activos = get_user_model().objects.filter(is_active=True)
    mediadores = set(activos.filter(groups__name="mediador").values_list("pk", flat=True))
    vigentes = set(
        PerfilMediador.objects.filter(
            usuario_id__in=mediadores, certificado_hasta__gte=fecha
        ).values_list("usuario_id", flat=True)
    )
    asesores = set(activos.filter(groups__name="asesor").values_list("pk", flat=True))
    return PersonalAsignable(frozenset(vigentes), frozenset(mediadores), frozenset(asesores))


def personal_por_nombre() -> dict[str, list]:
    """Cuentas del personal por usuario y por nombre completo, sin acentos ni mayúsculas
    (el registro anterior dice «Lic. Ana Ruiz» o «aruiz»): a un nombre pueden tocarle
    varias personas, y quien importa decide qué hacer entonces."""
    por_nombre: dict[str, list] = defaultdict(list)
    for usuario in get_user_model().objects.order_by("pk"):
        claves = {normalizar_busqueda(usuario.get_username())}
        completo = normalizar_busqueda(usuario.get_full_name())
        if completo:
            claves.add(completo)
        for clave in claves:
            por_nombre[clave].append(usuario)
    return dict(por_nombre)


def folios_existentes(folios: Sequence[str], anteriores: Sequence[str] = ()) -> set[str]:
    """Cuáles de estos folios (o folios anteriores) ya tiene algún caso del sistema."""
    encontrados: set[str] = set()
    folios, anteriores = list(folios), list(anteriores)
    for inicio in range(0, max(len(folios), len(anteriores)), 500):
        condicion = Q(folio__in=folios[inicio : inicio + 500])
        lote = anteriores[inicio : inicio + 500]
        if lote:
            condicion |= Q(folio_anterior__in=lote)
        for folio, anterior in Caso.objects.filter(condicion).values_list(
            "folio", "folio_anterior"
        ):
            encontrados.update({folio, anterior} - {""})
    return encontrados


def localidades_por_nombre() -> dict[str, Localidad]:
    """Localidades por su nombre sin acentos ni mayúsculas, también sin lo que va entre
    paréntesis y por lo que va entre ellos («Atotonilco el Alto (cabecera)» se encuentra
    como «atotonilco el alto» y como «cabecera»). Un alias que comparten dos se descarta."""
    return _por_alias(Localidad.objects.all())


def categorias_por_nombre() -> dict[str, list[Categoria]]:
    """Categorías por su nombre normalizado (puede haber una por tipo con el mismo nombre)."""
    por_nombre: dict[str, list[Categoria]] = defaultdict(list)
    for categoria in Categoria.objects.all():
        for alias in _alias(categoria.nombre):
            por_nombre[alias].append(categoria)
    return dict(por_nombre)


def _alias(nombre: str) -> set[str]:
    completo = normalizar_busqueda(nombre)
    alias = {completo}
    sin_parentesis = normalizar_busqueda(re.sub(r"\([^)]*\)", " ", nombre))
    if sin_parentesis:
        alias.add(sin_parentesis)
    for dentro in re.findall(r"\(([^)]*)\)", nombre):
        if normalizar_busqueda(dentro):
            alias.add(normalizar_busqueda(dentro))
    return alias


def _por_alias(objetos) -> dict:
    con_alias: dict[str, list] = defaultdict(list)
    completos = {}
    for objeto in objetos:
        completos[normalizar_busqueda(objeto.nombre)] = objeto
        for alias in _alias(objeto.nombre):
            con_alias[alias].append(objeto)
    unicos = {alias: lista[0] for alias, lista in con_alias.items() if len(lista) == 1}
    return {**unicos, **completos}

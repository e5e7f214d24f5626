"""Acceso por necesidad de saber: quién puede ver y hacer qué con cada expediente.

Los expedientes de mediación son confidenciales (LGMASC arts. 6 y 37) y guardan datos
personales (LGPDPPSO). Este módulo es el único que decide; páginas, tareas, descargas,
búsqueda, avisos, API, administración y exportaciones lo consultan, y cada apertura de datos
personales deja un renglón en la bitácora (`registrar_acceso`).

Por omisión (la oficina lo cambia con los permisos de cada rol en la administración):
- quien tiene `casos.ver_todos_los_casos` (coordinación y dirección): todos;
- una persona mediadora o asesora: los casos que lleva o llevó, aquellos en los que facilitó
  una sesión y aquellos en los que tiene o tuvo una tarea;
- quien captura (operadora): los casos que capturó;
- quien atiende los derechos ARCO (`casos.atender_arco`): los casos donde se identificaron
  datos de alguna solicitud ARCO (los necesita para entregarlos, rectificarlos o bloquearlos);
- cualquier otra persona del personal, solo con un acceso excepcional: motivado, temporal
  (`ACCESO_EXCEPCIONAL_HORAS`), en la bitácora y a la vista de la coordinación.

Datos bloqueados (LGPDPPSO arts. 3 fr. III y 45): los de una parte con `Parte.bloqueada_en`
(cancelación ARCO) y los de todas las partes de un caso con `Caso.bloqueado_en` (terminó su
conservación) se guardan solo para las obligaciones legales. No salen en búsquedas, listas,
agenda, API, exportaciones ni administración; en su lugar se dice por qué están bloqueados.
Solo quien tiene `casos.ver_datos_bloqueados` y puede ver el caso los revela, dando un motivo
que queda en la bitácora (`revelar_bloqueados`).
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from .models import (
    AccesoExcepcional,
    AccesoExpediente,
    Caso,
    Evento,
    Parte,
    Sesion,
    TipoEvento,
)

VER_CASOS = "casos.view_caso"
VER_CUALQUIER_CASO = "casos.ver_todos_los_casos"
ASIGNAR = "casos.asignar_responsable"
ATENDER_ARCO = "casos.atender_arco"
VER_BLOQUEADOS = "casos.ver_datos_bloqueados"
VISTA_BLOQUEADOS = "datos_bloqueados"
MAX_MOTIVO = 500


class SinAcceso(PermissionDenied):
    """El caso existe pero está fuera del alcance de quien lo pide: puede pedir un acceso
    excepcional motivado."""

    def __init__(self, caso: Caso):
        super().__init__(_("Este expediente no está entre los suyos."))
        self.caso = caso


def es_personal(usuario) -> bool:
    return bool(usuario and usuario.is_authenticated and usuario.has_perm(VER_CASOS))


def atiende_arco(usuario) -> bool:
    """Si la persona atiende los derechos ARCO: ve las solicitudes, sus documentos y sus
    tareas, y los casos donde se identificaron datos de alguna."""
    return es_personal(usuario) and usuario.has_perm(ATENDER_ARCO)


def ve_todos(usuario) -> bool:
    return es_personal(usuario) and usuario.has_perm(VER_CUALQUIER_CASO)


def _con_tarea(usuario) -> QuerySet:
    """Ids de los casos en los que la persona tiene o tuvo una tarea."""
    tipo = ContentType.objects.get_for_model(Caso)
    return Task.objects.filter(owner=usuario, process__artifact_content_type=tipo).values(
        "process__artifact_object_id"
    )


def condicion_de_alcance(usuario) -> Q:
    """Los casos que la persona ve por su trabajo (sin contar los de acceso excepcional)."""
    llevo = Evento.objects.filter(tipo=TipoEvento.ASIGNADA, datos__responsable=usuario.pk)
    condicion = (
        Q(responsable=usuario)
        | Q(capturado_por=usuario)
        | Q(pk__in=llevo.values("caso_id"))
        | Q(pk__in=Sesion.objects.filter(mediador=usuario).values("caso_id"))
        | Q(pk__in=_con_tarea(usuario))
    )
    if usuario.has_perm(ATENDER_ARCO):
        con_arco = Parte.objects.filter(solicitudes_arco__isnull=False).values("caso_id")
        condicion |= Q(pk__in=con_arco)
    return condicion


def _excepcionales_vigentes(usuario) -> QuerySet:
    return AccesoExcepcional.objects.filter(usuario=usuario, vence_en__gt=timezone.now())


def casos_visibles(usuario, casos: QuerySet[Caso] | None = None) -> QuerySet[Caso]:
    """Filtra `casos` (por omisión, todos) a los que la persona puede ver."""
    casos = Caso.objects.all() if casos is None else casos
    if not es_personal(usuario):
        return casos.none()
    if ve_todos(usuario):
        return casos
    excepcionales = _excepcionales_vigentes(usuario).values("caso_id")
    return casos.filter(condicion_de_alcance(usuario) | Q(pk__in=excepcionales))


def excepcional_vigente(usuario, caso: Caso) -> AccesoExcepcional | None:
    return _excepcionales_vigentes(usuario).filter(caso=caso).order_by("-vence_en").first()


def puede_ver(usuario, caso: Caso) -> bool:
    """Si la persona puede abrir los datos del caso (por su trabajo o con acceso excepcional
    vigente)."""
    if not es_personal(usuario):
        return False
    if ve_todos(usuario):
        return True
    return casos_visibles(usuario, Caso.objects.filter(pk=caso.pk)).exists()


def exigir_ver(usuario, caso: Caso) -> None:
    """PermissionDenied sin el rol del personal; SinAcceso si el caso no es de su alcance."""
    if not es_personal(usuario):
        raise PermissionDenied
    if not puede_ver(usuario, caso):
        raise SinAcceso(caso)


def puede_actuar(usuario, caso: Caso) -> bool:
    """Quien lleva el caso o la coordinación (asigna casos) actúa sobre él fuera de una
    tarea: diferir, prorrogar, concluir, reabrir, generar documentos, reintentar avisos."""
    if not es_personal(usuario):
        return False
    return caso.responsable_id == usuario.pk or usuario.has_perm(ASIGNAR)


def decide_captura_de_campo(usuario, *, capturado_por_id: int) -> bool:
    """Un posible duplicado capturado sin conexión en un módulo lo decide quien lo capturó o
    la coordinación (quien asigna), con las mismas opciones que la captura por teléfono."""
    return bool(
        usuario
        and usuario.is_authenticated
        and (usuario.pk == capturado_por_id or usuario.has_perm(ASIGNAR))
    )


def ip_de(request) -> str | None:
    """La dirección de quien pide. Detrás del proxy, la que el proxy anota al final de
    X-Forwarded-For (la única que no puede inventar el cliente), si así se configuró."""
    if request is None:
        return None
    if getattr(settings, "BITACORA_IP_DEL_PROXY", False):
        reenviada = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if reenviada:
            return reenviada.split(",")[-1].strip()[:45] or None
    return request.META.get("REMOTE_ADDR") or None


def registrar_acceso(
    *,
    usuario,
    casos: Caso | Iterable[Caso],
    vista: str,
    request=None,
    objeto: str = "",
) -> int:
    """Un renglón de bitácora por caso abierto (página, tarea, documento, búsqueda, API,
    administración, exportación). Si el acceso es excepcional, lleva su motivo."""
    lista = [casos] if isinstance(casos, Caso) else list(casos)
    if not lista:
        return 0
    motivos = {}
    if not ve_todos(usuario):
        ids = [c.pk for c in lista]
        for excepcional in _excepcionales_vigentes(usuario).filter(caso_id__in=ids):
            motivos.setdefault(excepcional.caso_id, excepcional.motivo)
        if motivos:
            propios = set(
                Caso.objects.filter(pk__in=motivos)
                .filter(condicion_de_alcance(usuario))
                .values_list("pk", flat=True)
            )
            motivos = {k: v for k, v in motivos.items() if k not in propios}
    ip = ip_de(request)
    AccesoExpediente.objects.bulk_create(
        [
            AccesoExpediente(
                caso=caso,
                usuario=usuario,
                vista=vista[:60],
                objeto=objeto[:80],
                ip=ip,
                motivo=motivos.get(caso.pk, ""),
            )
            for caso in lista
        ]
    )
    return len(lista)


def conceder_excepcional(*, usuario, caso: Caso, motivo: str, request=None) -> AccesoExcepcional:
    """Acceso excepcional: la persona del personal declara por qué necesita este expediente
    fuera de su alcance; vale `ACCESO_EXCEPCIONAL_HORAS` y la coordinación lo revisa."""
    if not es_personal(usuario):
        raise PermissionDenied
    motivo = " ".join((motivo or "").split())
    if len(motivo) < 10:
        raise ValidationError(
            {"motivo": [_("Explique en al menos 10 caracteres por qué necesita este expediente.")]}
        )
    if len(motivo) > MAX_MOTIVO:
        raise ValidationError(
            {"motivo": [_("El motivo no debe pasar de %(n)d caracteres.") % {"n": MAX_MOTIVO}]}
        )
    ahora = timezone.now()
    with transaction.atomic():
        concedido = AccesoExcepcional.objects.create(
            caso=caso,
            usuario=usuario,
            motivo=motivo,
            concedido_en=ahora,
            vence_en=ahora + timedelta(hours=settings.ACCESO_EXCEPCIONAL_HORAS),
        )
        AccesoExpediente.objects.create(
            caso=caso,
            usuario=usuario,
            vista="acceso_excepcional",
            ip=ip_de(request),
            motivo=motivo,
        )
    return concedido


def marcar_revisado(*, excepcional: AccesoExcepcional, revisor) -> AccesoExcepcional:
    """La coordinación deja constancia de que revisó un acceso excepcional."""
    if not revisor.has_perm("casos.ver_bitacora_accesos"):
        raise PermissionDenied
    AccesoExcepcional.objects.filter(pk=excepcional.pk, revisado_en__isnull=True).update(
        revisado_por=revisor, revisado_en=timezone.now()
    )
    excepcional.refresh_from_db()
    return excepcional


# --- Datos bloqueados -----------------------------------------------------------------------


def leyenda_de_bloqueo(*, parte_bloqueada_en, caso_bloqueado_en) -> str:
    """Lo que se muestra en lugar de los datos de una parte bloqueada ("" si no lo está)."""
    if parte_bloqueada_en is not None:
        return _("Datos bloqueados por una solicitud de derechos ARCO")
    if caso_bloqueado_en is not None:
        return _("Datos bloqueados por conservación")
    return ""


def razon_de_bloqueo(parte: Parte) -> str:
    """Por qué los datos de la parte están bloqueados ("" si no lo están). `parte.caso` ya
    viene cargado cuando la parte se lee desde su caso (`caso.partes.all()`)."""
    return leyenda_de_bloqueo(
        parte_bloqueada_en=parte.bloqueada_en, caso_bloqueado_en=parte.caso.bloqueado_en
    )


def parte_bloqueada(parte: Parte) -> bool:
    """Si los datos de la parte están bloqueados: por una cancelación ARCO (la parte) o porque
    terminó la conservación de su caso (todas las partes del caso)."""
    return bool(razon_de_bloqueo(parte))


def nombre_para_mostrar(parte: Parte | None) -> str:
    """El nombre de la parte, o la leyenda de bloqueo en su lugar (listas, agenda, tareas)."""
    if parte is None:
        return ""
    return razon_de_bloqueo(parte) or parte.nombre


def partes_visibles(partes: QuerySet[Parte] | None = None) -> QuerySet[Parte]:
    """Filtra `partes` (por omisión, todas) a las que no están bloqueadas ni son de un caso
    bloqueado: lo que buscan la búsqueda, el conmutador y la revisión de duplicados."""
    partes = Parte.objects.all() if partes is None else partes
    # Los casos bloqueados son pocos y tienen su índice parcial: se descartan como conjunto
    # (en PostgreSQL, una subconsulta en memoria). Con el cruce «caso no bloqueado», un nombre
    # común con miles de coincidencias recorría todos los casos.
    bloqueados = Caso.objects.filter(bloqueado_en__isnull=False).values("pk")
    return partes.filter(bloqueada_en__isnull=True).exclude(caso_id__in=bloqueados)


def tiene_bloqueados(caso: Caso) -> bool:
    """Si el caso tiene alguna parte con datos bloqueados (o todo él lo está)."""
    if caso.bloqueado_en is not None:
        return True
    return any(p.bloqueada_en is not None for p in caso.partes.all())


def puede_ver_bloqueados(usuario) -> bool:
    """Si la persona puede revelar datos bloqueados (siempre con motivo, caso por caso)."""
    return es_personal(usuario) and usuario.has_perm(VER_BLOQUEADOS)


def minutos_de_revelacion() -> int:
    return settings.DATOS_BLOQUEADOS_MINUTOS


def revelacion_vigente(usuario, caso: Caso) -> AccesoExpediente | None:
    """El renglón de bitácora con que la persona reveló los datos bloqueados de este caso en
    los últimos `DATOS_BLOQUEADOS_MINUTOS` (None si no hay o ya no tiene el permiso)."""
    if not puede_ver_bloqueados(usuario):
        return None
    desde = timezone.now() - timedelta(minutes=minutos_de_revelacion())
    return (
        AccesoExpediente.objects.filter(
            usuario=usuario, caso=caso, vista=VISTA_BLOQUEADOS, creado_en__gte=desde
        )
        .order_by("-creado_en", "-id")
        .first()
    )


def revelar_bloqueados(*, usuario, caso: Caso, motivo: str, request=None) -> AccesoExpediente:
    """Revela a quien atiende la privacidad los datos bloqueados de un caso.

    Exige `casos.ver_datos_bloqueados`, poder ver el caso (por su trabajo, porque el caso tiene
    datos de una solicitud ARCO que atiende o con acceso excepcional) y un motivo de al menos
    10 caracteres. Deja un renglón `AccesoExpediente` (vista «datos_bloqueados») con el motivo,
    y ese mismo renglón es la autorización: mientras tenga menos de
    `DATOS_BLOQUEADOS_MINUTOS`, la página del caso le muestra los datos a esa persona.

    Se eligió la bitácora como única constancia (y no la sesión del navegador ni un modelo
    aparte) porque no hay dos registros que puedan contradecirse: lo que autoriza ver es
    exactamente lo que la coordinación revisa, sobrevive a un cambio de navegador sin
    prolongarse, y caduca solo (no hay nada que limpiar). Quitar el permiso corta la
    revelación en la siguiente página."""
    if not puede_ver_bloqueados(usuario):
        raise PermissionDenied(_("Su rol no puede ver datos bloqueados."))
    exigir_ver(usuario, caso)
    motivo = " ".join((motivo or "").split())
    if len(motivo) < 10:
        raise ValidationError(
            {"motivo": [_("Explique en al menos 10 caracteres para qué necesita estos datos.")]}
        )
    if len(motivo) > MAX_MOTIVO:
        raise ValidationError(
            {"motivo": [_("El motivo no debe pasar de %(n)d caracteres.") % {"n": MAX_MOTIVO}]}
        )
    if not tiene_bloqueados(caso):
        raise ValidationError(
            {"motivo": [_("Este expediente no tiene datos bloqueados que revelar.")]}
        )
    return AccesoExpediente.objects.create(
        caso=caso,
        usuario=usuario,
        vista=VISTA_BLOQUEADOS,
        ip=ip_de(request),
        motivo=motivo,
    )

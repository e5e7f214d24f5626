"""Lecturas del expediente, con los permisos ya aplicados."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from . import codigos
from .models import Caso, Evento, Parte
from .telefonos import intentar_normalizar
from .texto import normalizar_busqueda

# Sal ficticia para igualar el tiempo de respuesta cuando el folio no existe.
_SAL_FICTICIA = "0" * 32


def puede_ver_casos(usuario) -> bool:
    return bool(usuario and usuario.is_authenticated and usuario.has_perm("casos.view_caso"))


def puede_actuar_en(usuario, caso) -> bool:
    """Quien lleva el caso o la coordinación (asigna casos) actúa sobre él fuera de una tarea."""
    return caso.responsable_id == usuario.pk or usuario.has_perm("casos.asignar_responsable")


def _exigir_vista(usuario) -> None:
    if not puede_ver_casos(usuario):
        raise PermissionDenied


def buscar_casos(*, usuario, texto: str = "") -> QuerySet[Caso]:
    """Casos por folio (completo o parte), nombre de una parte o teléfono."""
    _exigir_vista(usuario)
    qs = Caso.objects.select_related("categoria", "localidad").prefetch_related(
        Prefetch("partes", queryset=Parte.objects.order_by("id"))
    )
    texto = (texto or "").strip()
    if not texto:
        return qs.order_by("-recibido_en")
    folio = codigos.normalizar_folio(texto)
    if folio:
        return qs.filter(folio=folio)
    condicion = Q(folio__icontains=texto.upper()) if len(texto) >= 4 else Q(pk__in=[])
    telefono = intentar_normalizar(texto)
    if telefono:
        condicion |= Q(partes__telefono=telefono)
    digitos = "".join(c for c in texto if c.isdigit())
    if len(digitos) >= 7 and not telefono:
        condicion |= Q(partes__telefono__endswith=digitos)
    nombre = normalizar_busqueda(texto)
    if len(nombre) >= 3 and not digitos:
        condicion |= Q(partes__nombre_busqueda__contains=nombre)
    ids = Caso.objects.filter(condicion).values("pk")
    return qs.filter(pk__in=ids).order_by("-recibido_en")


def caso_para_personal(*, usuario, folio: str) -> Caso:
    _exigir_vista(usuario)
    try:
        return (
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


def casos_por_telefono(telefono_e164: str, *, solo_abiertos: bool = False) -> QuerySet[Caso]:
    """Casos donde alguna parte tiene ese teléfono, abiertos primero (para el conmutador)."""
    if not telefono_e164:
        return Caso.objects.none()
    ids = Parte.objects.filter(telefono=telefono_e164).values("caso_id")
    qs = Caso.objects.filter(pk__in=ids).select_related("categoria", "localidad")
    if solo_abiertos:
        qs = qs.abiertos().order_by("-recibido_en")
    else:
        qs = qs.abiertos_primero()
    return qs.prefetch_related("partes")


def caso_publico(*, folio: str, codigo: str) -> Caso | None:
    """El caso si folio y código coinciden; None en cualquier otro caso (misma respuesta)."""
    folio = codigos.normalizar_folio(folio)
    caso = Caso.objects.filter(folio=folio).select_related("categoria").first() if folio else None
    if caso is None:
        codigos.codigo_coincide("MED-0000-00000", _SAL_FICTICIA, codigo)
        return None
    if not codigos.codigo_coincide(caso.folio, caso.codigo_sal, codigo):
        return None
    return caso


def eventos_publicos(caso: Caso) -> QuerySet[Evento]:
    # Con `caso`: el administrador relacionado lo asigna a cada renglón y, diferido, lo
    # volvería a pedir uno por uno.
    return caso.eventos.filter(publico=True).only(
        "caso", "tipo", "descripcion", "creado_en", "estado_nuevo"
    )

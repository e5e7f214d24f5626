"""Lecturas de la administración de la oficina."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.http import Http404
from django.utils import timezone

from casos.models import HorarioSala, PerfilMediador


def perfil_con_constancia(*, pk: int) -> PerfilMediador:
    """La certificación con su escaneo guardado (404 si no existe o no tiene escaneo)."""
    perfil = PerfilMediador.objects.select_related("usuario").filter(pk=pk).first()
    if perfil is None or not perfil.certificado:
        raise Http404
    return perfil


# Días antes del vencimiento desde los que la certificación se anuncia en pantalla.
DIAS_EN_PANTALLA = 30
VER_CERTIFICACIONES = "casos.change_perfilmediador"


@dataclass(frozen=True)
class CertificacionEnAviso:
    perfil: PerfilMediador
    propia: bool
    vencida: bool
    dias: int


def certificaciones_en_aviso(*, usuario, hoy: date | None = None) -> list[CertificacionEnAviso]:
    """Las certificaciones vencidas o que vencen dentro de DIAS_EN_PANTALLA días que esta
    persona debe ver (LGMASC art. 55): la suya si es facilitadora; todas las del personal
    activo si actualiza las certificaciones (coordinación). Vacío para el resto."""
    hoy = hoy or timezone.localdate()
    coordina = usuario.has_perm(VER_CERTIFICACIONES)
    if not coordina and not usuario.has_perm("casos.atender_mediacion"):
        return []
    perfiles = PerfilMediador.objects.filter(
        usuario__is_active=True, certificado_hasta__lte=hoy + timedelta(days=DIAS_EN_PANTALLA)
    ).select_related("usuario")
    if not coordina:
        perfiles = perfiles.filter(usuario=usuario)
    return [
        CertificacionEnAviso(
            perfil=p,
            propia=p.usuario_id == usuario.pk,
            vencida=p.certificado_hasta < hoy,
            dias=(p.certificado_hasta - hoy).days,
        )
        for p in perfiles.order_by("certificado_hasta", "pk")
    ]


@dataclass(frozen=True)
class CambioDeHorario:
    cuando: object
    quien: object
    tipo: str  # "+" alta, "~" cambio, "-" baja (como django-simple-history)
    antes: str
    despues: str


def historia_de_horarios(*, sala_id: int) -> list[CambioDeHorario]:
    """Cada alta, cambio y baja de los horarios de una sala, lo más reciente primero, con el
    horario de antes y el de después (los horarios se editan dentro de la sala y su historia
    se muestra en la de la sala)."""
    registros = list(
        HorarioSala.history.filter(sala_id=sala_id)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    ultimo: dict[int, str] = {}
    cambios = []
    for registro in registros:
        texto = str(registro.instance)
        antes = ultimo.get(registro.id, "")
        cambios.append(
            CambioDeHorario(
                cuando=registro.history_date,
                quien=registro.history_user,
                tipo=registro.history_type,
                antes="" if registro.history_type == "+" else antes,
                despues="" if registro.history_type == "-" else texto,
            )
        )
        ultimo[registro.id] = texto
    return list(reversed(cambios))

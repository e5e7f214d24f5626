"""Escrituras de la administración de la oficina que no son de las cuentas: certificaciones
de las personas facilitadoras y días inhábiles propuestos."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casos.calendario import inhabiles_usuales
from casos.models import DiaInhabil, PerfilMediador
from casos.models.mediacion import fin_de_vigencia
from plantillas.archivos import revisar_escaneo, tipo_por_contenido


def revisar_constancia(archivo) -> str:
    """Valida el escaneo de la constancia (PDF, JPG o PNG por sus bytes, con tope de tamaño y
    de megapíxeles) y devuelve su tipo MIME."""
    maximo = settings.DOCUMENTO_FIRMADO_MAX_MB * 1024 * 1024
    if archivo.size == 0:
        raise ValidationError(_("El archivo está vacío."), code="vacio")
    if archivo.size > maximo:
        raise ValidationError(
            _("El archivo pesa %(mb).1f MB; el máximo es %(max)d MB.")
            % {"mb": archivo.size / 1024 / 1024, "max": settings.DOCUMENTO_FIRMADO_MAX_MB},
            code="tamano",
        )
    archivo.seek(0)
    encontrado = tipo_por_contenido(archivo.read(16))
    archivo.seek(0)
    if encontrado is None:
        raise ValidationError(
            _("La constancia debe ser un PDF, JPG o PNG. Escanéela en uno de esos formatos."),
            code="tipo",
        )
    revisar_escaneo(archivo)
    return encontrado[0]


@transaction.atomic
def guardar_certificacion(*, perfil: PerfilMediador, escaneo=None) -> PerfilMediador:
    """Guarda la certificación de una persona facilitadora. Con fecha de expedición, la
    vigencia se calcula (LGMASC art. 55: CERTIFICACION_VIGENCIA_ANIOS años); sin ella (las
    registradas antes de pedirla) se conserva la que ya tenía."""
    if perfil.fecha_expedicion:
        if perfil.fecha_expedicion > timezone.localdate():
            raise ValidationError(
                {"fecha_expedicion": _("La fecha de expedición no puede ser futura.")}
            )
        perfil.certificado_hasta = fin_de_vigencia(perfil.fecha_expedicion)
    elif not perfil.certificado_hasta:
        raise ValidationError(
            {"fecha_expedicion": _("Escriba la fecha de expedición de la certificación.")}
        )
    if escaneo is not None:
        perfil.certificado_tipo = revisar_constancia(escaneo)
        perfil.certificado.save(escaneo.name.rsplit("/", 1)[-1], escaneo, save=False)
    perfil.save()
    return perfil


@dataclass(frozen=True)
class Propuesta:
    fecha: date
    motivo: str


def proponer_inhabiles(*, anio: int) -> list[Propuesta]:
    """Los inhábiles usuales del año que aún no están dados de alta (ni dentro de un
    periodo ya registrado): se muestran para confirmar, no se guardan."""
    usuales = inhabiles_usuales(anio)
    registrados = DiaInhabil.objects.en_rango(min(usuales), max(usuales))
    return [
        Propuesta(fecha=fecha, motivo=str(motivo))
        for fecha, motivo in sorted(usuales.items())
        if not any(d.fecha_inicio <= fecha <= d.fecha_fin for d in registrados)
    ]


@transaction.atomic
def agregar_inhabiles(*, anio: int, fechas: list[date]) -> list[DiaInhabil]:
    """Da de alta los días propuestos que la coordinación confirmó (solo los de la propuesta
    del año, y ninguno dos veces)."""
    propuestos = {p.fecha: p.motivo for p in proponer_inhabiles(anio=anio)}
    ajenos = [f for f in fechas if f not in propuestos]
    if ajenos:
        raise ValidationError(
            _("Estas fechas no están en la propuesta de %(anio)d o ya existen: %(f)s.")
            % {"anio": anio, "f": ", ".join(f"{f:%d/%m/%Y}" for f in ajenos)}
        )
    return [
        DiaInhabil.objects.create(fecha_inicio=f, fecha_fin=f, motivo=propuestos[f])
        for f in sorted(set(fechas))
    ]

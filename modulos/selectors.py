"""Lecturas de lo capturado en campo, con la política de acceso."""

import base64
import hashlib
import hmac

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from casos import acceso
from casos.models import AvisoPrivacidad, Categoria, Localidad, Modulo
from casos.selectors import casos_por_telefono
from casos.telefonos import intentar_normalizar

from .models import CapturaDeCampo

# PBKDF2-SHA256 en el equipo: por encima de las 200 000 iteraciones que se piden como mínimo
# y tolerable en una tableta modesta (medio segundo, una vez al desbloquear).
ITERACIONES = 310_000


def sal_de(usuario) -> str:
    """La sal de la llave del equipo para esta persona: fija (el equipo la guarda para
    desbloquear sin red) y distinta para cada quien; no revela nada de la cuenta."""
    clave = settings.SECRET_KEY.encode()
    mensaje = f"modulos-sal:{usuario.pk}:{usuario.get_username()}".encode()
    return base64.b64encode(hmac.new(clave, mensaje, hashlib.sha256).digest()[:16]).decode()


def jornadas_de_hoy() -> QuerySet[Modulo]:
    return (
        Modulo.objects.activos()
        .filter(fecha=timezone.localdate())
        .select_related("localidad")
        .order_by("nombre")
    )


def catalogos(usuario) -> dict:
    """Lo que la página del módulo necesita para capturar sin red."""
    aviso = AvisoPrivacidad.vigente()
    return {
        "usuario": {
            "id": usuario.pk,
            "nombre": usuario.get_full_name() or usuario.get_username(),
            "sal": sal_de(usuario),
            "iteraciones": ITERACIONES,
        },
        "hoy": timezone.localdate().isoformat(),
        "jornadas": [
            {
                "id": m.pk,
                "nombre": m.nombre,
                "lugar": m.lugar,
                "localidad": m.localidad_id,
                "fecha": m.fecha.isoformat(),
            }
            for m in jornadas_de_hoy()
        ],
        "categorias": [
            {"id": c.pk, "nombre": c.nombre, "tipo": c.tipo}
            for c in Categoria.objects.activos().order_by("orden", "nombre")
        ],
        "localidades": [
            {"id": loc.pk, "nombre": loc.nombre}
            for loc in Localidad.objects.activos().order_by("orden", "nombre")
        ],
        "aviso": {
            "version": aviso.version if aviso else "",
            "texto": (aviso.guion_telefonico or aviso.texto_simplificado) if aviso else "",
        },
    }


def capturas_de_hoy(usuario) -> QuerySet[CapturaDeCampo]:
    """Lo que esta persona sincronizó de las capturas de hoy (hora de captura local)."""
    hoy = timezone.localdate()
    return (
        CapturaDeCampo.objects.filter(capturado_por=usuario, capturado_en__date=hoy)
        .select_related("caso", "modulo")
        .order_by("-capturado_en")
    )


def por_decidir(usuario) -> QuerySet[CapturaDeCampo]:
    """Posibles duplicados por decidir: los propios; la coordinación, todos."""
    capturas = CapturaDeCampo.objects.por_decidir().select_related(
        "capturado_por", "modulo__localidad"
    )
    if not usuario.has_perm(acceso.ASIGNAR):
        capturas = capturas.filter(capturado_por=usuario)
    return capturas.order_by("capturado_en")


def captura_por_decidir(usuario, pk: int) -> CapturaDeCampo | None:
    return por_decidir(usuario).filter(pk=pk).first()


def duplicados_de(captura: CapturaDeCampo) -> list:
    telefono = intentar_normalizar(captura.datos.get("telefono", ""))
    return list(casos_por_telefono(telefono, solo_abiertos=True)) if telefono else []

"""Lecturas de la administración de la oficina."""

from django.http import Http404

from casos.models import PerfilMediador


def perfil_con_constancia(*, pk: int) -> PerfilMediador:
    """La certificación con su escaneo guardado (404 si no existe o no tiene escaneo)."""
    perfil = PerfilMediador.objects.select_related("usuario").filter(pk=pk).first()
    if perfil is None or not perfil.certificado:
        raise Http404
    return perfil

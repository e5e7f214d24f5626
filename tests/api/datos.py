"""Datos de prueba de la API."""

from django.urls import reverse

from casos.models import Categoria, Localidad, TipoCaso


def cuerpo_caso(**extra):
    datos = {
        "tipo": "MED",
        "categoria": Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first().nombre,
        "localidad": Localidad.objects.first().pk,
        "resumen": "Problema de linderos con el vecino.",
        "solicitante": {"nombre": "Salvador Barba", "telefono": "33 2222 3333"},
        "otra_parte": {"nombre": "Teresa Franco", "domicilio": "Calle Juárez 8"},
        "aviso_aceptado": True,
    }
    datos.update(extra)
    return datos


def url_caso(folio: str) -> str:
    return reverse("api:caso", args=[folio])

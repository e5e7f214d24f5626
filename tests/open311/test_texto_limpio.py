"""Lo que llega por Open311 también se guarda sin controles de dirección."""

from casos.models import Caso

from .ayudas import url


def test_open311_guarda_sin_controles_de_direccion(client, reloj, cuerpo):
    datos = cuerpo(
        first_name="Rosa\u202e",
        last_name="Gutiérrez\u2066 Cano",
        description="El taller\u202d de junto.",
        **{"attribute[otra_nombre]": "Ernesto\u200f Villaseñor"},
    )
    assert client.post(url("open311:solicitudes"), datos).status_code == 201
    caso = Caso.objects.get()
    assert caso.resumen == "El taller de junto."
    assert {p.nombre for p in caso.partes.all()} == {"Rosa Gutiérrez Cano", "Ernesto Villaseñor"}

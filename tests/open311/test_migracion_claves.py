"""Las claves de Open311 de antes (open311.EnvioOpen311) pasan al mecanismo común por una
migración de datos, y un reintento con una clave migrada responde lo mismo que antes."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from api.models import EnvioIdempotente, OrigenEnvio
from casos import codigos
from casos.models import Caso

from .ayudas import ident, leer, url

ANTES = [("open311", "0001_initial")]


def _migrar(destino=None):
    """Sin destino, a la última migración de cada app: volver atrás una app también deshace
    las de otras apps que dependen de ella, y las pruebas siguientes esperan la base entera."""
    ejecutor = MigrationExecutor(connection)
    destino = destino or ejecutor.loader.graph.leaf_nodes()
    ejecutor.migrate(destino)
    return ejecutor.loader.project_state(destino).apps


@pytest.mark.django_db(transaction=True)
def test_la_migracion_conserva_las_claves_y_el_reintento_responde_igual(client, reloj, cuerpo):
    datos = cuerpo(**{"attribute[clave_idempotencia]": "app311-migrada"})
    primera = client.post(url("open311:solicitudes"), datos)
    assert primera.status_code == 201
    caso = Caso.objects.get()
    envio = EnvioIdempotente.objects.get()
    try:
        # Hacia atrás: la clave vuelve a la tabla de antes, con su huella, token y caso.
        viejas = _migrar(ANTES)
        assert "open311_envioopen311" in connection.introspection.table_names()
        Viejo = viejas.get_model("open311", "EnvioOpen311")
        (vieja,) = Viejo.objects.all()
        assert (vieja.token_id, vieja.clave, vieja.huella, vieja.caso_id) == (
            envio.token_id,
            "app311-migrada",
            envio.huella,
            caso.pk,
        )
        assert not EnvioIdempotente.objects.exists()
    finally:
        _migrar()
    assert "open311_envioopen311" not in connection.introspection.table_names()
    migrada = EnvioIdempotente.objects.get()
    assert (migrada.origen, migrada.token_id, migrada.clave, migrada.huella) == (
        OrigenEnvio.OPEN311,
        envio.token_id,
        "app311-migrada",
        envio.huella,
    )
    assert (migrada.caso_id, migrada.estado, migrada.con_codigo) == (caso.pk, 201, True)
    assert migrada.respuesta == {"service_request_id": ident(caso), "account_id": None}

    segunda = client.post(url("open311:solicitudes"), datos)
    assert segunda.status_code == 200 and leer(segunda) == leer(primera)
    codigo = codigos.mostrar_codigo(codigos.derivar_codigo(caso.folio, caso.codigo_sal))
    assert codigo in leer(segunda)[0]["service_notice"]
    assert Caso.objects.count() == 1

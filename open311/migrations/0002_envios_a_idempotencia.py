"""Las claves de idempotencia de Open311 pasan al mecanismo común (api.EnvioIdempotente)."""

from django.db import migrations

from open311.identificadores import identificador_de


def copiar(apps, schema_editor):
    Viejo = apps.get_model("open311", "EnvioOpen311")
    Nuevo = apps.get_model("api", "EnvioIdempotente")
    nuevos = (
        Nuevo(
            origen="open311",
            token_id=envio.token_id,
            clave=envio.clave,
            huella=envio.huella,
            caso_id=envio.caso_id,
            # Lo que respondió el envío original: 201 con el renglón (el aviso, que lleva el
            # código de consulta, se arma al responder).
            estado=201,
            respuesta={
                "service_request_id": identificador_de(envio.caso.folio),
                "account_id": None,
            },
            con_codigo=True,
            creado_en=envio.creado_en,
        )
        for envio in Viejo.objects.select_related("caso").iterator()
    )
    Nuevo.objects.bulk_create(nuevos, batch_size=500)


def devolver(apps, schema_editor):
    Viejo = apps.get_model("open311", "EnvioOpen311")
    Nuevo = apps.get_model("api", "EnvioIdempotente")
    envios = Nuevo.objects.filter(origen="open311", token__isnull=False, caso__isnull=False)
    Viejo.objects.bulk_create(
        (
            Viejo(
                token_id=envio.token_id,
                clave=envio.clave,
                huella=envio.huella,
                caso_id=envio.caso_id,
                creado_en=envio.creado_en,
            )
            for envio in envios.iterator()
        ),
        batch_size=500,
    )
    Nuevo.objects.filter(origen="open311").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("open311", "0001_initial"),
        ("api", "0003_envio_idempotente"),
    ]

    operations = [migrations.RunPython(copiar, devolver)]

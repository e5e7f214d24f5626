from django.db import migrations

from casos.catalogos import migrar_roles, sembrar_catalogos


def crear(apps, schema_editor):
    migrar_roles(apps, schema_editor)
    sembrar_catalogos(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("casos", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(crear, migrations.RunPython.noop)]

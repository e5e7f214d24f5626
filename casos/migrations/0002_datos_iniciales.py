from django.contrib.auth.management import create_permissions
from django.db import migrations

from casos.catalogos import sembrar_catalogos, sembrar_roles


def crear(apps, schema_editor):
    # Los permisos normalmente se crean después de migrar; los necesitamos ya.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sembrar_roles(apps)
    sembrar_catalogos(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("casos", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(crear, migrations.RunPython.noop)]

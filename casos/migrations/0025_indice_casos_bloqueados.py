"""Índice parcial de los casos con datos bloqueados: la búsqueda del personal los descarta como
conjunto en vez de cruzar cada parte coincidente con todos los casos."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("casos", "0024_indices_de_busqueda")]

    operations = [
        migrations.AddIndex(
            model_name="caso",
            index=models.Index(
                condition=models.Q(("bloqueado_en__isnull", False)),
                fields=["id"],
                name="caso_bloqueado_idx",
            ),
        ),
    ]

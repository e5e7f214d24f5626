"""Índices de trigramas (pg_trgm) para la búsqueda del personal en PostgreSQL: el nombre de
las partes (sin acentos), la terminación del teléfono y una parte del folio se buscan con
`LIKE '%…%'`, que sin ellos recorre todas las partes y todos los casos. En SQLite (el arranque
embebido) no hay nada que hacer."""

from django.db import migrations

INDICES = (
    "CREATE INDEX IF NOT EXISTS parte_nombre_busqueda_trgm "
    "ON casos_parte USING gin (nombre_busqueda gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS parte_telefono_trgm "
    "ON casos_parte USING gin (telefono gin_trgm_ops)",
    'CREATE INDEX IF NOT EXISTS caso_folio_trgm ON casos_caso USING gin ((UPPER("folio"::text)) '
    "gin_trgm_ops)",
)


def crear(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm es una extensión «de confianza» (PostgreSQL 13+): la crea el dueño de la base.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for sql in INDICES:
        schema_editor.execute(sql)


def quitar(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for nombre in ("parte_nombre_busqueda_trgm", "parte_telefono_trgm", "caso_folio_trgm"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {nombre}")


class Migration(migrations.Migration):
    dependencies = [("casos", "0023_tipos_de_evento_arco")]

    operations = [migrations.RunPython(crear, quitar)]

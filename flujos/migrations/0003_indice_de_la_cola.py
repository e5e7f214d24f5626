"""La cola (tareas humanas nuevas sin dueño) con decenas de miles de tareas abiertas: un índice
parcial en el orden en que se muestra (vencimiento, luego creación) y con el permiso que la
filtra, para que la primera página y su conteo no recorran todas las tareas. La tabla es de
viewflow: el índice se crea aquí con SQL (también vale en SQLite, que admite índices
parciales)."""

from django.db import migrations

CREAR = (
    "CREATE INDEX IF NOT EXISTS tarea_cola_idx ON viewflow_task "
    "(scheduled, created, owner_permission) "
    "WHERE flow_task_type = 'HUMAN' AND status = 'NEW' AND owner_id IS NULL"
)


class Migration(migrations.Migration):
    dependencies = [("flujos", "0002_proceso_de_llamada")]

    operations = [
        migrations.RunSQL(CREAR, "DROP INDEX IF EXISTS tarea_cola_idx", elidable=False)
    ]

"""El conteo de la cola («Tareas por tomar (99,801)») con 100,000 tareas sin dueño: con el
índice de 0003 el planificador recorre la tabla entera (el permiso va tercero en ese índice) y
el conteo tarda ~28 ms. Un índice parcial solo con el permiso (casi todas las tareas comparten
uno: con la deduplicación de PostgreSQL pesa ~700 kB por 100,000 tareas) se cuenta con un
recorrido solo del índice, unas cuatro veces más rápido. También vale en SQLite."""

from django.db import migrations

CREAR = (
    "CREATE INDEX IF NOT EXISTS tarea_cola_permiso_idx ON viewflow_task (owner_permission) "
    "WHERE flow_task_type = 'HUMAN' AND status = 'NEW' AND owner_id IS NULL"
)


class Migration(migrations.Migration):
    dependencies = [("flujos", "0003_indice_de_la_cola")]

    operations = [
        migrations.RunSQL(CREAR, "DROP INDEX IF EXISTS tarea_cola_permiso_idx", elidable=False)
    ]

from celery import shared_task
from django.utils import timezone

from . import conservacion


@shared_task(name="privacidad.tasks.depurar_conservacion", ignore_result=True)
def depurar_conservacion() -> int:
    """Cada día: bloquea y suprime los datos personales cuyo plazo de conservación venció.
    Devuelve el id de la corrida (`casos.Depuracion`)."""
    return conservacion.depurar(al_dia=timezone.localdate(), simulacro=False).pk

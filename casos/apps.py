from django.apps import AppConfig


class CasosConfig(AppConfig):
    name = "casos"
    verbose_name = "Expedientes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from celery.signals import task_prerun
        from django.db.models.signals import post_delete, post_save

        from nucleo import memoria

        from . import calendario, cifras
        from .models import Centro, DiaInhabil, ValorDePlazo
        from .models.configuracion import _centro_guardado

        # Las cifras de los plazos, los días inhábiles y los datos de la oficina se leen una
        # vez y se guardan en la memoria del proceso (nucleo.memoria): cada tarea de Celery
        # empieza con los de la base; un renglón guardado en este proceso se ve al instante, y
        # uno guardado en otro, a los pocos segundos.
        task_prerun.connect(memoria.olvidar_todo, dispatch_uid="memoria-tarea", weak=False)
        post_save.connect(cifras.olvidar, sender=ValorDePlazo, dispatch_uid="cifras-guardada")
        post_delete.connect(cifras.olvidar, sender=ValorDePlazo, dispatch_uid="cifras-borrada")
        post_save.connect(_centro_guardado.olvidar, sender=Centro, dispatch_uid="centro-guardado")
        post_delete.connect(_centro_guardado.olvidar, sender=Centro, dispatch_uid="centro-borrado")
        olvidar_inhabiles = calendario.inhabiles_guardados.olvidar
        post_save.connect(olvidar_inhabiles, sender=DiaInhabil, dispatch_uid="inhabil-guardado")
        post_delete.connect(olvidar_inhabiles, sender=DiaInhabil, dispatch_uid="inhabil-borrado")

from django.apps import AppConfig


class CasosConfig(AppConfig):
    name = "casos"
    verbose_name = "Expedientes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from celery.signals import task_prerun
        from django.core.signals import request_started
        from django.db.models.signals import post_delete, post_save

        from . import cifras
        from .models import ValorDePlazo

        # Las cifras de los plazos se leen una vez y se guardan en memoria: cada petición y
        # cada tarea empiezan con las de la base; un renglón guardado aquí se ve al instante.
        request_started.connect(cifras.olvidar, dispatch_uid="cifras-peticion")
        task_prerun.connect(cifras.olvidar, dispatch_uid="cifras-tarea", weak=False)
        post_save.connect(cifras.olvidar, sender=ValorDePlazo, dispatch_uid="cifras-guardada")
        post_delete.connect(cifras.olvidar, sender=ValorDePlazo, dispatch_uid="cifras-borrada")

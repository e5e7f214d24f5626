from django.apps import AppConfig


class PlantillasConfig(AppConfig):
    name = "plantillas"
    verbose_name = "Documentos"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from casos.senales import caso_recibido, codigo_reexpedido, sesion_corregida

        from .receptores import (
            acuse_al_recibir,
            acuse_al_reexpedir_codigo,
            invitacion_al_corregir_hora,
        )

        caso_recibido.connect(acuse_al_recibir, dispatch_uid="plantillas-acuse")
        codigo_reexpedido.connect(
            acuse_al_reexpedir_codigo, dispatch_uid="plantillas-acuse-codigo-nuevo"
        )
        sesion_corregida.connect(
            invitacion_al_corregir_hora, dispatch_uid="plantillas-invitacion-hora-corregida"
        )

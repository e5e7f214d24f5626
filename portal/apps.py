from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal ciudadano"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from casos.models import AvisoPrivacidad, Categoria, Centro, Localidad

        from . import en_blanco

        # El formulario en blanco guardado lleva los catálogos, el aviso y la oficina.
        for modelo in (Categoria, Localidad, AvisoPrivacidad, Centro):
            nombre = modelo._meta.model_name
            post_save.connect(en_blanco.olvidar, sender=modelo, dispatch_uid=f"en-blanco-{nombre}")
            post_delete.connect(
                en_blanco.olvidar, sender=modelo, dispatch_uid=f"en-blanco-borrado-{nombre}"
            )

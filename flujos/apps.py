from django.apps import AppConfig


class FlujosConfig(AppConfig):
    name = "flujos"
    verbose_name = "Flujos de trabajo"

    def ready(self):
        from casos.senales import caso_recibido

        from . import asuntos
        from .arranque import iniciar_flujo

        caso_recibido.connect(iniciar_flujo, dispatch_uid="flujos-iniciar")
        asuntos.registrar_adaptador(asuntos.AdaptadorCaso())

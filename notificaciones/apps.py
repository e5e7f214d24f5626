from django.apps import AppConfig


class NotificacionesConfig(AppConfig):
    name = "notificaciones"
    verbose_name = "Avisos"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from casos import senales

        from .mensajes import validar_plantillas_de_whatsapp

        validar_plantillas_de_whatsapp()

        from . import reglas

        for senal, receptor in (
            (senales.caso_recibido, reglas.al_recibir),
            (senales.codigo_reexpedido, reglas.al_reexpedir_codigo),
            (senales.codigo_pedido, reglas.al_pedir_codigo),
            (senales.responsable_asignado, reglas.al_asignar),
            (senales.sesion_programada, reglas.al_programar_sesion),
            (senales.sesion_corregida, reglas.al_corregir_sesion),
            (senales.sesiones_canceladas, reglas.al_cancelar_sesiones),
            (senales.convenio_firmado, reglas.al_firmar_convenio),
            (senales.asesoria_resuelta, reglas.al_resolver_asesoria),
            (senales.datos_bloqueados, reglas.al_bloquear_datos),
            (senales.arco_recibida, reglas.al_recibir_arco),
            (senales.arco_requerida, reglas.al_requerir_arco),
            (senales.arco_ampliada, reglas.al_ampliar_arco),
            (senales.arco_respondida, reglas.al_responder_arco),
        ):
            senal.connect(receptor, dispatch_uid=f"avisos-{receptor.__name__}")
        from flujos.senales import tarea_asignada

        tarea_asignada.connect(reglas.al_asignar_tarea, dispatch_uid="avisos-al_asignar_tarea")

        # Latido de los workers y revisión del beat (solo actúan en esos procesos).
        from . import trabajadores

        trabajadores.conectar()

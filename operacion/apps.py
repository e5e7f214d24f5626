from django.apps import AppConfig


class OperacionConfig(AppConfig):
    """Lo que necesita quien opera la instalación de la oficina: respaldos y su restauración,
    la salud para el balanceador y la lista de puesta en marcha de la coordinación."""

    name = "operacion"
    verbose_name = "Operación de la instalación"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from oficina.sitio import PaginaPropia, sitio

        from . import views

        sitio.agregar_pagina(
            PaginaPropia(
                ruta="puesta-en-marcha/",
                vista=views.puesta_en_marcha,
                nombre="puesta_en_marcha",
                titulo=_("Puesta en marcha"),
                liga=_("Ver lo que falta y dónde se arregla"),
                resumen=views.resumen_de_pendientes,
            )
        )

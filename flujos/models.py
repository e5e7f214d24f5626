"""Procesos de viewflow ligados al caso. El caso (app `casos`) es la fuente de verdad: el
proceso solo apunta a él por `artifact` (sin herencia multitabla)."""

from functools import cached_property

from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from casos.models import Caso


class ProcesoCaso(Process):
    class Meta:
        proxy = True
        verbose_name = _("proceso de un caso")
        verbose_name_plural = _("procesos de casos")

    @cached_property
    def caso(self) -> Caso:
        return Caso.objects.select_related("categoria", "localidad", "responsable").get(
            pk=self.artifact_object_id
        )


class ProcesoMediacion(ProcesoCaso):
    class Meta:
        proxy = True
        verbose_name = _("procedimiento de mediación")
        verbose_name_plural = _("procedimientos de mediación")


class ProcesoAsesoria(ProcesoCaso):
    class Meta:
        proxy = True
        verbose_name = _("asesoría")
        verbose_name_plural = _("asesorías")


class ProcesoLlamada(ProcesoCaso):
    """Una llamada pendiente a una parte que respondió NO o CAMBIO al recordatorio de su
    sesión (`data`: parte, sesión y respuesta)."""

    class Meta:
        proxy = True
        verbose_name = _("llamada a una parte")
        verbose_name_plural = _("llamadas a partes")

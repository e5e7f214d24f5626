"""El proceso de viewflow de una solicitud ARCO. La solicitud (`casos.SolicitudARCO`) es la
fuente de verdad: el proceso solo apunta a ella por `artifact` (sin herencia multitabla)."""

from functools import cached_property

from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from casos.models import SolicitudARCO


class ProcesoARCO(Process):
    class Meta:
        proxy = True
        verbose_name = _("trámite de una solicitud ARCO")
        verbose_name_plural = _("trámites de solicitudes ARCO")

    @cached_property
    def solicitud(self) -> SolicitudARCO:
        return SolicitudARCO.objects.select_related("responsable").get(pk=self.artifact_object_id)

"""La solicitud ARCO como asunto de las bandejas de `flujos` (`flujos.asuntos`): su folio,
su estado, su página, quién puede ver sus datos y qué se anota en la bitácora."""

from django.urls import reverse
from django.utils.translation import gettext as _

from casos import acceso, codigos
from casos.models import SolicitudARCO, TipoEventoARCO
from casos.services import privacidad as arco
from flujos.asuntos import Adaptador, Asunto


class AdaptadorSolicitudARCO(Adaptador):
    modelo = SolicitudARCO
    atributo = "solicitud"
    plantilla_resumen = "privacidad/_resumen_solicitud.html"

    def flujos(self):
        from .flows import ArcoFlow

        return (ArcoFlow,)

    def asunto(self, solicitud: SolicitudARCO) -> Asunto:
        return Asunto(
            folio=solicitud.folio,
            estado=solicitud.get_estado_display(),
            url=reverse("privacidad:detalle", args=[solicitud.folio]),
            tipo=_("Derechos ARCO: %(derecho)s") % {"derecho": solicitud.get_derecho_display()},
            objeto=solicitud,
        )

    def en_lote(self, pks):
        return {pk: self.asunto(s) for pk, s in SolicitudARCO.objects.in_bulk(pks).items()}

    def filtrar(self, *, folio, localidad, categoria):
        # Una solicitud ARCO no tiene categoría ni localidad: con esos filtros no sale.
        if localidad or categoria:
            return None
        canonico = codigos.normalizar_folio(folio, prefijos=codigos.PREFIJOS_ARCO)
        solicitudes = SolicitudARCO.objects.all()
        if canonico:
            solicitudes = solicitudes.filter(folio=canonico)
        else:
            solicitudes = solicitudes.filter(folio__icontains=folio)
        return solicitudes.values("pk")

    def puede_ver(self, usuario, objeto):
        return acceso.atiende_arco(usuario)

    def registrar_acceso(self, *, usuario, objeto, vista, request=None, detalle=""):
        """El resumen de la solicitud muestra los datos identificados de la persona: un
        renglón por cada caso donde están (vista «arco»)."""
        acceso.registrar_acceso(
            usuario=usuario,
            casos=arco.casos_de(objeto),
            vista="arco",
            request=request,
            objeto=f"{objeto.folio}:{detalle}"[:80],
        )

    def registrar_reasignacion(self, solicitud, *, actor, descripcion, task):
        arco.registrar_evento(
            solicitud=solicitud,
            tipo=TipoEventoARCO.TAREA,
            descripcion=descripcion,
            actor=actor,
            datos={"tarea": task.pk},
        )

"""El flujo de una solicitud de derechos ARCO, tal como se dibuja: acreditar la identidad (o
pedir lo que falta), esperar lo que entregue la persona, y resolver y responder. Aquí solo
se conectan nodos: las reglas viven en `casos.services.privacidad`, los plazos en
`privacidad.plazos` y cada tarea tiene su vista en `privacidad.views.pasos`."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casos import acceso
from casos.models import EstadoARCO, SolicitudARCO
from flujos import tareas

from . import plazos
from .models import ProcesoARCO
from .views import pasos

ATENDER = acceso.ATENDER_ARCO


def _solicitud(activation) -> SolicitudARCO:
    # Las decisiones leen la solicitud como quedó tras el paso (no la que el proceso leyó
    # antes de que el servicio la cambiara).
    return SolicitudARCO.objects.get(pk=activation.process.artifact_object_id)


def tarea(vista, titulo):
    """Tarea de quien atiende derechos ARCO: nace a nombre de quien ya atiende la solicitud
    (o en la cola, si nadie la ha tomado)."""
    return (
        flow.View(vista)
        .Annotation(title=titulo)
        .Permission(ATENDER)
        .Assign(this.quien_atiende)
        .onCreate(this.al_crear_tarea)
    )


class ArcoFlow(flow.Flow):
    """Solicitud de acceso, rectificación, cancelación, oposición o portabilidad (LGPDPPSO):
    de la recepción a la respuesta."""

    process_class = ProcesoARCO
    lock_impl = lock.select_for_update_lock
    process_title = _("Solicitud ARCO")
    process_description = _("Solicitud de derechos ARCO, de la recepción a la respuesta.")

    inicio = flow.StartHandle(this.iniciar).Next(this.verificar)
    verificar = tarea(pasos.verificar, _("Acreditar identidad o pedir información")).Next(
        this.tras_verificar
    )
    tras_verificar = (
        flow.Switch()
        .Case(this.fin, this.concluida)
        .Case(this.esperar_informacion, this.requerida)
        .Case(this.resolver, this.acreditada)
        .Default(this.verificar)
    )
    esperar_informacion = tarea(
        pasos.esperar_informacion, _("Registrar lo que entregó la persona")
    ).Next(this.tras_desahogo)
    tras_desahogo = (
        flow.Switch()
        .Case(this.fin, this.concluida)
        .Case(this.resolver, this.acreditada)
        .Default(this.verificar)
    )
    resolver = tarea(pasos.resolver, _("Resolver y responder")).Next(this.fin)
    fin = flow.End()

    def iniciar(self, activation, solicitud):
        activation.process.artifact = solicitud
        activation.process.__dict__["solicitud"] = solicitud  # ya leída: no releerla

    def al_crear_tarea(self, activation):
        """Guarda el vencimiento de la tarea en `Task.scheduled` (la bandeja ordena por él)."""
        vence = plazos.vence_tarea(activation.flow_task.name, _solicitud(activation))
        if vence is not None:
            activation.task.scheduled = vence
            activation.task.save(update_fields=["scheduled"])
        tareas.avisar_si_es_de_otra_persona(activation.task)

    def quien_atiende(self, activation):
        """Quien atiende la solicitud, o quien hizo su último paso, si sigue activa y con el
        rol; si no, la tarea queda en la cola."""
        persona = _solicitud(activation).responsable
        if persona is None:
            ultima = (
                Task.objects.filter(
                    process_id=activation.process.pk,
                    flow_task_type="HUMAN",
                    status=STATUS.DONE,
                    owner__isnull=False,
                )
                .select_related("owner")
                .order_by("-finished", "-pk")
                .first()
            )
            persona = ultima.owner if ultima else None
        if persona is not None and persona.is_active and persona.has_perm(ATENDER):
            return persona
        return None

    # Decisiones: leen los hechos de la solicitud.
    def requerida(self, activation):
        return _solicitud(activation).estado == EstadoARCO.REQUERIDA

    def acreditada(self, activation):
        solicitud = _solicitud(activation)
        return solicitud.abierta and solicitud.identidad_acreditada

    def concluida(self, activation):
        return not _solicitud(activation).abierta

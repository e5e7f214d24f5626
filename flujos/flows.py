"""Los dos flujos, tal como se dibujan. Aquí solo se conectan nodos: las reglas viven en los
servicios de `casos`, los plazos en `flujos.plazos` y cada tarea humana tiene su vista en
`flujos.views.pasos`. Las decisiones leen los hechos del caso."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from casos.models import Estado as E
from casos.models import (
    EstadoRegistro,
    EstadoSesion,
    RespuestaInvitacion,
    ResultadoSesion,
)

from . import plazos, tareas
from .alertas import alerta
from .arranque import candado_de_renglon
from .models import ProcesoAsesoria, ProcesoLlamada, ProcesoMediacion
from .views import pasos

MEDIAR = "casos.atender_mediacion"
ASESORAR = "casos.atender_asesoria"
REVISAR = "casos.revisar_solicitud"
ASIGNAR = "casos.asignar_responsable"


def _caso(activation):
    return activation.process.caso


def entra_en(paso: str):
    """Condición de la entrada de un caso importado del registro anterior: el paso que le
    tocó, guardado en el proceso al arrancarlo (`flujos.services.iniciar_importado`)."""

    def condicion(activation):
        return activation.process.data.get("entrada") == paso

    condicion.__name__ = f"entra_en_{paso}"
    return condicion


def tarea_de_rol(vista, titulo, permiso):
    """Tarea en la cola: la toma quien tenga el permiso del rol."""
    return (
        flow.View(vista).Annotation(title=titulo).Permission(permiso).onCreate(this.al_crear_tarea)
    )


def tarea_del_responsable(vista, titulo, permiso):
    """Tarea asignada desde que nace a quien lleva el caso (y a su rol si se devuelve)."""
    return tarea_de_rol(vista, titulo, permiso).Assign(this.responsable)


class FlujoDeCaso(flow.Flow):
    """Comportamiento común: candado por renglón de proceso y plazos de cada tarea."""

    lock_impl = candado_de_renglon

    class Meta:
        abstract = True

    def iniciar(self, activation, caso):
        activation.process.artifact = caso
        activation.process.__dict__["caso"] = caso  # el proceso ya tiene su caso: no releerlo

    def al_crear_tarea(self, activation):
        """Guarda el vencimiento de la tarea en `Task.scheduled` (la bandeja ordena por él)."""
        vence = plazos.vence_tarea(activation.flow_task.name, _caso(activation))
        if vence is not None:
            activation.task.scheduled = vence
            activation.task.save(update_fields=["scheduled"])
        tareas.avisar_si_es_de_otra_persona(activation.task)

    def responsable(self, activation):
        return _caso(activation).responsable


class MediacionFlow(FlujoDeCaso):
    """Procedimiento de mediación (LGMASC): revisión, asignación, invitación, sesiones,
    convenio, registro y seguimiento."""

    process_class = ProcesoMediacion
    process_title = _("Mediación")
    process_description = _("Solicitud de mediación, de la recepción al seguimiento del convenio.")

    inicio = flow.StartHandle(this.iniciar).Next(this.revisar)
    # Casos del registro anterior: entran en el paso en que estaban, o ya concluidos.
    importado = flow.StartHandle(this.iniciar).Next(this.entrada_importada)
    entrada_importada = (
        flow.Switch()
        .Case(this.fin, entra_en("fin"))
        .Case(this.asignar, entra_en("asignar"))
        .Case(this.invitar, entra_en("invitar"))
        .Case(this.programar, entra_en("programar"))
        .Case(this.convenio, entra_en("convenio"))
        .Default(this.revisar)
    )

    revisar = tarea_de_rol(pasos.revisar, _("Revisar solicitud"), REVISAR).Next(this.tras_revision)
    tras_revision = (
        flow.Switch()
        .Case(this.asignar, this.fue_admitida)
        .Case(this.avisar_no_admision, this.no_fue_admitida)
        .Default(this.fin)
    )
    avisar_no_admision = tarea_de_rol(
        pasos.avisar_no_admision, _("Avisar la no admisión"), REVISAR
    ).Next(this.fin)
    asignar = tarea_de_rol(pasos.asignar, _("Asignar persona facilitadora"), ASIGNAR).Next(
        this.invitar
    )
    invitar = (
        tarea_del_responsable(pasos.invitar, _("Invitar a la otra parte"), MEDIAR)
        .OnTimeout(
            this.vence_invitacion,
            this.invitacion_vencida,
            interrupting=False,
            title=_("Vence el plazo de invitación"),
        )
        .Next(this.tras_invitacion)
    )
    tras_invitacion = (
        flow.Switch()
        .Case(this.programar, this.invitacion_aceptada)
        .Case(this.invitar, this.caso_abierto)
        .Default(this.fin)
    )
    programar = (
        tarea_del_responsable(pasos.programar, _("Programar sesión"), MEDIAR)
        .OnTimeout(
            this.vence_procedimiento,
            this.plazo_vencido,
            interrupting=False,
            title=_("Vence el plazo del procedimiento"),
        )
        .Next(this.esperar_sesion)
    )
    esperar_sesion = (
        flow.Timer(this.inicio_de_sesion)
        .Annotation(title=_("Esperar la fecha de la sesión"))
        .Next(this.registrar_sesion)
    )
    registrar_sesion = (
        tarea_del_responsable(pasos.registrar_sesion, _("Registrar sesión"), MEDIAR)
        .OnTimeout(
            this.vence_procedimiento,
            this.plazo_vencido,
            interrupting=False,
            title=_("Vence el plazo del procedimiento"),
        )
        .Next(this.tras_sesion)
    )
    tras_sesion = (
        flow.Switch()
        .Case(this.fin, this.caso_concluido)
        .Case(this.convenio, this.hubo_acuerdo)
        .Default(this.programar)
    )
    convenio = tarea_del_responsable(pasos.convenio, _("Redactar convenio"), MEDIAR).Next(
        this.firma
    )
    firma = tarea_del_responsable(pasos.firma, _("Registrar firma del convenio"), MEDIAR).Next(
        this.enviar_registro
    )
    enviar_registro = (
        tarea_del_responsable(pasos.enviar_registro, _("Enviar convenio a registro"), MEDIAR)
        .OnTimeout(
            this.vence_envio_registro,
            this.envio_registro_vencido,
            interrupting=False,
            title=_("Vence el envío a registro"),
        )
        .Next(this.respuesta_registro)
    )
    respuesta_registro = tarea_del_responsable(
        pasos.respuesta_registro, _("Registrar respuesta del registro"), MEDIAR
    ).Next(this.tras_registro)
    tras_registro = (
        flow.Switch().Case(this.enviar_registro, this.fue_prevenido).Default(this.esperar_clausulas)
    )
    esperar_clausulas = (
        flow.Timer(this.esperar_clausulas_hasta)
        .Annotation(title=_("Esperar la fecha de las cláusulas"))
        .Next(this.seguimiento)
    )
    seguimiento = tarea_del_responsable(
        pasos.seguimiento, _("Dar seguimiento al convenio"), MEDIAR
    ).Next(this.fin)
    fin = flow.End()

    # Ramas de aviso de los plazos (no interrumpen el trámite).
    invitacion_vencida = flow.Function(alerta("invitacion")).Next(this.fin_aviso)
    plazo_vencido = flow.Function(alerta("procedimiento")).Next(this.fin_aviso)
    envio_registro_vencido = flow.Function(alerta("registro")).Next(this.fin_aviso)
    fin_aviso = flow.End()

    # Decisiones: leen los hechos del caso.
    def fue_admitida(self, activation):
        return _caso(activation).estado == E.ADMITIDA

    def no_fue_admitida(self, activation):
        return _caso(activation).estado == E.NO_ADMITIDA

    def invitacion_aceptada(self, activation):
        caso = _caso(activation)
        ultima = caso.invitaciones.order_by("-intento").first()
        return (
            caso.abierto and ultima is not None and ultima.respuesta == RespuestaInvitacion.ACEPTA
        )

    def caso_abierto(self, activation):
        return _caso(activation).abierto

    def caso_concluido(self, activation):
        return not _caso(activation).abierto

    def hubo_acuerdo(self, activation):
        ultima = (
            _caso(activation)
            .sesiones.filter(estado=EstadoSesion.CELEBRADA)
            .order_by("-numero")
            .first()
        )
        return ultima is not None and ultima.resultado in (
            ResultadoSesion.ACUERDO_TOTAL,
            ResultadoSesion.ACUERDO_PARCIAL,
        )

    def fue_prevenido(self, activation):
        return _caso(activation).convenio.estado_registro == EstadoRegistro.PREVENIDO

    # Fechas de los temporizadores.
    def vence_invitacion(self, activation):
        return plazos.vence_temporizador(activation.flow_task.name, _caso(activation))

    def vence_procedimiento(self, activation):
        return plazos.vence_temporizador(activation.flow_task.name, _caso(activation))

    def vence_envio_registro(self, activation):
        return plazos.vence_temporizador(activation.flow_task.name, _caso(activation))

    def inicio_de_sesion(self, activation):
        return plazos.vence_temporizador(activation.flow_task.name, _caso(activation))

    def esperar_clausulas_hasta(self, activation):
        return plazos.vence_temporizador(activation.flow_task.name, _caso(activation))


class AsesoriaFlow(FlujoDeCaso):
    """Asesoría ciudadana: clasificar, asignar, atender (resolver, canalizar, esperar al
    ciudadano o convertir en mediación), encuesta y cierre; se puede reabrir."""

    process_class = ProcesoAsesoria
    process_title = _("Asesoría")
    process_description = _("Solicitud de asesoría, de la recepción al cierre.")

    inicio = flow.StartHandle(this.iniciar).Next(this.clasificar)
    reapertura = flow.StartHandle(this.iniciar).Next(this.atender)
    # Casos del registro anterior: entran en el paso en que estaban, o ya concluidos.
    importado = flow.StartHandle(this.iniciar).Next(this.entrada_importada)
    entrada_importada = (
        flow.Switch()
        .Case(this.fin, entra_en("fin"))
        .Case(this.asignar_asesor, entra_en("asignar_asesor"))
        .Case(this.atender, entra_en("atender"))
        .Default(this.clasificar)
    )

    clasificar = tarea_de_rol(pasos.clasificar, _("Clasificar solicitud"), REVISAR).Next(
        this.asignar_asesor
    )
    asignar_asesor = tarea_de_rol(pasos.asignar, _("Asignar persona asesora"), ASIGNAR).Next(
        this.atender
    )
    atender = tarea_del_responsable(pasos.atender, _("Atender asesoría"), ASESORAR).Next(
        this.tras_atencion
    )
    tras_atencion = (
        flow.Switch()
        .Case(this.esperar_dependencia, this.en_canalizacion)
        .Case(this.esperar_ciudadano, this.en_espera)
        .Case(this.encuesta, this.resuelta)
        .Default(this.atender)
    )
    esperar_dependencia = tarea_del_responsable(
        pasos.respuesta_canalizacion, _("Registrar respuesta de la dependencia"), ASESORAR
    ).Next(this.atender)
    esperar_ciudadano = (
        flow.View(pasos.reanudar)
        .Annotation(title=_("Esperar a la persona solicitante"))
        .Permission(ASESORAR)
        .Assign(this.responsable)
        .Next(this.atender)
    )
    encuesta = tarea_del_responsable(
        pasos.encuesta, _("Encuesta de satisfacción y cierre"), ASESORAR
    ).Next(this.fin)
    fin = flow.End()

    def en_canalizacion(self, activation):
        return _caso(activation).estado == E.EN_CANALIZACION

    def en_espera(self, activation):
        return _caso(activation).estado == E.ESPERA_CIUDADANO

    def resuelta(self, activation):
        return _caso(activation).estado == E.RESUELTA


class LlamadaFlow(FlujoDeCaso):
    """Una parte contestó al recordatorio que no puede venir o que pide otra fecha: quien
    lleva el caso le llama y deja una nota de lo que acordaron (`notificaciones` lo arranca
    al recibir la respuesta; `flujos.services.iniciar_llamada`)."""

    process_class = ProcesoLlamada
    process_title = _("Llamada a una parte")
    process_description = _("Llamar a una parte que no puede venir a su sesión o pide otra fecha.")

    inicio = flow.StartHandle(this.iniciar).Next(this.llamar)
    llamar = tarea_del_responsable(pasos.llamar, _("Llamar a la parte"), MEDIAR).Next(this.fin)
    fin = flow.End()

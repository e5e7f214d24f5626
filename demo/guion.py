"""El guion de un caso de la demostración: cada paso ocurre en su fecha, con las mismas
tareas y servicios que usa el personal (`flujos.services`, servicios de `casos`).

Solo para `sembrar_demo`: mueve el reloj del proceso con time-machine.
"""

import random
from datetime import date, datetime, time, timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from casos.calendario import Calendario
from casos.models import Caso, Centro, RolParte, Sala, TipoCaso
from casos.services import DatosPersona
from casos.services import asesoria as ase
from casos.services import mediacion as med
from flujos import services as acciones
from flujos.tareas import procesos_de

from . import datos

User = get_user_model()
CAL = Calendario()


def hora_local(dia: date, hora: int, minuto: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(dia, time(hora, minuto)))


def entregar_avisos(caso: Caso, hasta: datetime) -> int:
    """Los avisos del caso cuya hora llegó antes de `hasta` salen a su hora, con el caso como
    estaba entonces (el siguiente paso del guion aún no ocurre): así la bandeja de la demo
    tiene su historia y el worker solo envía lo que toca de aquí en adelante."""
    from notificaciones.models import EstadoMensaje, Mensaje
    from notificaciones.services import enviar

    pendientes = Mensaje.objects.filter(
        caso=caso, estado=EstadoMensaje.PENDIENTE, programado_para__lte=hasta
    ).order_by("programado_para")
    for mensaje in pendientes:
        with time_machine.travel(mensaje.programado_para + timedelta(seconds=20), tick=False):
            enviar(mensaje.pk)
    return len(pendientes)


class Alto(Exception):
    """El paso no se pudo dar: el caso se queda en la etapa a la que llegó."""


class Guion:
    """Lleva un caso paso a paso; cada paso ocurre unos días hábiles después del anterior."""

    def __init__(self, rng: random.Random, caso: Caso, usuarios: dict, salas: list[Sala]):
        self.rng, self.caso, self.u, self.salas = rng, caso, usuarios, salas
        self.momento = timezone.now()
        self.camino = None

    def despues(self, minimo: int = 1, maximo: int = 3) -> bool:
        """Avanza el reloj; False si el siguiente paso caería en el futuro (el caso se queda)."""
        dia = CAL.sumar(timezone.localtime(self.momento).date(), self.rng.randint(minimo, maximo))
        self.momento = hora_local(dia, self.rng.randint(9, 14), self.rng.choice([0, 15, 30, 45]))
        return self.momento < timezone.now()

    def tarea(self, nombre: str) -> Task | None:
        return (
            Task.objects.filter(
                process__in=procesos_de(self.caso),
                flow_task_type="HUMAN",
                status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED],
            )
            .filter(flow_task=self.caso_flujo().instance.node(nombre))
            .first()
        )

    def caso_flujo(self):
        from flujos.flows import AsesoriaFlow, MediacionFlow

        return MediacionFlow if self.caso.tipo == TipoCaso.MEDIACION else AsesoriaFlow

    def hacer(self, nombre: str, usuario, accion) -> bool:
        """Toma (si hace falta) y completa la tarea `nombre` a la hora del guion."""
        entregar_avisos(self.caso, self.momento)
        with time_machine.travel(self.momento, tick=False):
            fire_due_timers()
            task = self.tarea(nombre)
            if task is None:
                raise Alto(nombre)
            if task.owner_id is None:
                acciones.tomar_tarea(task=task, usuario=usuario)
            try:
                acciones.completar_tarea(
                    task=Task.objects.get(pk=task.pk), usuario=usuario, accion=accion
                )
            except ValidationError as error:
                raise Alto(nombre) from error
            self.caso.refresh_from_db()
            return True

    # --- Mediación ---------------------------------------------------------------------

    def mediacion(self, hasta: int) -> None:
        """Lleva el caso de mediación por sus etapas hasta la etapa `hasta` del guion."""
        rng, u, caso = self.rng, self.u, self.caso
        coord = u["coordinadora"]
        if not self._revision(hasta):
            return
        if hasta < 2 or not self.despues(0, 2):
            return
        mediador = min((u["mediador"], u["mediadora2"]), key=lambda m: m.casos_a_cargo.count())
        self.hacer(
            "asignar",
            coord,
            lambda: med.asignar_responsable(caso=caso, actor=coord, responsable=mediador),
        )
        # Algunas invitaciones se quedan sin enviar más allá de los 5 días (vencidas).
        if hasta < 3 or not self.despues(1, 6):
            return
        self._invitaciones(mediador)
        if not caso.abierto or hasta < 4:
            return
        if not self._sesiones(mediador, hasta):
            return
        if not caso.abierto or hasta < 6 or not self.despues(1, 2):
            return
        if not self._convenio_y_registro(mediador, hasta):
            return
        if hasta < 10:
            return
        ultima = (
            caso.convenio.clausulas.order_by("-fecha_limite")
            .values_list("fecha_limite", flat=True)
            .first()
        )
        if ultima is None or ultima >= timezone.localdate():
            return
        # El seguimiento ocurre después de vencer la última cláusula, y nunca antes del paso
        # anterior (el reloj del guion no retrocede).
        self.momento = max(self.momento, hora_local(CAL.sumar(ultima, 1), 10))
        if self.momento >= timezone.now():
            return

        def verificar_y_cerrar():
            for clausula in caso.convenio.clausulas.all():
                med.verificar_clausula(
                    clausula=clausula, actor=mediador, cumplida=rng.random() < 0.85
                )
            med.cerrar_seguimiento(
                caso=caso,
                actor=mediador,
                orientacion="Se orientó a las partes sobre la vía judicial.",
            )

        self.hacer("seguimiento", mediador, verificar_y_cerrar)

    def _revision(self, hasta: int) -> bool:
        """Revisión de la coordinación: canaliza, no admite o admite. True si se admitió."""
        rng, caso = self.rng, self.caso
        coord = self.u["coordinadora"]
        if hasta < 1:
            if self.camino != "esperar":  # la coordinación ya tomó casi todas para revisarlas
                with time_machine.travel(
                    min(self.momento + timedelta(hours=1), timezone.now()), tick=False
                ):
                    acciones.tomar_tarea(task=self.tarea("revisar"), usuario=coord)
            return False
        if not self.despues(0, 1):
            return False
        if caso.categoria.canalizar:
            self.hacer(
                "revisar",
                coord,
                lambda: med.canalizar(
                    caso=caso,
                    actor=coord,
                    dependencia=rng.choice(
                        [
                            "Instituto Municipal de las Mujeres",
                            "Fiscalía del Estado",
                            "DIF Municipal",
                        ]
                    ),
                    motivo="La materia no es mediable (LGMASC art. 79).",
                ),
            )
            return False
        if rng.random() < 0.1:
            self.hacer(
                "revisar",
                coord,
                lambda: med.no_admitir(
                    caso=caso, actor=coord, motivo="El asunto involucra derechos no disponibles."
                ),
            )
            if rng.random() < 0.8 and self.despues(1, 1):
                self.hacer(
                    "avisar_no_admision",
                    coord,
                    lambda: med.registrar_aviso_no_admision(
                        caso=caso, actor=coord, medio="teléfono"
                    ),
                )
            return False
        self.hacer("revisar", coord, lambda: med.admitir(caso=caso, actor=coord))
        return True

    def _invitaciones(self, mediador) -> None:
        """Hasta tres intentos de invitación a la otra parte."""
        rng, caso = self.rng, self.caso
        for _intento in range(3):
            respuesta = rng.choices(["acepta", "sin_respuesta", "rechaza"], [75, 15, 10])[0]
            self.hacer(
                "invitar",
                mediador,
                lambda r=respuesta: med.registrar_invitacion(
                    caso=caso,
                    actor=mediador,
                    medio=rng.choice(["personal", "notificador", "telefono"]),
                    fecha=timezone.now(),
                    respuesta=r,
                    recibio="La propia persona",
                ),
            )
            if respuesta != "sin_respuesta" or not caso.abierto or not self.despues(2, 4):
                break

    def _sesiones(self, mediador, hasta: int) -> bool:
        """Sesiones hasta el acuerdo o la conclusión. False si el guion se detiene aquí."""
        rng, caso = self.rng, self.caso
        for _sesion in range(4):
            if not self.programar(mediador) or hasta < 5:
                return False
            if self.momento > timezone.now():
                return  # sesión programada a futuro
            resultado = rng.choices(
                ["acuerdo_total", "acuerdo_parcial", "sin_acuerdo", "continua", "falta"],
                [45, 15, 20, 12, 8],
            )[0]
            asistencia = "injustificada" if resultado == "falta" else "asistio"
            self.hacer(
                "registrar_sesion",
                mediador,
                lambda r=resultado, a=asistencia: med.registrar_sesion(
                    sesion=caso.sesiones.programadas().get(),
                    actor=mediador,
                    asistencia_solicitante="asistio",
                    asistencia_invitada=a,
                    resultado="" if r == "falta" else r,
                ),
            )
            if (
                not caso.abierto
                or caso.sesiones.filter(
                    estado="celebrada", resultado__in=["acuerdo_total", "acuerdo_parcial"]
                ).exists()
            ):
                break
            if not self.despues(1, 3):
                return False
        return True

    def _convenio_y_registro(self, mediador, hasta: int) -> bool:
        """Convenio, firma y registro. False si el guion se detiene antes del seguimiento."""
        rng, caso = self.rng, self.caso
        self.hacer("convenio", mediador, lambda: self.convenio(mediador))
        if hasta < 7 or not self.despues(1, 3):
            return False
        self.hacer(
            "firma",
            mediador,
            lambda: med.firmar_convenio(caso=caso, actor=mediador, forma_firma="autografa"),
        )
        if hasta < 8 or not self.despues(2, 9):
            return False
        self.hacer(
            "enviar_registro", mediador, lambda: med.enviar_a_registro(caso=caso, actor=mediador)
        )
        if hasta < 9 or not self.despues(8, 20):
            return False
        respuesta = "prevenido" if rng.random() < 0.2 else "validado"
        self.hacer(
            "respuesta_registro",
            mediador,
            lambda: med.registrar_respuesta_registro(
                caso=caso,
                actor=mediador,
                estado_registro=respuesta,
                numero_registro=f"IJA-{rng.randint(1000, 9999)}" if respuesta == "validado" else "",
                observaciones="Corregir la edad de una parte." if respuesta == "prevenido" else "",
            ),
        )
        if respuesta == "prevenido":
            if not self.despues(2, 6):
                return False
            self.hacer(
                "enviar_registro",
                mediador,
                lambda: med.enviar_a_registro(caso=caso, actor=mediador),
            )
            if not self.despues(8, 15):
                return False
            self.hacer(
                "respuesta_registro",
                mediador,
                lambda: med.registrar_respuesta_registro(
                    caso=caso, actor=mediador, estado_registro="validado", numero_registro="IJA-R"
                ),
            )

        return True

    def programar(self, mediador) -> bool:
        """Busca un horario libre (sala y facilitador) en los días siguientes."""
        caso = self.caso
        for _ in range(8):
            dia = CAL.sumar(timezone.localtime(self.momento).date(), self.rng.randint(2, 6))
            inicio = hora_local(dia, self.rng.choice([9, 10, 11, 12, 13, 16, 17]))
            sala = self.rng.choice(self.salas)
            try:
                self.hacer(
                    "programar",
                    mediador,
                    lambda i=inicio, s=sala: med.programar_sesion(
                        caso=caso, actor=mediador, inicio=i, sala=s
                    ),
                )
            except Alto:
                continue
            self.momento = inicio + timedelta(hours=1, minutes=15)
            return True
        return False

    def convenio(self, mediador):
        caso, rng = self.caso, self.rng
        for parte in caso.partes.all():
            med.actualizar_parte(
                parte=parte,
                actor=mediador,
                edad=rng.randint(24, 70),
                nacionalidad="mexicana",
                estado_civil=rng.choice(["casado", "soltero", "union_libre"]),
                ocupacion=rng.choice(["comerciante", "agricultor", "empleada", "docente", "hogar"]),
                domicilio=parte.domicilio
                or f"Calle {rng.choice(datos.CALLES)} {rng.randint(1, 300)}",
            )
        partes = {p.rol: p for p in caso.partes.all()}
        hoy = timezone.localdate()
        centro = Centro.actual()
        med.capturar_convenio(
            caso=caso,
            actor=mediador,
            tipo="total" if rng.random() < 0.8 else "parcial",
            lugar=", ".join(x for x in (centro.municipio, centro.entidad) if x),
            antecedentes=f"Las partes acudieron por: {caso.resumen}",
            consecuencias_incumplimiento=(
                "El incumplimiento permite pedir la ejecución del convenio ante el juzgado."
            ),
            clausulas=[
                med.DatosClausula(
                    obligado=partes[RolParte.INVITADA],
                    tipo="hacer",
                    descripcion="Realizar las reparaciones acordadas.",
                    modo="Por su cuenta y costo",
                    lugar=partes[RolParte.SOLICITANTE].domicilio,
                    fecha_limite=hoy + timedelta(days=rng.randint(10, 45)),
                ),
                med.DatosClausula(
                    obligado=partes[RolParte.SOLICITANTE],
                    tipo="dar",
                    descripcion=f"Pagar {rng.choice([500, 1500, 3000])} pesos por los daños.",
                    modo="En efectivo, con recibo",
                    lugar="Oficinas del centro de mediación",
                    fecha_limite=hoy + timedelta(days=rng.randint(5, 30)),
                ),
            ],
        )

    # --- Asesoría ----------------------------------------------------------------------

    def asesoria(self, hasta: int) -> None:
        rng, u, caso = self.rng, self.u, self.caso
        coord, asesor = u["coordinadora"], u["asesor"]
        if hasta < 1 or not self.despues(0, 1):
            return
        self.hacer(
            "clasificar",
            coord,
            lambda: ase.clasificar(
                caso=caso, actor=coord, categoria=caso.categoria, localidad=caso.localidad
            ),
        )
        if hasta < 2 or not self.despues(0, 1):
            return
        self.hacer(
            "asignar_asesor",
            coord,
            lambda: med.asignar_responsable(caso=caso, actor=coord, responsable=asesor),
        )
        if hasta < 3 or not self.despues(0, 3):
            return
        camino = (
            self.camino
            or rng.choices(["resolver", "canalizar", "esperar", "convertir"], [60, 20, 12, 8])[0]
        )
        if camino == "canalizar":
            self.hacer(
                "atender",
                asesor,
                lambda: ase.canalizar(
                    caso=caso,
                    actor=asesor,
                    dependencia=rng.choice(["Agua Potable", "Obras Públicas", "Catastro"]),
                    motivo="Compete a esa dependencia.",
                    numero_oficio=f"DVC/{rng.randint(100, 999)}/2026",
                ),
            )
            if hasta < 4 or not self.despues(3, 10):
                return
            canalizacion = caso.canalizaciones.last()
            self.hacer(
                "esperar_dependencia",
                asesor,
                lambda: ase.registrar_respuesta_canalizacion(
                    canalizacion=canalizacion, actor=asesor, respuesta="Se atendió el reporte."
                ),
            )
        elif camino == "esperar":
            self.hacer(
                "atender",
                asesor,
                lambda: ase.esperar_ciudadano(
                    caso=caso,
                    actor=asesor,
                    motivo="Copia de su identificación y comprobante de domicilio",
                ),
            )
            if hasta < 4 or not self.despues(2, 8):
                return
            self.hacer("esperar_ciudadano", asesor, lambda: ase.reanudar(caso=caso, actor=asesor))
        elif camino == "convertir":
            from casos.models import Categoria

            categoria = Categoria.objects.filter(tipo=TipoCaso.MEDIACION, canalizar=False).first()
            self.hacer(
                "atender",
                asesor,
                lambda: ase.convertir_en_mediacion(
                    caso=caso,
                    actor=asesor,
                    categoria=categoria,
                    otra_parte=DatosPersona(
                        nombre=datos._nombre(rng), domicilio=f"Calle {rng.choice(datos.CALLES)} 12"
                    ),
                ),
            )
            # La mediación que se abrió sigue su propio camino.
            nueva = Guion(rng, Caso.objects.get(caso_anterior=caso), self.u, self.salas)
            nueva.momento = self.momento
            try:
                nueva.mediacion(hasta + 4)
            except Alto:
                pass
        if caso.estado != "resuelta":
            if hasta < 5 or not self.despues(0, 2):
                return
            self.hacer(
                "atender",
                asesor,
                lambda: ase.resolver(
                    caso=caso,
                    actor=asesor,
                    resumen_atencion="Se orientó a la persona sobre su trámite.",
                    primer_contacto=camino == "resolver",
                ),
            )
        if hasta < 6 or not self.despues(1, 4):
            return

        def encuesta_y_cierre():
            ase.registrar_encuesta(
                caso=caso, actor=asesor, satisfaccion=rng.choice([5, 5, 4, 4, 3, None])
            )
            ase.cerrar(caso=caso, actor=asesor)

        self.hacer("encuesta", asesor, encuesta_y_cierre)

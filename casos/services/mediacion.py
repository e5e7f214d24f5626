"""Servicios del procedimiento de mediación (LGMASC). Cada regla vive aquí una sola vez."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import (
    Asistencia,
    Canalizacion,
    Caso,
    CausaConclusion,
    Clausula,
    Convenio,
    Cumplimiento,
    Estado,
    EstadoRegistro,
    EstadoSesion,
    Invitacion,
    Parte,
    PerfilMediador,
    Prorroga,
    RespuestaInvitacion,
    ResultadoSeguimiento,
    ResultadoSesion,
    RolParte,
    Sala,
    Sesion,
    TipoCaso,
    TipoConvenio,
    TipoEvento,
    TipoObligacion,
)
from ..senales import (
    convenio_firmado,
    responsable_asignado,
    sesion_programada,
    sesiones_canceladas,
)
from ..texto import normalizar_busqueda
from .comun import (
    bloquear,
    calendario,
    concluir,
    exigir,
    exigir_abierto,
    exigir_estado,
    exigir_tipo,
    fecha_local,
    hoy,
    plazo,
    registrar,
)

User = get_user_model()


def _momento(valor: datetime) -> str:
    return date_format(timezone.localtime(valor), "d/m/Y H:i")


# --- Revisión y admisión ------------------------------------------------------------------


def iniciar_revision(*, caso: Caso, actor) -> Caso:
    """La coordinación toma la solicitud para revisarla."""
    with transaction.atomic():
        caso = bloquear(caso)
        if caso.estado == Estado.RECIBIDA:
            registrar(
                caso=caso,
                tipo=TipoEvento.EN_REVISION,
                actor=actor,
                estado=Estado.EN_REVISION,
                descripcion=_("La coordinación revisa la solicitud."),
                publico=True,
            )
    return caso


def admitir(*, caso: Caso, actor, nota: str = "") -> Caso:
    """Admite la solicitud de mediación. Las materias que se canalizan no se admiten."""
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.MEDIACION)
        exigir_estado(caso, Estado.RECIBIDA, Estado.EN_REVISION)
        # LGMASC art. 79: violencia contra las mujeres, materia penal… no se median.
        exigir(
            not caso.categoria.canalizar,
            _("«%(categoria)s» no se media: canalice el asunto a la instancia que corresponde.")
            % {"categoria": caso.categoria},
        )
        caso.admitido_en = timezone.now()
        registrar(
            caso=caso,
            tipo=TipoEvento.ADMITIDA,
            actor=actor,
            estado=Estado.ADMITIDA,
            descripcion=_("Solicitud admitida."),
            publico=True,
            campos=("admitido_en",),
            datos={"nota": nota.strip()} if nota.strip() else {},
        )
    return caso


def avisar_no_admision_antes_de(caso: Caso):
    """LGMASC art. 66: la no admisión se notifica al día hábil siguiente."""
    return calendario().sumar(
        fecha_local(caso.concluido_en), plazo("NO_ADMISION_AVISO_DIAS_HABILES")
    )


def no_admitir(*, caso: Caso, actor, motivo: str) -> Caso:
    """No admite la solicitud; el motivo va a la constancia y al aviso al solicitante."""
    exigir(bool((motivo or "").strip()), _("Escriba el motivo de la no admisión."), "motivo")
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.MEDIACION)
        exigir_estado(caso, Estado.RECIBIDA, Estado.EN_REVISION)
        concluir(
            caso=caso,
            actor=actor,
            causa=CausaConclusion.NO_ADMITIDA,
            motivo=motivo.strip(),
            estado=Estado.NO_ADMITIDA,
            tipo_evento=TipoEvento.NO_ADMITIDA,
            descripcion=_("La solicitud no fue admitida."),
        )
    return caso


def registrar_aviso_no_admision(*, caso: Caso, actor, medio: str, nota: str = "") -> Caso:
    """Deja constancia de que se avisó a quien solicitó que su asunto no se admitió (art. 66)."""
    exigir(bool((medio or "").strip()), _("Indique cómo se avisó."), "medio")
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_estado(caso, Estado.NO_ADMITIDA)
        vence = avisar_no_admision_antes_de(caso)
        registrar(
            caso=caso,
            tipo=TipoEvento.CONTACTO,
            actor=actor,
            descripcion=_("Se avisó la no admisión a quien solicitó (%(medio)s).")
            % {"medio": medio.strip()},
            datos={"nota": nota.strip(), "fuera_de_plazo": hoy() > vence},
        )
    return caso


def canalizar(
    *, caso: Caso, actor, dependencia: str, motivo: str, numero_oficio: str = ""
) -> Canalizacion:
    """Remite el asunto a otra dependencia. En mediación concluye el caso; en asesoría queda
    en espera de la respuesta de la dependencia."""
    exigir(
        bool((dependencia or "").strip()),
        _("Indique a qué dependencia se canaliza."),
        "dependencia",
    )
    exigir(bool((motivo or "").strip()), _("Escriba el motivo de la canalización."), "motivo")
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_abierto(caso)
        canalizacion = Canalizacion.objects.create(
            caso=caso,
            dependencia=dependencia.strip(),
            motivo=motivo.strip(),
            numero_oficio=numero_oficio.strip(),
            registrada_por=actor,
        )
        descripcion = _("Asunto canalizado a %(dependencia)s.") % {
            "dependencia": canalizacion.dependencia
        }
        if caso.tipo == TipoCaso.MEDIACION:
            exigir_estado(caso, Estado.RECIBIDA, Estado.EN_REVISION)
            concluir(
                caso=caso,
                actor=actor,
                causa=CausaConclusion.CANALIZADA,
                motivo=motivo.strip(),
                estado=Estado.CANALIZADA,
                tipo_evento=TipoEvento.CANALIZADA,
                descripcion=descripcion,
            )
        else:
            exigir_estado(
                caso, Estado.RECIBIDA, Estado.CLASIFICADA, Estado.ASIGNADA, Estado.EN_ATENCION
            )
            registrar(
                caso=caso,
                tipo=TipoEvento.CANALIZADA,
                actor=actor,
                estado=Estado.EN_CANALIZACION,
                descripcion=descripcion,
                publico=True,
                datos={"canalizacion": canalizacion.pk},
            )
    return canalizacion


# --- Asignación -----------------------------------------------------------------------------


def mediadores_elegibles(fecha=None):
    """Personas del rol mediador con certificación vigente (LGMASC arts. 42-43, 55)."""
    fecha = fecha or hoy()
    return (
        User.objects.filter(
            is_active=True, groups__name="mediador", perfil_mediador__certificado_hasta__gte=fecha
        )
        .select_related("perfil_mediador")
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


def asignar_responsable(*, caso: Caso, actor, responsable) -> Caso:
    """Asigna (o reasigna) a la persona facilitadora o asesora del caso."""
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_abierto(caso)
        if caso.tipo == TipoCaso.MEDIACION:
            exigir_estado(
                caso,
                Estado.ADMITIDA,
                Estado.INVITACION,
                Estado.SESION,
                Estado.EN_MEDIACION,
                Estado.CONVENIO,
                Estado.VALIDACION,
                Estado.SEGUIMIENTO,
            )
            perfil = PerfilMediador.objects.filter(usuario=responsable).first()
            exigir(
                responsable.groups.filter(name="mediador").exists() and perfil is not None,
                _("Solo se asigna a personas facilitadoras registradas."),
                "responsable",
            )
            exigir(
                perfil.vigente(),
                _("La certificación de %(nombre)s venció el %(fecha)s: no puede recibir casos.")
                % {
                    "nombre": responsable.get_full_name() or responsable.username,
                    "fecha": date_format(perfil.certificado_hasta, "d/m/Y"),
                },
                "responsable",
            )
            estado = None
        else:
            exigir(
                responsable.groups.filter(name="asesor").exists(),
                _("Solo se asigna a personas asesoras."),
                "responsable",
            )
            exigir_estado(
                caso,
                Estado.RECIBIDA,
                Estado.CLASIFICADA,
                Estado.ASIGNADA,
                Estado.EN_ATENCION,
                Estado.EN_CANALIZACION,
                Estado.ESPERA_CIUDADANO,
                Estado.RESUELTA,
            )
            estado = (
                Estado.ASIGNADA if caso.estado in (Estado.RECIBIDA, Estado.CLASIFICADA) else None
            )
        anterior = caso.responsable
        caso.responsable = responsable
        nombre = responsable.get_full_name() or responsable.username
        registrar(
            caso=caso,
            tipo=TipoEvento.ASIGNADA,
            actor=actor,
            estado=estado,
            campos=("responsable",),
            descripcion=(
                _("Caso reasignado a %(nombre)s.") if anterior else _("Caso asignado a %(nombre)s.")
            )
            % {"nombre": nombre},
            datos={"responsable": responsable.pk, "anterior": anterior.pk if anterior else None},
        )
        responsable_asignado.send(
            sender=Caso, caso=caso, responsable=responsable, anterior=anterior
        )
    return caso


# --- Invitación -----------------------------------------------------------------------------


def invitacion_vence_el(caso: Caso):
    """LGMASC art. 69: la invitación sale dentro de 5 días hábiles (configurable)."""
    if caso.admitido_en is None:
        return None
    return calendario().sumar(fecha_local(caso.admitido_en), plazo("INVITACION_DIAS_HABILES"))


class Siguiente:
    """Qué sigue tras registrar una invitación o una sesión (lo lee el flujo)."""

    PROGRAMAR = "programar"
    REINTENTAR = "reintentar"
    CONVENIO = "convenio"
    CONCLUIDO = "concluido"


@dataclass(frozen=True)
class ResultadoPaso:
    siguiente: str
    objeto: object


def registrar_invitacion(
    *,
    caso: Caso,
    actor,
    medio: str,
    fecha: datetime,
    respuesta: str,
    recibio: str = "",
    observaciones: str = "",
) -> ResultadoPaso:
    """Deja constancia de un intento de invitación a la otra parte y decide qué sigue:
    acepta → programar sesión; rechaza → concluye; sin respuesta → nuevo intento, hasta el
    número configurado de intentos, y luego concluye."""
    exigir(
        fecha <= timezone.now() + timedelta(minutes=5),
        _("La fecha de la invitación no puede ser futura."),
        "fecha",
    )
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.MEDIACION)
        exigir_estado(caso, Estado.ADMITIDA, Estado.INVITACION)
        exigir(caso.responsable_id is not None, _("Primero asigne una persona facilitadora."))
        parte = caso.partes.filter(rol=RolParte.INVITADA).first()
        exigir(parte is not None, _("El caso no tiene registrada a la otra parte."))
        intento = caso.invitaciones.count() + 1
        maximo = plazo("INVITACION_INTENTOS")
        exigir(
            intento <= maximo, _("Ya se hicieron los %(n)d intentos de invitación.") % {"n": maximo}
        )
        invitacion = Invitacion.objects.create(
            caso=caso,
            parte=parte,
            intento=intento,
            fecha=fecha,
            medio=medio,
            recibio=recibio.strip(),
            respuesta=respuesta,
            observaciones=observaciones.strip(),
            registrada_por=actor,
        )
        vence = invitacion_vence_el(caso)
        registrar(
            caso=caso,
            tipo=TipoEvento.INVITACION,
            actor=actor,
            estado=Estado.INVITACION,
            publico=True,
            descripcion=_("Invitación a la otra parte, intento %(n)d: %(resultado)s.")
            % {"n": intento, "resultado": invitacion.get_respuesta_display().lower()},
            datos={
                "invitacion": invitacion.pk,
                "fuera_de_plazo": intento == 1 and fecha_local(fecha) > vence,
            },
        )
        if respuesta == RespuestaInvitacion.ACEPTA:
            return ResultadoPaso(Siguiente.PROGRAMAR, invitacion)
        if respuesta == RespuestaInvitacion.RECHAZA:
            concluir(
                caso=caso,
                actor=actor,
                causa=CausaConclusion.RECHAZO_INVITADA,
                motivo=_("La otra parte no aceptó participar en la mediación."),
                estado=Estado.CONCLUIDA_SIN_ACUERDO,
                tipo_evento=TipoEvento.CONCLUIDA,
                descripcion=_("Concluida: la otra parte no aceptó participar."),
            )
            return ResultadoPaso(Siguiente.CONCLUIDO, invitacion)
        if intento >= maximo:
            concluir(
                caso=caso,
                actor=actor,
                causa=CausaConclusion.INVITACION_FALLIDA,
                motivo=_("La otra parte no compareció tras %(n)d intentos de invitación.")
                % {"n": maximo},
                estado=Estado.CONCLUIDA_SIN_ACUERDO,
                tipo_evento=TipoEvento.CONCLUIDA,
                descripcion=_("Concluida: la otra parte no acudió a la invitación."),
            )
            return ResultadoPaso(Siguiente.CONCLUIDO, invitacion)
        return ResultadoPaso(Siguiente.REINTENTAR, invitacion)


# --- Sesiones -------------------------------------------------------------------------------


def _validar_horario(
    *,
    caso: Caso,
    inicio: datetime,
    fin: datetime,
    sala: Sala | None,
    mediador,
    excluir: Sesion | None = None,
) -> None:
    errores: dict[str, list[str]] = {}
    if inicio <= timezone.now():
        errores.setdefault("inicio", []).append(_("La sesión debe programarse a futuro."))
    cal = calendario()
    motivo = cal.motivo_inhabil(fecha_local(inicio))
    if motivo:
        errores.setdefault("inicio", []).append(
            _("El %(fecha)s es inhábil (%(motivo)s).")
            % {"fecha": date_format(fecha_local(inicio), "d/m/Y"), "motivo": motivo}
        )
    limite = caso.vence_el()
    if limite and fecha_local(inicio) > limite:
        errores.setdefault("inicio", []).append(
            _("La fecha rebasa el plazo del procedimiento (%(limite)s); registre una prórroga.")
            % {"limite": date_format(limite, "d/m/Y")}
        )
    otras = Sesion.objects.que_chocan(inicio, fin)
    if excluir is not None:
        otras = otras.exclude(pk=excluir.pk)
    if sala is not None:
        choque = otras.filter(sala=sala).select_related("caso").first()
        if choque:
            errores.setdefault("sala", []).append(
                _("La sala %(sala)s está ocupada a esa hora (%(folio)s, %(hora)s).")
                % {"sala": sala, "folio": choque.caso.folio, "hora": _momento(choque.inicio)}
            )
    choque = otras.filter(mediador=mediador).select_related("caso").first()
    if choque:
        errores.setdefault("inicio", []).append(
            _("%(nombre)s ya tiene una sesión a esa hora (%(folio)s, %(hora)s).")
            % {
                "nombre": mediador.get_full_name() or mediador.username,
                "folio": choque.caso.folio,
                "hora": _momento(choque.inicio),
            }
        )
    if errores:
        raise ValidationError(errores)


def programar_sesion(
    *,
    caso: Caso,
    actor,
    inicio: datetime,
    duracion_min: int = 60,
    sala: Sala | None = None,
    lugar: str = "",
    mediador=None,
) -> Sesion:
    """Programa una sesión. Rechaza sala o facilitador ocupados, días inhábiles y fechas fuera
    del plazo del procedimiento."""
    exigir(sala is not None or bool(lugar.strip()), _("Elija una sala o escriba el lugar."), "sala")
    exigir(
        15 <= duracion_min <= 480,
        _("La duración debe estar entre 15 minutos y 8 horas."),
        "duracion_min",
    )
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.MEDIACION)
        exigir_estado(caso, Estado.INVITACION, Estado.EN_MEDIACION, Estado.SESION)
        exigir(
            not caso.sesiones.programadas().exists(),
            _("El caso ya tiene una sesión programada; difiérala o regístrela."),
        )
        mediador = mediador or caso.responsable
        # Candado sobre la sala y el facilitador: dos programaciones simultáneas no chocan.
        if sala is not None:
            Sala.objects.select_for_update().get(pk=sala.pk)
        User.objects.select_for_update().filter(pk=mediador.pk).first()
        fin = inicio + timedelta(minutes=duracion_min)
        _validar_horario(caso=caso, inicio=inicio, fin=fin, sala=sala, mediador=mediador)
        numero = (caso.sesiones.aggregate(n=Max("numero"))["n"] or 0) + 1
        sesion = Sesion.objects.create(
            caso=caso,
            numero=numero,
            inicio=inicio,
            fin=fin,
            sala=sala,
            lugar=lugar.strip(),
            mediador=mediador,
        )
        registrar(
            caso=caso,
            tipo=TipoEvento.SESION_PROGRAMADA,
            actor=actor,
            estado=Estado.SESION,
            publico=True,
            descripcion=_("Sesión %(n)d programada para el %(cuando)s.")
            % {"n": numero, "cuando": _momento(inicio)},
            datos={"sesion": sesion.pk},
        )
        sesion_programada.send(sender=Sesion, sesion=sesion, anterior=None)
    return sesion


def diferir_sesion(
    *,
    sesion: Sesion,
    actor,
    motivo: str,
    nuevo_inicio: datetime,
    duracion_min: int | None = None,
    sala: Sala | None = None,
    lugar: str | None = None,
) -> Sesion:
    """Difiere una sesión a otra fecha. LGMASC art. 76: como máximo dos diferimientos."""
    exigir(bool((motivo or "").strip()), _("Escriba el motivo del diferimiento."), "motivo")
    with transaction.atomic():
        caso = bloquear(sesion.caso)
        sesion = Sesion.objects.select_for_update().get(pk=sesion.pk)
        exigir(
            sesion.estado == EstadoSesion.PROGRAMADA, _("Solo se difiere una sesión programada.")
        )
        maximo = plazo("DIFERIMIENTOS_MAXIMOS")
        exigir(
            sesion.inicio > timezone.now(),
            _("La sesión ya empezó: registre la asistencia o la inasistencia en vez de diferirla."),
        )
        hechos = contar_diferimientos(caso, sesion)
        exigir(
            hechos < maximo,
            _("Esta sesión ya tuvo %(n)d diferimientos; el art. 76 permite %(max)d como máximo.")
            % {"n": hechos, "max": maximo},
        )
        duracion = timedelta(minutes=duracion_min) if duracion_min else sesion.duracion
        sala = sala if sala is not None else sesion.sala
        lugar = lugar if lugar is not None else sesion.lugar
        _validar_horario(
            caso=caso,
            inicio=nuevo_inicio,
            fin=nuevo_inicio + duracion,
            sala=sala,
            mediador=sesion.mediador,
            excluir=sesion,
        )
        sesion.estado = EstadoSesion.DIFERIDA
        sesion.motivo_diferimiento = motivo.strip()
        sesion.registrada_en = timezone.now()
        sesion.save(update_fields=["estado", "motivo_diferimiento", "registrada_en"])
        nueva = Sesion.objects.create(
            caso=caso,
            numero=sesion.numero + 1
            if not caso.sesiones.filter(numero=sesion.numero + 1).exists()
            else (caso.sesiones.aggregate(n=Max("numero"))["n"] + 1),
            inicio=nuevo_inicio,
            fin=nuevo_inicio + duracion,
            sala=sala,
            lugar=lugar,
            mediador=sesion.mediador,
        )
        registrar(
            caso=caso,
            tipo=TipoEvento.SESION_DIFERIDA,
            actor=actor,
            estado=Estado.SESION,
            publico=True,
            descripcion=_("Sesión diferida al %(cuando)s (diferimiento %(n)d de %(max)d).")
            % {"cuando": _momento(nuevo_inicio), "n": hechos + 1, "max": maximo},
            datos={"sesion": sesion.pk, "nueva": nueva.pk, "motivo": motivo.strip()},
        )
        sesion_programada.send(sender=Sesion, sesion=nueva, anterior=sesion)
    return nueva


def contar_diferimientos(caso: Caso, sesion: Sesion) -> int:
    """Cuántas veces se difirió esta sesión: cada diferimiento crea la siguiente, así que son
    las sesiones diferidas inmediatamente anteriores (el art. 76 cuenta por sesión)."""
    cuenta = 0
    anteriores = caso.sesiones.filter(numero__lt=sesion.numero).order_by("-numero")
    for estado in anteriores.values_list("estado", flat=True):
        if estado != EstadoSesion.DIFERIDA:
            break
        cuenta += 1
    return cuenta


def _inasistencias_consecutivas(caso: Caso, campo: str) -> int:
    """Sesiones seguidas, desde la más reciente, con inasistencia sin causa de esa parte."""
    cuenta = 0
    for valor in (
        caso.sesiones.exclude(
            estado__in=[EstadoSesion.PROGRAMADA, EstadoSesion.CANCELADA, EstadoSesion.DIFERIDA]
        )
        .order_by("-numero")
        .values_list(campo, flat=True)
    ):
        if valor != Asistencia.INJUSTIFICADA:
            break
        cuenta += 1
    return cuenta


def registrar_sesion(
    *,
    sesion: Sesion,
    actor,
    asistencia_solicitante: str,
    asistencia_invitada: str,
    resultado: str = "",
) -> ResultadoPaso:
    """Registra asistencia y resultado de una sesión (nunca lo dicho en ella).

    LGMASC art. 78: dos inasistencias consecutivas sin causa de una parte concluyen el
    procedimiento de forma anticipada."""
    with transaction.atomic():
        caso = bloquear(sesion.caso)
        sesion = Sesion.objects.select_for_update().get(pk=sesion.pk)
        exigir(sesion.estado == EstadoSesion.PROGRAMADA, _("Esa sesión ya se registró."))
        exigir(
            sesion.inicio <= timezone.now(),
            _("No se puede registrar una sesión que aún no ocurre."),
        )
        sesion.asistencia_solicitante = asistencia_solicitante
        sesion.asistencia_invitada = asistencia_invitada
        sesion.registrada_en = timezone.now()
        asistieron = (
            asistencia_solicitante == Asistencia.ASISTIO
            and asistencia_invitada == Asistencia.ASISTIO
        )
        if not asistieron:
            sesion.estado = EstadoSesion.INASISTENCIA
            sesion.resultado = ""
            sesion.save()
            registrar(
                caso=caso,
                tipo=TipoEvento.INASISTENCIA,
                actor=actor,
                estado=Estado.EN_MEDIACION,
                publico=True,
                descripcion=_("La sesión %(n)d no se celebró por inasistencia.")
                % {"n": sesion.numero},
                datos={
                    "sesion": sesion.pk,
                    "solicitante": asistencia_solicitante,
                    "invitada": asistencia_invitada,
                },
            )
            limite = plazo("INASISTENCIAS_CONSECUTIVAS")
            for campo in ("asistencia_solicitante", "asistencia_invitada"):
                if _inasistencias_consecutivas(caso, campo) >= limite:
                    concluir(
                        caso=caso,
                        actor=actor,
                        causa=CausaConclusion.INASISTENCIAS,
                        motivo=_(
                            "%(n)d inasistencias consecutivas sin causa justificada de %(parte)s."
                        )
                        % {
                            "n": limite,
                            "parte": _("quien solicita")
                            if campo == "asistencia_solicitante"
                            else _("la otra parte"),
                        },
                        estado=Estado.CONCLUIDA_SIN_ACUERDO,
                        tipo_evento=TipoEvento.CONCLUIDA,
                        descripcion=_("Conclusión anticipada por inasistencias."),
                    )
                    return ResultadoPaso(Siguiente.CONCLUIDO, sesion)
            return ResultadoPaso(Siguiente.PROGRAMAR, sesion)

        exigir(
            resultado in ResultadoSesion.values, _("Elija el resultado de la sesión."), "resultado"
        )
        sesion.estado = EstadoSesion.CELEBRADA
        sesion.resultado = resultado
        sesion.save()
        registrar(
            caso=caso,
            tipo=TipoEvento.SESION_CELEBRADA,
            actor=actor,
            estado=Estado.EN_MEDIACION,
            publico=True,
            descripcion=_("Sesión %(n)d celebrada.") % {"n": sesion.numero},
            datos={"sesion": sesion.pk, "resultado": resultado},
        )
        if resultado in (ResultadoSesion.ACUERDO_TOTAL, ResultadoSesion.ACUERDO_PARCIAL):
            return ResultadoPaso(Siguiente.CONVENIO, sesion)
        if resultado == ResultadoSesion.SIN_ACUERDO:
            # Art. 77: sin acuerdo, las partes conservan sus derechos.
            concluir(
                caso=caso,
                actor=actor,
                causa=CausaConclusion.SIN_ACUERDO,
                motivo=_("Las partes no llegaron a un acuerdo; conservan sus derechos."),
                estado=Estado.CONCLUIDA_SIN_ACUERDO,
                tipo_evento=TipoEvento.CONCLUIDA,
                descripcion=_("Concluida sin acuerdo."),
            )
            return ResultadoPaso(Siguiente.CONCLUIDO, sesion)
        return ResultadoPaso(Siguiente.PROGRAMAR, sesion)


def prorrogar(*, caso: Caso, actor, nueva_fecha_limite, consentimiento: str) -> Prorroga:
    """LGMASC art. 64: las partes pueden ampliar el plazo; se deja constancia de su acuerdo."""
    exigir(
        bool((consentimiento or "").strip()),
        _("Describa cómo consta el consentimiento de ambas partes."),
        "consentimiento",
    )
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.MEDIACION)
        exigir_abierto(caso)
        actual = caso.vence_el()
        exigir(actual is not None, _("El caso aún no se admite."))
        exigir(
            nueva_fecha_limite > actual,
            _("La nueva fecha debe ser posterior al plazo actual (%(fecha)s).")
            % {"fecha": date_format(actual, "d/m/Y")},
            "nueva_fecha_limite",
        )
        prorroga = Prorroga.objects.create(
            caso=caso,
            nueva_fecha_limite=nueva_fecha_limite,
            consentimiento=consentimiento.strip(),
            registrada_por=actor,
        )
        registrar(
            caso=caso,
            tipo=TipoEvento.PRORROGA,
            actor=actor,
            publico=True,
            descripcion=_("Las partes acordaron ampliar el plazo hasta el %(fecha)s.")
            % {"fecha": date_format(nueva_fecha_limite, "d/m/Y")},
            datos={"anterior": actual.isoformat(), "nueva": nueva_fecha_limite.isoformat()},
        )
    return prorroga


ESTADOS_CONCLUSION_ANTICIPADA = (
    Estado.RECIBIDA,
    Estado.EN_REVISION,
    Estado.ADMITIDA,
    Estado.INVITACION,
    Estado.SESION,
    Estado.EN_MEDIACION,
)


def concluir_anticipadamente(*, caso: Caso, actor, causa: str, motivo: str) -> Caso:
    """LGMASC art. 78: desistimiento, conducta agresiva o dilatoria, muerte de una parte…"""
    permitidas = {
        CausaConclusion.DESISTIMIENTO,
        CausaConclusion.CONDUCTA,
        CausaConclusion.MUERTE,
        CausaConclusion.PLAZO,
        CausaConclusion.OTRA,
    }
    exigir(causa in permitidas, _("Elija la causa de la conclusión."), "causa")
    exigir(bool((motivo or "").strip()), _("Escriba el motivo para la constancia."), "motivo")
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.MEDIACION)
        # Con el convenio firmado ya no hay conclusión anticipada: sigue el registro y el
        # seguimiento de lo acordado.
        exigir_estado(caso, *ESTADOS_CONCLUSION_ANTICIPADA)
        canceladas = list(caso.sesiones.programadas().select_for_update())
        caso.sesiones.filter(pk__in=[c.pk for c in canceladas]).update(
            estado=EstadoSesion.CANCELADA
        )
        if canceladas:
            sesiones_canceladas.send(sender=Sesion, sesiones=canceladas)
        concluir(
            caso=caso,
            actor=actor,
            causa=causa,
            motivo=motivo.strip(),
            estado=Estado.CONCLUIDA_SIN_ACUERDO,
            tipo_evento=TipoEvento.CONCLUIDA,
            descripcion=_("Conclusión anticipada: %(causa)s.")
            % {"causa": CausaConclusion(causa).label.lower()},
        )
    return caso


# --- Convenio -------------------------------------------------------------------------------

CAMPOS_PARTE_CONVENIO = [
    ("nombre", _("nombre")),
    ("edad", _("edad")),
    ("nacionalidad", _("nacionalidad")),
    ("estado_civil", _("estado civil")),
    ("ocupacion", _("ocupación")),
    ("domicilio", _("domicilio")),
]


def actualizar_parte(*, parte: Parte, actor, **datos) -> Parte:
    """Completa o corrige los datos de una parte; el evento guarda los valores anteriores."""
    permitidos = {
        "nombre",
        "telefono",
        "correo",
        "domicilio",
        "edad",
        "nacionalidad",
        "estado_civil",
        "ocupacion",
        "representante",
        "avisos_por",
    }
    desconocidos = set(datos) - permitidos
    exigir(
        not desconocidos,
        _("Datos desconocidos: %(campos)s") % {"campos": ", ".join(sorted(desconocidos))},
    )
    with transaction.atomic():
        caso = bloquear(parte.caso)
        exigir_abierto(caso)
        parte = Parte.objects.select_for_update().get(pk=parte.pk)
        anteriores = {}
        for campo, valor in datos.items():
            if getattr(parte, campo) != valor:
                anteriores[campo] = getattr(parte, campo)
                setattr(parte, campo, valor)
        if not anteriores:
            return parte
        if "nombre" in anteriores:
            parte.nombre_busqueda = normalizar_busqueda(parte.nombre)
        parte.full_clean(exclude=["caso", "localidad"])
        parte.save()
        registrar(
            caso=caso,
            tipo=TipoEvento.TAREA,
            actor=actor,
            descripcion=_("Se actualizaron datos de %(parte)s: %(campos)s.")
            % {
                "parte": parte.get_rol_display().lower(),
                "campos": ", ".join(
                    str(Parte._meta.get_field(c).verbose_name) for c in sorted(anteriores)
                ),
            },
            datos={
                "parte": parte.pk,
                "anteriores": {
                    k: v if v is None or isinstance(v, int | str) else str(v)
                    for k, v in anteriores.items()
                },
            },
        )
    return parte


@dataclass(frozen=True)
class DatosClausula:
    obligado: Parte
    tipo: str
    descripcion: str
    modo: str = ""
    lugar: str = ""
    fecha_limite: object = None


def capturar_convenio(
    *,
    caso: Caso,
    actor,
    tipo: str,
    lugar: str,
    antecedentes: str,
    consecuencias_incumplimiento: str,
    clausulas: list[DatosClausula],
) -> Convenio:
    """Redacta (o corrige, mientras no se firme) el convenio como datos estructurados."""
    errores = {}
    if tipo not in TipoConvenio.values:
        errores["tipo"] = [_("Elija si el acuerdo es total o parcial.")]
    for campo, valor, mensaje in (
        ("lugar", lugar, _("Escriba el lugar de celebración.")),
        ("antecedentes", antecedentes, _("Escriba los antecedentes.")),
        (
            "consecuencias_incumplimiento",
            consecuencias_incumplimiento,
            _("Escriba las consecuencias del incumplimiento."),
        ),
    ):
        if not (valor or "").strip():
            errores[campo] = [mensaje]
    if not clausulas:
        errores["clausulas"] = [_("El convenio necesita al menos una cláusula.")]
    if errores:
        raise ValidationError(errores)
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.MEDIACION)
        exigir_estado(caso, Estado.EN_MEDIACION, Estado.CONVENIO)
        convenio = Convenio.objects.filter(caso=caso).first()
        exigir(
            convenio is None or convenio.firmado_en is None,
            _("El convenio ya está firmado: no se modifica."),
        )
        partes = {p.pk for p in caso.partes.all()}
        for i, c in enumerate(clausulas, start=1):
            exigir(
                c.obligado.pk in partes,
                _("La cláusula %(n)d obliga a alguien que no es parte.") % {"n": i},
            )
            exigir(
                c.tipo in TipoObligacion.values,
                _("Cláusula %(n)d: elija dar, hacer o no hacer.") % {"n": i},
            )
            exigir(
                bool(c.descripcion.strip()), _("Cláusula %(n)d: describa la obligación.") % {"n": i}
            )
        valores = dict(
            tipo=tipo,
            lugar=lugar.strip(),
            antecedentes=antecedentes.strip(),
            consecuencias_incumplimiento=consecuencias_incumplimiento.strip(),
        )
        if convenio is None:
            convenio = Convenio.objects.create(caso=caso, **valores)
        else:
            for campo, valor in valores.items():
                setattr(convenio, campo, valor)
            convenio.save()
            convenio.clausulas.all().delete()
        Clausula.objects.bulk_create(
            [
                Clausula(
                    convenio=convenio,
                    numero=i,
                    obligado=c.obligado,
                    tipo=c.tipo,
                    descripcion=c.descripcion.strip(),
                    modo=c.modo.strip(),
                    lugar=c.lugar.strip(),
                    fecha_limite=c.fecha_limite,
                )
                for i, c in enumerate(clausulas, start=1)
            ]
        )
        registrar(
            caso=caso,
            tipo=TipoEvento.CONVENIO_CAPTURADO,
            actor=actor,
            descripcion=ngettext(
                "Convenio redactado (%(n)d cláusula).",
                "Convenio redactado (%(n)d cláusulas).",
                len(clausulas),
            )
            % {"n": len(clausulas)},
            datos={"convenio": convenio.pk},
        )
    return convenio


def faltantes_convenio(caso: Caso) -> list[str]:
    """Lo que falta para que el convenio cumpla el art. 94 LGMASC, en frases para el usuario."""
    faltan: list[str] = []
    convenio = Convenio.objects.filter(caso=caso).prefetch_related("clausulas").first()
    if convenio is None:
        return [_("Falta redactar el convenio.")]
    for parte in caso.partes.all():
        vacios = [
            str(etiqueta)
            for campo, etiqueta in CAMPOS_PARTE_CONVENIO
            if getattr(parte, campo) in (None, "")
        ]
        if vacios:
            faltan.append(
                _("De %(nombre)s (%(rol)s) falta: %(campos)s.")
                % {
                    "nombre": parte.nombre,
                    "rol": parte.get_rol_display().lower(),
                    "campos": ", ".join(vacios),
                }
            )
    perfil = PerfilMediador.objects.filter(usuario_id=caso.responsable_id).first()
    if perfil is None or not perfil.numero_certificacion:
        faltan.append(_("Falta el número de certificación de la persona facilitadora."))
    elif not perfil.vigente():
        faltan.append(_("La certificación de la persona facilitadora no está vigente."))
    clausulas = list(convenio.clausulas.all())
    if not clausulas:
        faltan.append(_("El convenio no tiene cláusulas."))
    for c in clausulas:
        vacios = []
        if not c.modo:
            vacios.append(str(_("modo")))
        if not c.lugar:
            vacios.append(str(_("lugar")))
        if c.fecha_limite is None and c.tipo != TipoObligacion.NO_HACER:
            vacios.append(str(_("fecha para cumplir")))
        if vacios:
            faltan.append(
                _("A la cláusula %(n)d le falta: %(campos)s.")
                % {"n": c.numero, "campos": ", ".join(vacios)}
            )
    return faltan


def firmar_convenio(
    *, caso: Caso, actor, forma_firma: str, firmado_en: datetime | None = None
) -> Convenio:
    """Registra la firma del convenio (autógrafa, electrónica avanzada o huella, art. 94)."""
    exigir(
        firmado_en is None or firmado_en <= timezone.now() + timedelta(minutes=5),
        _("La fecha de firma no puede ser futura."),
        "firmado_en",
    )
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_estado(caso, Estado.EN_MEDIACION)
        faltan = faltantes_convenio(caso)
        if faltan:
            raise ValidationError(_("Antes de firmar, complete: ") + " ".join(faltan))
        convenio = Convenio.objects.select_for_update().get(caso=caso)
        convenio.forma_firma = forma_firma
        convenio.firmado_en = firmado_en or timezone.now()
        convenio.save(update_fields=["forma_firma", "firmado_en", "actualizado_en"])
        registrar(
            caso=caso,
            tipo=TipoEvento.CONVENIO_FIRMADO,
            actor=actor,
            estado=Estado.CONVENIO,
            publico=True,
            descripcion=_("Las partes firmaron el convenio."),
            datos={"convenio": convenio.pk},
        )
        convenio_firmado.send(sender=Convenio, convenio=convenio)
    return convenio


def registro_vence_el(convenio: Convenio):
    """Arts. 98 y 103-111: envío a registro dentro de 10 días hábiles desde la firma, o desde
    la prevención para corregir."""
    if convenio.estado_registro == EstadoRegistro.PREVENIDO and convenio.prevenido_en:
        return calendario().sumar(convenio.prevenido_en, plazo("PREVENCION_DIAS_HABILES"))
    if convenio.firmado_en is None:
        return None
    return calendario().sumar(
        fecha_local(convenio.firmado_en), plazo("REGISTRO_ENVIO_DIAS_HABILES")
    )


def enviar_a_registro(*, caso: Caso, actor, fecha=None) -> Convenio:
    """Envía (o reenvía, corregido) el convenio al registro para su validación."""
    fecha = fecha or hoy()
    exigir(fecha <= hoy(), _("La fecha de envío no puede ser futura."), "fecha")
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_estado(caso, Estado.CONVENIO, Estado.VALIDACION)
        convenio = Convenio.objects.select_for_update().get(caso=caso)
        exigir(
            convenio.estado_registro in (EstadoRegistro.SIN_ENVIAR, EstadoRegistro.PREVENIDO),
            _("El convenio ya está en el registro."),
        )
        vence = registro_vence_el(convenio)
        convenio.estado_registro = EstadoRegistro.ENVIADO
        convenio.enviado_registro_en = fecha
        convenio.save(update_fields=["estado_registro", "enviado_registro_en", "actualizado_en"])
        registrar(
            caso=caso,
            tipo=TipoEvento.ENVIADO_REGISTRO,
            actor=actor,
            estado=Estado.VALIDACION,
            publico=True,
            descripcion=_("Convenio enviado al registro para su validación."),
            datos={"fuera_de_plazo": bool(vence and fecha > vence)},
        )
    return convenio


def registrar_respuesta_registro(
    *,
    caso: Caso,
    actor,
    estado_registro: str,
    fecha=None,
    numero_registro: str = "",
    observaciones: str = "",
) -> Convenio:
    """Validado → seguimiento; prevenido → corregir y reenviar en 10 días hábiles; no
    presentado → seguimiento (el convenio obliga a las partes aunque no se registre)."""
    exigir(
        estado_registro
        in (EstadoRegistro.VALIDADO, EstadoRegistro.PREVENIDO, EstadoRegistro.NO_PRESENTADO),
        _("Elija la respuesta del registro."),
        "estado_registro",
    )
    if estado_registro == EstadoRegistro.PREVENIDO:
        exigir(
            bool(observaciones.strip()), _("Anote qué pidió corregir el registro."), "observaciones"
        )
    fecha = fecha or hoy()
    exigir(fecha <= hoy(), _("La fecha de la respuesta no puede ser futura."), "fecha")
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_estado(caso, Estado.VALIDACION)
        convenio = Convenio.objects.select_for_update().get(caso=caso)
        exigir(
            convenio.estado_registro == EstadoRegistro.ENVIADO,
            _("No hay un envío en espera de respuesta."),
        )
        convenio.estado_registro = estado_registro
        convenio.respuesta_registro_en = fecha
        convenio.numero_registro = numero_registro.strip()
        convenio.observaciones_registro = observaciones.strip()
        if estado_registro == EstadoRegistro.PREVENIDO:
            convenio.prevenido_en = fecha
        convenio.save()
        estado = (
            Estado.VALIDACION if estado_registro == EstadoRegistro.PREVENIDO else Estado.SEGUIMIENTO
        )
        registrar(
            caso=caso,
            tipo=TipoEvento.RESPUESTA_REGISTRO,
            actor=actor,
            estado=estado,
            publico=True,
            descripcion=_("Respuesta del registro: %(r)s.")
            % {"r": convenio.get_estado_registro_display().lower()},
            datos={"estado_registro": estado_registro},
        )
    return convenio


def verificar_clausula(*, clausula: Clausula, actor, cumplida: bool, nota: str = "") -> Clausula:
    """Seguimiento: registra si la parte obligada cumplió la cláusula."""
    with transaction.atomic():
        caso = bloquear(clausula.convenio.caso)
        exigir_estado(caso, Estado.SEGUIMIENTO)
        clausula = Clausula.objects.select_for_update().get(pk=clausula.pk)
        if not cumplida and clausula.fecha_limite and clausula.fecha_limite >= hoy():
            raise ValidationError(
                _("La cláusula %(n)d vence el %(fecha)s: todavía no puede darse por incumplida.")
                % {"n": clausula.numero, "fecha": date_format(clausula.fecha_limite, "d/m/Y")}
            )
        clausula.cumplimiento = Cumplimiento.CUMPLIDA if cumplida else Cumplimiento.INCUMPLIDA
        clausula.verificada_en = timezone.now()
        clausula.verificada_por = actor
        clausula.nota_verificacion = nota.strip()
        clausula.save()
        registrar(
            caso=caso,
            tipo=TipoEvento.CLAUSULA_VERIFICADA,
            actor=actor,
            descripcion=_("Cláusula %(n)d: %(r)s.")
            % {"n": clausula.numero, "r": clausula.get_cumplimiento_display().lower()},
            datos={"clausula": clausula.pk, "cumplida": cumplida},
        )
    return clausula


def cerrar_seguimiento(*, caso: Caso, actor, orientacion: str = "") -> Caso:
    """Cierra el caso cuando todas las cláusulas se verificaron. Si alguna se incumplió, se
    deja constancia de la orientación dada a las partes."""
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_estado(caso, Estado.SEGUIMIENTO)
        clausulas = list(caso.convenio.clausulas.all())
        pendientes = [c.numero for c in clausulas if c.cumplimiento == Cumplimiento.PENDIENTE]
        exigir(
            not pendientes,
            _("Faltan por verificar las cláusulas: %(n)s.")
            % {"n": ", ".join(map(str, pendientes))},
        )
        incumplidas = any(c.cumplimiento == Cumplimiento.INCUMPLIDA for c in clausulas)
        if incumplidas:
            exigir(
                bool(orientacion.strip()),
                _("Hubo incumplimiento: anote la orientación que se dio a las partes."),
                "orientacion",
            )
        caso.resultado_seguimiento = (
            ResultadoSeguimiento.INCUMPLIDO if incumplidas else ResultadoSeguimiento.CUMPLIDO
        )
        causa = (
            CausaConclusion.CONVENIO_TOTAL
            if caso.convenio.tipo == TipoConvenio.TOTAL
            else CausaConclusion.CONVENIO_PARCIAL
        )
        concluir(
            caso=caso,
            actor=actor,
            causa=causa,
            motivo=orientacion.strip(),
            estado=Estado.CONCLUIDA_CONVENIO,
            tipo_evento=TipoEvento.CONCLUIDA,
            campos=("resultado_seguimiento",),
            descripcion=_("Seguimiento concluido: %(r)s.")
            % {"r": caso.get_resultado_seguimiento_display().lower()},
        )
    return caso

"""Sesiones de mediación: programar, corregir la hora antes de avisar a las partes, diferir
(art. 76), registrar asistencia y resultado (art. 78: inasistencias), prorrogar el
procedimiento (art. 64) y concluirlo anticipadamente (art. 78)."""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ... import horarios, selectors
from ...models import (
    Asistencia,
    Caso,
    CausaConclusion,
    Estado,
    EstadoSesion,
    Prorroga,
    ResultadoSesion,
    Sala,
    Sesion,
    TipoCaso,
    TipoEvento,
)
from ...plazos import fecha_local, plazo, procedimiento_vence_el
from ...senales import sesion_corregida, sesion_programada, sesiones_canceladas
from ...texto import limpiar_texto, nombre_de
from ..comun import (
    bloquear,
    calendario,
    concluir,
    exigir,
    exigir_abierto,
    exigir_estado,
    exigir_texto,
    exigir_tipo,
    registrar,
)
from .pasos import ResultadoPaso, Siguiente

User = get_user_model()


def _momento(valor: datetime) -> str:
    return date_format(timezone.localtime(valor), "d/m/Y H:i")


def _validar_horario(
    *,
    caso: Caso,
    inicio: datetime,
    fin: datetime,
    sala: Sala | None,
    mediador,
    excluir: Sesion | None = None,
) -> None:
    """Una sesión va a futuro, en día hábil, dentro del horario de atención de su sala,
    dentro del plazo del procedimiento (art. 64) y sin chocar con otra en la misma sala o con
    la misma persona facilitadora."""
    errores: dict[str, list[str]] = {}
    if inicio <= timezone.now():
        errores.setdefault("inicio", []).append(_("La sesión debe programarse a futuro."))
    if sala is not None:
        fuera = horarios.error_de_horario(sala, horarios.intervalos_de(sala), inicio, fin)
        if fuera:
            errores.setdefault("inicio", []).append(fuera)
    cal = calendario()
    motivo = cal.motivo_inhabil(fecha_local(inicio))
    if motivo:
        errores.setdefault("inicio", []).append(
            _("El %(fecha)s es inhábil (%(motivo)s).")
            % {"fecha": date_format(fecha_local(inicio), "d/m/Y"), "motivo": motivo}
        )
    limite = procedimiento_vence_el(caso)
    if limite and fecha_local(inicio) > limite:
        errores.setdefault("inicio", []).append(
            _("La fecha rebasa el plazo del procedimiento (%(limite)s); registre una prórroga.")
            % {"limite": date_format(limite, "d/m/Y")}
        )
    if sala is not None:
        choque = selectors.choque_en_sala(sala=sala, inicio=inicio, fin=fin, excluir=excluir)
        if choque:
            errores.setdefault("sala", []).append(
                _("La sala %(sala)s está ocupada a esa hora (%(folio)s, %(hora)s).")
                % {"sala": sala, "folio": choque.caso.folio, "hora": _momento(choque.inicio)}
            )
    choque = selectors.choque_del_mediador(
        mediador=mediador, inicio=inicio, fin=fin, excluir=excluir
    )
    if choque:
        errores.setdefault("inicio", []).append(
            _("%(nombre)s ya tiene una sesión a esa hora (%(folio)s, %(hora)s).")
            % {
                "nombre": nombre_de(mediador),
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
    lugar = limpiar_texto(lugar, una_linea=True)
    exigir(sala is not None or bool(lugar), _("Elija una sala o escriba el lugar."), "sala")
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
        numero = selectors.siguiente_numero_de_sesion(caso=caso)
        sesion = Sesion.objects.create(
            caso=caso,
            numero=numero,
            inicio=inicio,
            fin=fin,
            sala=sala,
            lugar=lugar,
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
    motivo = exigir_texto(motivo, _("Escriba el motivo del diferimiento."), "motivo")
    with transaction.atomic():
        caso = bloquear(sesion.caso)
        sesion = Sesion.objects.select_for_update().get(pk=sesion.pk)
        exigir(
            sesion.estado == EstadoSesion.PROGRAMADA, _("Solo se difiere una sesión programada.")
        )
        maximo = plazo("DIFERIMIENTOS_MAXIMOS", caso=caso)
        exigir(
            sesion.inicio > timezone.now(),
            _("La sesión ya empezó: registre la asistencia o la inasistencia en vez de diferirla."),
        )
        hechos = selectors.contar_diferimientos(sesion=sesion)
        exigir(
            hechos < maximo,
            _("Esta sesión ya tuvo %(n)d diferimientos; el art. 76 permite %(max)d como máximo.")
            % {"n": hechos, "max": maximo},
        )
        duracion = timedelta(minutes=duracion_min) if duracion_min else sesion.duracion
        sala = sala if sala is not None else sesion.sala
        lugar = limpiar_texto(lugar, una_linea=True) if lugar is not None else sesion.lugar
        _validar_horario(
            caso=caso,
            inicio=nuevo_inicio,
            fin=nuevo_inicio + duracion,
            sala=sala,
            mediador=sesion.mediador,
            excluir=sesion,
        )
        sesion.estado = EstadoSesion.DIFERIDA
        sesion.motivo_diferimiento = motivo
        sesion.registrada_en = timezone.now()
        sesion.save(update_fields=["estado", "motivo_diferimiento", "registrada_en"])
        nueva = Sesion.objects.create(
            caso=caso,
            numero=selectors.siguiente_numero_de_sesion(caso=caso, tras=sesion),
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
            datos={"sesion": sesion.pk, "nueva": nueva.pk, "motivo": motivo},
        )
        sesion_programada.send(sender=Sesion, sesion=nueva, anterior=sesion)
    return nueva


def _fuera_de_hora_de_corregir(sesion: Sesion) -> str:
    """Por qué ya no se puede corregir la hora sin diferir ('' si todavía se puede)."""
    if sesion.avisada_en is not None:
        return _(
            "Ya se avisó a las partes de esta sesión (%(cuando)s): cambiarla es un "
            "diferimiento (LGMASC art. 76)."
        ) % {"cuando": _momento(sesion.avisada_en)}
    return ""


def corregir_hora(
    *,
    sesion: Sesion,
    actor,
    nuevo_inicio: datetime,
    duracion_min: int | None = None,
    sala: Sala | None = None,
    lugar: str | None = None,
) -> Sesion:
    """Corrige la fecha, la hora o el lugar de una sesión mal capturada ANTES de que las partes
    sepan de ella: la misma sesión cambia, queda un evento y no cuenta como diferimiento.

    Una vez avisadas las partes (`Sesion.avisada_en`: salió a una parte un aviso de la
    sesión), cualquier cambio es un diferimiento del art. 76 (`diferir_sesion`). Los avisos
    pendientes de la sesión se reemplazan por los de la hora correcta (señal
    `sesion_corregida`); si la bandeja encuentra uno que ya salió o está saliendo, la
    corrección se deshace con un mensaje que lo dice."""
    with transaction.atomic():
        caso = bloquear(sesion.caso)
        sesion = Sesion.objects.select_for_update().get(pk=sesion.pk)
        exigir(
            sesion.estado == EstadoSesion.PROGRAMADA,
            _("Solo se corrige la hora de una sesión programada."),
        )
        exigir(
            sesion.inicio > timezone.now(),
            _("La sesión ya empezó: registre la asistencia o la inasistencia."),
        )
        avisada = _fuera_de_hora_de_corregir(sesion)
        exigir(not avisada, avisada)
        duracion = timedelta(minutes=duracion_min) if duracion_min else sesion.duracion
        exigir(
            timedelta(minutes=15) <= duracion <= timedelta(hours=8),
            _("La duración debe estar entre 15 minutos y 8 horas."),
            "duracion_min",
        )
        if sala is None and lugar is None:
            sala, lugar = sesion.sala, sesion.lugar
        lugar = "" if sala is not None else limpiar_texto(lugar or "", una_linea=True)
        exigir(sala is not None or bool(lugar), _("Elija una sala o escriba el lugar."), "sala")
        fin = nuevo_inicio + duracion
        exigir(
            (nuevo_inicio, fin, sala.pk if sala else None, lugar)
            != (sesion.inicio, sesion.fin, sesion.sala_id, sesion.lugar),
            _("La sesión ya está a esa hora y en ese lugar."),
            "inicio",
        )
        # Los mismos candados que al programar: dos cambios simultáneos no chocan.
        if sala is not None:
            Sala.objects.select_for_update().get(pk=sala.pk)
        User.objects.select_for_update().filter(pk=sesion.mediador_id).first()
        _validar_horario(
            caso=caso,
            inicio=nuevo_inicio,
            fin=fin,
            sala=sala,
            mediador=sesion.mediador,
            excluir=sesion,
        )
        antes = {"inicio": sesion.inicio, "donde": sesion.donde}
        sesion.inicio, sesion.fin = nuevo_inicio, fin
        sesion.sala, sesion.lugar = sala, lugar
        sesion.correcciones += 1
        sesion.save(update_fields=["inicio", "fin", "sala", "lugar", "correcciones"])
        descripcion = _(
            "Hora corregida antes de avisar a las partes: de %(antes)s a %(ahora)s."
        ) % {"antes": _momento(antes["inicio"]), "ahora": _momento(nuevo_inicio)}
        if antes["donde"] != sesion.donde:
            descripcion += " " + _("Lugar: de %(antes)s a %(ahora)s.") % {
                "antes": antes["donde"],
                "ahora": sesion.donde,
            }
        registrar(
            caso=caso,
            tipo=TipoEvento.SESION_REPROGRAMADA,
            actor=actor,
            estado=Estado.SESION,
            publico=True,
            descripcion=descripcion,
            datos={
                "sesion": sesion.pk,
                "antes": antes["inicio"].isoformat(),
                "ahora": nuevo_inicio.isoformat(),
                "correccion": sesion.correcciones,
            },
        )
        sesion_corregida.send(sender=Sesion, sesion=sesion, antes=antes["inicio"])
    return sesion


def marcar_avisada(*, sesion_id: int, cuando: datetime) -> bool:
    """Anota que las partes ya saben de la sesión (la primera vez). Desde entonces, un cambio
    de hora es un diferimiento (art. 76). True si esta llamada lo anotó."""
    return bool(
        Sesion.objects.filter(pk=sesion_id, avisada_en__isnull=True).update(avisada_en=cuando)
    )


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
            limite = plazo("INASISTENCIAS_CONSECUTIVAS", caso=caso)
            for campo in ("asistencia_solicitante", "asistencia_invitada"):
                if selectors.inasistencias_consecutivas(caso=caso, campo=campo) >= limite:
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
    consentimiento = exigir_texto(
        consentimiento,
        _("Describa cómo consta el consentimiento de ambas partes."),
        "consentimiento",
    )
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.MEDIACION)
        exigir_abierto(caso)
        actual = procedimiento_vence_el(caso)
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
            consentimiento=consentimiento,
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
    motivo = exigir_texto(motivo, _("Escriba el motivo para la constancia."), "motivo")
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
            motivo=motivo,
            estado=Estado.CONCLUIDA_SIN_ACUERDO,
            tipo_evento=TipoEvento.CONCLUIDA,
            descripcion=_("Conclusión anticipada: %(causa)s.")
            % {"causa": CausaConclusion(causa).label.lower()},
        )
    return caso

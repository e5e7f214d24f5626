"""Modelos del expediente. Se importan desde aquí: `from casos.models import Caso`."""

from .asesoria import Canalizacion, EsperaCiudadano
from .configuracion import (
    AvisoPrivacidad,
    CatalogoQuerySet,
    Categoria,
    Centro,
    DiaInhabil,
    DiaSemana,
    HorarioSala,
    Localidad,
    Modulo,
    Sala,
    TipoCaso,
    exigir_pixeles,
    traslapes_de_horario,
    validar_logo,
)
from .expediente import (
    ESTADOS_FINALES,
    EXPLICACION_ESTADO,
    AccesoExcepcional,
    AccesoExpediente,
    AvisosPor,
    Canal,
    Caso,
    CausaConclusion,
    ContadorFolio,
    Estado,
    EstadoCivil,
    Evento,
    LimiteIntento,
    Parte,
    ResultadoSeguimiento,
    RolParte,
    TipoEvento,
    sumar_meses,
)
from .mediacion import (
    Asistencia,
    Clausula,
    Convenio,
    Cumplimiento,
    EstadoRegistro,
    EstadoSesion,
    FormaFirma,
    Invitacion,
    MedioInvitacion,
    PerfilMediador,
    Prorroga,
    RespuestaInvitacion,
    ResultadoSesion,
    Sesion,
    TipoConvenio,
    TipoObligacion,
)

__all__ = [n for n in dir() if not n.startswith("_")]

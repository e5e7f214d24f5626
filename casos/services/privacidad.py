"""Derechos ARCO: recibir la solicitud, acreditar la identidad, pedir información, ampliar el
plazo, rectificar, bloquear, registrar una oposición y responder. Cada hecho deja un
`EventoARCO` (y, en los casos tocados, un `Evento`); los avisos, el flujo y el PDF de la
respuesta los ponen otras capas al oír las señales de `casos.senales`."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import codigos, plazos
from ..models import (
    DATOS_DE_PARTE,
    PREFIJO_ARCO,
    Canal,
    Caso,
    CausaImprocedencia,
    Derecho,
    EstadoARCO,
    EventoARCO,
    MedioIdentidad,
    MedioRespuesta,
    Parte,
    Sentido,
    SolicitudARCO,
    TipoEvento,
    TipoEventoARCO,
    UsoOpuesto,
)
from ..senales import (
    arco_ampliada,
    arco_recibida,
    arco_requerida,
    arco_respondida,
    datos_bloqueados,
)
from ..texto import limpiar_texto, normalizar_busqueda
from .comun import exigir, exigir_texto, registrar

MAX_DESCRIPCION = 4000

# Quién puede llegar a la oficina y por dónde (la API y los sistemas externos no presentan
# solicitudes ARCO: la persona titular debe poder ser identificada).
CANALES_ARCO = (Canal.WEB, Canal.TELEFONO, Canal.PRESENCIAL, Canal.MODULO)


@dataclass(frozen=True)
class SolicitudARCORecibida:
    solicitud: SolicitudARCO
    codigo: str

    @property
    def codigo_legible(self) -> str:
        return codigos.mostrar_codigo(self.codigo)


def _evento(solicitud, tipo, descripcion, *, actor=None, publico=False, datos=None, **extra):
    return EventoARCO.objects.create(
        solicitud=solicitud,
        tipo=tipo,
        descripcion=descripcion[:500],
        actor=actor,
        publico=publico,
        datos=datos or {},
        **extra,
    )


def bloquear_solicitud(solicitud: SolicitudARCO) -> SolicitudARCO:
    """La solicitud, releída con su renglón bloqueado hasta el fin de la transacción."""
    return SolicitudARCO.objects.select_for_update().get(pk=solicitud.pk)


def _exigir_abierta(solicitud: SolicitudARCO) -> None:
    exigir(solicitud.abierta, _("La solicitud %(folio)s ya concluyó.") % {"folio": solicitud.folio})


def _errores_de_contacto(medio, telefono, correo, domicilio) -> dict:
    faltan = {
        MedioRespuesta.CORREO: (
            "correo",
            correo,
            _("Escriba el correo donde quiere la respuesta."),
        ),
        MedioRespuesta.SMS: ("telefono", telefono, _("Escriba el teléfono para el mensaje.")),
        MedioRespuesta.WHATSAPP: ("telefono", telefono, _("Escriba el teléfono de WhatsApp.")),
        MedioRespuesta.DOMICILIO: (
            "domicilio",
            domicilio,
            _("Escriba el domicilio donde quiere recibir la respuesta."),
        ),
    }
    if medio not in MedioRespuesta.values:
        return {"medio_respuesta": [_("Elija cómo quiere recibir la respuesta.")]}
    if medio in faltan:
        campo, valor, mensaje = faltan[medio]
        if not valor:
            return {campo: [mensaje]}
    return {}


def recibir_solicitud_arco(
    *,
    derecho: str,
    canal: str,
    nombre: str,
    medio_respuesta: str,
    descripcion: str,
    telefono: str = "",
    correo: str = "",
    domicilio: str = "",
    representante: str = "",
    folios_referidos: str = "",
    aviso_version: str = "",
    actor=None,
    recibida_en=None,
) -> SolicitudARCORecibida:
    """Registra una solicitud de derechos ARCO (formulario público, teléfono o en persona):
    folio de su propia serie (`ARCO-AAAA-NNNNN`), código de consulta y evento. El teléfono
    llega ya en E.164."""
    nombre = limpiar_texto(nombre, una_linea=True)
    correo = limpiar_texto(correo, una_linea=True)
    domicilio = limpiar_texto(domicilio, una_linea=True)
    representante = limpiar_texto(representante, una_linea=True)
    descripcion = limpiar_texto(descripcion)
    folios_referidos = limpiar_texto(folios_referidos, una_linea=True)
    errores: dict[str, list[str]] = {}
    if derecho not in Derecho.values:
        errores["derecho"] = [_("Elija qué derecho quiere ejercer.")]
    if canal not in CANALES_ARCO:
        errores["canal"] = [_("Canal de recepción no válido para una solicitud ARCO.")]
    if len(nombre) < 3:
        errores["nombre"] = [_("Escriba el nombre completo de la persona titular de los datos.")]
    elif len(nombre) > 200:
        errores["nombre"] = [_("El nombre no debe pasar de 200 caracteres.")]
    if len(descripcion) < 10:
        errores["descripcion"] = [
            _("Describa en al menos 10 caracteres de qué datos se trata y qué pide.")
        ]
    elif len(descripcion) > MAX_DESCRIPCION:
        errores["descripcion"] = [
            _("La descripción no debe pasar de %(n)d caracteres.") % {"n": MAX_DESCRIPCION}
        ]
    if len(folios_referidos) > 300:
        errores["folios_referidos"] = [_("Los folios no deben pasar de 300 caracteres.")]
    for campo, mensajes in _errores_de_contacto(
        medio_respuesta, telefono, correo, domicilio
    ).items():
        errores.setdefault(campo, []).extend(mensajes)
    if errores:
        raise ValidationError(errores)
    from .recepcion import siguiente_numero

    ahora = timezone.now()
    recibida_en = recibida_en or ahora
    anio = timezone.localtime(recibida_en).year
    with transaction.atomic():
        numero = siguiente_numero(PREFIJO_ARCO, anio)
        folio = codigos.formatear_folio(PREFIJO_ARCO, anio, numero)
        sal = codigos.nueva_sal()
        solicitud = SolicitudARCO.objects.create(
            folio=folio,
            anio=anio,
            numero=numero,
            derecho=derecho,
            canal=canal,
            nombre=nombre,
            nombre_busqueda=normalizar_busqueda(nombre),
            telefono=telefono,
            correo=correo,
            domicilio=domicilio,
            representante=representante,
            medio_respuesta=medio_respuesta,
            descripcion=descripcion,
            folios_referidos=folios_referidos,
            recibida_en=recibida_en,
            capturada_por=actor,
            codigo_sal=sal,
            aviso_version=aviso_version,
        )
        _evento(
            solicitud,
            TipoEventoARCO.RECIBIDA,
            _("Solicitud de %(derecho)s recibida por %(canal)s.")
            % {
                "derecho": solicitud.get_derecho_display().lower(),
                "canal": solicitud.get_canal_display().lower(),
            },
            actor=actor,
            publico=True,
            creado_en=recibida_en,
        )
        codigo = codigos.derivar_codigo(folio, sal)
        arco_recibida.send(sender=SolicitudARCO, solicitud=solicitud, codigo=codigo)
    return SolicitudARCORecibida(solicitud=solicitud, codigo=codigo)


def codigo_de(solicitud: SolicitudARCO) -> str:
    return codigos.derivar_codigo(solicitud.folio, solicitud.codigo_sal)


def identificar_datos(*, solicitud: SolicitudARCO, partes, actor) -> SolicitudARCO:
    """Los renglones de parte (de uno o más casos) que la oficina reconoce como de la persona
    titular: sobre ellos se entrega, rectifica, bloquea o se registra la oposición."""
    partes = list(partes)
    with transaction.atomic():
        solicitud = bloquear_solicitud(solicitud)
        _exigir_abierta(solicitud)
        solicitud.partes.set(partes)
        folios = sorted({p.caso.folio for p in partes})
        _evento(
            solicitud,
            TipoEventoARCO.DATOS,
            _("Datos identificados en %(n)d renglón(es) de %(casos)s.")
            % {"n": len(partes), "casos": ", ".join(folios) or _("ningún caso")},
            actor=actor,
            datos={"partes": [p.pk for p in partes], "casos": folios},
        )
    return solicitud


def acreditar_identidad(
    *, solicitud: SolicitudARCO, actor, medio: str, detalle: str
) -> SolicitudARCO:
    """Deja constancia de cómo se acreditó la identidad (antes de revelar cualquier dato)."""
    detalle = exigir_texto(
        limpiar_texto(detalle, una_linea=True)[:200],
        _("Diga qué documento revisó (tipo y lo mínimo para identificarlo)."),
        "identidad_detalle",
    )
    exigir(
        medio in MedioIdentidad.values, _("Elija cómo se acreditó la identidad."), "identidad_medio"
    )
    with transaction.atomic():
        solicitud = bloquear_solicitud(solicitud)
        _exigir_abierta(solicitud)
        exigir(
            solicitud.estado != EstadoARCO.REQUERIDA,
            _("Primero registre lo que la persona entregó en respuesta al requerimiento."),
        )
        ahora = timezone.now()
        solicitud.identidad_medio = medio
        solicitud.identidad_detalle = detalle
        solicitud.identidad_verificada_en = ahora
        solicitud.identidad_verificada_por = actor
        solicitud.estado = EstadoARCO.EN_TRAMITE
        solicitud.responsable = solicitud.responsable or actor
        solicitud.save()
        _evento(
            solicitud,
            TipoEventoARCO.IDENTIDAD,
            _("Identidad acreditada: %(medio)s.")
            % {"medio": solicitud.get_identidad_medio_display()},
            actor=actor,
            publico=True,
        )
    return solicitud


def requerir_informacion(*, solicitud: SolicitudARCO, actor, requerimiento: str) -> SolicitudARCO:
    """Pide a la persona lo que falta (identidad, datos para localizar): una sola vez y dentro
    del plazo para requerir. Interrumpe el plazo de respuesta."""
    requerimiento = exigir_texto(
        limpiar_texto(requerimiento)[:2000],
        _("Escriba qué información o documento necesita de la persona."),
        "requerimiento",
    )
    with transaction.atomic():
        solicitud = bloquear_solicitud(solicitud)
        _exigir_abierta(solicitud)
        exigir(
            solicitud.requerida_en is None,
            _("A esta solicitud ya se le pidió información una vez."),
        )
        hoy = timezone.localdate()
        limite = plazos.arco_requerimiento_vence_el(solicitud)
        exigir(
            hoy <= limite,
            _(
                "El plazo para pedir información venció el %(fecha)s: la solicitud debe "
                "resolverse con lo que se tiene."
            )
            % {"fecha": f"{limite:%d/%m/%Y}"},
        )
        solicitud.requerida_en = timezone.now()
        solicitud.requerimiento = requerimiento
        solicitud.estado = EstadoARCO.REQUERIDA
        solicitud.save()
        _evento(
            solicitud,
            TipoEventoARCO.REQUERIMIENTO,
            _("Se pidió información a la persona; el plazo de respuesta se detiene."),
            actor=actor,
            publico=True,
            datos={"vence": f"{plazos.arco_desahogo_vence_el(solicitud):%Y-%m-%d}"},
        )
        arco_requerida.send(sender=SolicitudARCO, solicitud=solicitud)
    return solicitud


def registrar_desahogo(*, solicitud: SolicitudARCO, actor, desahogo: str) -> SolicitudARCO:
    """La persona entregó lo que se le pidió: el plazo de respuesta vuelve a contarse
    completo desde hoy."""
    desahogo = exigir_texto(
        limpiar_texto(desahogo)[:2000], _("Escriba qué entregó la persona."), "desahogo"
    )
    with transaction.atomic():
        solicitud = bloquear_solicitud(solicitud)
        exigir(
            solicitud.estado == EstadoARCO.REQUERIDA,
            _("Esta solicitud no espera información de la persona."),
        )
        solicitud.desahogada_en = timezone.now()
        solicitud.desahogo = desahogo
        solicitud.estado = (
            EstadoARCO.EN_TRAMITE if solicitud.identidad_acreditada else EstadoARCO.RECIBIDA
        )
        solicitud.save()
        _evento(
            solicitud,
            TipoEventoARCO.DESAHOGO,
            _("La persona entregó la información pedida; el plazo de respuesta corre de nuevo."),
            actor=actor,
            publico=True,
        )
    return solicitud


def tener_por_no_presentada(*, solicitud: SolicitudARCO, actor) -> SolicitudARCO:
    """Venció el plazo para entregar lo pedido sin que la persona lo hiciera."""
    with transaction.atomic():
        solicitud = bloquear_solicitud(solicitud)
        exigir(
            solicitud.estado == EstadoARCO.REQUERIDA,
            _("Esta solicitud no espera información de la persona."),
        )
        vence = plazos.arco_desahogo_vence_el(solicitud)
        exigir(
            timezone.localdate() > vence,
            _("La persona tiene hasta el %(fecha)s para entregar lo pedido.")
            % {"fecha": f"{vence:%d/%m/%Y}"},
        )
        ahora = timezone.now()
        solicitud.estado = EstadoARCO.NO_PRESENTADA
        solicitud.concluida_en = ahora
        solicitud.save()
        _evento(
            solicitud,
            TipoEventoARCO.NO_PRESENTADA,
            _("Se tuvo por no presentada: la información pedida no llegó a tiempo."),
            actor=actor,
            publico=True,
        )
    return solicitud


def ampliar_plazo(*, solicitud: SolicitudARCO, actor, motivo: str) -> SolicitudARCO:
    """Amplía una sola vez el plazo de respuesta, con motivo, dentro del plazo original; la
    persona recibe el aviso."""
    motivo = exigir_texto(
        limpiar_texto(motivo)[:1000],
        _("Explique por qué se necesita más tiempo (la persona recibe este motivo)."),
        "motivo",
    )
    with transaction.atomic():
        solicitud = bloquear_solicitud(solicitud)
        _exigir_abierta(solicitud)
        exigir(solicitud.ampliada_en is None, _("El plazo de esta solicitud ya se amplió una vez."))
        limite = plazos.arco_respuesta_sin_ampliar_vence_el(solicitud)
        exigir(
            limite is not None, _("El plazo está detenido: se espera información de la persona.")
        )
        exigir(
            timezone.localdate() <= limite,
            _(
                "La ampliación debe notificarse dentro del plazo de respuesta, que venció "
                "el %(fecha)s."
            )
            % {"fecha": f"{limite:%d/%m/%Y}"},
        )
        solicitud.ampliada_en = timezone.now()
        solicitud.ampliacion_motivo = motivo
        solicitud.save()
        nuevo = plazos.arco_respuesta_vence_el(solicitud)
        _evento(
            solicitud,
            TipoEventoARCO.AMPLIACION,
            _("Plazo de respuesta ampliado hasta el %(fecha)s.") % {"fecha": f"{nuevo:%d/%m/%Y}"},
            actor=actor,
            publico=True,
            datos={"vence": f"{nuevo:%Y-%m-%d}"},
        )
        arco_ampliada.send(sender=SolicitudARCO, solicitud=solicitud)
    return solicitud


def _exigir_identidad(solicitud: SolicitudARCO) -> None:
    exigir(
        solicitud.identidad_acreditada,
        _("Antes de tocar o entregar datos, acredite la identidad de la persona titular."),
    )


def _partes_de(solicitud: SolicitudARCO, partes) -> list[Parte]:
    propias = {p.pk: p for p in solicitud.partes.select_related("caso")}
    elegidas = [propias.get(getattr(p, "pk", p)) for p in partes]
    exigir(
        all(elegidas) and elegidas,
        _("Elija datos que se hayan identificado como de la persona titular."),
        "partes",
    )
    return elegidas


CAMPOS_RECTIFICABLES = DATOS_DE_PARTE


def rectificar(*, solicitud: SolicitudARCO, parte: Parte, actor, **datos) -> Parte:
    """Corrige los datos de la persona en un caso, también si el caso ya concluyó. La
    versión anterior queda en la historia de la parte y en el evento del caso; nada firmado
    se vuelve a generar: el convenio firmado queda como se firmó y la corrección se anexa
    (el evento del caso y la respuesta ARCO la citan)."""
    from .mediacion.convenio import actualizar_parte

    desconocidos = set(datos) - set(CAMPOS_RECTIFICABLES)
    exigir(
        not desconocidos,
        _("Datos desconocidos: %(campos)s") % {"campos": ", ".join(sorted(desconocidos))},
    )
    with transaction.atomic():
        solicitud = bloquear_solicitud(solicitud)
        _exigir_abierta(solicitud)
        _exigir_identidad(solicitud)
        (parte,) = _partes_de(solicitud, [parte])
        exigir(parte.suprimida_en is None, _("Los datos de esta parte ya se suprimieron."))
        antes = {c: getattr(parte, c) for c in datos}
        if not parte.history.exists():
            # Las partes nacen en lote (sin historia): se guarda primero cómo estaban.
            Parte.history.bulk_history_create(
                [parte], default_change_reason=_("Estado previo a la rectificación")
            )
        parte = actualizar_parte(
            parte=parte,
            actor=actor,
            permitir_concluido=True,
            motivo=_("Rectificación por la solicitud %(folio)s") % {"folio": solicitud.folio},
            **datos,
        )
        cambiados = sorted(c for c in datos if getattr(parte, c) != antes[c])
        if cambiados:
            firmado = getattr(parte.caso, "convenio", None)
            _evento(
                solicitud,
                TipoEventoARCO.RECTIFICACION,
                _("Datos rectificados en %(folio)s: %(campos)s.")
                % {
                    "folio": parte.caso.folio,
                    "campos": ", ".join(
                        str(Parte._meta.get_field(c).verbose_name) for c in cambiados
                    ),
                },
                actor=actor,
                datos={
                    "parte": parte.pk,
                    "caso": parte.caso.folio,
                    "campos": cambiados,
                    "convenio_firmado": bool(firmado and firmado.firmado_en),
                },
            )
    return parte


def bloquear_datos(*, solicitud: SolicitudARCO, partes, actor, motivo: str = "") -> int:
    """Cancelación: los datos de la persona quedan bloqueados (se conservan solo para las
    obligaciones legales hasta que venza la conservación del caso, y entonces se suprimen).
    No salen en búsquedas, listas, avisos ni exportaciones; los avisos pendientes se
    cancelan."""
    with transaction.atomic():
        solicitud = bloquear_solicitud(solicitud)
        _exigir_abierta(solicitud)
        _exigir_identidad(solicitud)
        elegidas = _partes_de(solicitud, partes)
        ahora = timezone.now()
        motivo = limpiar_texto(motivo, una_linea=True)[:250] or _(
            "Cancelación por la solicitud %(folio)s"
        ) % {"folio": solicitud.folio}
        nuevas = [p for p in elegidas if p.bloqueada_en is None]
        for parte in nuevas:
            Parte.objects.filter(pk=parte.pk).update(bloqueada_en=ahora, bloqueo_motivo=motivo)
            registrar(
                caso=parte.caso,
                tipo=TipoEvento.PRIVACIDAD,
                actor=actor,
                descripcion=_("Datos de %(rol)s bloqueados por la solicitud %(folio)s.")
                % {"rol": parte.get_rol_display().lower(), "folio": solicitud.folio},
                datos={"parte": parte.pk, "solicitud": solicitud.folio},
            )
        if nuevas:
            _evento(
                solicitud,
                TipoEventoARCO.BLOQUEO,
                _("Datos bloqueados en %(casos)s.")
                % {"casos": ", ".join(sorted({p.caso.folio for p in nuevas}))},
                actor=actor,
                datos={"partes": [p.pk for p in nuevas]},
            )
            datos_bloqueados.send(sender=Parte, partes=[p.pk for p in nuevas])
    return len(nuevas)


def registrar_oposicion(*, solicitud: SolicitudARCO, partes, usos, actor) -> int:
    """Oposición: la persona deja de recibir los avisos (y la encuesta) que nombra; el trámite
    de su caso sigue. Los avisos pendientes de esos usos se cancelan."""
    usos = sorted(set(usos))
    exigir(
        usos and all(u in UsoOpuesto.values for u in usos),
        _("Elija a qué uso de sus datos se opone la persona."),
        "usos",
    )
    with transaction.atomic():
        solicitud = bloquear_solicitud(solicitud)
        _exigir_abierta(solicitud)
        _exigir_identidad(solicitud)
        elegidas = _partes_de(solicitud, partes)
        for parte in elegidas:
            actuales = sorted(set(parte.usos_opuestos or []) | set(usos))
            Parte.objects.filter(pk=parte.pk).update(usos_opuestos=actuales)
            registrar(
                caso=parte.caso,
                tipo=TipoEvento.PRIVACIDAD,
                actor=actor,
                descripcion=_("%(rol)s se opuso a: %(usos)s (solicitud %(folio)s).")
                % {
                    "rol": parte.get_rol_display(),
                    "usos": "; ".join(str(UsoOpuesto(u).label).lower() for u in usos),
                    "folio": solicitud.folio,
                },
                datos={"parte": parte.pk, "usos": usos, "solicitud": solicitud.folio},
            )
        _evento(
            solicitud,
            TipoEventoARCO.OPOSICION,
            _("Oposición registrada en %(casos)s.")
            % {"casos": ", ".join(sorted({p.caso.folio for p in elegidas}))},
            actor=actor,
            datos={"partes": [p.pk for p in elegidas], "usos": usos},
        )
        datos_bloqueados.send(sender=Parte, partes=[p.pk for p in elegidas], usos=usos)
    return len(elegidas)


def responder(
    *,
    solicitud: SolicitudARCO,
    actor,
    sentido: str,
    fundamento: str,
    respuesta: str,
    causa_improcedencia: str = "",
) -> SolicitudARCO:
    """La respuesta: sentido, fundamento y lo que se dice a la persona. Genera la «Respuesta
    ARCO» (PDF en la cola `pdf`) y la envía por el medio que eligió (lo hacen los receptores
    de `arco_respondida`)."""
    fundamento = exigir_texto(
        limpiar_texto(fundamento)[:2000], _("Escriba el fundamento de la respuesta."), "fundamento"
    )
    respuesta = exigir_texto(
        limpiar_texto(respuesta)[:6000], _("Escriba la respuesta para la persona."), "respuesta"
    )
    exigir(sentido in Sentido.values, _("Elija el sentido de la respuesta."), "sentido")
    if sentido == Sentido.PROCEDENTE:
        causa_improcedencia = ""
    else:
        exigir(
            causa_improcedencia in CausaImprocedencia.values,
            _("Elija la causa por la que no procede (todo o en parte)."),
            "causa_improcedencia",
        )
    with transaction.atomic():
        solicitud = bloquear_solicitud(solicitud)
        _exigir_abierta(solicitud)
        exigir(
            solicitud.estado != EstadoARCO.REQUERIDA,
            _("Se espera la información pedida a la persona: aún no se puede responder."),
        )
        if sentido != Sentido.IMPROCEDENTE or causa_improcedencia != CausaImprocedencia.IDENTIDAD:
            _exigir_identidad(solicitud)
        ahora = timezone.now()
        solicitud.sentido = sentido
        solicitud.causa_improcedencia = causa_improcedencia
        solicitud.fundamento = fundamento
        solicitud.respuesta = respuesta
        solicitud.respondida_en = ahora
        solicitud.concluida_en = ahora
        solicitud.estado = EstadoARCO.RESPONDIDA
        solicitud.responsable = solicitud.responsable or actor
        solicitud.save()
        _evento(
            solicitud,
            TipoEventoARCO.RESPUESTA,
            _("Respuesta emitida: %(sentido)s.")
            % {"sentido": solicitud.get_sentido_display().lower()},
            actor=actor,
            publico=True,
        )
        arco_respondida.send(sender=SolicitudARCO, solicitud=solicitud)
    return solicitud


def registrar_evento(*, solicitud: SolicitudARCO, tipo: str, descripcion: str, actor=None, **kw):
    """Un hecho de otra capa (documento generado, aviso enviado, datos reunidos)."""
    return _evento(solicitud, tipo, descripcion, actor=actor, **kw)


def casos_de(solicitud: SolicitudARCO) -> list[Caso]:
    """Los casos donde están los datos identificados de la persona."""
    return list(
        Caso.objects.filter(partes__solicitudes_arco=solicitud).distinct().order_by("recibido_en")
    )

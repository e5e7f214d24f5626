"""El contenido de los documentos de una solicitud ARCO: la «Respuesta a una solicitud ARCO»
y el anexo «Sus datos personales». `plantillas` los genera en la cola `pdf` y pide aquí su
contenido (`plantillas.arco`, registrado en `PrivacidadConfig.ready()`); todo va como texto
y la plantilla lo escapa.

Al responderse una solicitud (`casos.senales.arco_respondida`) se piden la respuesta y, en
acceso o portabilidad procedentes (o en parte), el anexo con los datos."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from casos import cifras, plazos
from casos.models import (
    DERECHOS_DE_ENTREGA,
    Centro,
    Derecho,
    Evento,
    PerfilPersonal,
    Sentido,
    SolicitudARCO,
    TipoEvento,
    TipoEventoARCO,
    UsoOpuesto,
)
from casos.services.privacidad import registrar_evento
from casos.texto import nombre_de
from plantillas.models import Documento, EstadoDocumento, TipoDocumento
from plantillas.services import solicitar_documento_arco

from .exportar import datos_de_la_persona

SENTIDOS_DE_ENTREGA = frozenset({Sentido.PROCEDENTE, Sentido.PARCIAL})


def _dia(valor) -> str:
    if not valor:
        return ""
    if hasattr(valor, "tzinfo") and valor.tzinfo is not None:
        valor = timezone.localtime(valor)
    return formats.date_format(valor, r"j \d\e F \d\e Y").lower()


def _momento(texto: str | None) -> str:
    """Una fecha ISO de la exportación, como se lee: «24/11/2026 10:00»."""
    if not texto:
        return ""
    from datetime import datetime

    valor = datetime.fromisoformat(texto)
    return valor.strftime("%d/%m/%Y %H:%M") if "T" in texto else valor.strftime("%d/%m/%Y")


def _firma(solicitud: SolicitudARCO) -> dict:
    responsable = solicitud.responsable
    perfil = PerfilPersonal.objects.filter(usuario=responsable).first() if responsable else None
    return {
        "nombre": nombre_de(responsable),
        "cargo": perfil.cargo if perfil and perfil.cargo else _("Unidad de Transparencia"),
    }


def entrega_datos(solicitud: SolicitudARCO) -> bool:
    """Si la respuesta entrega los datos de la persona (acceso o portabilidad procedentes,
    todo o en parte)."""
    return solicitud.derecho in DERECHOS_DE_ENTREGA and solicitud.sentido in SENTIDOS_DE_ENTREGA


# --- Lo que se hizo ----------------------------------------------------------------------


def _rectificaciones(solicitud: SolicitudARCO) -> list[str]:
    """Cada dato rectificado, «antes → ahora»: el evento del caso guarda ambos valores y su
    motivo cita el folio de la solicitud (`casos.services.privacidad.rectificar`)."""
    folios = {
        e.datos.get("caso")
        for e in solicitud.eventos.filter(tipo=TipoEventoARCO.RECTIFICACION)
        if e.datos.get("caso")
    }
    eventos = Evento.objects.filter(caso__folio__in=folios, tipo=TipoEvento.DATOS_PARTE)
    renglones = []
    for evento in eventos.select_related("caso").order_by("creado_en", "id"):
        if solicitud.folio not in str(evento.datos.get("motivo", "")):
            continue
        for cambio in evento.datos.get("cambios", []):
            renglones.append(
                _("En el caso %(folio)s se rectificó %(campo)s: «%(antes)s» → «%(ahora)s».")
                % {
                    "folio": evento.caso.folio,
                    "campo": cambio.get("campo", ""),
                    "antes": cambio.get("antes", ""),
                    "ahora": cambio.get("ahora", ""),
                }
            )
    return renglones


def _bloqueos_y_oposiciones(solicitud: SolicitudARCO) -> list[str]:
    renglones = []
    for evento in solicitud.eventos.filter(
        tipo__in=[TipoEventoARCO.BLOQUEO, TipoEventoARCO.OPOSICION]
    ).order_by("creado_en"):
        if evento.tipo == TipoEventoARCO.BLOQUEO:
            renglones.append(
                _(
                    "%(hecho)s Quedan guardados solo para las obligaciones legales, sin usarse, "
                    "hasta que venza su conservación; entonces se suprimen."
                )
                % {"hecho": evento.descripcion}
            )
        else:
            usos = "; ".join(
                str(UsoOpuesto(u).label).lower()
                for u in evento.datos.get("usos", [])
                if u in UsoOpuesto.values
            )
            renglones.append(
                _("%(hecho)s Ya no se usarán sus datos para: %(usos)s. Su caso sigue su curso.")
                % {"hecho": evento.descripcion, "usos": usos}
            )
    return renglones


def _anexo(solicitud: SolicitudARCO) -> Documento | None:
    return (
        Documento.objects.filter(solicitud=solicitud, tipo=TipoDocumento.DATOS_ARCO)
        .exclude(estado=EstadoDocumento.FALLIDO)
        .order_by("-version")
        .first()
    )


# --- La respuesta ------------------------------------------------------------------------


def contenido_de_la_respuesta(documento: Documento) -> dict:
    """La «Respuesta a una solicitud ARCO»: la solicitud, el sentido con su causa y
    fundamento, la respuesta, lo que se hizo, el anexo de datos y el recurso de revisión."""
    solicitud = documento.solicitud
    centro = Centro.actual()
    datos = [
        (_("Folio"), solicitud.folio),
        (_("Recibida el"), _dia(solicitud.recibida_en)),
        (_("Persona titular"), solicitud.nombre),
    ]
    if solicitud.representante:
        datos.append((_("Representante"), solicitud.representante))
    datos += [
        (_("Derecho que ejerce"), solicitud.get_derecho_display()),
        (_("Lo que pidió"), solicitud.descripcion),
        (_("Fecha de la respuesta"), _dia(solicitud.respondida_en)),
    ]
    decision = [(_("Sentido"), solicitud.get_sentido_display())]
    if solicitud.causa_improcedencia:
        decision.append((_("Causa"), solicitud.get_causa_improcedencia_display()))
    decision.append((_("Fundamento"), solicitud.fundamento))
    secciones = [
        {"titulo": _("Su solicitud"), "pares": datos},
        {"titulo": _("Decisión"), "pares": decision},
        {"titulo": _("Respuesta"), "parrafos": [solicitud.respuesta]},
    ]
    hecho = _rectificaciones(solicitud) + _bloqueos_y_oposiciones(solicitud)
    if hecho:
        secciones.append({"titulo": _("Lo que se hizo"), "parrafos": hecho})
    if entrega_datos(solicitud):
        anexo = _anexo(solicitud)
        parrafos = [
            _(
                "Se anexa el documento «Sus datos personales»%(version)s con lo que esta "
                "oficina guarda de usted en los casos donde se identificaron sus datos. No "
                "incluye los datos de las otras partes ni lo tratado en las sesiones, que son "
                "confidenciales (LGMASC arts. 6 y 37); el anexo dice qué se retuvo y por qué."
            )
            % {"version": (_(" (versión %(v)d)") % {"v": anexo.version}) if anexo else ""}
        ]
        if solicitud.derecho == Derecho.PORTABILIDAD:
            parrafos.append(
                _(
                    "Por tratarse de portabilidad, la oficina le entrega además sus datos en un "
                    "archivo electrónico estructurado y de uso común (JSON)."
                )
            )
        efectividad = plazos.arco_efectividad_vence_el(solicitud)
        if efectividad:
            parrafos.append(
                _("La entrega se hará efectiva a más tardar el %(fecha)s.")
                % {"fecha": _dia(efectividad)}
            )
        secciones.append({"titulo": _("Anexo: sus datos"), "parrafos": parrafos})
    cifra = cifras.de_solicitud("ARCO_RECURSO_DIAS_HABILES", solicitud)
    vence = plazos.arco_recurso_vence_el(solicitud)
    ante = [x for x in (centro.autoridad_garante, centro.unidad_transparencia) if x]
    recurso = _(
        "Si no está de acuerdo con esta respuesta, puede interponer el recurso de revisión "
        "dentro de los %(n)d días hábiles siguientes a su notificación, es decir, a más "
        "tardar el %(fecha)s, ante %(ante)s."
    ) % {
        "n": cifra.valor,
        "fecha": _dia(vence),
        "ante": _(" o ante ").join(ante) if ante else _("la autoridad garante de datos personales"),
    }
    parrafos = [recurso]
    if cifra.fundamento:
        parrafos.append(_("Fundamento del plazo: %(f)s.") % {"f": cifra.fundamento.rstrip(".")})
    secciones.append({"titulo": _("Medios de impugnación"), "parrafos": parrafos})
    return {
        "titulo": _("Respuesta a una solicitud ARCO"),
        "secciones": secciones,
        "firma": _firma(solicitud),
    }


# --- El anexo con los datos ------------------------------------------------------------


def _si(valor) -> str:
    return "" if valor in (None, "") else str(valor)


def _con_valor(*pares) -> list[tuple[str, str]]:
    """Solo los renglones que tienen algo (un dato vacío no se lista)."""
    return [(etiqueta, valor) for etiqueta, valor in pares if valor]


def contenido_de_los_datos(documento: Documento) -> dict:
    """«Sus datos personales»: la exportación (`exportar.datos_de_la_persona`) en páginas
    que la persona pueda leer, con lo retenido y su fundamento."""
    solicitud = documento.solicitud
    datos = datos_de_la_persona(solicitud)
    secciones = [
        {
            "titulo": _("Qué contiene"),
            "parrafos": [
                _(
                    "Lo que esta oficina guarda de %(nombre)s en los casos donde se "
                    "identificaron sus datos, al %(fecha)s (solicitud %(folio)s)."
                )
                % {
                    "nombre": solicitud.nombre,
                    "fecha": _momento(datos["generado_el"]),
                    "folio": solicitud.folio,
                }
            ],
        }
    ]
    for caso in datos["casos"]:
        pares = [
            (_("Tipo"), caso["tipo"]),
            (_("Estado"), caso["estado"]),
            (_("Canal"), caso["canal"]),
            (_("Localidad"), caso["localidad"]),
            (_("Materia"), caso["materia"]),
            (_("Recibido el"), _momento(caso["recibido_el"])),
            (_("Concluido el"), _momento(caso["concluido_el"])),
        ]
        secciones.append({"titulo": _("Caso %(folio)s") % {"folio": caso["folio"]}, "pares": pares})
        for propia in caso["sus_datos"]:
            secciones.append(
                {
                    "titulo": _("Sus datos en %(folio)s: %(rol)s")
                    % {"folio": caso["folio"], "rol": propia["rol"].lower()},
                    "pares": _con_valor(
                        (_("Nombre"), propia["nombre"]),
                        (_("Teléfono"), propia["telefono"]),
                        (_("Correo"), propia["correo"]),
                        (_("Domicilio"), propia["domicilio"]),
                        (_("Edad"), _si(propia["edad"])),
                        (_("Nacionalidad"), propia["nacionalidad"]),
                        (_("Estado civil"), propia["estado_civil"]),
                        (_("Ocupación"), propia["ocupacion"]),
                        (_("Representante"), propia["representante"]),
                        (_("Avisos por"), propia["avisos_por"]),
                        (_("Bloqueados el"), _momento(propia["bloqueada_el"])),
                        (_("Se opuso a"), "; ".join(propia["usos_a_los_que_se_opuso"])),
                    ),
                }
            )
        if caso["relato"]:
            secciones.append({"titulo": _("Su relato"), "parrafos": [caso["relato"]]})
        if caso["aviso_de_privacidad"]:
            aviso = caso["aviso_de_privacidad"]
            secciones.append(
                {
                    "titulo": _("Aviso de privacidad"),
                    "parrafos": [
                        _("Aceptó el aviso de privacidad versión %(v)s el %(f)s (%(c)s).")
                        % {
                            "v": aviso["version"],
                            "f": _momento(aviso["aceptado_el"]),
                            "c": aviso["canal"],
                        }
                    ],
                }
            )
        secciones.append(
            {
                "titulo": _("Avisos que se le enviaron"),
                "tabla": {
                    "columnas": [_("Fecha"), _("Canal"), _("Destino"), _("Aviso"), _("Estado")],
                    "renglones": [
                        [
                            _momento(m["enviado_el"] or m["programado_para"]),
                            m["canal"],
                            m["destino"],
                            m["asunto"] or m["aviso"],
                            m["estado"],
                        ]
                        for m in caso["avisos_enviados"]
                    ],
                },
            }
        )
        secciones.append(
            {
                "titulo": _("Documentos del caso"),
                "tabla": {
                    "columnas": [_("Documento"), _("Versión"), _("Generado"), _("SHA-256")],
                    "renglones": [
                        [
                            d["documento"] + (f" ({d['detalle']})" if d["detalle"] else ""),
                            str(d["version"]),
                            _momento(d["generado_el"]),
                            d["sha256"],
                        ]
                        for d in caso["documentos"]
                    ],
                },
            }
        )
        secciones.append(
            {
                "titulo": _("Quién consultó el expediente"),
                "tabla": {
                    "columnas": [_("Fecha"), _("Quién"), _("Cargo"), _("Qué")],
                    "renglones": [
                        [_momento(a["fecha"]), a["quien"], a["cargo"], a["que"]]
                        for a in caso["consultas_del_expediente"]
                    ],
                },
            }
        )
    secciones.append(
        {
            "titulo": _("Sus solicitudes de derechos ARCO"),
            "tabla": {
                "columnas": [_("Folio"), _("Derecho"), _("Recibida"), _("Estado")],
                "renglones": [
                    [s["folio"], s["derecho"], _momento(s["recibida_el"]), s["estado"]]
                    for s in datos["solicitudes_arco"]
                ],
            },
        }
    )
    secciones.append(
        {
            "titulo": _("Lo que no se entrega y por qué"),
            "parrafos": [f"{r['que']}: {r['por_que']}" for r in datos["retenido"]],
        }
    )
    return {
        "titulo": _("Sus datos personales"),
        "secciones": secciones,
        "firma": _firma(solicitud),
    }


# --- Al responder ----------------------------------------------------------------------


def al_responder(sender, solicitud, **kwargs):
    """La respuesta emitida pide su PDF y, si entrega los datos, el anexo con ellos (en la
    misma transacción; se generan al confirmarse, en la cola `pdf`)."""
    actor = solicitud.responsable
    if entrega_datos(solicitud):
        anexo = solicitar_documento_arco(
            solicitud=solicitud, tipo=TipoDocumento.DATOS_ARCO, actor=actor
        )
        registrar_evento(
            solicitud=solicitud,
            tipo=TipoEventoARCO.EXPORTACION,
            descripcion=_("Datos de la persona reunidos en el anexo «Sus datos personales»."),
            actor=actor,
            datos={
                "documento": anexo.pk,
                "casos": sorted({p.caso.folio for p in solicitud.partes.select_related("caso")}),
            },
        )
    solicitar_documento_arco(solicitud=solicitud, tipo=TipoDocumento.RESPUESTA_ARCO, actor=actor)

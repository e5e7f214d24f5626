"""Servicios del expediente: toda escritura pasa por aquí y deja un Evento."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import codigos
from ..models import (
    AvisoPrivacidad,
    Canal,
    Caso,
    Categoria,
    ContadorFolio,
    Estado,
    Evento,
    Localidad,
    Modulo,
    Parte,
    RolParte,
    TipoCaso,
    TipoEvento,
)
from ..senales import caso_recibido, codigo_pedido, codigo_reexpedido
from ..texto import limpiar_texto, normalizar_busqueda

MAX_RESUMEN = 4000

DESCRIPCION_CANAL_CIUDADANO = {
    Canal.WEB: gettext_lazy("Ciudadano (formulario web)"),
    Canal.API: gettext_lazy("Sistema externo"),
}


@dataclass(frozen=True)
class DatosPersona:
    """Datos de una persona tal como llegan a la recepción (teléfono ya en E.164). Nombre,
    correo y domicilio quedan limpios al crearse (`limpiar_texto`), vengan de donde vengan."""

    nombre: str
    telefono: str = ""
    correo: str = ""
    domicilio: str = ""
    avisos_por: str = ""

    def __post_init__(self):
        for campo in ("nombre", "correo", "domicilio"):
            object.__setattr__(self, campo, limpiar_texto(getattr(self, campo), una_linea=True))

    def tiene_contacto(self) -> bool:
        return bool(self.telefono or self.correo or self.domicilio)


@dataclass(frozen=True)
class SolicitudRecibida:
    caso: Caso
    codigo: str

    @property
    def codigo_legible(self) -> str:
        return codigos.mostrar_codigo(self.codigo)


def _errores_de_canal_y_catalogos(*, tipo, canal, categoria, localidad, modulo, aviso):
    if tipo not in TipoCaso.values:
        yield "tipo", _("Elija si la solicitud es de mediación o de asesoría.")
    if canal not in Canal.values:
        yield NON_FIELD_ERRORS, _("Canal de entrada desconocido.")
    if canal == Canal.MODULO and modulo is None:
        yield "modulo", _("Elija el módulo itinerante donde se recibe la solicitud.")
    if canal != Canal.MODULO and modulo is not None:
        yield "modulo", _("Solo las solicitudes recibidas en módulo llevan módulo.")
    if categoria is None or not categoria.activo:
        yield "categoria", _("Elija una categoría vigente.")
    elif categoria.tipo and categoria.tipo != tipo:
        yield "categoria", _("Esa categoría no corresponde al tipo de solicitud elegido.")
    if localidad is None or not localidad.activo:
        yield "localidad", _("Elija una localidad vigente.")
    if aviso is None:
        yield "aviso", _("No hay un aviso de privacidad vigente configurado.")


def _errores_del_relato_y_las_partes(*, tipo, resumen, solicitante, otra_parte):
    if not (resumen or "").strip():
        yield "resumen", _("Escriba un relato breve del problema.")
    elif len(resumen) > MAX_RESUMEN:
        yield "resumen", _("El relato no debe pasar de %(max)d caracteres.") % {"max": MAX_RESUMEN}
    if not solicitante.nombre.strip():
        yield "nombre", _("Escriba el nombre de quien solicita.")
    if not (solicitante.telefono or solicitante.correo or solicitante.domicilio):
        yield "telefono", _("Anote al menos un teléfono o correo para contactar a quien solicita.")
    if tipo == TipoCaso.MEDIACION:
        # LGMASC art. 63: la solicitud contiene nombre y ubicación de la otra parte.
        if otra_parte is None or not otra_parte.nombre.strip():
            yield "otra_nombre", _("En mediación, escriba el nombre de la otra parte.")
        if otra_parte is None or not otra_parte.tiene_contacto():
            yield (
                "otra_domicilio",
                _("Indique cómo localizar a la otra parte: su domicilio o su teléfono."),
            )


def _validar_recepcion(
    *,
    tipo: str,
    canal: str,
    categoria: Categoria,
    localidad: Localidad,
    resumen: str,
    solicitante: DatosPersona,
    otra_parte: DatosPersona | None,
    modulo: Modulo | None,
    aviso: AvisoPrivacidad | None,
) -> None:
    """Todos los errores de la solicitud a la vez, cada uno junto a su campo."""
    errores: dict[str, list[str]] = {}
    for campo, mensaje in (
        *_errores_de_canal_y_catalogos(
            tipo=tipo,
            canal=canal,
            categoria=categoria,
            localidad=localidad,
            modulo=modulo,
            aviso=aviso,
        ),
        *_errores_del_relato_y_las_partes(
            tipo=tipo, resumen=resumen, solicitante=solicitante, otra_parte=otra_parte
        ),
    ):
        errores.setdefault(campo, []).append(mensaje)
    if errores:
        raise ValidationError(errores)


def siguiente_numero(tipo: str, anio: int) -> int:
    """Siguiente número de una serie (folios de caso, oficios); llamar dentro de la transacción
    que crea lo numerado.

    El UPDATE toma el candado del renglón hasta el fin de la transacción: dos recepciones
    simultáneas se forman en fila, y si la transacción se revierte el número vuelve, así no
    hay duplicados ni huecos. Un solo enunciado (UPDATE … RETURNING, PostgreSQL y SQLite
    ≥ 3.35) incrementa y lee.
    """
    tabla = connection.ops.quote_name(ContadorFolio._meta.db_table)
    sql = f"UPDATE {tabla} SET ultimo = ultimo + 1 WHERE tipo = %s AND anio = %s RETURNING ultimo"
    with connection.cursor() as cursor:
        cursor.execute(sql, [tipo, anio])
        renglon = cursor.fetchone()
        if renglon is None:
            # Primer folio del año: crear el contador (si otra transacción lo crea a la vez,
            # ON CONFLICT espera a que termine y no duplica) y volver a incrementar.
            ContadorFolio.objects.bulk_create(
                [ContadorFolio(tipo=tipo, anio=anio, ultimo=0)], ignore_conflicts=True
            )
            cursor.execute(sql, [tipo, anio])
            renglon = cursor.fetchone()
    return renglon[0]


def recibir_solicitud(
    *,
    tipo: str,
    canal: str,
    categoria: Categoria,
    localidad: Localidad,
    resumen: str,
    solicitante: DatosPersona,
    otra_parte: DatosPersona | None = None,
    modulo: Modulo | None = None,
    aviso: AvisoPrivacidad | None,
    actor=None,
    caso_anterior: Caso | None = None,
    recibido_en: datetime | None = None,
    convertida_de: Caso | None = None,
) -> SolicitudRecibida:
    """Registra una solicitud (teléfono, módulo, web o API): caso, folio, código y evento.

    `recibido_en` permite capturar después una solicitud recibida antes (p. ej. el formato
    en papel de un módulo sin conexión); el folio toma el año de la recepción.
    `convertida_de` es la asesoría que se convierte en esta mediación: el aviso de privacidad
    es el que la persona aceptó entonces (mismo canal y hora) y la línea de tiempo lo dice.
    """
    resumen = limpiar_texto(resumen)
    _validar_recepcion(
        tipo=tipo,
        canal=canal,
        categoria=categoria,
        localidad=localidad,
        resumen=resumen,
        solicitante=solicitante,
        otra_parte=otra_parte,
        modulo=modulo,
        aviso=aviso,
    )
    ahora = timezone.now()
    recibido_en = recibido_en or ahora
    anio = timezone.localtime(recibido_en).year
    with transaction.atomic():
        numero = siguiente_numero(tipo, anio)
        folio = codigos.formatear_folio(tipo, anio, numero)
        sal = codigos.nueva_sal()
        caso = Caso.objects.create(
            tipo=tipo,
            folio=folio,
            anio=anio,
            numero=numero,
            estado=Estado.RECIBIDA,
            canal=canal,
            modulo=modulo,
            categoria=categoria,
            localidad=localidad,
            resumen=resumen,
            recibido_en=recibido_en,
            capturado_por=actor,
            caso_anterior=caso_anterior,
            codigo_sal=sal,
            codigo_emitido_en=ahora,
            aviso_version=aviso.version,
            aviso_canal=convertida_de.aviso_canal if convertida_de else canal,
            # El aviso se acepta al hacer la solicitud (también en la captura extemporánea);
            # al convertir una asesoría, vale la aceptación original.
            aviso_aceptado_en=convertida_de.aviso_aceptado_en if convertida_de else recibido_en,
        )
        partes = [_nueva_parte(caso, RolParte.SOLICITANTE, solicitante, localidad)]
        if otra_parte is not None and otra_parte.nombre.strip():
            partes.append(_nueva_parte(caso, RolParte.INVITADA, otra_parte, None))
        Parte.objects.bulk_create(partes)
        if convertida_de is not None:
            descripcion = _("Solicitud de %(tipo)s abierta al convertir la asesoría %(folio)s.") % {
                "tipo": caso.get_tipo_display().lower(),
                "folio": convertida_de.folio,
            }
        else:
            descripcion = _("Solicitud de %(tipo)s recibida por %(canal)s.") % {
                "tipo": caso.get_tipo_display().lower(),
                "canal": caso.get_canal_display().lower(),
            }
        eventos = [
            Evento(
                caso=caso,
                tipo=TipoEvento.RECIBIDA,
                descripcion=descripcion,
                actor=actor,
                actor_descripcion=""
                if convertida_de
                else str(DESCRIPCION_CANAL_CIUDADANO.get(canal, "")),
                estado_nuevo=Estado.RECIBIDA,
                publico=True,
                creado_en=recibido_en,
                datos={"aviso_version": aviso.version, "modulo": modulo.pk if modulo else None},
            )
        ]
        if caso_anterior is not None:
            eventos.append(
                Evento(
                    caso=caso_anterior,
                    tipo=TipoEvento.LIGADA,
                    descripcion=_("Se abrió el caso %(folio)s ligado a este.") % {"folio": folio},
                    actor=actor,
                    datos={"caso": folio},
                )
            )
        Evento.objects.bulk_create(eventos)
        codigo = codigos.derivar_codigo(folio, sal)
        caso_recibido.send(sender=Caso, caso=caso, codigo=codigo, partes=partes)
    return SolicitudRecibida(caso=caso, codigo=codigo)


def _nueva_parte(caso: Caso, rol: str, datos: DatosPersona, localidad) -> Parte:
    return Parte(
        caso=caso,
        rol=rol,
        nombre=datos.nombre.strip(),
        nombre_busqueda=normalizar_busqueda(datos.nombre),
        telefono=datos.telefono,
        correo=datos.correo.strip(),
        domicilio=datos.domicilio.strip(),
        avisos_por=datos.avisos_por,
        localidad=localidad,
    )


def registrar_contacto(
    *, caso: Caso, actor, canal: str, nota: str, parte: Parte | None = None
) -> Evento:
    """Deja constancia de una llamada o visita sobre un caso existente (en vez de duplicarlo).

    `parte` es quien se comunicó, si se sabe (por su teléfono).
    """
    nota = limpiar_texto(nota)
    if not nota:
        raise ValidationError({"resumen": _("Escriba qué dijo la persona en este contacto.")})
    etiqueta = Canal(canal).label if canal in Canal.values else canal
    if parte is None:
        quien = _("Nuevo contacto sobre el caso (%(canal)s).")
    elif parte.rol == RolParte.SOLICITANTE:
        quien = _("Nuevo contacto de la persona solicitante (%(canal)s).")
    else:
        quien = _("Nuevo contacto de la otra parte (%(canal)s).")
    return Evento.objects.create(
        caso=caso,
        tipo=TipoEvento.CONTACTO,
        descripcion=quien % {"canal": etiqueta},
        actor=actor,
        datos={"nota": nota[:MAX_RESUMEN], "canal": canal, "parte": parte.pk if parte else None},
    )


class DecisionDuplicado:
    """Qué hacer con una llamada o visita cuyo teléfono ya tiene casos abiertos."""

    NUEVO = "nuevo"
    NUEVO_LIGADO = "nuevo_ligado"
    CONTACTO = "contacto"

    choices = [
        (NUEVO, gettext_lazy("Crear un caso nuevo")),
        (NUEVO_LIGADO, gettext_lazy("Crear un caso nuevo ligado al existente")),
        (CONTACTO, gettext_lazy("No crear: registrar esta llamada en el caso existente")),
    ]
    values = [valor for valor, _etiqueta in choices]


@dataclass(frozen=True)
class Recepcion:
    """Resultado de una recepción con revisión de duplicados: un caso nuevo (`recibida`), un
    contacto registrado en un caso existente (`contacto_en`), o nada todavía porque el
    teléfono tiene casos abiertos y falta decidir (`duplicados`)."""

    recibida: SolicitudRecibida | None = None
    contacto_en: Caso | None = None
    duplicados: tuple[Caso, ...] = ()

    @property
    def falta_decidir(self) -> bool:
        return self.recibida is None and self.contacto_en is None


def recibir_con_revision(
    *, decision: str | None = None, folio_existente: str = "", **solicitud
) -> Recepcion:
    """Recepción por teléfono, módulo o API del personal que revisa antes los duplicados.

    Si el teléfono de quien se comunica ya tiene casos abiertos (como solicitante o como otra
    parte), no se crea nada hasta que alguien decida (`DecisionDuplicado`): un caso nuevo, un
    caso nuevo ligado al existente `folio_existente`, o solo registrar el contacto en ese
    caso (la bitácora dice qué parte se comunicó). Sin decisión se devuelven los casos
    abiertos para mostrarlos. Sin casos abiertos, la solicitud se recibe como nueva.
    `solicitud` son los argumentos de `recibir_solicitud`."""
    from ..selectors import casos_por_telefono

    telefono = solicitud["solicitante"].telefono
    duplicados = tuple(casos_por_telefono(telefono, solo_abiertos=True)) if telefono else ()
    if not duplicados:
        return Recepcion(recibida=recibir_solicitud(**solicitud))
    if decision not in DecisionDuplicado.values:
        return Recepcion(duplicados=duplicados)
    existente = None
    if decision in (DecisionDuplicado.CONTACTO, DecisionDuplicado.NUEVO_LIGADO):
        existente = next((c for c in duplicados if c.folio == folio_existente), None)
        if existente is None:
            raise ValidationError({"caso_existente": [_("Elija cuál de los casos existentes.")]})
    if decision == DecisionDuplicado.CONTACTO:
        parte = next((p for p in existente.partes.all() if p.telefono == telefono), None)
        registrar_contacto(
            caso=existente,
            actor=solicitud.get("actor"),
            canal=solicitud["canal"],
            nota=solicitud["resumen"],
            parte=parte,
        )
        return Recepcion(contacto_en=existente)
    if existente is not None:
        solicitud = {**solicitud, "caso_anterior": existente}
    return Recepcion(recibida=recibir_solicitud(**solicitud))


def reexpedir_codigo(*, caso: Caso, actor) -> str:
    """Emite un código de consulta nuevo; el anterior deja de funcionar."""
    with transaction.atomic():
        caso = Caso.objects.select_for_update().get(pk=caso.pk)
        caso.codigo_sal = codigos.nueva_sal()
        caso.codigo_emitido_en = timezone.now()
        caso.save(update_fields=["codigo_sal", "codigo_emitido_en", "actualizado_en"])
        Evento.objects.create(
            caso=caso,
            tipo=TipoEvento.CODIGO_REEXPEDIDO,
            descripcion=_("Se reexpidió el código de consulta; el anterior quedó sin efecto."),
            actor=actor,
        )
        codigo = codigos.derivar_codigo(caso.folio, caso.codigo_sal)
        codigo_reexpedido.send(sender=Caso, caso=caso, codigo=codigo)
    return codigo


def reenviar_codigo(*, folio: str) -> None:
    """«Perdí mi código»: vuelve a enviar el código vigente al teléfono o correo registrados.

    No emite uno nuevo: como los folios son consecutivos, cualquiera podría invalidar el
    código de otra persona. Si el código pudo caer en otras manos, la oficina lo reexpide.
    Nada se devuelve: quien lo pide no debe saber si el folio existe ni qué contacto tiene.
    """
    caso = Caso.objects.filter(folio=folio).first()
    if caso is None:
        return
    with transaction.atomic():
        codigo_pedido.send(sender=Caso, caso=caso, pedido=uuid.uuid4().hex)

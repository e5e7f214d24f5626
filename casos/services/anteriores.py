"""Casos del registro anterior de la oficina (hojas de cálculo, libros de control): se dan
de alta con su folio y sus fechas originales, en el estado en que estaban.

Quien importa (la app `importacion`) lee el archivo, interpreta cada celda y arma un
`CasoAnterior` por renglón; aquí se revisan las reglas del expediente, se crean en lote
casos, partes y eventos, y el contador de folios queda adelante del mayor número importado
para que los casos nuevos nunca choquen con uno importado.

No se envía `caso_recibido`: esa señal pide el acuse en PDF y el aviso a la persona, que no
corresponden a un caso de hace meses o años. El flujo de cada caso lo arranca quien importa,
en el paso que le toca (`flujos.services.iniciar_importado`).
"""

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import codigos, selectors
from ..models import (
    AvisoPrivacidad,
    Canal,
    Caso,
    Categoria,
    CausaConclusion,
    ContadorFolio,
    Estado,
    Evento,
    Parte,
    RolParte,
    TipoCaso,
    TipoEvento,
)
from ..selectors import PersonalAsignable
from ..texto import limpiar_texto, nombre_de, normalizar_busqueda
from .recepcion import MAX_RESUMEN, DatosPersona, siguiente_numero

FORMATO_FOLIO = re.compile(r"^(MED|ASE)-[0-9]{4}-[0-9]{5,9}$")
MAX_FOLIO_ANTERIOR = 60

# Estados en que un caso abierto puede llegar del registro anterior, por tipo.
ABIERTOS = {
    TipoCaso.MEDIACION: (
        Estado.RECIBIDA,
        Estado.EN_REVISION,
        Estado.ADMITIDA,
        Estado.INVITACION,
        Estado.EN_MEDIACION,
    ),
    TipoCaso.ASESORIA: (Estado.RECIBIDA, Estado.CLASIFICADA, Estado.ASIGNADA, Estado.EN_ATENCION),
}
# Estados finales y las causas de conclusión que cada uno admite.
_SIN_ACUERDO = (
    CausaConclusion.SIN_ACUERDO,
    CausaConclusion.INVITACION_FALLIDA,
    CausaConclusion.RECHAZO_INVITADA,
    CausaConclusion.INASISTENCIAS,
    CausaConclusion.DESISTIMIENTO,
    CausaConclusion.CONDUCTA,
    CausaConclusion.MUERTE,
    CausaConclusion.PLAZO,
    CausaConclusion.OTRA,
)
CERRADOS = {
    TipoCaso.MEDIACION: {
        Estado.NO_ADMITIDA: (CausaConclusion.NO_ADMITIDA,),
        Estado.CANALIZADA: (CausaConclusion.CANALIZADA,),
        Estado.CONCLUIDA_CONVENIO: (
            CausaConclusion.CONVENIO_TOTAL,
            CausaConclusion.CONVENIO_PARCIAL,
        ),
        Estado.CONCLUIDA_SIN_ACUERDO: _SIN_ACUERDO,
    },
    TipoCaso.ASESORIA: {
        Estado.CERRADA: (
            CausaConclusion.RESUELTA,
            CausaConclusion.CANALIZADA,
            CausaConclusion.DESISTIMIENTO,
            CausaConclusion.OTRA,
        ),
    },
}
# Con estos estados el caso ya tiene quien lo atiende: el responsable es obligatorio.
CON_RESPONSABLE = (Estado.INVITACION, Estado.EN_MEDIACION, Estado.ASIGNADA, Estado.EN_ATENCION)
# Mediaciones ya admitidas (tienen fecha de admisión; de ella corren los arts. 64 y 69).
ADMITIDAS = (Estado.ADMITIDA, Estado.INVITACION, Estado.EN_MEDIACION)
# El evento público de conclusión según el estado final.
EVENTO_FINAL = {
    Estado.NO_ADMITIDA: TipoEvento.NO_ADMITIDA,
    Estado.CANALIZADA: TipoEvento.CANALIZADA,
}


@dataclass(frozen=True)
class CasoAnterior:
    """Un caso del registro anterior, ya interpretado (fechas, catálogos, teléfonos en
    E.164). `origen` dice de dónde vino («registro.xlsx, renglón 12») para la bitácora."""

    tipo: str
    recibido_en: datetime
    canal: str
    categoria: Categoria
    localidad: object
    resumen: str
    solicitante: DatosPersona
    estado: str
    origen: str
    folio: str = ""
    folio_anterior: str = ""
    otra_parte: DatosPersona | None = None
    responsable: object = None
    responsable_anterior: str = ""
    admitido_en: datetime | None = None
    concluido_en: datetime | None = None
    causa_conclusion: str = ""
    etapa_anterior: str = ""
    datos: dict = field(default_factory=dict)

    @property
    def cerrado(self) -> bool:
        return self.estado in CERRADOS.get(self.tipo, {})

    @property
    def admision(self) -> datetime | None:
        """La fecha de admisión de una mediación admitida (la de recepción si el registro
        no la trae); None en lo demás."""
        if self.tipo != TipoCaso.MEDIACION:
            return None
        if self.estado in ADMITIDAS or self.estado == Estado.CONCLUIDA_CONVENIO:
            return self.admitido_en or self.recibido_en
        return self.admitido_en


# --- Reglas -------------------------------------------------------------------------------


def folio_del_sistema(texto: str) -> str:
    """El folio en la forma del sistema (`MED-2024-00012`) si el texto lo es, aunque venga
    escrito de otra manera («med 2024 12»); '' si el registro usaba otro formato."""
    folio = codigos.normalizar_folio(texto)
    return folio if FORMATO_FOLIO.match(folio) else ""


def _errores_de_folio(datos: CasoAnterior, ahora: datetime) -> Iterator[tuple[str, str]]:
    if datos.folio:
        if not FORMATO_FOLIO.match(datos.folio):
            yield (
                "folio",
                _("El folio %(folio)s no tiene el formato MED-AAAA-NNNNN.")
                % {"folio": datos.folio},
            )
            return
        prefijo, anio, numero = datos.folio.split("-")
        if prefijo != datos.tipo:
            yield (
                "folio",
                _("El folio %(folio)s es de %(de)s, pero el caso es de %(tipo)s.")
                % {
                    "folio": datos.folio,
                    "de": TipoCaso(prefijo).label.lower(),
                    "tipo": TipoCaso(datos.tipo).label.lower(),
                },
            )
        if not 2000 <= int(anio) <= timezone.localtime(ahora).year:
            yield "folio", _("El año del folio %(folio)s no es válido.") % {"folio": datos.folio}
        if int(numero) == 0:
            yield (
                "folio",
                _("El número del folio %(folio)s no puede ser cero.") % {"folio": datos.folio},
            )
    if len(datos.folio_anterior) > MAX_FOLIO_ANTERIOR:
        yield (
            "folio",
            _("El folio anterior no debe pasar de %(n)d caracteres.") % {"n": MAX_FOLIO_ANTERIOR},
        )


def _errores_de_fechas(datos: CasoAnterior, ahora: datetime) -> Iterator[tuple[str, str]]:
    if datos.recibido_en > ahora:
        yield "recibido_en", _("La fecha de recepción no puede ser futura.")
    admision = datos.admitido_en
    if admision is not None:
        if datos.tipo != TipoCaso.MEDIACION:
            yield "admitido_en", _("Solo las mediaciones tienen fecha de admisión.")
        elif admision < datos.recibido_en:
            yield "admitido_en", _("La fecha de admisión es anterior a la de recepción.")
        elif admision > ahora:
            yield "admitido_en", _("La fecha de admisión no puede ser futura.")
    if datos.concluido_en is not None:
        if datos.concluido_en < datos.recibido_en:
            yield "concluido_en", _("La fecha de conclusión es anterior a la de recepción.")
        elif datos.concluido_en > ahora:
            yield "concluido_en", _("La fecha de conclusión no puede ser futura.")
        elif admision is not None and datos.concluido_en < admision:
            yield "concluido_en", _("La fecha de conclusión es anterior a la de admisión.")


def _errores_de_estado(datos: CasoAnterior) -> Iterator[tuple[str, str]]:
    if datos.tipo not in TipoCaso.values:
        yield "tipo", _("Indique si el caso es de mediación (MED) o de asesoría (ASE).")
        return
    tipo = TipoCaso(datos.tipo).label.lower()
    cerrados = CERRADOS[datos.tipo]
    if datos.estado in cerrados:
        if datos.concluido_en is None:
            yield "concluido_en", _("Falta la fecha de conclusión de un caso concluido.")
        if datos.causa_conclusion not in cerrados[datos.estado]:
            yield (
                "causa_conclusion",
                _("El resultado no corresponde a un caso «%(estado)s».")
                % {"estado": Estado(datos.estado).label},
            )
    elif datos.estado in ABIERTOS[datos.tipo]:
        if datos.concluido_en is not None:
            yield "concluido_en", _("Un caso abierto no lleva fecha de conclusión.")
        if datos.causa_conclusion:
            yield "causa_conclusion", _("Un caso abierto no lleva resultado.")
    else:
        yield (
            "estado",
            _("Un caso de %(tipo)s no se importa en el estado «%(estado)s».")
            % {"tipo": tipo, "estado": Estado(datos.estado).label},
        )
        return
    if datos.estado in CON_RESPONSABLE and datos.responsable is None:
        yield (
            "responsable",
            _("Indique quién atiende el caso: en «%(estado)s» el caso ya tiene responsable.")
            % {"estado": Estado(datos.estado).label},
        )


def _errores_del_contenido(datos: CasoAnterior) -> Iterator[tuple[str, str]]:
    if datos.canal not in Canal.values:
        yield "canal", _("Canal de entrada desconocido.")
    if datos.categoria.tipo and datos.categoria.tipo != datos.tipo:
        yield (
            "categoria",
            _("La categoría «%(categoria)s» no es de %(tipo)s.")
            % {"categoria": datos.categoria, "tipo": TipoCaso(datos.tipo).label.lower()},
        )
    if datos.categoria.canalizar and datos.estado in ADMITIDAS:
        yield (
            "categoria",
            _("«%(categoria)s» no se media: un caso así no puede estar admitido.")
            % {"categoria": datos.categoria},
        )
    resumen = limpiar_texto(datos.resumen)
    if not resumen:
        yield "resumen", _("Falta el relato breve del asunto.")
    elif len(resumen) > MAX_RESUMEN:
        yield "resumen", _("El relato no debe pasar de %(max)d caracteres.") % {"max": MAX_RESUMEN}
    if not datos.solicitante.nombre:
        yield "solicitante_nombre", _("Falta el nombre de quien solicitó.")
    abierto = not datos.cerrado
    if abierto and not datos.solicitante.tiene_contacto():
        yield (
            "solicitante_contacto",
            _("Un caso abierto necesita un teléfono, correo o domicilio de quien solicitó."),
        )
    if abierto and datos.tipo == TipoCaso.MEDIACION:
        # LGMASC art. 63: nombre y ubicación de la otra parte, para invitarla.
        otra = datos.otra_parte
        if otra is None or not otra.nombre:
            yield (
                "otra_parte_nombre",
                _("Una mediación abierta necesita el nombre de la otra parte."),
            )
        elif not otra.tiene_contacto():
            yield (
                "otra_parte_contacto",
                _("Indique el domicilio de la otra parte para poder invitarla."),
            )


def errores_de_caso_anterior(datos: CasoAnterior, *, ahora: datetime | None = None) -> list:
    """Lo que impide dar de alta el caso, como (campo, mensaje): folio, fechas, estado y
    resultado, responsable, catálogos y datos de las partes. Sin consultas a la base."""
    ahora = ahora or timezone.now()
    return [
        *_errores_de_estado(datos),
        *_errores_de_folio(datos, ahora),
        *_errores_de_fechas(datos, ahora),
        *_errores_del_contenido(datos),
    ]


def error_de_responsable(datos: CasoAnterior, personal: PersonalAsignable) -> str:
    """Un caso abierto solo se deja a quien puede trabajarlo: una persona facilitadora con
    certificación vigente (LGMASC arts. 42-43 y 55) o una persona asesora. '' si está bien."""
    usuario = datos.responsable
    if usuario is None or datos.cerrado:
        return ""
    if datos.tipo == TipoCaso.MEDIACION:
        if usuario.pk not in personal.mediadores:
            return _("%(nombre)s no es persona facilitadora (rol mediador).") % {
                "nombre": nombre_de(usuario)
            }
        if usuario.pk not in personal.mediadores_vigentes:
            return _(
                "%(nombre)s no tiene certificación vigente de facilitador(a): no puede "
                "recibir casos abiertos."
            ) % {"nombre": nombre_de(usuario)}
        return ""
    if usuario.pk not in personal.asesores:
        return _("%(nombre)s no es persona asesora.") % {"nombre": nombre_de(usuario)}
    return ""


# --- Alta en lote ---------------------------------------------------------------------------


def adelantar_contador(tipo: str, anio: int, numero: int) -> None:
    """Deja el contador de folios de (tipo, año) en al menos `numero`: el siguiente folio que
    emita la recepción será mayor que cualquiera importado. Se bloquea el renglón, como al
    emitir, para que una recepción simultánea espere."""
    ContadorFolio.objects.bulk_create(
        [ContadorFolio(tipo=tipo, anio=anio, ultimo=0)], ignore_conflicts=True
    )
    contador = ContadorFolio.objects.select_for_update().get(tipo=tipo, anio=anio)
    if contador.ultimo < numero:
        contador.ultimo = numero
        contador.save(update_fields=["ultimo"])


def _asignar_folios(casos: Sequence[CasoAnterior]) -> list[tuple[str, int, int]]:
    """(folio, año, número) de cada caso: el suyo, o uno nuevo después del mayor importado de
    su tipo y año (los nuevos, en orden de recepción)."""
    maximos: dict[tuple[str, int], int] = defaultdict(int)
    for datos in casos:
        if datos.folio:
            _prefijo, anio, numero = datos.folio.split("-")
            clave = (datos.tipo, int(anio))
            maximos[clave] = max(maximos[clave], int(numero))
    for (tipo, anio), numero in sorted(maximos.items()):
        adelantar_contador(tipo, anio, numero)
    asignados: dict[int, tuple[str, int, int]] = {}
    for indice, datos in enumerate(casos):
        if datos.folio:
            _prefijo, anio, numero = datos.folio.split("-")
            asignados[indice] = (datos.folio, int(anio), int(numero))
    sin_folio = sorted(
        (i for i, d in enumerate(casos) if not d.folio), key=lambda i: casos[i].recibido_en
    )
    for indice in sin_folio:
        datos = casos[indice]
        anio = timezone.localtime(datos.recibido_en).year
        numero = siguiente_numero(datos.tipo, anio)
        asignados[indice] = (codigos.formatear_folio(datos.tipo, anio, numero), anio, numero)
    return [asignados[i] for i in range(len(casos))]


def _parte(caso: Caso, rol: str, datos: DatosPersona, localidad) -> Parte:
    return Parte(
        caso=caso,
        rol=rol,
        nombre=datos.nombre[:200],
        nombre_busqueda=normalizar_busqueda(datos.nombre)[:200],
        telefono=datos.telefono,
        correo=datos.correo,
        domicilio=datos.domicilio[:300],
        avisos_por=datos.avisos_por,
        localidad=localidad,
    )


def _descripcion_importado(datos: CasoAnterior) -> str:
    texto = _("Importado del registro anterior (%(origen)s).") % {"origen": datos.origen}
    if datos.folio_anterior:
        texto += " " + _("Folio anterior: %(folio)s.") % {"folio": datos.folio_anterior}
    if datos.etapa_anterior:
        texto += " " + _("En el registro: «%(etapa)s».") % {"etapa": datos.etapa_anterior}
    if datos.responsable_anterior:
        texto += " " + _("Lo atendió: %(nombre)s.") % {"nombre": datos.responsable_anterior}
    return texto[:500]


def _eventos(caso: Caso, datos: CasoAnterior, actor, ahora: datetime) -> list[Evento]:
    """Los hitos que el registro anterior permite fechar (públicos, como los del sistema) y
    la marca de importación, con quién y cuándo importó."""
    tipo = caso.get_tipo_display().lower()
    canal = caso.get_canal_display().lower()
    eventos = [
        Evento(
            caso=caso,
            tipo=TipoEvento.RECIBIDA,
            descripcion=_("Solicitud de %(tipo)s recibida (%(canal)s; registro anterior).")
            % {"tipo": tipo, "canal": canal},
            actor_descripcion=_("Registro anterior"),
            estado_nuevo=Estado.RECIBIDA,
            publico=True,
            creado_en=caso.recibido_en,
        )
    ]
    if caso.admitido_en is not None:
        eventos.append(
            Evento(
                caso=caso,
                tipo=TipoEvento.ADMITIDA,
                descripcion=_("Solicitud admitida (registro anterior)."),
                actor_descripcion=_("Registro anterior"),
                estado_anterior=Estado.RECIBIDA,
                estado_nuevo=Estado.ADMITIDA,
                publico=True,
                creado_en=caso.admitido_en,
            )
        )
    if caso.concluido_en is not None:
        eventos.append(
            Evento(
                caso=caso,
                tipo=EVENTO_FINAL.get(caso.estado, TipoEvento.CONCLUIDA),
                descripcion=_("Caso concluido (registro anterior): %(causa)s.")
                % {"causa": caso.get_causa_conclusion_display()},
                actor_descripcion=_("Registro anterior"),
                estado_nuevo=caso.estado,
                publico=True,
                creado_en=caso.concluido_en,
                datos={"causa": caso.causa_conclusion},
            )
        )
    eventos.append(
        Evento(
            caso=caso,
            tipo=TipoEvento.IMPORTADO,
            descripcion=_descripcion_importado(datos),
            actor=actor,
            estado_nuevo=caso.estado,
            creado_en=ahora,
            datos={
                **datos.datos,
                "origen": datos.origen,
                "folio_anterior": datos.folio_anterior,
                "etapa_anterior": datos.etapa_anterior,
                "responsable_anterior": datos.responsable_anterior,
            },
        )
    )
    return eventos


def _nuevo_caso(datos: CasoAnterior, folio, anio, numero, *, aviso, ahora) -> Caso:
    return Caso(
        tipo=datos.tipo,
        folio=folio,
        folio_anterior=datos.folio_anterior,
        anio=anio,
        numero=numero,
        estado=datos.estado,
        canal=datos.canal,
        categoria=datos.categoria,
        localidad=datos.localidad,
        resumen=limpiar_texto(datos.resumen),
        recibido_en=datos.recibido_en,
        # Nadie del sistema lo capturó: quién lo importó queda en la bitácora.
        capturado_por=None,
        responsable=datos.responsable,
        admitido_en=datos.admision,
        concluido_en=datos.concluido_en,
        causa_conclusion=datos.causa_conclusion,
        motivo_conclusion=_("Concluido en el registro anterior de la oficina.")
        if datos.cerrado
        else "",
        codigo_sal=codigos.nueva_sal(),
        codigo_emitido_en=ahora,
        # Como en la captura extemporánea: el aviso vigente, aceptado al hacer la solicitud.
        aviso_version=aviso.version,
        aviso_canal=datos.canal,
        aviso_aceptado_en=datos.recibido_en,
    )


def _revisar_lote(casos: Sequence[CasoAnterior], aviso, ahora) -> None:
    """Las reglas de cada caso y las del lote (folios repetidos o ya usados, responsables):
    un solo error detiene todo el lote."""
    if aviso is None:
        raise ValidationError(_("No hay un aviso de privacidad vigente configurado."))
    personal = selectors.personal_asignable()
    vistos: dict[str, str] = {}
    errores = []
    for datos in casos:
        mensajes = [m for _campo, m in errores_de_caso_anterior(datos, ahora=ahora)]
        if mensaje := error_de_responsable(datos, personal):
            mensajes.append(mensaje)
        for folio in filter(None, (datos.folio, datos.folio_anterior)):
            if folio in vistos:
                mensajes.append(
                    _("El folio %(folio)s se repite (también en %(otro)s).")
                    % {"folio": folio, "otro": vistos[folio]}
                )
            vistos.setdefault(folio, datos.origen)
        errores += [f"{datos.origen}: {m}" for m in mensajes]
    usados = selectors.folios_existentes(
        [d.folio for d in casos if d.folio], [d.folio_anterior for d in casos if d.folio_anterior]
    )
    errores += [
        _("%(origen)s: el folio %(folio)s ya existe en el sistema.")
        % {"origen": vistos[f], "folio": f}
        for f in sorted(usados & set(vistos))
    ]
    if errores:
        raise ValidationError(errores)


def registrar_casos_anteriores(
    *, casos: Sequence[CasoAnterior], actor, aviso: AvisoPrivacidad | None
) -> list[Caso]:
    """Da de alta los casos del registro anterior, todos o ninguno, en el orden dado.

    Cada caso conserva su folio (o recibe uno nuevo, y el del registro queda en
    `folio_anterior`), sus fechas de recepción, admisión y conclusión y su estado; el
    contador de folios avanza más allá de los números importados. La bitácora de cada caso
    lleva los hitos fechados y la marca «Importado del registro anterior (…)» con quién
    importó. Sin avisos a la ciudadanía ni acuse: no se envía `caso_recibido`."""
    ahora = timezone.now()
    with transaction.atomic():
        _revisar_lote(casos, aviso, ahora)
        folios = _asignar_folios(casos)
        nuevos = [
            _nuevo_caso(datos, *folio, aviso=aviso, ahora=ahora)
            for datos, folio in zip(casos, folios, strict=True)
        ]
        Caso.objects.bulk_create(nuevos, batch_size=500)
        partes, eventos = [], []
        for caso, datos in zip(nuevos, casos, strict=True):
            partes.append(_parte(caso, RolParte.SOLICITANTE, datos.solicitante, datos.localidad))
            if datos.otra_parte is not None and datos.otra_parte.nombre:
                partes.append(_parte(caso, RolParte.INVITADA, datos.otra_parte, None))
            eventos += _eventos(caso, datos, actor, ahora)
        Parte.objects.bulk_create(partes, batch_size=1000)
        Evento.objects.bulk_create(eventos, batch_size=1000)
    return nuevos

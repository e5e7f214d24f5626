"""El convenio (LGMASC art. 94) y su registro (arts. 98 y 103-111): datos de las partes,
redacción, lo que falta para firmar, firma, envío a registro y respuesta del registro."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ... import selectors
from ...calendario import Calendario
from ...models import (
    DATOS_DE_PARTE,
    Caso,
    Clausula,
    Convenio,
    Estado,
    EstadoRegistro,
    Parte,
    TipoCaso,
    TipoConvenio,
    TipoEvento,
    TipoObligacion,
)
from ...plazos import registro_vence_el, respuesta_registro_vence_el
from ...senales import convenio_firmado
from ...telefonos import mostrar_telefono
from ...texto import limpiar_texto, normalizar_busqueda
from ..comun import (
    bloquear,
    exigir,
    exigir_abierto,
    exigir_estado,
    exigir_texto,
    exigir_tipo,
    hoy,
    registrar,
)

# Datos de la parte que son texto de una línea (se limpian al guardarse).
_TEXTOS_PARTE = {"nombre", "correo", "domicilio", "nacionalidad", "ocupacion", "representante"}

# LGMASC art. 94: datos de cada parte que el convenio debe llevar.
CAMPOS_PARTE_CONVENIO = [
    ("nombre", _("nombre")),
    ("edad", _("edad")),
    ("nacionalidad", _("nacionalidad")),
    ("estado_civil", _("estado civil")),
    ("ocupacion", _("ocupación")),
    ("domicilio", _("domicilio")),
]


def actualizar_parte(
    *, parte: Parte, actor, permitir_concluido: bool = False, motivo: str = "", **datos
) -> Parte:
    """Completa o corrige los datos de una parte; el evento guarda los valores anteriores.
    Con `permitir_concluido` (la rectificación de un derecho ARCO) también en un caso
    concluido; `motivo` se agrega al evento."""
    permitidos = {*DATOS_DE_PARTE, "avisos_por"}
    desconocidos = set(datos) - permitidos
    exigir(
        not desconocidos,
        _("Datos desconocidos: %(campos)s") % {"campos": ", ".join(sorted(desconocidos))},
    )
    datos = {
        campo: limpiar_texto(valor, una_linea=True)
        if campo in _TEXTOS_PARTE and isinstance(valor, str)
        else valor
        for campo, valor in datos.items()
    }
    with transaction.atomic():
        caso = bloquear(parte.caso)
        if not permitir_concluido:
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
            tipo=TipoEvento.DATOS_PARTE,
            actor=actor,
            descripcion=(
                _("Se actualizaron datos de %(parte)s: %(campos)s.")
                % {
                    "parte": parte.get_rol_display().lower(),
                    "campos": ", ".join(
                        str(Parte._meta.get_field(c).verbose_name) for c in sorted(anteriores)
                    ),
                }
                + (f" {motivo}." if motivo else "")
            )[:500],
            datos={
                "parte": parte.pk,
                "motivo": motivo,
                "anteriores": {c: _para_json(v) for c, v in anteriores.items()},
                # Lo anterior y lo nuevo, para que la línea de tiempo diga «antes → ahora».
                "cambios": [
                    {
                        "campo": str(Parte._meta.get_field(c).verbose_name),
                        "antes": _para_mostrar(parte, c, anteriores[c]),
                        "ahora": _para_mostrar(parte, c, getattr(parte, c)),
                    }
                    for c in sorted(anteriores)
                ],
            },
        )
    return parte


def _para_json(valor):
    return valor if valor is None or isinstance(valor, int | str) else str(valor)


def _para_mostrar(parte: Parte, campo: str, valor) -> str:
    """El valor como lo lee una persona: el teléfono con espacios, las opciones con su
    nombre; vacío si no había dato."""
    if valor in (None, ""):
        return ""
    if campo == "telefono":
        return mostrar_telefono(valor)
    opciones = dict(Parte._meta.get_field(campo).flatchoices)
    return str(opciones.get(valor, valor))


@dataclass(frozen=True)
class DatosClausula:
    """Una cláusula tal como llega del formulario: obligación de dar, hacer o no hacer, con
    modo, tiempo y lugar (art. 94)."""

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
    lugar = limpiar_texto(lugar, una_linea=True)
    antecedentes = limpiar_texto(antecedentes)
    consecuencias_incumplimiento = limpiar_texto(consecuencias_incumplimiento)
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
        convenio = selectors.convenio_del_caso(caso=caso)
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
            exigir_texto(c.descripcion, _("Cláusula %(n)d: describa la obligación.") % {"n": i})
        valores = dict(
            tipo=tipo,
            lugar=lugar,
            antecedentes=antecedentes,
            consecuencias_incumplimiento=consecuencias_incumplimiento,
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
                    descripcion=limpiar_texto(c.descripcion),
                    modo=limpiar_texto(c.modo, una_linea=True),
                    lugar=limpiar_texto(c.lugar, una_linea=True),
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
    convenio = selectors.convenio_del_caso(caso=caso, con_clausulas=True)
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
    perfil = selectors.perfil_mediador(usuario_id=caso.responsable_id)
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
        exigir_texto(observaciones, _("Anote qué pidió corregir el registro."), "observaciones")
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
        convenio.numero_registro = limpiar_texto(numero_registro, una_linea=True)
        convenio.observaciones_registro = limpiar_texto(observaciones)
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


@dataclass(frozen=True)
class PlazoDeRegistro:
    """Un término del registro de convenios que corre sobre un convenio."""

    tipo_evento: str
    vence: date
    desde: date


def plazos_de_registro(convenio: Convenio, calendario: Calendario | None = None) -> list:
    """Los términos que corren hoy sobre un convenio en el registro (LGMASC arts. 103-111):
    enviado, el del registro para responder (30 días hábiles desde el envío); prevenido, el
    de la oficina para corregir y reenviar (10 días hábiles desde la prevención)."""
    if convenio.estado_registro == EstadoRegistro.ENVIADO and convenio.enviado_registro_en:
        return [
            PlazoDeRegistro(
                TipoEvento.PLAZO_REGISTRO_VENCIDO,
                respuesta_registro_vence_el(convenio, calendario),
                convenio.enviado_registro_en,
            )
        ]
    if convenio.estado_registro == EstadoRegistro.PREVENIDO and convenio.prevenido_en:
        return [
            PlazoDeRegistro(
                TipoEvento.PLAZO_PREVENCION_VENCIDO,
                registro_vence_el(convenio),
                convenio.prevenido_en,
            )
        ]
    return []


def anotar_plazos_de_registro_vencidos(*, al: date | None = None) -> int:
    """Anota en la línea de tiempo de cada caso el término del registro que pasó sin
    respuesta (o la prevención que no se corrigió a tiempo), una sola vez por término: el
    evento lleva el inicio y el fin del término, y se busca con el caso bloqueado, así que
    dos barridos a la vez no lo repiten. Devuelve cuántos anotó."""
    al = al or hoy()
    cal = Calendario()
    anotados = 0
    en_registro = Convenio.objects.filter(
        estado_registro__in=[EstadoRegistro.ENVIADO, EstadoRegistro.PREVENIDO]
    ).select_related("caso")
    for convenio in en_registro:
        for termino in plazos_de_registro(convenio, cal):
            if al <= termino.vence:
                continue
            anotados += _anotar_vencido(convenio, termino)
    return anotados


def _anotar_vencido(convenio: Convenio, termino: PlazoDeRegistro) -> int:
    marca = {"desde": termino.desde.isoformat(), "vence": termino.vence.isoformat()}
    with transaction.atomic():
        caso = bloquear(convenio.caso)
        ya = caso.eventos.filter(tipo=termino.tipo_evento, datos__vence=marca["vence"])
        if ya.filter(datos__desde=marca["desde"]).exists():
            return 0
        if termino.tipo_evento == TipoEvento.PLAZO_REGISTRO_VENCIDO:
            descripcion = _(
                "El registro no respondió dentro de su plazo (venció el %(vence)s; el convenio "
                "se envió el %(desde)s). Dé seguimiento con el registro."
            )
        else:
            descripcion = _(
                "La prevención del registro no se corrigió dentro del plazo (venció el "
                "%(vence)s; se previno el %(desde)s)."
            )
        registrar(
            caso=caso,
            tipo=termino.tipo_evento,
            descripcion=descripcion
            % {"vence": f"{termino.vence:%d/%m/%Y}", "desde": f"{termino.desde:%d/%m/%Y}"},
            datos=marca,
        )
    return 1

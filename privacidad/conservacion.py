"""Conservación de los datos personales: cuándo vence el plazo de cada expediente concluido
(`casos.PlazoConservacion`, por tipo y resultado) y el trabajo que, vencido, primero bloquea
sus datos y después los suprime.

Suprimir es anonimizar: cada dato personal o narrativo del expediente, en cada tabla donde
esté (el caso, sus partes y la historia de sus cambios, la bitácora, sesiones, convenio,
avisos enviados, documentos y sus archivos, bitácoras de acceso, importaciones, respuestas
guardadas de la API, procesos de los flujos y la bitácora de la administración), se cambia
por un valor neutro. Quedan el folio, las fechas, los códigos de cada catálogo y los hechos
anónimos de la estadística (`estadistica.HechoCaso` y los resúmenes no se tocan), así que
las cifras del tablero no cambian.

Qué columna se suprime y cuál se conserva está declarado abajo, tabla por tabla (`TABLAS`,
`TABLAS_ARCO`); una prueba recorre todos los modelos ligados a un caso o a una solicitud
ARCO y falla si aparece una columna de texto que no esté en ninguna de las dos listas.

El trabajo va por lotes (`LOTE` expedientes por transacción) y toma cada lote con
`select_for_update(skip_locked=True)`: corre junto a la web, y si se interrumpe, la
siguiente corrida sigue donde quedó. Es idempotente: lo ya bloqueado o suprimido no se
vuelve a tocar. En simulacro hace la misma selección y no cambia nada.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as hora

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casos.models import (
    ESTADOS_FINALES,
    Caso,
    Depuracion,
    Estado,
    Evento,
    EventoARCO,
    Parte,
    PlazoConservacion,
    ResultadoConservacion,
    SolicitudARCO,
    TipoCaso,
    TipoConservacion,
    TipoEvento,
    TipoEventoARCO,
    sumar_meses,
)

logger = logging.getLogger(__name__)

# Expedientes por transacción.
LOTE = 500
# Lo que queda en una columna obligatoria cuyo dato se suprimió (las que admiten vacío
# quedan vacías).
MARCA = "[suprimido]"
MOTIVO_BLOQUEO = "Conservación vencida"
ORIGEN = "Trabajo de conservación"

# --- Cómo se suprime cada columna -----------------------------------------------------------

TEXTO = "texto"  # vacío si la columna lo admite; si no, MARCA
JSON = "json"  # el valor por omisión de la columna ({} o [])
ANONIMOS = "anonimos"  # JSON: quedan solo números, sí/no y códigos (ver `datos_anonimos`)
ETIQUETA = "etiqueta"  # la descripción del evento pasa a ser el nombre de su tipo
ARCHIVO = "archivo"  # se borra el archivo del almacenamiento y la columna queda vacía
NULO = "nulo"  # números personales (la edad): NULL
MOTIVO = "motivo"  # el motivo libre de un bloqueo pasa a ser MOTIVO_BLOQUEO

# Claves de `datos` (eventos, procesos) cuyo texto es un código, no un dato de la persona.
CLAVES_CON_CODIGO = frozenset(
    {
        "causa",
        "estado_registro",
        "resultado",
        "canal",
        "usos",
        "plazo_vencido",
        "aviso_version",
        "entrada",
        "vence",
        "anterior",
        "nueva",
    }
)


@dataclass(frozen=True)
class Tabla:
    """Una tabla con datos de un expediente. `del_caso`: los caminos (unidos con «o») del
    renglón al id del caso (o de la solicitud ARCO). `contenido`: si el camino es genérico
    (viewflow), la columna con el tipo de contenido que debe ser el del caso. `suprimir`:
    columna → cómo se suprime. `conservar`: columnas de texto que no son datos personales
    (códigos de catálogo, folios, huellas, claves técnicas), con su razón en el comentario."""

    modelo: str
    del_caso: tuple[str, ...]
    suprimir: dict[str, str]
    conservar: frozenset[str] = field(default_factory=frozenset)
    contenido: str = ""

    @property
    def clase(self) -> type[models.Model]:
        return apps.get_model(self.modelo)


def _mensajes(*del_caso: str) -> Tabla:
    """Los avisos de un caso (o de una solicitud ARCO): destino, texto y contexto."""
    return Tabla(
        "notificaciones.Mensaje",
        del_caso,
        {
            "destino": TEXTO,
            "asunto": TEXTO,
            "texto": TEXTO,
            "contexto": JSON,
            "ultimo_error": TEXTO,
        },
        # llave: ids y canal; plantilla: clave del aviso; referencia: «sesion:12»;
        # proveedor_id: el id que dio el proveedor; entrega y entrega_error: el estado y el
        # código de error que informó el proveedor.
        frozenset(
            {
                "llave",
                "plantilla",
                "canal",
                "referencia",
                "estado",
                "proveedor_id",
                "entrega",
                "entrega_error",
            }
        ),
    )


def _documentos(*del_caso: str) -> Tabla:
    """Los documentos de un caso (o de una solicitud ARCO): sus archivos se borran."""
    return Tabla(
        "plantillas.Documento",
        del_caso,
        {"archivo": ARCHIVO, "firmado": ARCHIVO, "datos": JSON, "error": TEXTO},
        # referencia: id del objeto del documento; sha256: huellas para la bitácora.
        frozenset(
            {
                "tipo",
                "referencia",
                "version_plantilla",
                "estado",
                "sha256",
                "firmado_tipo",
                "firmado_sha256",
            }
        ),
    )


TABLAS: tuple[Tabla, ...] = (
    Tabla(
        "casos.Parte",
        ("caso_id",),
        {
            "nombre": TEXTO,
            "nombre_busqueda": TEXTO,
            "telefono": TEXTO,
            "correo": TEXTO,
            "domicilio": TEXTO,
            "edad": NULO,
            "nacionalidad": TEXTO,
            "estado_civil": TEXTO,
            "ocupacion": TEXTO,
            "representante": TEXTO,
            "bloqueo_motivo": MOTIVO,
        },
        # rol y avisos_por: códigos; usos_opuestos: códigos de `UsoOpuesto`.
        frozenset({"rol", "avisos_por", "usos_opuestos"}),
    ),
    Tabla(
        "casos.Evento",
        ("caso_id",),
        {"descripcion": ETIQUETA, "datos": ANONIMOS, "actor_descripcion": TEXTO},
        frozenset({"tipo", "estado_anterior", "estado_nuevo"}),
    ),
    Tabla(
        "casos.Invitacion",
        ("caso_id",),
        {"recibio": TEXTO, "observaciones": TEXTO},
        frozenset({"medio", "respuesta"}),
    ),
    Tabla(
        "casos.Sesion",
        ("caso_id",),
        {"lugar": TEXTO, "motivo_diferimiento": TEXTO},
        frozenset({"estado", "asistencia_solicitante", "asistencia_invitada", "resultado"}),
    ),
    Tabla("casos.Prorroga", ("caso_id",), {"consentimiento": TEXTO}),
    Tabla(
        "casos.Convenio",
        ("caso_id",),
        {
            "lugar": TEXTO,
            "antecedentes": TEXTO,
            "consecuencias_incumplimiento": TEXTO,
            "observaciones_registro": TEXTO,
        },
        # numero_registro: el que asignó el registro estatal, como un folio.
        frozenset({"tipo", "forma_firma", "estado_registro", "numero_registro"}),
    ),
    Tabla(
        "casos.Clausula",
        ("convenio__caso_id",),
        {"descripcion": TEXTO, "modo": TEXTO, "lugar": TEXTO, "nota_verificacion": TEXTO},
        frozenset({"tipo", "cumplimiento"}),
    ),
    Tabla(
        "casos.Canalizacion",
        ("caso_id",),
        {"motivo": TEXTO, "respuesta": TEXTO},
        # dependencia: la institución (la estadística la cuenta); numero_oficio: folio REM.
        frozenset({"dependencia", "numero_oficio"}),
    ),
    Tabla("casos.EsperaCiudadano", ("caso_id",), {"motivo": TEXTO}),
    Tabla("casos.AccesoExcepcional", ("caso_id",), {"motivo": TEXTO}),
    # Quién abrió el expediente y cuándo se conserva; lo abierto y el motivo, no.
    Tabla(
        "casos.AccesoExpediente",
        ("caso_id",),
        {"objeto": TEXTO, "motivo": TEXTO},
        frozenset({"vista"}),
    ),
    _mensajes("caso_id", "parte__caso_id"),
    # Lo que una parte respondió al recordatorio: códigos (confirmó, no asistirá…) y el canal.
    Tabla(
        "notificaciones.Confirmacion",
        ("sesion__caso_id", "parte__caso_id"),
        {},
        frozenset({"estado", "canal"}),
    ),
    _documentos("caso_id"),
    # La entrega de un aviso comunitario solo liga llaves (aviso, contacto y mensaje).
    Tabla("comunidad.Entrega", ("mensaje__caso_id",), {}),
    # Lo capturado en el equipo de un módulo solo queda mientras falta decidir un posible
    # duplicado; si ya tiene caso, se vacía con él.
    Tabla("modulos.CapturaDeCampo", ("caso_id",), {"datos": JSON}, frozenset({"resultado"})),
    Tabla("importacion.CasoImportado", ("caso_id",), {}, frozenset({"entrada"})),
    # El archivo original ya se borró al importar; la muestra y los errores pueden traer
    # datos de renglones: se vacían en cuanto uno de sus casos se suprime.
    Tabla(
        "importacion.Importacion",
        ("casos_importados__caso_id",),
        {
            "archivo": ARCHIVO,
            "muestra": JSON,
            "errores": JSON,
            "avisos": JSON,
            "error": TEXTO,
        },
        frozenset(
            {
                "estado",
                "nombre_archivo",
                "formato",
                "sha256",
                "codificacion",
                "separador",
                "hoja",
                "encabezados",
                "columnas",
                "resumen",
            }
        ),
    ),
    Tabla(
        "api.EnvioIdempotente",
        ("caso_id",),
        {"respuesta": JSON},
        frozenset({"origen", "clave", "huella"}),
    ),
    Tabla(
        "viewflow.Process",
        ("artifact_object_id",),
        {"data": ANONIMOS},
        frozenset({"flow_class", "status"}),
        contenido="artifact_content_type",
    ),
    Tabla(
        "viewflow.Task",
        ("process__artifact_object_id",),
        {"data": ANONIMOS},
        frozenset(
            {
                "flow_task",
                "flow_task_type",
                "status",
                "token",
                "external_task_id",
                "owner_permission",
                "owner_permission_obj_pk",
            }
        ),
        contenido="process__artifact_content_type",
    ),
)

# Columnas del caso mismo (se suprimen con su propio `update`).
CASO_SUPRIMIR = {
    "resumen": TEXTO,
    "motivo_conclusion": TEXTO,
    "satisfaccion_comentario": TEXTO,
}
# folio_anterior: el número del registro anterior, como el folio; codigo_sal: sal del código
# de consulta; los demás, códigos de catálogo.
CASO_CONSERVAR = frozenset(
    {
        "tipo",
        "folio",
        "folio_anterior",
        "estado",
        "canal",
        "causa_conclusion",
        "resultado_seguimiento",
        "codigo_sal",
        "aviso_version",
        "aviso_canal",
    }
)

TABLAS_ARCO: tuple[Tabla, ...] = (
    Tabla(
        "casos.SolicitudARCO",
        ("pk",),
        {
            "nombre": TEXTO,
            "nombre_busqueda": TEXTO,
            "telefono": TEXTO,
            "correo": TEXTO,
            "domicilio": TEXTO,
            "representante": TEXTO,
            "descripcion": TEXTO,
            "folios_referidos": TEXTO,
            "identidad_detalle": TEXTO,
            "requerimiento": TEXTO,
            "desahogo": TEXTO,
            "ampliacion_motivo": TEXTO,
            "respuesta": TEXTO,
        },
        # fundamento: artículos de ley de la respuesta; lo demás, códigos y folio.
        frozenset(
            {
                "folio",
                "derecho",
                "canal",
                "estado",
                "medio_respuesta",
                "identidad_medio",
                "sentido",
                "causa_improcedencia",
                "fundamento",
                "codigo_sal",
                "aviso_version",
            }
        ),
    ),
    Tabla(
        "casos.EventoARCO",
        ("solicitud_id",),
        {"descripcion": ETIQUETA, "datos": ANONIMOS, "actor_descripcion": TEXTO},
        frozenset({"tipo"}),
    ),
    _mensajes("solicitud_arco_id"),
    _documentos("solicitud_id"),
)

# Tablas ligadas a un caso que no guardan datos personales y no se tocan.
SIN_DATOS_PERSONALES = {
    # El oficio que remite convenios al registro: su número y la autoridad a la que va (el
    # oficio lista folios, fechas y a la persona facilitadora, no a las partes).
    "plantillas.RemisionRegistro": frozenset({"numero", "destinatario"}),
    # Hechos anónimos que cuenta la estadística: códigos, la dependencia y los días.
    "estadistica.HechoCaso": frozenset(
        {
            "tipo",
            "canal",
            "revision",
            "resultado",
            "causa",
            "invitacion",
            "registro",
            "procedimiento",
            "resolucion",
            "dependencia",
            "dias",
        }
    ),
}

# Columnas que simple-history agrega a cada tabla histórica.
HISTORIA_SUPRIMIR = {"history_change_reason": TEXTO}
HISTORIA_CONSERVAR = frozenset({"history_type"})


def historica(modelo: type[models.Model]) -> type[models.Model] | None:
    """La tabla histórica (simple-history) del modelo, si la tiene."""
    nombre = getattr(modelo._meta, "simple_history_manager_attribute", None)
    return getattr(modelo, nombre).model if nombre else None


# --- Qué vence y cuándo ------------------------------------------------------------------


def _anios_antes(dia: date, anios: int) -> datetime:
    """El primer instante (hora de México) del primer día que aún no cumple `anios` años al
    `dia`: lo concluido antes de ese instante ya los cumplió. Un 29 de febrero los cumple el
    28 (como `sumar_meses`)."""
    inicio = sumar_meses(dia, -12 * anios) + timedelta(days=1)
    while sumar_meses(inicio, 12 * anios) <= dia:
        inicio += timedelta(days=1)
    return timezone.make_aware(datetime.combine(inicio, hora.min))


def _plazos() -> dict[tuple[str, str], PlazoConservacion]:
    return {(p.tipo, p.resultado): p for p in PlazoConservacion.objects.all()}


def plazo_de(tipo: str, resultado: str, plazos: dict | None = None) -> PlazoConservacion | None:
    """El renglón que rige: el del resultado, o si no lo hay, el de «cualquiera»."""
    plazos = _plazos() if plazos is None else plazos
    return plazos.get((tipo, resultado)) or plazos.get((tipo, ResultadoConservacion.CUALQUIERA))


def _condicion_de_casos(al_dia: date, anios_de: str, plazos: dict) -> Q:
    """Casos concluidos cuyo plazo (`bloquear_anios` o `suprimir_anios`) se cumplió al día."""
    condicion = Q(pk__in=[])
    con_convenio = Q(estado=Estado.CONCLUIDA_CONVENIO)
    por_resultado = {
        ResultadoConservacion.CON_CONVENIO: con_convenio,
        ResultadoConservacion.SIN_CONVENIO: ~con_convenio,
    }
    for tipo in TipoCaso.values:
        for resultado, filtro in por_resultado.items():
            plazo = plazo_de(tipo, resultado, plazos)
            if plazo is None:
                continue
            limite = _anios_antes(al_dia, getattr(plazo, anios_de))
            condicion |= Q(tipo=tipo) & filtro & Q(concluido_en__lt=limite)
    return condicion & Q(estado__in=ESTADOS_FINALES, concluido_en__isnull=False)


def _condicion_de_solicitudes(al_dia: date, anios_de: str, plazos: dict) -> Q:
    plazo = plazo_de(TipoConservacion.ARCO, ResultadoConservacion.CUALQUIERA, plazos)
    if plazo is None:
        return Q(pk__in=[])
    return Q(concluida_en__lt=_anios_antes(al_dia, getattr(plazo, anios_de)))


def casos_por_bloquear(al_dia: date, plazos: dict | None = None):
    plazos = _plazos() if plazos is None else plazos
    return Caso.objects.filter(
        _condicion_de_casos(al_dia, "bloquear_anios", plazos), bloqueado_en__isnull=True
    )


def casos_por_suprimir(al_dia: date, plazos: dict | None = None):
    plazos = _plazos() if plazos is None else plazos
    return Caso.objects.filter(
        _condicion_de_casos(al_dia, "suprimir_anios", plazos), suprimido_en__isnull=True
    )


def solicitudes_por_bloquear(al_dia: date, plazos: dict | None = None):
    plazos = _plazos() if plazos is None else plazos
    return SolicitudARCO.objects.filter(
        _condicion_de_solicitudes(al_dia, "bloquear_anios", plazos), bloqueada_en__isnull=True
    )


def solicitudes_por_suprimir(al_dia: date, plazos: dict | None = None):
    plazos = _plazos() if plazos is None else plazos
    return SolicitudARCO.objects.filter(
        _condicion_de_solicitudes(al_dia, "suprimir_anios", plazos), suprimida_en__isnull=True
    )


# --- Cómo queda cada valor -----------------------------------------------------------------


def _valor_neutro(campo: models.Field, como: str):
    if como == NULO:
        return None
    if como == MOTIVO:
        return MOTIVO_BLOQUEO
    if como == JSON:
        return campo.get_default()
    if como == ARCHIVO:
        return ""
    if campo.blank:
        return ""
    return MARCA[: campo.max_length] if campo.max_length else MARCA


def datos_anonimos(datos):
    """De un JSON de bitácora, lo que no puede ser dato de una persona: números, sí/no, nulos
    y, en las claves de `CLAVES_CON_CODIGO`, códigos (o listas de ellos). Se va todo otro
    texto (notas, motivos, nombres, valores anteriores) y todo lo anidado."""
    if not isinstance(datos, dict):
        return {} if datos else datos

    def escalar(valor) -> bool:
        return valor is None or isinstance(valor, bool | int | float)

    limpio = {}
    for clave, valor in datos.items():
        if escalar(valor):
            limpio[clave] = valor
        elif clave in CLAVES_CON_CODIGO and isinstance(valor, str) and len(valor) <= 40:
            limpio[clave] = valor
        elif isinstance(valor, list) and all(
            escalar(v) or (clave in CLAVES_CON_CODIGO and isinstance(v, str) and len(v) <= 40)
            for v in valor
        ):
            limpio[clave] = valor
    return limpio


def _filtro(tabla: Tabla, ids: list[int], tipo_caso: ContentType | None) -> Q:
    filtro = Q(pk__in=[])
    for camino in tabla.del_caso:
        filtro |= Q(**{f"{camino}__in": ids})
    if tabla.contenido:
        filtro &= Q(**{tabla.contenido: tipo_caso})
    return filtro


def _etiquetas(modelo: type[models.Model]) -> models.Case:
    choices = modelo._meta.get_field("tipo").choices
    return models.Case(
        *[models.When(tipo=valor, then=models.Value(str(etiqueta))) for valor, etiqueta in choices],
        default=models.Value(MARCA),
        output_field=models.CharField(),
    )


@dataclass
class _Lote:
    archivos: list[tuple[object, str]] = field(default_factory=list)
    renglones: dict[str, int] = field(default_factory=dict)

    def sumar(self, otro: _Lote) -> None:
        """Agrega lo de un lote ya hecho (archivos por borrar y renglones por tabla)."""
        self.archivos += otro.archivos
        for modelo, n in otro.renglones.items():
            self.renglones[modelo] = self.renglones.get(modelo, 0) + n


def _suprimir_tabla(tabla: Tabla, ids: list[int], lote: _Lote, simulacro: bool) -> None:
    modelo = tabla.clase
    tipo_caso = ContentType.objects.get_for_model(Caso) if tabla.contenido else None
    renglones = modelo.objects.filter(_filtro(tabla, ids, tipo_caso)).distinct()
    pks = list(renglones.values_list("pk", flat=True))
    if not pks:
        return
    lote.renglones[tabla.modelo] = lote.renglones.get(tabla.modelo, 0) + len(pks)
    archivos = [c for c, como in tabla.suprimir.items() if como == ARCHIVO]
    for campo in archivos:
        for nombre in (
            modelo.objects.filter(pk__in=pks).exclude(**{campo: ""}).values_list(campo, flat=True)
        ):
            if nombre:
                lote.archivos.append((modelo._meta.get_field(campo).storage, nombre))
    if simulacro:
        return
    _anonimizar(modelo, pks, tabla.suprimir)
    historia = historica(modelo)
    if historia is not None:
        campos = {
            c: como
            for c, como in {**tabla.suprimir, **HISTORIA_SUPRIMIR}.items()
            if c in {f.name for f in historia._meta.concrete_fields}
        }
        _anonimizar(historia, pks, campos, por="id")
    _bitacora_admin(modelo, pks)


def _anonimizar(modelo, pks: list[int], suprimir: dict[str, str], por: str = "pk") -> None:
    """Cambia las columnas por su valor neutro en esos renglones: un `update` para lo fijo y,
    para los JSON que se filtran, solo los renglones que traen algo."""
    renglones = modelo.objects.filter(**{f"{por}__in": pks})
    fijos = {}
    for nombre, como in suprimir.items():
        campo = modelo._meta.get_field(nombre)
        if como == ETIQUETA:
            fijos[nombre] = _etiquetas(modelo)
        elif como != ANONIMOS:
            fijos[nombre] = _valor_neutro(campo, como)
    if fijos:
        renglones.update(**fijos)
    for nombre in [n for n, como in suprimir.items() if como == ANONIMOS]:
        cambiados = []
        for renglon in renglones.exclude(**{nombre: {}}).only("pk", nombre):
            valor = getattr(renglon, nombre)
            limpio = datos_anonimos(valor)
            if limpio != valor:
                setattr(renglon, nombre, limpio)
                cambiados.append(renglon)
        modelo.objects.bulk_update(cambiados, [nombre], batch_size=500)


def _bitacora_admin(modelo, pks: list[int]) -> None:
    """La bitácora de la administración de Django guarda cómo se llamaba el registro (con el
    tipo del modelo o, si se editó por un proxy, con el del proxy)."""
    tipos = {
        ContentType.objects.get_for_model(modelo),
        ContentType.objects.get_for_model(modelo, for_concrete_model=False),
    }
    LogEntry.objects.filter(content_type__in=tipos, object_id__in=[str(pk) for pk in pks]).update(
        object_repr=MARCA, change_message=""
    )


# --- El trabajo ----------------------------------------------------------------------------


def _eventos(ids: list[int], descripcion: str, actor, ahora) -> None:
    Evento.objects.bulk_create(
        [
            Evento(
                caso_id=pk,
                tipo=TipoEvento.CONSERVACION,
                descripcion=descripcion,
                actor=actor,
                actor_descripcion="" if actor else ORIGEN,
                creado_en=ahora,
            )
            for pk in ids
        ],
        batch_size=500,
    )


def _tomar(queryset, ids: list[int]) -> list[int]:
    """Los de ese lote que nadie más tiene tomados (los demás, en la siguiente corrida)."""
    return list(
        queryset.filter(pk__in=ids)
        .select_for_update(skip_locked=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _bloquear_casos(ids: list[int], actor, ahora) -> list[int]:
    with transaction.atomic():
        tomados = _tomar(Caso.objects.filter(bloqueado_en__isnull=True), ids)
        if not tomados:
            return []
        Caso.objects.filter(pk__in=tomados).update(bloqueado_en=ahora)
        partes = Parte.objects.filter(caso_id__in=tomados, bloqueada_en__isnull=True)
        partes.update(bloqueada_en=ahora, bloqueo_motivo=MOTIVO_BLOQUEO)
        _eventos(
            tomados,
            _("Datos personales bloqueados: venció su plazo de conservación."),
            actor,
            ahora,
        )
    return tomados


def _suprimir_casos(ids: list[int], actor, ahora, simulacro: bool, lote: _Lote) -> list[int]:
    with transaction.atomic():
        if simulacro:
            tomados = list(ids)
        else:
            tomados = _tomar(Caso.objects.filter(suprimido_en__isnull=True), ids)
        if not tomados:
            return []
        for tabla in TABLAS:
            _suprimir_tabla(tabla, tomados, lote, simulacro)
        if simulacro:
            return tomados
        caso = {n: _valor_neutro(Caso._meta.get_field(n), c) for n, c in CASO_SUPRIMIR.items()}
        Caso.objects.filter(pk__in=tomados).update(suprimido_en=ahora, **caso)
        Caso.objects.filter(pk__in=tomados, bloqueado_en__isnull=True).update(bloqueado_en=ahora)
        Parte.objects.filter(caso_id__in=tomados).update(suprimida_en=ahora)
        Parte.objects.filter(caso_id__in=tomados, bloqueada_en__isnull=True).update(
            bloqueada_en=ahora, bloqueo_motivo=MOTIVO_BLOQUEO
        )
        _bitacora_admin(Caso, tomados)
        _eventos(
            tomados,
            _("Datos personales suprimidos: venció su plazo de conservación."),
            actor,
            ahora,
        )
        archivos = list(lote.archivos)
        transaction.on_commit(lambda: _borrar_archivos(archivos))
    return tomados


def _borrar_archivos(archivos) -> None:
    for almacenamiento, nombre in archivos:
        try:
            almacenamiento.delete(nombre)
        except OSError:
            logger.exception("No se pudo borrar el archivo %s", nombre)


def _bloquear_solicitudes(ids: list[int], actor, ahora) -> list[int]:
    with transaction.atomic():
        tomados = _tomar(SolicitudARCO.objects.filter(bloqueada_en__isnull=True), ids)
        SolicitudARCO.objects.filter(pk__in=tomados).update(bloqueada_en=ahora)
        EventoARCO.objects.bulk_create(
            [
                EventoARCO(
                    solicitud_id=pk,
                    tipo=TipoEventoARCO.CONSERVACION,
                    descripcion=_("Datos bloqueados: venció su plazo de conservación."),
                    actor=actor,
                    actor_descripcion="" if actor else ORIGEN,
                    creado_en=ahora,
                )
                for pk in tomados
            ]
        )
    return tomados


def _suprimir_solicitudes(ids: list[int], actor, ahora, simulacro: bool, lote: _Lote) -> list:
    with transaction.atomic():
        if simulacro:
            tomados = list(ids)
        else:
            tomados = _tomar(SolicitudARCO.objects.filter(suprimida_en__isnull=True), ids)
        if not tomados:
            return tomados
        for tabla in TABLAS_ARCO:
            _suprimir_tabla(tabla, tomados, lote, simulacro)
        if simulacro:
            return tomados
        SolicitudARCO.partes.through.objects.filter(solicitudarco_id__in=tomados).delete()
        SolicitudARCO.objects.filter(pk__in=tomados).update(suprimida_en=ahora)
        SolicitudARCO.objects.filter(pk__in=tomados, bloqueada_en__isnull=True).update(
            bloqueada_en=ahora
        )
        EventoARCO.objects.bulk_create(
            [
                EventoARCO(
                    solicitud_id=pk,
                    tipo=TipoEventoARCO.CONSERVACION,
                    descripcion=_("Datos suprimidos: venció su plazo de conservación."),
                    actor=actor,
                    actor_descripcion="" if actor else ORIGEN,
                    creado_en=ahora,
                )
                for pk in tomados
            ]
        )
        archivos = list(lote.archivos)
        transaction.on_commit(lambda: _borrar_archivos(archivos))
    return tomados


def _folios(modelo, ids: list[int]) -> list[str]:
    folios = []
    for i in range(0, len(ids), LOTE):
        folios += list(
            modelo.objects.filter(pk__in=ids[i : i + LOTE])
            .order_by("pk")
            .values_list("folio", flat=True)
        )
    return folios


def depurar(*, al_dia: date, simulacro: bool, actor=None) -> Depuracion:
    """Bloquea y suprime lo vencido al día `al_dia` (o, en simulacro, solo dice qué haría) y
    deja la corrida en `Depuracion`, con los folios de cada cosa y los archivos borrados."""
    inicio = time.perf_counter()
    ahora = timezone.now()
    corrida = Depuracion.objects.create(
        simulacro=simulacro, al_dia=al_dia, pedida_por=actor, iniciada_en=ahora
    )
    plazos = _plazos()
    por_suprimir = list(
        casos_por_suprimir(al_dia, plazos).order_by("pk").values_list("pk", flat=True)
    )
    apartados = set(por_suprimir)
    por_bloquear = [
        pk
        for pk in casos_por_bloquear(al_dia, plazos).order_by("pk").values_list("pk", flat=True)
        if pk not in apartados
    ]
    arco_suprimir = list(
        solicitudes_por_suprimir(al_dia, plazos).order_by("pk").values_list("pk", flat=True)
    )
    arco_bloquear = [
        pk
        for pk in solicitudes_por_bloquear(al_dia, plazos)
        .order_by("pk")
        .values_list("pk", flat=True)
        if pk not in set(arco_suprimir)
    ]

    bloqueados, suprimidos, arco_bloqueadas, arco_suprimidas = [], [], [], []
    lote_total = _Lote()
    for i in range(0, len(por_bloquear), LOTE):
        parte = por_bloquear[i : i + LOTE]
        bloqueados += parte if simulacro else _bloquear_casos(parte, actor, ahora)
    for i in range(0, len(por_suprimir), LOTE):
        lote = _Lote()
        suprimidos += _suprimir_casos(por_suprimir[i : i + LOTE], actor, ahora, simulacro, lote)
        lote_total.sumar(lote)
        if not simulacro:
            Depuracion.objects.filter(pk=corrida.pk).update(
                bloqueados=len(bloqueados), suprimidos=len(suprimidos)
            )
    for i in range(0, len(arco_bloquear), LOTE):
        parte = arco_bloquear[i : i + LOTE]
        arco_bloqueadas += parte if simulacro else _bloquear_solicitudes(parte, actor, ahora)
    for i in range(0, len(arco_suprimir), LOTE):
        lote = _Lote()
        arco_suprimidas += _suprimir_solicitudes(
            arco_suprimir[i : i + LOTE], actor, ahora, simulacro, lote
        )
        lote_total.sumar(lote)

    corrida.bloqueados = len(bloqueados) + len(arco_bloqueadas)
    corrida.suprimidos = len(suprimidos) + len(arco_suprimidas)
    corrida.archivos = len(lote_total.archivos)
    corrida.detalle = {
        "bloquear": _folios(Caso, bloqueados),
        "suprimir": _folios(Caso, suprimidos),
        "arco_bloquear": _folios(SolicitudARCO, arco_bloqueadas),
        "arco_suprimir": _folios(SolicitudARCO, arco_suprimidas),
        "archivos": sorted(nombre for _a, nombre in lote_total.archivos),
        "renglones": dict(sorted(lote_total.renglones.items())),
        "segundos": round(time.perf_counter() - inicio, 3),
    }
    corrida.terminada_en = timezone.now()
    corrida.save()
    logger.info(
        "Conservación al %s%s: %d bloqueados, %d suprimidos, %d archivos",
        al_dia,
        " (simulacro)" if simulacro else "",
        corrida.bloqueados,
        corrida.suprimidos,
        corrida.archivos,
    )
    return corrida

"""Los datos del sistema que puede traer un registro anterior, y cómo adivinar de los
encabezados del archivo cuál columna es cuál (sin importar acentos ni mayúsculas)."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from casos.texto import normalizar_busqueda


@dataclass(frozen=True)
class Campo:
    clave: str
    etiqueta: str
    ayuda: str
    sinonimos: tuple[str, ...]
    obligatorio: bool = False


CAMPOS: tuple[Campo, ...] = (
    Campo(
        "folio",
        _("Folio"),
        _(
            "MED-AAAA-NNNNN o ASE-AAAA-NNNNN se conserva; otro formato queda como folio "
            "anterior y el caso recibe un folio nuevo. Vacío: folio nuevo."
        ),
        (
            "folio",
            "no folio",
            "num folio",
            "numero de folio",
            "expediente",
            "no expediente",
            "numero de expediente",
            "clave",
        ),
    ),
    Campo(
        "tipo",
        _("Tipo (MED o ASE)"),
        _("Mediación o asesoría. Si falta, se toma del folio."),
        ("tipo", "tipo de solicitud", "tipo de caso", "servicio", "med ase", "tipo de servicio"),
    ),
    Campo(
        "fecha_recepcion",
        _("Fecha de recepción"),
        _("dd/mm/aaaa, aaaa-mm-dd o fecha de Excel."),
        (
            "fecha de recepcion",
            "fecha recepcion",
            "recepcion",
            "recibida",
            "fecha",
            "fecha de solicitud",
            "fecha de ingreso",
            "fecha ingreso",
            "fecha de registro",
            "ingreso",
        ),
        obligatorio=True,
    ),
    Campo(
        "canal",
        _("Canal"),
        _("Teléfono, módulo, web o presencial. Sin columna: presencial en oficina."),
        ("canal", "canal de entrada", "medio", "via", "medio de recepcion", "como llego"),
    ),
    Campo(
        "categoria",
        _("Categoría"),
        _("Como en el catálogo del sistema (sin importar acentos ni mayúsculas)."),
        ("categoria", "materia", "tema", "tipo de conflicto", "tipo de asunto", "clasificacion"),
        obligatorio=True,
    ),
    Campo(
        "localidad",
        _("Localidad"),
        _("Como en el catálogo del sistema."),
        ("localidad", "comunidad", "delegacion", "poblacion", "lugar"),
        obligatorio=True,
    ),
    Campo(
        "resumen",
        _("Resumen del asunto"),
        _("El relato breve del problema."),
        (
            "resumen",
            "asunto",
            "relato",
            "descripcion",
            "hechos",
            "motivo",
            "problema",
            "descripcion del asunto",
            "sintesis",
        ),
        obligatorio=True,
    ),
    Campo(
        "solicitante_nombre",
        _("Solicitante: nombre"),
        "",
        (
            "solicitante",
            "nombre del solicitante",
            "nombre solicitante",
            "nombre",
            "ciudadano",
            "promovente",
            "usuario",
        ),
        obligatorio=True,
    ),
    Campo(
        "solicitante_telefono",
        _("Solicitante: teléfono"),
        _("Se valida y se guarda en formato internacional."),
        (
            "telefono",
            "tel",
            "celular",
            "telefono del solicitante",
            "telefono solicitante",
            "telefono de contacto",
        ),
    ),
    Campo(
        "solicitante_correo",
        _("Solicitante: correo"),
        "",
        ("correo", "email", "e mail", "correo electronico", "correo del solicitante"),
    ),
    Campo(
        "solicitante_domicilio",
        _("Solicitante: domicilio"),
        "",
        (
            "domicilio",
            "direccion",
            "domicilio del solicitante",
            "domicilio solicitante",
            "direccion del solicitante",
        ),
    ),
    Campo(
        "otra_nombre",
        _("Otra parte: nombre"),
        _("Obligatorio en mediaciones abiertas."),
        (
            "otra parte",
            "nombre otra parte",
            "nombre de la otra parte",
            "invitado",
            "invitada",
            "contraparte",
            "requerido",
            "parte invitada",
        ),
    ),
    Campo(
        "otra_domicilio",
        _("Otra parte: domicilio"),
        _("Obligatorio en mediaciones abiertas (para invitarla)."),
        (
            "domicilio otra parte",
            "domicilio de la otra parte",
            "direccion otra parte",
            "direccion de la otra parte",
            "domicilio invitado",
            "domicilio contraparte",
        ),
    ),
    Campo(
        "estado",
        _("Estado o etapa"),
        _(
            "Recibida, admitida, invitación enviada, en mediación, concluida… Vacío: abierta "
            "recién recibida, o concluida si trae fecha de conclusión."
        ),
        ("estado", "etapa", "situacion", "estatus", "status", "estado actual"),
    ),
    Campo(
        "responsable",
        _("Responsable"),
        _("Usuario o nombre completo de quien lo atiende en el sistema."),
        (
            "responsable",
            "mediador",
            "mediadora",
            "asesor",
            "asesora",
            "facilitador",
            "facilitadora",
            "atiende",
            "atendio",
            "asignado a",
        ),
    ),
    Campo(
        "fecha_admision",
        _("Fecha de admisión"),
        _("Solo mediaciones; si falta, se usa la de recepción."),
        ("fecha de admision", "fecha admision", "admision", "admitida el"),
    ),
    Campo(
        "fecha_conclusion",
        _("Fecha de conclusión"),
        _("Obligatoria en casos concluidos."),
        (
            "fecha de conclusion",
            "fecha conclusion",
            "conclusion",
            "fecha de cierre",
            "cierre",
            "concluida el",
            "fecha fin",
            "fecha de termino",
        ),
    ),
    Campo(
        "resultado",
        _("Resultado"),
        _(
            "Convenio, convenio parcial, sin acuerdo, desistimiento, no admitida, canalizada, "
            "resuelta…"
        ),
        (
            "resultado",
            "causa de conclusion",
            "forma de conclusion",
            "como concluyo",
            "tipo de conclusion",
            "causa",
        ),
    ),
)

POR_CLAVE = {campo.clave: campo for campo in CAMPOS}
OBLIGATORIOS = tuple(campo.clave for campo in CAMPOS if campo.obligatorio)


def normalizar_encabezado(texto: str) -> str:
    """'Teléfono (celular)' -> 'telefono celular': sin acentos, mayúsculas ni signos."""
    return re.sub(r"[^a-z0-9]+", " ", normalizar_busqueda(str(texto or ""))).strip()


def _puntaje(encabezado: str, campo: Campo) -> int:
    """Qué tan bien nombra el encabezado al campo: 100 si es uno de sus nombres; si no,
    según cuántas palabras de un nombre del campo contiene (las más largas ganan)."""
    palabras = set(encabezado.split())
    mejor = 0
    for sinonimo in (normalizar_encabezado(campo.etiqueta), *campo.sinonimos):
        if encabezado == sinonimo:
            return 100
        suyas = sinonimo.split()
        if suyas and set(suyas) <= palabras:
            mejor = max(mejor, 10 * len(suyas) + len(sinonimo) // 4)
    return mejor


def adivinar_columnas(encabezados: list[str]) -> dict[str, int]:
    """{campo: índice de columna} con la mejor pareja de cada campo; cada columna sirve a un
    solo campo y cada campo toma a lo más una columna."""
    normalizados = [normalizar_encabezado(e) for e in encabezados]
    candidatos = sorted(
        (
            (_puntaje(encabezado, campo), -indice, campo.clave, indice)
            for indice, encabezado in enumerate(normalizados)
            if encabezado
            for campo in CAMPOS
        ),
        reverse=True,
    )
    elegidas: dict[str, int] = {}
    usadas: set[int] = set()
    for puntaje, _orden, clave, indice in candidatos:
        if puntaje == 0:
            break
        if clave in elegidas or indice in usadas:
            continue
        elegidas[clave] = indice
        usadas.add(indice)
    return elegidas

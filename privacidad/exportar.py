"""Los datos de una persona, para entregárselos (derechos de acceso y portabilidad).

`datos_de_la_persona(solicitud)` reúne lo que el sistema guarda de la persona titular a partir
de los renglones `Parte` que la oficina identificó como suyos (`solicitud.partes`), en todos
sus casos: sus datos en cada caso, los avisos que se le enviaron, los documentos del caso (sin
su contenido), quién consultó el expediente, su aceptación del aviso de privacidad y sus
solicitudes ARCO.

Lo que nunca sale: los datos de las otras partes (un tercero) y lo dicho en las sesiones
(confidencialidad, LGMASC arts. 6 y 37). La sección `retenido` dice qué se retuvo y por qué.
El relato del caso (`Caso.resumen`) lo escribió quien solicitó: se entrega solo a esa parte.

El formato es estable: llaves en español y un número de `version` que cambia si cambian.
"""

import json
import re
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casos import codigos
from casos.models import (
    DATOS_DE_PARTE,
    AccesoExpediente,
    Caso,
    Invitacion,
    Parte,
    PerfilPersonal,
    RolParte,
    Sesion,
    SolicitudARCO,
    UsoOpuesto,
)
from casos.texto import nombre_de
from notificaciones.models import Confirmacion, EstadoConfirmacion, Mensaje
from plantillas.models import Documento

VERSION_FORMATO = "1"

CAMPOS_PARTE = (*DATOS_DE_PARTE, "avisos_por")


def _fecha(valor) -> str | None:
    """Fecha y hora en ISO 8601 con la zona de la oficina (o solo la fecha)."""
    if valor is None:
        return None
    if isinstance(valor, datetime):
        return (
            timezone.localtime(valor).isoformat() if timezone.is_aware(valor) else valor.isoformat()
        )
    if isinstance(valor, date):
        return valor.isoformat()
    return str(valor)


def _etiqueta(modelo, campo: str, valor) -> str:
    """El texto de una opción («Soltera(o)») o el valor tal cual."""
    opciones = dict(modelo._meta.get_field(campo).flatchoices)
    return str(opciones.get(valor, valor)) if valor not in (None, "") else ""


def _parte(parte: Parte) -> dict:
    datos = {campo: getattr(parte, campo) for campo in CAMPOS_PARTE}
    datos["estado_civil"] = _etiqueta(Parte, "estado_civil", parte.estado_civil)
    datos["avisos_por"] = _etiqueta(Parte, "avisos_por", parte.avisos_por)
    versiones = [
        {
            "fecha": _fecha(h.history_date),
            "motivo": h.history_change_reason or "",
            **{campo: getattr(h, campo, None) for campo in CAMPOS_PARTE},
        }
        for h in parte.history.order_by("history_date", "history_id")
    ]
    return {
        "rol": parte.get_rol_display(),
        **datos,
        "localidad": str(parte.localidad) if parte.localidad_id else "",
        "registrada_el": _fecha(parte.creado_en),
        "bloqueada_el": _fecha(parte.bloqueada_en),
        "motivo_del_bloqueo": parte.bloqueo_motivo,
        "usos_a_los_que_se_opuso": [str(UsoOpuesto(u).label) for u in parte.usos_opuestos or []],
        "suprimida_el": _fecha(parte.suprimida_en),
        # Cada cambio deja la versión anterior (rectificación conservando historia).
        "versiones": versiones,
    }


OCULTO = "*****-*****"
# Un código de consulta como se muestra (dos grupos de cinco): también los ya reemplazados.
PATRON_CODIGO = re.compile(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}\b")
DATO_DE_TERCERO = "[dato de otra persona]"


def _sin_terceros(texto: str, otras: list[Parte]) -> str:
    """El texto sin el nombre, teléfono ni correo de las otras partes del caso."""
    for otra in otras:
        for dato in (otra.nombre, otra.telefono, otra.correo):
            if dato and len(dato) >= 3:
                texto = re.sub(re.escape(dato), DATO_DE_TERCERO, texto, flags=re.IGNORECASE)
    return texto


def _mensaje(mensaje: Mensaje, codigo: str, otras: list[Parte]) -> dict:
    # El código de consulta va oculto (quien descarga el archivo no debe conocerlo).
    texto = PATRON_CODIGO.sub(OCULTO, (mensaje.texto or "").replace(codigo, OCULTO))
    texto = _sin_terceros(texto, otras)
    return {
        "canal": mensaje.get_canal_display(),
        "destino": mensaje.destino,
        "aviso": mensaje.descripcion,
        "estado": mensaje.get_estado_display(),
        "programado_para": _fecha(mensaje.programado_para),
        "enviado_el": _fecha(mensaje.enviado_en),
        "entrega": mensaje.get_entrega_display() if mensaje.entrega else None,
        "asunto": mensaje.asunto,
        "texto": texto,
    }


def _documento(documento: Documento) -> dict:
    return {
        "documento": documento.get_tipo_display(),
        "detalle": documento.etiqueta,
        "version": documento.version,
        "version_plantilla": documento.version_plantilla,
        "estado": documento.get_estado_display(),
        "generado_el": _fecha(documento.generado_en),
        "sha256": documento.sha256,
        "firmado_sha256": documento.firmado_sha256,
    }


def _acceso(acceso: AccesoExpediente, cargos: dict, otras: list[Parte]) -> dict:
    return {
        "fecha": _fecha(acceso.creado_en),
        "quien": nombre_de(acceso.usuario),
        "cargo": cargos.get(acceso.usuario_id, ""),
        "que": acceso.que,
        "motivo_excepcional": _sin_terceros(acceso.motivo, otras),
    }


def _sesion(sesion: Sesion, rol: str) -> dict:
    asistencia = (
        sesion.get_asistencia_solicitante_display()
        if rol == RolParte.SOLICITANTE
        else sesion.get_asistencia_invitada_display()
    )
    return {
        "numero": sesion.numero,
        "inicio": _fecha(sesion.inicio),
        "estado": sesion.get_estado_display(),
        "su_asistencia": asistencia,
    }


def _invitacion(invitacion: Invitacion) -> dict:
    return {
        "intento": invitacion.intento,
        "fecha": _fecha(invitacion.fecha),
        "medio": invitacion.get_medio_display(),
        "resultado": invitacion.get_respuesta_display(),
    }


def _solicitud_arco(solicitud: SolicitudARCO) -> dict:
    return {
        "folio": solicitud.folio,
        "derecho": solicitud.get_derecho_display(),
        "estado": solicitud.get_estado_display(),
        "canal": solicitud.get_canal_display(),
        "recibida_el": _fecha(solicitud.recibida_en),
        "nombre": solicitud.nombre,
        "telefono": solicitud.telefono,
        "correo": solicitud.correo,
        "domicilio": solicitud.domicilio,
        "representante": solicitud.representante,
        "medio_de_respuesta": solicitud.get_medio_respuesta_display(),
        "lo_que_pidio": solicitud.descripcion,
        "identidad_acreditada_el": _fecha(solicitud.identidad_verificada_en),
        "respondida_el": _fecha(solicitud.respondida_en),
        "sentido": solicitud.get_sentido_display() if solicitud.sentido else "",
    }


def _caso(caso: Caso, propias: list[Parte], cargos: dict) -> dict:
    ids = [p.pk for p in propias]
    es_solicitante = any(p.rol == RolParte.SOLICITANTE for p in propias)
    rol = RolParte.SOLICITANTE if es_solicitante else RolParte.INVITADA
    convenio = getattr(caso, "convenio", None)
    otras = [p for p in caso.partes.all() if p.pk not in ids]
    codigo = codigos.mostrar_codigo(codigos.derivar_codigo(caso.folio, caso.codigo_sal))
    datos = {
        "folio": caso.folio,
        "tipo": caso.get_tipo_display(),
        "estado": caso.get_estado_display(),
        "canal": caso.get_canal_display(),
        "localidad": str(caso.localidad) if caso.localidad_id else "",
        "materia": str(caso.categoria) if caso.categoria_id else "",
        "recibido_el": _fecha(caso.recibido_en),
        "admitido_el": _fecha(caso.admitido_en),
        "concluido_el": _fecha(caso.concluido_en),
        "causa_de_conclusion": caso.get_causa_conclusion_display() if caso.causa_conclusion else "",
        "sus_datos": [_parte(p) for p in propias],
        # El relato lo escribió quien solicitó: es suyo, no de la otra parte (sin los datos
        # de contacto ni el nombre de las otras partes, si los escribió).
        "relato": _sin_terceros(caso.resumen, otras) if es_solicitante else None,
        "aviso_de_privacidad": {
            "version": caso.aviso_version,
            "aceptado_el": _fecha(caso.aviso_aceptado_en),
            "canal": caso.get_aviso_canal_display(),
        }
        if es_solicitante
        else None,
        "invitaciones": [
            _invitacion(i)
            for i in Invitacion.objects.filter(caso=caso, parte_id__in=ids).order_by("intento")
        ],
        "sesiones": [_sesion(s, rol) for s in caso.sesiones.order_by("numero")],
        "convenio": {
            "tipo": convenio.get_tipo_display(),
            "firmado_el": _fecha(convenio.firmado_en),
            "registro": convenio.get_estado_registro_display(),
        }
        if convenio is not None
        else None,
        "avisos_enviados": [
            _mensaje(m, codigo, otras)
            for m in Mensaje.objects.filter(parte_id__in=ids).order_by("programado_para", "id")
        ],
        "respuestas_a_recordatorios": [
            {
                "sesion": c.sesion.numero,
                "fecha_de_la_sesion": _fecha(c.sesion.inicio),
                "respuesta": c.get_estado_display(),
                "por": c.get_canal_display() or None,
                "respondio_el": _fecha(c.respondida_en),
            }
            for c in Confirmacion.objects.filter(parte_id__in=ids)
            .exclude(estado=EstadoConfirmacion.SIN_RESPUESTA)
            .select_related("sesion")
            .order_by("sesion__inicio", "id")
        ],
        "documentos": [
            _documento(d)
            for d in Documento.objects.filter(caso=caso).order_by("tipo", "referencia", "version")
        ],
        "consultas_del_expediente": [
            _acceso(a, cargos, otras)
            for a in AccesoExpediente.objects.filter(caso=caso)
            .select_related("usuario")
            .order_by("creado_en", "id")
        ],
    }
    return datos


def retenido() -> list[dict]:
    """Lo que el sistema guarda pero no se entrega, con su fundamento."""
    return [
        {
            "que": _("Nombres, teléfonos, correos y domicilios de las otras partes de sus casos"),
            "por_que": _(
                "Son datos personales de terceros: entregarlos lesionaría sus derechos "
                "(LGPDPPSO, causas de improcedencia)."
            ),
        },
        {
            "que": _(
                "Lo dicho en las sesiones, las notas de la persona facilitadora, lo negociado "
                "en las cláusulas y las observaciones de las invitaciones"
            ),
            "por_que": _(
                "Confidencialidad del procedimiento de mediación (LGMASC arts. 6 y 37): no se "
                "divulga fuera del procedimiento."
            ),
        },
        {
            "que": _("El relato del caso, cuando usted no fue quien presentó la solicitud"),
            "por_que": _(
                "Lo escribió la otra parte: es información de un tercero y del procedimiento."
            ),
        },
        {
            "que": _("El contenido de los documentos del expediente"),
            "por_que": _(
                "Llevan datos de las otras partes; se listan con su versión y su huella "
                "SHA-256, y la copia que a usted le corresponde (p. ej. su convenio) se "
                "entrega en la oficina."
            ),
        },
        {
            "que": _("La bitácora interna de cada caso"),
            "por_que": _(
                "Describe actuaciones sobre todas las partes; de ella se entregan el estado, "
                "las fechas y quién consultó su expediente."
            ),
        },
    ]


def datos_de_la_persona(solicitud: SolicitudARCO) -> dict:
    """Todo lo que el sistema guarda de la persona titular en los casos donde la oficina
    identificó sus datos, listo para `json.dumps` (ver el docstring del módulo)."""
    partes = list(
        solicitud.partes.select_related("caso", "caso__localidad", "caso__categoria", "localidad")
    )
    por_caso: dict[int, list[Parte]] = {}
    for parte in partes:
        por_caso.setdefault(parte.caso_id, []).append(parte)
    casos = sorted({p.caso for p in partes}, key=lambda c: (c.recibido_en, c.pk))
    usuarios = set(
        AccesoExpediente.objects.filter(caso__in=casos).values_list("usuario_id", flat=True)
    )
    cargos = dict(
        PerfilPersonal.objects.filter(usuario_id__in=usuarios).values_list("usuario_id", "cargo")
    )
    solicitudes = (
        SolicitudARCO.objects.filter(Q(partes__in=partes) | Q(pk=solicitud.pk))
        .distinct()
        .order_by("recibida_en", "pk")
    )
    return {
        "version": VERSION_FORMATO,
        "generado_el": _fecha(timezone.now()),
        "solicitud": solicitud.folio,
        "titular": solicitud.nombre,
        "casos": [
            _caso(caso, sorted(por_caso[caso.pk], key=lambda p: p.pk), cargos) for caso in casos
        ],
        "solicitudes_arco": [_solicitud_arco(s) for s in solicitudes],
        "retenido": retenido(),
    }


def como_json(solicitud: SolicitudARCO) -> bytes:
    """Los datos de la persona como JSON en UTF-8 (formato estructurado y de uso común, para
    la portabilidad)."""
    return json.dumps(
        datos_de_la_persona(solicitud), ensure_ascii=False, indent=2, sort_keys=False
    ).encode("utf-8")

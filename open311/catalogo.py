"""Tipos de servicio Open311: cada combinación vigente de tipo de caso y categoría.

El `service_code` es `MED-<id de categoría>` o `ASE-<id>`: estable mientras la categoría
exista (el nombre puede cambiar sin romper a los clientes). Una categoría sin tipo da dos
servicios. Las que se canalizan también se reciben: la coordinación las canaliza.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from api import idempotencia
from casos.models import AvisoPrivacidad, AvisosPor, Categoria, Localidad, TipoCaso
from casos.services.recepcion import MAX_RESUMEN
from nucleo.entradas import entero_ascii

_CODIGO = re.compile(r"(MED|ASE)-([0-9]{1,9})", re.ASCII)

# Atributos propios (`attribute[codigo]=valor` en el POST).
LOCALIDAD = "localidad"
AVISO = "aviso_privacidad"
AVISOS_POR = "avisos_por"
OTRA_NOMBRE = "otra_nombre"
OTRA_TELEFONO = "otra_telefono"
OTRA_DOMICILIO = "otra_domicilio"
CLAVE = "clave_idempotencia"
INSTRUCCIONES = "instrucciones"

ACEPTA = "si"
MAX_CLAVE = idempotencia.MAX_CLAVE


@dataclass(frozen=True)
class Servicio:
    tipo: str
    categoria: Categoria

    @property
    def codigo(self) -> str:
        return codigo_servicio(self.tipo, self.categoria.pk)

    @property
    def es_mediacion(self) -> bool:
        return self.tipo == TipoCaso.MEDIACION


def codigo_servicio(tipo: str, categoria_id: int) -> str:
    return f"{tipo}-{categoria_id}"


def url_publica(nombre: str) -> str:
    return settings.URL_PUBLICA + reverse(nombre)


def leer_codigo(codigo: str) -> tuple[str, int] | None:
    """(tipo, id de categoría) de un `service_code` bien formado; None si no lo es (también
    con dígitos que no sean ASCII, p. ej. «MED-١٢»)."""
    texto = (codigo or "").strip()
    encontrado = _CODIGO.fullmatch(texto.upper()) if texto.isascii() else None
    return (encontrado.group(1), entero_ascii(encontrado.group(2))) if encontrado else None


def servicios_vigentes() -> list[Servicio]:
    """Mediación primero, luego asesoría; dentro, en el orden del catálogo."""
    categorias = list(Categoria.objects.activos().order_by("orden", "nombre"))
    return [
        Servicio(tipo, categoria)
        for tipo in TipoCaso.values
        for categoria in categorias
        if categoria.tipo in ("", tipo)
    ]


def servicio_vigente(codigo: str) -> Servicio | None:
    leido = leer_codigo(codigo)
    if leido is None:
        return None
    tipo, categoria_id = leido
    categoria = Categoria.objects.activos().filter(pk=categoria_id).first()
    if categoria is None or categoria.tipo not in ("", tipo):
        return None
    return Servicio(tipo, categoria)


def _palabras_clave(servicio: Servicio) -> str:
    if servicio.es_mediacion:
        palabras = [_("mediación"), _("conflicto"), _("acuerdo"), _("convenio")]
    else:
        palabras = [_("asesoría"), _("orientación"), _("trámite")]
    if servicio.categoria.canalizar:
        palabras.append(_("canalización"))
    return ", ".join(palabras)


def servicio_en_lista(servicio: Servicio) -> dict:
    """Renglón de `GET services` con los campos del spec, en su orden."""
    categoria = servicio.categoria
    if categoria.descripcion:
        descripcion = categoria.descripcion
    elif servicio.es_mediacion:
        descripcion = _("Solicitud de mediación: %(categoria)s.") % {"categoria": categoria.nombre}
    else:
        descripcion = _("Solicitud de asesoría: %(categoria)s.") % {"categoria": categoria.nombre}
    return {
        "service_code": servicio.codigo,
        "service_name": categoria.nombre,
        "description": descripcion,
        "metadata": True,
        "type": "realtime",
        "keywords": _palabras_clave(servicio),
        "group": str(TipoCaso(servicio.tipo).label),
    }


def _atributo(
    codigo: str,
    datatype: str,
    descripcion: str,
    *,
    requerido: bool = False,
    ayuda: str = "",
    valores: list[tuple[str, str]] = (),
    variable: bool = True,
) -> dict:
    return {
        "variable": variable,
        "code": codigo,
        "datatype": datatype,
        "required": requerido,
        "datatype_description": ayuda,
        "order": 0,  # se numera al final
        "description": descripcion,
        "values": [{"key": clave, "name": str(nombre)} for clave, nombre in valores],
    }


def _instrucciones(servicio: Servicio) -> str:
    texto = _(
        "Campos del spec que usa este servicio: first_name (obligatorio) y last_name; "
        "description (obligatorio: el relato del problema, hasta %(max)d caracteres); al "
        "menos un medio de contacto: phone (10 dígitos o +52…), email o address_string. "
        "address_string se guarda como domicilio de quien solicita. La ubicación no es "
        "obligatoria (basta la localidad); lat, long y address_id se aceptan y se validan, "
        "pero no se guardan; media_url, device_id y account_id se ignoran. Ningún dato "
        "personal ni el relato aparecen en GET requests. La respuesta trae el folio "
        "(service_request_id) y, en service_notice, el código de consulta que la persona "
        "necesita para ver el estado en %(consulta)s."
    ) % {"max": MAX_RESUMEN, "consulta": url_publica("portal:consulta")}
    if servicio.categoria.canalizar:
        texto += " " + _(
            "Este asunto no se media: la coordinación lo canaliza a la instancia que "
            "corresponde. Por protección de quien lo pide, no aparece en GET requests: su "
            "estado se consulta solo con folio y código."
        )
    return texto


def definicion(servicio: Servicio) -> dict:
    """`GET services/{service_code}`: atributos que la recepción necesita además del spec."""
    aviso = AvisoPrivacidad.vigente()
    integral = (aviso.url_integral if aviso else "") or url_publica("portal:privacidad")
    if aviso is not None:
        texto_aviso = _(
            "Aviso de privacidad simplificado (versión %(version)s): %(texto)s ¿La persona "
            "lo leyó y lo acepta?"
        ) % {"version": aviso.version, "texto": aviso.texto_simplificado.strip()}
    else:
        texto_aviso = _("Aviso de privacidad: la persona debe leerlo y aceptarlo.")
    atributos = [
        _atributo(
            INSTRUCCIONES,
            "string",
            _instrucciones(servicio),
            variable=False,
        ),
        _atributo(
            LOCALIDAD,
            "singlevaluelist",
            _("Localidad del municipio donde ocurre el asunto."),
            requerido=True,
            ayuda=_("Envíe la clave (key) de una de las localidades de la lista."),
            valores=[
                (str(pk), nombre)
                for pk, nombre in Localidad.objects.activos().values_list("pk", "nombre")
            ],
        ),
        _atributo(
            AVISO,
            "singlevaluelist",
            texto_aviso,
            requerido=True,
            ayuda=_(
                "Muestre a la persona el aviso simplificado antes de enviar y envíe «%(si)s» "
                "solo si lo acepta. El aviso integral está en %(url)s."
            )
            % {"si": ACEPTA, "url": integral},
            valores=[(ACEPTA, _("Sí, leí y acepto el aviso de privacidad"))],
        ),
        _atributo(
            AVISOS_POR,
            "singlevaluelist",
            _("¿Cómo prefiere recibir avisos de su caso?"),
            ayuda=_("Si se omite: según sus datos (correo y SMS)."),
            valores=[(c.value, c.label) for c in AvisosPor if c.value],
        ),
    ]
    if servicio.es_mediacion:
        # LGMASC art. 63: la solicitud contiene nombre y ubicación de la otra parte.
        atributos += [
            _atributo(
                OTRA_NOMBRE,
                "string",
                _("Nombre de la otra parte (la persona a quien se invitará a la mediación)."),
                requerido=True,
                ayuda=_("Hasta 200 caracteres."),
            ),
            _atributo(
                OTRA_TELEFONO,
                "string",
                _("Teléfono de la otra parte."),
                ayuda=_("10 dígitos o con clave de país (+52…). Este o el domicilio."),
            ),
            _atributo(
                OTRA_DOMICILIO,
                "string",
                _("Domicilio de la otra parte."),
                ayuda=_("Hasta 300 caracteres. Al menos el domicilio o el teléfono."),
            ),
        ]
    atributos.append(
        _atributo(
            CLAVE,
            "string",
            _(
                "Clave única de este envío, generada por el sistema que envía. Si repite el "
                "envío con la misma clave (p. ej. tras agotarse el tiempo de espera), recibe el "
                "mismo folio y no se crea otro caso."
            ),
            ayuda=_(
                "Hasta %(max)d caracteres ASCII imprimibles (sin acentos), p. ej. un UUID; "
                "también se acepta en el encabezado Idempotency-Key."
            )
            % {"max": MAX_CLAVE},
        )
    )
    for orden, atributo in enumerate(atributos, start=1):
        atributo["order"] = orden
    return {"service_code": servicio.codigo, "attributes": atributos}

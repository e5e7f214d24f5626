"""Entrada del `POST requests`: campos del spec y `attribute[código]`, de formulario o JSON.

Aquí solo se revisa la forma (teléfono, correo, catálogo, longitudes); las reglas de
dominio las valida `casos.services.recibir_solicitud`, y sus errores se traducen a los
nombres de campo de Open311 con `errores_del_servicio`.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from api import idempotencia
from casos.models import AvisosPor, Canal, Localidad
from casos.services import DatosPersona
from casos.telefonos import normalizar_telefono
from nucleo.entradas import (
    CuerpoRechazado,
    cargar_json,
    entero_ascii,
    rechazo_de_lectura,
    revisar_longitud,
)

from . import catalogo, identificadores, selectors
from .catalogo import Servicio
from .formatos import ErrorOpen311
from .selectors import Filtros

_ATRIBUTO = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
_ACEPTACIONES = {"si", "sí", "true", "1"}
# Fechas de consulta admitidas (fuera de aquí, los cálculos de la ventana se desbordan).
FECHA_MINIMA, FECHA_MAXIMA = date(2000, 1, 1), date(2100, 12, 31)
# Lo que no es contenido de la solicitud no cuenta para comparar reintentos.
_FUERA_DE_HUELLA = {"api_key", "jurisdiction_id"}

# Campo del servicio de recepción → parámetro de Open311, para los mensajes de error.
_CAMPOS = {
    "nombre": "first_name",
    "telefono": "phone",
    "resumen": "description",
    "categoria": "service_code",
    "localidad": f"attribute[{catalogo.LOCALIDAD}]",
    "otra_nombre": f"attribute[{catalogo.OTRA_NOMBRE}]",
    "otra_domicilio": f"attribute[{catalogo.OTRA_DOMICILIO}]",
}


@dataclass
class Envio:
    campos: dict[str, str] = field(default_factory=dict)
    atributos: dict[str, list[str]] = field(default_factory=dict)

    def campo(self, nombre: str) -> str:
        return (self.campos.get(nombre) or "").strip()

    def atributo(self, codigo: str) -> str:
        valores = self.atributos.get(codigo) or [""]
        return (valores[0] or "").strip()

    def huella(self) -> str:
        """SHA-256 del contenido enviado (sin credenciales ni la clave de idempotencia)."""
        contenido = {
            "campos": {k: v for k, v in self.campos.items() if k not in _FUERA_DE_HUELLA},
            "atributos": {k: v for k, v in self.atributos.items() if k != catalogo.CLAVE},
        }
        return idempotencia.huella(contenido)


def _como_texto(nombre: str, valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, bool):
        return "true" if valor else "false"
    if isinstance(valor, dict | list):
        raise ErrorOpen311(400, _("%(campo)s: se esperaba un valor simple.") % {"campo": nombre})
    return str(valor)


def _como_lista(nombre: str, valor) -> list[str]:
    if isinstance(valor, list):
        return [_como_texto(nombre, v) for v in valor]
    return [_como_texto(nombre, valor)]


def _texto_valido(texto: str) -> bool:
    """Sin carácter nulo (PostgreSQL no lo guarda) y codificable en UTF-8: un JSON puede
    traer un sustituto suelto («\\ud800») que después tumbaría la huella o la respuesta."""
    if "\x00" in texto:
        return False
    try:
        texto.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _revisar_textos(envio: Envio) -> Envio:
    """400 si algún nombre o valor no es texto válido; el nombre se cita solo si lo es."""
    pares = [(nombre, [valor]) for nombre, valor in envio.campos.items()]
    pares += [(f"attribute[{codigo}]", valores) for codigo, valores in envio.atributos.items()]
    for nombre, valores in pares:
        if _texto_valido(nombre) and all(_texto_valido(v) for v in valores):
            continue
        if _texto_valido(nombre):
            mensaje = _(
                "%(campo)s: contiene caracteres no válidos (un carácter nulo o texto que no "
                "es UTF-8)."
            ) % {"campo": nombre[:60]}
        else:
            mensaje = _(
                "El nombre de un campo contiene caracteres no válidos (un carácter nulo o "
                "texto que no es UTF-8)."
            )
        raise ErrorOpen311(400, mensaje)
    return envio


def leer_envio(request) -> Envio:
    """Formulario (lo que pide el spec) o, si el cliente lo prefiere, un objeto JSON con los
    mismos nombres; los atributos como `attribute[código]` o como objeto `attribute`.

    Todo nombre y valor debe ser texto UTF-8 válido y sin carácter nulo (si no, 400)."""
    return _revisar_textos(_leer_envio(request))


def revisar_tamano(request) -> None:
    """413 si el cuerpo anuncia más de `MAX_CUERPO` bytes: se rechaza antes de leerlo."""
    try:
        revisar_longitud(request.META.get("CONTENT_LENGTH"))
    except CuerpoRechazado as rechazo:
        raise ErrorOpen311(rechazo.estado, rechazo.mensaje) from None


def error_de_lectura(error: Exception) -> ErrorOpen311:
    """Uno de los `ERRORES_DE_LECTURA` de Django (demasiados campos, multipart roto…) como
    error del spec."""
    rechazo = rechazo_de_lectura(error)
    return ErrorOpen311(rechazo.estado, rechazo.mensaje)


def _leer_envio(request) -> Envio:
    envio = Envio()
    if request.content_type == "application/json":
        try:
            # Tamaño y anidación se revisan antes de interpretar: `json.loads` es recursivo.
            datos = cargar_json(request.body or b"{}")
        except CuerpoRechazado as rechazo:
            raise ErrorOpen311(rechazo.estado, rechazo.mensaje) from None
        if not isinstance(datos, dict):
            raise ErrorOpen311(400, _("El cuerpo JSON debe ser un objeto."))
        for nombre, valor in datos.items():
            encontrado = _ATRIBUTO.match(nombre)
            if nombre == "attribute" and isinstance(valor, dict):
                for codigo, contenido in valor.items():
                    envio.atributos[codigo] = _como_lista(f"attribute[{codigo}]", contenido)
            elif encontrado:
                envio.atributos[encontrado.group(1)] = _como_lista(nombre, valor)
            else:
                envio.campos[nombre] = _como_texto(nombre, valor)
        return envio
    for nombre in request.POST:
        encontrado = _ATRIBUTO.match(nombre)
        if encontrado:
            envio.atributos[encontrado.group(1)] = request.POST.getlist(nombre)
        else:
            envio.campos[nombre] = request.POST.get(nombre, "")
    return envio


def _revisar_ubicacion(envio: Envio, error) -> None:
    lat, lon = envio.campo("lat"), envio.campo("long")
    if not (lat or lon):
        return
    if not (lat and lon):
        error("lat", _("Envíe lat y long juntos."))
        return
    for nombre, texto, limite in (("lat", lat, 90), ("long", lon, 180)):
        try:
            # `float()` también lee «٢٠.٥» o «２０.５»: solo se aceptan dígitos ASCII.
            valor = float(texto) if texto.isascii() else math.nan
        except ValueError:
            valor = math.nan
        if not (math.isfinite(valor) and -limite <= valor <= limite):
            error(nombre, _("Debe ser un número entre -%(n)d y %(n)d (WGS84).") % {"n": limite})


def datos_de_recepcion(envio: Envio, servicio: Servicio) -> dict:
    """Argumentos de `recibir_solicitud` (sin aviso ni actor), o ErrorOpen311 con cada error."""
    errores: list[str] = []

    def error(campo: str, mensaje: str) -> None:
        errores.append(f"{campo}: {mensaje}")

    def texto(campo: str, valor: str, maximo: int) -> str:
        if len(valor) > maximo:
            error(campo, _("No debe pasar de %(max)d caracteres.") % {"max": maximo})
        return valor

    def telefono(campo: str, valor: str) -> str:
        try:
            return normalizar_telefono(valor)
        except ValidationError as e:
            error(campo, " ".join(e.messages))
            return ""

    nombre = texto(
        "first_name",
        " ".join(p for p in (envio.campo("first_name"), envio.campo("last_name")) if p),
        200,
    )
    correo = texto("email", envio.campo("email"), 254)
    if correo:
        try:
            validate_email(correo)
        except ValidationError:
            error("email", _("Escriba un correo válido, por ejemplo nombre@correo.com."))
    solicitante = DatosPersona(
        nombre=nombre,
        telefono=telefono("phone", envio.campo("phone")),
        correo=correo,
        domicilio=texto("address_string", envio.campo("address_string"), 300),
        avisos_por=envio.atributo(catalogo.AVISOS_POR),
    )
    if solicitante.avisos_por not in AvisosPor.values:
        error(f"attribute[{catalogo.AVISOS_POR}]", _("Elija una opción de la lista."))
    texto("address_id", envio.campo("address_id"), 100)
    _revisar_ubicacion(envio, error)

    localidad = None
    clave = envio.atributo(catalogo.LOCALIDAD)
    if (pk := entero_ascii(clave)) is not None:
        localidad = Localidad.objects.activos().filter(pk=pk).first()
    if localidad is None:
        error(
            f"attribute[{catalogo.LOCALIDAD}]",
            _("Elija una localidad vigente de la lista (vea la definición del servicio).")
            if clave
            else _("Es obligatorio: la localidad del municipio donde ocurre el asunto."),
        )
    if envio.atributo(catalogo.AVISO).lower() not in _ACEPTACIONES:
        error(
            f"attribute[{catalogo.AVISO}]",
            _("Para registrar la solicitud es necesario aceptar el aviso de privacidad."),
        )

    otra_parte = None
    if servicio.es_mediacion:
        otra_parte = DatosPersona(
            nombre=texto(
                f"attribute[{catalogo.OTRA_NOMBRE}]", envio.atributo(catalogo.OTRA_NOMBRE), 200
            ),
            telefono=telefono(
                f"attribute[{catalogo.OTRA_TELEFONO}]", envio.atributo(catalogo.OTRA_TELEFONO)
            ),
            domicilio=texto(
                f"attribute[{catalogo.OTRA_DOMICILIO}]",
                envio.atributo(catalogo.OTRA_DOMICILIO),
                300,
            ),
        )
    if errores:
        raise ErrorOpen311(400, *errores)
    return {
        "tipo": servicio.tipo,
        "canal": Canal.API,
        "categoria": servicio.categoria,
        "localidad": localidad,
        "resumen": envio.campo("description"),
        "solicitante": solicitante,
        "otra_parte": otra_parte,
    }


def clave_idempotencia(request, envio: Envio) -> str:
    """La clave del encabezado Idempotency-Key o, si no viene, la de
    `attribute[clave_idempotencia]` (sin espacios alrededor); "" si no hay ninguna. Se valida
    como en la API del personal (ASCII imprimible, hasta 100 caracteres)."""
    encabezado = (request.headers.get("Idempotency-Key") or "").strip()
    campo = "Idempotency-Key" if encabezado else f"attribute[{catalogo.CLAVE}]"
    clave = encabezado or envio.atributo(catalogo.CLAVE)
    try:
        return idempotencia.validar_clave(clave or None)
    except idempotencia.ClaveInvalida as error:
        raise ErrorOpen311(400, f"{campo}: {error}") from None


def errores_del_servicio(error: ValidationError) -> ErrorOpen311:
    """Los mensajes del servicio de recepción, con el nombre del campo de Open311."""
    if not hasattr(error, "error_dict"):
        return ErrorOpen311(400, *error.messages)
    descripciones = []
    for campo, mensajes in error.message_dict.items():
        nombre = None if campo == NON_FIELD_ERRORS else _CAMPOS.get(campo, campo)
        descripciones += [f"{nombre}: {m}" if nombre else m for m in mensajes]
    return ErrorOpen311(400, *descripciones)


def _lista(texto: str | None) -> list[str]:
    return [v.strip() for v in (texto or "").split(",") if v.strip()]


def _fecha(nombre: str, texto: str, *, fin: bool = False) -> datetime:
    """Fecha W3C; una fecha sin hora es el inicio del día (o su final con `fin`), hora local."""
    # Un «+» sin codificar en la cadena de consulta llega como espacio: «…T00:00:00 06:00».
    texto = re.sub(r" ([0-9]{2}:?[0-9]{2})$", r"+\1", texto.strip())
    try:
        # Los analizadores de Django leen dígitos de cualquier escritura («٢٠٢٦-٠١-٠١»).
        if not texto.isascii():
            momento = None
        # Primero la fecha sola: `parse_datetime` también la acepta, pero como medianoche.
        elif (dia := parse_date(texto)) is not None:
            momento = datetime.combine(dia, time.max if fin else time.min)
        else:
            momento = parse_datetime(texto)
    except ValueError:
        momento = None
    if momento is None:
        raise ErrorOpen311(
            400,
            _("%(campo)s: use el formato W3C, por ejemplo 2026-01-31T00:00:00-06:00.")
            % {"campo": nombre},
        )
    if not FECHA_MINIMA <= momento.date() <= FECHA_MAXIMA:
        raise ErrorOpen311(
            400,
            _("%(campo)s: debe estar entre %(desde)s y %(hasta)s.")
            % {
                "campo": nombre,
                "desde": FECHA_MINIMA.isoformat(),
                "hasta": FECHA_MAXIMA.isoformat(),
            },
        )
    return timezone.make_aware(momento) if timezone.is_naive(momento) else momento


def filtros_de(parametros) -> Filtros:
    """Filtros de `GET requests` según el spec; sin fechas, los últimos 90 días."""
    pedidos = _lista(parametros.get("service_request_id"))
    if pedidos:
        # Solo identificadores válidos llegan a la base; los demás simplemente no existen.
        folios = (identificadores.folio_de(i) for i in pedidos[: selectors.MAXIMO])
        return Filtros(folios=tuple(dict.fromkeys(f for f in folios if f)))

    estados = {e.lower() for e in _lista(parametros.get("status"))}
    invalidos = estados - {selectors.ABIERTA, selectors.CERRADA}
    if invalidos:
        raise ErrorOpen311(
            400,
            _("status: valores posibles «open» y «closed» (separados por comas); recibido: %(v)s.")
            % {"v": ", ".join(sorted(invalidos))[:60]},
        )
    # Un código mal formado no coincide con nada; sin códigos, todos los servicios.
    pedidos = [catalogo.leer_codigo(c) for c in _lista(parametros.get("service_code"))]
    servicios = tuple(c for c in pedidos if c is not None) if pedidos else None

    inicio, fin = parametros.get("start_date", ""), parametros.get("end_date", "")
    desde = _fecha("start_date", inicio) if inicio.strip() else None
    hasta = _fecha("end_date", fin, fin=True) if fin.strip() else None
    if desde is None and hasta is None:
        hasta = timezone.now()
    try:
        desde = desde or hasta - selectors.VENTANA
        hasta = hasta or desde + selectors.VENTANA
    except OverflowError:
        raise ErrorOpen311(400, _("Fecha fuera de rango.")) from None
    if desde > hasta:
        raise ErrorOpen311(400, _("start_date debe ser anterior a end_date."))
    # Con end_date sin hora, el día final cuenta completo sin pasarse de la ventana.
    holgura = timedelta(days=1) if fin.strip() and parse_date(fin.strip()) else timedelta(0)
    if hasta - desde > selectors.VENTANA + holgura:
        raise ErrorOpen311(
            400, _("El intervalo entre start_date y end_date no puede pasar de 90 días.")
        )
    return Filtros(servicios=servicios, desde=desde, hasta=hasta, estados=frozenset(estados))

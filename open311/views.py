"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) sobre el expediente.

Lecturas públicas y sin datos personales; el POST exige `api_key` y pasa por el mismo
servicio de recepción que el teléfono y la web. El formato lo da la extensión.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters

from api.services import marcar_uso
from casos import codigos
from casos.models import Centro
from nucleo.entradas import ERRORES_DE_LECTURA

from . import catalogo, entrada, identificadores, selectors, services
from .credenciales import token_que_captura
from .formatos import TIPOS, ErrorOpen311, fecha_w3c, responder, responder_error

ESPECIFICACION = "http://wiki.open311.org/GeoReport_v2"
LECTURA = ("GET", "HEAD")


def _revisar_jurisdiccion(valor: str) -> None:
    esperada = settings.OPEN311_JURISDICCION
    if esperada and valor and valor.strip() != esperada:
        raise ErrorOpen311(
            404, _("jurisdiction_id no encontrado: aquí solo se atiende «%(j)s».") % {"j": esperada}
        )


def _error_sin_cache(error: ErrorOpen311, formato: str):
    respuesta = responder_error(error, formato)
    patch_cache_control(respuesta, no_store=True)
    return respuesta


def recurso(*metodos: str, raiz: str, cache: int = 0):
    """Método permitido, tamaño del cuerpo, jurisdicción, errores del spec y formato de salida.

    La vista devuelve los datos (o `(datos, status)`) y puede lanzar `ErrorOpen311`.
    """

    def decorador(vista):
        @csrf_exempt  # API con api_key: no hay cookie de sesión que proteger.
        @sensitive_post_parameters()  # api_key y datos personales fuera de los reportes de error
        @wraps(vista)
        def envoltura(request, formato: str, **kwargs):
            try:
                if request.method not in metodos:
                    error = ErrorOpen311(
                        405,
                        _("Método %(metodo)s no permitido; use %(permitidos)s.")
                        % {"metodo": request.method, "permitidos": ", ".join(metodos)},
                    )
                    respuesta = responder_error(error, formato)
                    respuesta["Allow"] = ", ".join(metodos)
                    return respuesta
                entrada.revisar_tamano(request)
                _revisar_jurisdiccion(request.GET.get("jurisdiction_id", ""))
                resultado = vista(request, **kwargs)
            except ErrorOpen311 as error:
                return _error_sin_cache(error, formato)
            except ERRORES_DE_LECTURA as error:
                return _error_sin_cache(entrada.error_de_lectura(error), formato)
            datos, status = resultado if isinstance(resultado, tuple) else (resultado, 200)
            respuesta = responder(datos, raiz=raiz, formato=formato, status=status)
            if cache and request.method in LECTURA:
                patch_cache_control(respuesta, public=True, max_age=cache)
            else:
                patch_cache_control(respuesta, no_store=True)
            return respuesta

        return envoltura

    return decorador


@recurso(*LECTURA, raiz="discovery", cache=300)
def descubrimiento(request):
    centro = Centro.actual()
    medios = ", ".join(m for m in (centro.telefono, centro.correo) if m)
    contacto = f"{centro.nombre} ({medios})" if medios else centro.nombre
    cambio = fecha_w3c(selectors.ultimo_cambio_de_servicios())
    base = reverse("open311:descubrimiento").rsplit("/", 1)[0]
    return {
        "changeset": cambio,
        "contact": contacto,
        "key_service": _(
            "Pida una api_key a la coordinación de %(centro)s. Es una credencial exclusiva "
            "de Open311, a nombre de una cuenta que puede capturar solicitudes; solo sirve "
            "para registrar solicitudes aquí, no para la API del personal."
        )
        % {"centro": contacto},
        "endpoints": [
            {
                "specification": ESPECIFICACION,
                "url": settings.URL_PUBLICA + base,
                "changeset": cambio,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


@recurso(*LECTURA, raiz="services", cache=300)
def servicios(request):
    return [catalogo.servicio_en_lista(s) for s in catalogo.servicios_vigentes()]


@recurso(*LECTURA, raiz="service_definition", cache=300)
def servicio(request, codigo: str):
    encontrado = catalogo.servicio_vigente(codigo)
    if encontrado is None:
        raise ErrorOpen311(404, _("service_code «%(c)s» no existe.") % {"c": codigo[:30]})
    return catalogo.definicion(encontrado)


@recurso(*LECTURA, "POST", raiz="service_requests", cache=60)
def solicitudes(request):
    if request.method == "POST":
        return _crear(request)
    casos = selectors.solicitudes(entrada.filtros_de(request.GET))
    presentador = selectors.Presentador()
    return [presentador.renglon(caso) for caso in casos]


@recurso(*LECTURA, raiz="service_requests", cache=60)
def solicitud(request, identificador: str):
    """Una solicitud por su identificador público. Un caso que no se publica responde
    exactamente como uno que no existe (sin repetir lo pedido)."""
    folio = identificadores.folio_de(identificador)
    caso = selectors.solicitud(folio) if folio else None
    if caso is None:
        raise ErrorOpen311(404, _("Ese service_request_id no existe."))
    return [selectors.Presentador().renglon(caso)]


def _crear(request):
    """POST Service Request: crea el caso (servicio «realtime»). Responde el identificador
    público, con el que el sistema externo sigue la solicitud; el folio y el código, con
    los que la persona consulta en el portal, van en `service_notice`."""
    envio = entrada.leer_envio(request)
    _revisar_jurisdiccion(envio.campo("jurisdiction_id"))
    token_api = token_que_captura(envio.campo("api_key"))
    codigo = envio.campo("service_code")
    if not codigo:
        raise ErrorOpen311(400, _("service_code: es obligatorio."))
    servicio_elegido = catalogo.servicio_vigente(codigo)
    if servicio_elegido is None:
        raise ErrorOpen311(404, _("service_code «%(c)s» no existe.") % {"c": codigo[:30]})
    clave = entrada.clave_idempotencia(request, envio)
    try:
        # Un reintento responde lo mismo aunque el catálogo haya cambiado desde el primero.
        recepcion = services.recibir_por_open311(
            token_api=token_api,
            clave=clave,
            huella=envio.huella(),
            datos=lambda: entrada.datos_de_recepcion(envio, servicio_elegido),
        )
    except ValidationError as error:
        raise entrada.errores_del_servicio(error) from None
    except services.ClaveReutilizada as error:
        raise ErrorOpen311(409, str(error)) from None
    marcar_uso(token_api=token_api)
    folio = recepcion.caso.folio
    if recepcion.codigo:
        aviso = _(
            "Solicitud registrada con el folio %(folio)s. Código de consulta: %(codigo)s. Con "
            "ambos, la persona consulta el estado en %(url)s."
        ) % {
            "folio": folio,
            "codigo": codigos.mostrar_codigo(recepcion.codigo),
            "url": catalogo.url_publica("portal:consulta"),
        }
    else:
        aviso = _(
            "Solicitud registrada con el folio %(folio)s. El código de consulta se reexpidió "
            "después del registro y ya no se muestra aquí; la persona lo recibe del centro. "
            "Con el folio y ese código consulta el estado en %(url)s."
        ) % {"folio": folio, "url": catalogo.url_publica("portal:consulta")}
    guardado = recepcion.cuerpo
    renglon = {
        "service_request_id": guardado["service_request_id"],
        "service_notice": aviso,
        "account_id": guardado["account_id"],
    }
    # Un reintento responde 200 con el mismo renglón (el 201 fue el del envío original).
    return [renglon], (200 if recepcion.repetida else recepcion.estado)


@csrf_exempt
def no_encontrado(request, resto: str):
    formato = "xml" if resto.endswith(".xml") else "json"
    error = ErrorOpen311(
        404,
        _("Recurso no encontrado. Los recursos terminan en %(ext)s; empiece por discovery.json.")
        % {"ext": " o ".join(f".{f}" for f in TIPOS)},
    )
    return responder_error(error, formato)

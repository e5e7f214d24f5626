"""API del personal: casos (lista, expediente y alta), llamante del conmutador y mis tareas.
Mismos permisos de rol que la web; las lecturas pasan por los selectores de `casos` y
`flujos`, y el alta por `casos.services.recibir_con_revision` (la misma revisión de
duplicados por teléfono que la captura de la operadora)."""

from django.core.exceptions import ValidationError as ErrorDeDjango
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from casos import acceso, codigos, selectors, services
from casos.models import AvisoPrivacidad, TipoCaso
from casos.services import DecisionDuplicado
from nucleo.entradas import revisar_longitud

from . import idempotencia
from . import selectors as lecturas
from .autenticacion import SesionWebAuthentication, TokenAPIAuthentication
from .cuerpo import JSONAcotadoParser, como_error_de_api
from .entrada import (
    FiltroLlamanteSerializer,
    FiltrosCasosSerializer,
    FiltrosTareasSerializer,
    NuevoCasoSerializer,
)
from .models import OrigenEnvio, TokenAPI
from .permisos import TienePermisos
from .serializers import (
    CasoCreadoSerializer,
    CasoDetalleSerializer,
    ConflictoSerializer,
    ContactoRegistradoSerializer,
    ErrorSerializer,
    LlamanteSerializer,
    PaginaCasosSerializer,
    PaginaTareasSerializer,
)

VER = ("casos.view_caso",)
CAPTURAR = ("casos.view_caso", "casos.capturar_solicitud")
PATRON_FOLIO = r"^(MED|ASE)-[0-9]{4}-[0-9]{5,9}$"

ERRORES_DE_DATOS = OpenApiResponse(
    response={"type": "object", "additionalProperties": {}},
    description=(
        "Datos inválidos. Por campo, la lista de mensajes en español (anidada para las "
        "partes); `detail` si el cuerpo no es JSON o la Idempotency-Key no es válida."
    ),
    examples=[
        OpenApiExample(
            "Campo inválido",
            value={"telefono": ["Escriba un teléfono válido, por ejemplo 391 123 4567."]},
        )
    ],
)


ENCABEZADO_CLAVE = "Idempotency-Key"
CLAVE_IDEMPOTENCIA = OpenApiParameter(
    ENCABEZADO_CLAVE,
    str,
    OpenApiParameter.HEADER,
    required=False,
    pattern=idempotencia.PATRON_CLAVE,
    description=(
        "Opcional. Clave única de este envío, generada por el cliente (p. ej. un UUID): de 1 a "
        "100 caracteres ASCII imprimibles. Si repite la petición con la misma clave (p. ej. "
        "tras agotarse su tiempo de espera) recibe la misma respuesta —mismo código, mismo "
        "cuerpo, mismo folio— y no se crea nada otra vez. La misma clave con otros datos da "
        "409. Se recuerda durante `IDEMPOTENCIA_HORAS` (24 h por omisión) y es propia de cada "
        "token (o de cada usuario, con la sesión de la web). Solo se recuerdan las respuestas "
        "que registraron algo (201 y 200 de contacto); un 400 o el 409 de posibles duplicados "
        "no crean nada, así que se puede corregir el cuerpo y reintentar con la misma clave."
    ),
    examples=[OpenApiExample("UUID", value="0b6f3c1e-9d2a-4e57-8c41-5f7a2d9e6b13")],
)


class ClaveEnConflicto(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "clave_reutilizada"


def _clave_de(request) -> str:
    """La `Idempotency-Key` validada ("" si no vino); 400 en español si no sirve."""
    try:
        return idempotencia.validar_clave(request.headers.get(ENCABEZADO_CLAVE))
    except idempotencia.ClaveInvalida as error:
        raise ParseError(f"{ENCABEZADO_CLAVE}: {error}") from None


def _respuestas(
    exito: dict, *, datos: bool = True, folio: bool = False, cuerpo: bool = False
) -> dict:
    respuestas = dict(exito)
    if datos:
        respuestas[400] = ERRORES_DE_DATOS
    respuestas[401] = OpenApiResponse(
        ErrorSerializer, description="Sin credenciales, o token inválido o revocado."
    )
    respuestas[403] = OpenApiResponse(
        ErrorSerializer,
        description=(
            "El usuario no tiene el permiso de su rol (o, con la sesión de la web, falta el "
            "token CSRF al escribir)."
        ),
    )
    if folio:
        respuestas[404] = OpenApiResponse(ErrorSerializer, description="No existe ese folio.")
    if cuerpo:
        respuestas[415] = OpenApiResponse(
            ErrorSerializer, description="El cuerpo no viene como application/json."
        )
    # La respuesta la arma config/urls.py (la base o el broker no responden).
    respuestas[503] = OpenApiResponse(
        ErrorSerializer,
        description=(
            "La base de datos no responde por un momento y nada de la petición se guardó. "
            "Reintente tras los segundos del encabezado Retry-After."
        ),
    )
    return respuestas


class VistaAPI(APIView):
    """Token (o la sesión de la web, para probar desde la documentación) y permisos de rol."""

    authentication_classes = [TokenAPIAuthentication, SesionWebAuthentication]
    permission_classes = [TienePermisos]
    parser_classes = [JSONAcotadoParser]
    permisos = VER

    def perform_authentication(self, request):
        # Antes que nada: un cuerpo que anuncia más del tope se rechaza sin leerlo.
        revisar_longitud(request.META.get("CONTENT_LENGTH"))
        super().perform_authentication(request)

    def handle_exception(self, exc):
        return super().handle_exception(como_error_de_api(exc))

    def finalize_response(self, request, response, *args, **kwargs):
        # Expedientes, teléfonos y códigos: ningún proxy ni navegador debe guardarlos.
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def consulta(self, serializer_class) -> dict:
        """Los parámetros de la URL, validados (400 con los mensajes si algo no sirve)."""
        entrada = serializer_class(data=self.request.query_params)
        entrada.is_valid(raise_exception=True)
        return entrada.validated_data

    def enlaces(self, pagina) -> dict:
        url = self.request.build_absolute_uri()
        return {
            "total": pagina.paginator.count,
            "pagina": pagina.number,
            "paginas": pagina.paginator.num_pages,
            "por_pagina": pagina.paginator.per_page,
            "siguiente": (
                replace_query_param(url, "pagina", pagina.number + 1) if pagina.has_next() else None
            ),
            "anterior": (
                replace_query_param(url, "pagina", pagina.number - 1)
                if pagina.has_previous()
                else None
            ),
            "resultados": pagina.object_list,
        }


def _pagina_inexistente(pedida: int, ultima: int) -> ValidationError:
    return ValidationError(
        {
            "pagina": [
                _("La página %(pedida)d no existe; la última es la %(ultima)d.")
                % {"pedida": pedida, "ultima": ultima}
            ]
        }
    )


class Llamante(VistaAPI):
    @extend_schema(
        operation_id="buscar_llamante",
        tags=["Conmutador"],
        summary="Casos de un teléfono",
        description=(
            "Casos donde alguna parte tiene ese teléfono, abiertos primero (hasta 50). "
            "Requiere ver casos."
        ),
        parameters=[
            OpenApiParameter(
                "telefono",
                str,
                required=True,
                description="El teléfono en cualquier formato común (hasta 50 caracteres).",
                examples=[
                    OpenApiExample("Nacional", value="33 1234 5678"),
                    OpenApiExample("Internacional", value="+52 33 1234 5678"),
                ],
            )
        ],
        responses=_respuestas({200: LlamanteSerializer}),
    )
    def get(self, request):
        telefono = self.consulta(FiltroLlamanteSerializer)["telefono"]
        todos = list(selectors.casos_por_telefono(telefono)[:50])
        visibles = set(
            acceso.casos_visibles(request.user)
            .filter(pk__in=[c.pk for c in todos])
            .values_list("pk", flat=True)
        )
        casos = [c for c in todos if c.pk in visibles]
        ajenos = [c for c in todos if c.pk not in visibles and c.abierto]
        acceso.registrar_acceso(
            usuario=request.user, casos=casos, vista="api:llamante", request=request
        )
        salida = {
            "telefono": telefono,
            "casos": casos,
            "otros_abiertos": selectors.posibles_duplicados(ajenos, telefono=telefono),
        }
        return Response(LlamanteSerializer(salida).data)


class Casos(VistaAPI):
    permisos_por_metodo = {"POST": CAPTURAR}

    @extend_schema(
        operation_id="listar_casos",
        tags=["Casos"],
        summary="Buscar y listar casos",
        description=(
            "La búsqueda de la pantalla de casos (folio, nombre o teléfono) con filtros, del "
            "más reciente al más antiguo, por páginas. Requiere ver casos."
        ),
        parameters=[FiltrosCasosSerializer],
        responses=_respuestas({200: PaginaCasosSerializer}),
    )
    def get(self, request):
        filtros = self.consulta(FiltrosCasosSerializer)
        qs = lecturas.casos(usuario=request.user, filtros=filtros)
        paginador = Paginator(qs, filtros["por_pagina"])
        try:
            pagina = paginador.page(filtros["pagina"])
        except EmptyPage:
            raise _pagina_inexistente(filtros["pagina"], paginador.num_pages) from None
        acceso.registrar_acceso(
            usuario=request.user, casos=pagina.object_list, vista="api:lista", request=request
        )
        contexto = {"request": request}
        return Response(PaginaCasosSerializer(self.enlaces(pagina), context=contexto).data)

    @extend_schema(
        operation_id="crear_caso",
        tags=["Casos"],
        summary="Crear un caso",
        description=(
            "Crea el caso por el mismo servicio de recepción que el formulario del operador "
            "(folio, código de consulta, evento y arranque del flujo). Requiere capturar "
            "solicitudes.\n\n"
            "Con el encabezado `Idempotency-Key`, repetir la petición (p. ej. tras agotarse el "
            "tiempo de espera) devuelve la misma respuesta y no crea otro caso ni vuelve a "
            "enviar avisos, aunque las dos peticiones lleguen a la vez. Se recuerdan el 201 "
            "(caso creado) y el 200 (contacto registrado); no se recuerdan el 400 ni el 409 "
            "de posibles duplicados, que no crean nada: se corrige o se decide y se reintenta "
            "con la misma clave. Otra petición con una clave ya usada y datos distintos "
            "recibe 409."
        ),
        parameters=[CLAVE_IDEMPOTENCIA],
        request=NuevoCasoSerializer,
        responses=_respuestas(
            {
                201: CasoCreadoSerializer,
                200: OpenApiResponse(
                    ContactoRegistradoSerializer,
                    description="Con `decision_duplicado=contacto`: no se creó caso.",
                ),
                409: OpenApiResponse(
                    ConflictoSerializer,
                    description=(
                        "El teléfono ya tiene casos abiertos (`posibles_duplicados`): no se "
                        "creó nada; decida con `decision_duplicado`. O bien (solo `detail`) la "
                        "`Idempotency-Key` ya se usó con otros datos: use una clave nueva."
                    ),
                ),
            },
            cuerpo=True,
        ),
        examples=[
            OpenApiExample(
                "Mediación por teléfono",
                request_only=True,
                value={
                    "tipo": "MED",
                    "categoria": 1,
                    "localidad": 1,
                    "resumen": "La barda del vecino invade el terreno.",
                    "aviso_aceptado": True,
                    "solicitante": {"nombre": "Salvador Barba", "telefono": "33 2222 3333"},
                    "otra_parte": {"nombre": "Teresa Franco", "domicilio": "Calle Juárez 8"},
                },
            )
        ],
    )
    def post(self, request):
        """Alta con `Idempotency-Key` opcional (ver `api.idempotencia`). Se guarda solo lo que
        escribió algo: el 201 y el 200 de contacto. El 400 (excepción) y el 409 de posibles
        duplicados no crean nada y no se guardan: el cliente corrige o decide y reintenta con
        la misma clave."""
        clave = _clave_de(request)
        try:
            respuesta = idempotencia.atender_una_vez(
                origen=OrigenEnvio.API,
                token=request.auth if isinstance(request.auth, TokenAPI) else None,
                usuario=request.user,
                clave=clave,
                huella=idempotencia.huella(request.data),
                atender=lambda: self.recibir(request),
            )
        except idempotencia.ClaveReutilizada as error:
            raise ClaveEnConflicto(str(error)) from None
        cuerpo = respuesta.cuerpo
        if respuesta.estado == status.HTTP_201_CREATED:
            codigo = codigos.mostrar_codigo(respuesta.codigo) if respuesta.codigo else None
            cuerpo = CasoCreadoSerializer({**cuerpo, "codigo_consulta": codigo}).data
        return Response(cuerpo, status=respuesta.estado)

    def recibir(self, request) -> idempotencia.Respuesta:
        """La recepción con revisión de duplicados; el cuerpo del 201 va sin el código de
        consulta (`Respuesta.codigo`), que no se guarda con la clave."""
        entrada = NuevoCasoSerializer(data=request.data)
        entrada.is_valid(raise_exception=True)
        datos = entrada.validated_data
        otra = datos.get("otra_parte")
        personas = entrada.fields["solicitante"]
        decision = datos.get("decision_duplicado")
        anterior = datos.get("caso_anterior")
        liga = decision in (DecisionDuplicado.CONTACTO, DecisionDuplicado.NUEVO_LIGADO)
        solicitante = personas.a_datos(datos["solicitante"])
        try:
            recepcion = services.recibir_con_revision(
                decision=decision,
                folio_existente=anterior.folio if anterior and liga else "",
                tipo=datos["tipo"],
                canal=datos["canal"],
                categoria=datos["categoria"],
                localidad=datos["localidad"],
                resumen=datos["resumen"],
                solicitante=solicitante,
                otra_parte=(
                    personas.a_datos(otra) if otra and datos["tipo"] == TipoCaso.MEDIACION else None
                ),
                aviso=AvisoPrivacidad.vigente(),
                actor=request.user,
                caso_anterior=None if liga else anterior,
            )
        except ErrorDeDjango as error:
            errores = error.message_dict
            if "caso_existente" in errores:  # en la API el caso elegido va en caso_anterior
                errores["caso_anterior"] = errores.pop("caso_existente")
            raise ValidationError(errores) from None
        if recepcion.falta_decidir:
            return idempotencia.Respuesta(
                estado=status.HTTP_409_CONFLICT,
                cuerpo=ConflictoSerializer(
                    _duplicados(recepcion.duplicados, solicitante.telefono)
                ).data,
                guardar=False,
            )
        if recepcion.contacto_en is not None:
            caso = recepcion.contacto_en
            salida = {"folio": caso.folio, "contacto_registrado": True, **self.urls(caso)}
            return idempotencia.Respuesta(
                estado=status.HTTP_200_OK,
                cuerpo=ContactoRegistradoSerializer(salida).data,
                caso=caso,
            )
        caso = recepcion.recibida.caso
        salida = {
            "folio": caso.folio,
            "estado": caso.estado,
            **self.urls(caso),
            "url_consulta": self.request.build_absolute_uri(reverse("portal:consulta"))
            + f"?folio={caso.folio}",
        }
        return idempotencia.Respuesta(
            estado=status.HTTP_201_CREATED,
            cuerpo=salida,
            caso=caso,
            codigo=recepcion.recibida.codigo,
        )

    def urls(self, caso) -> dict:
        return {
            "url": self.request.build_absolute_uri(reverse("casos:detalle", args=[caso.folio])),
            "url_api": self.request.build_absolute_uri(reverse("api:caso", args=[caso.folio])),
        }


def _duplicados(casos, telefono: str) -> dict:
    """Lo que la operadora necesita para decidir, sin más datos del expediente."""
    return {
        "detail": _(
            "Ese teléfono tiene casos abiertos. Indique decision_duplicado: nuevo, "
            "nuevo_ligado o contacto (con caso_anterior)."
        ),
        "posibles_duplicados": selectors.posibles_duplicados(casos, telefono=telefono),
    }


class DetalleCaso(VistaAPI):
    @extend_schema(
        operation_id="ver_caso",
        tags=["Casos"],
        summary="Expediente de un caso",
        description=(
            "Lo que muestra la página del caso: datos, partes, línea de tiempo, tareas abiertas "
            "y quién las tiene, plazos, próxima sesión y documentos. Cada consulta queda en la "
            "bitácora de accesos al expediente, igual que en la web. Requiere ver casos."
        ),
        parameters=[
            OpenApiParameter(
                "folio",
                str,
                OpenApiParameter.PATH,
                description="Folio del caso, p. ej. MED-2026-00042 (se aceptan minúsculas).",
                pattern=PATRON_FOLIO,
            )
        ],
        responses=_respuestas({200: CasoDetalleSerializer}, datos=False, folio=True),
    )
    def get(self, request, folio):
        normalizado = codigos.normalizar_folio(folio)
        try:
            if not normalizado:
                raise Http404
            caso = selectors.caso_para_personal(usuario=request.user, folio=normalizado)
        except Http404:
            raise NotFound(_("No existe un caso con ese folio.")) from None
        acceso.registrar_acceso(
            usuario=request.user, casos=caso, vista="api:detalle", request=request
        )
        contexto = {
            "request": request,
            "ahora": timezone.now(),
            "expediente": lecturas.expediente(usuario=request.user, caso=caso),
        }
        return Response(CasoDetalleSerializer(caso, context=contexto).data)


class MisTareas(VistaAPI):
    @extend_schema(
        operation_id="mis_tareas",
        tags=["Tareas"],
        summary="Mis tareas",
        description=(
            "Las tareas asignadas a quien consulta, como en su bandeja: primero las que vencen "
            "antes; 50 por página. Requiere ver casos."
        ),
        parameters=[FiltrosTareasSerializer],
        responses=_respuestas({200: PaginaTareasSerializer}),
    )
    def get(self, request):
        filtros = self.consulta(FiltrosTareasSerializer)
        pagina = lecturas.mis_tareas(usuario=request.user, filtros=filtros)
        if pagina.number != filtros["pagina"]:
            # La bandeja de la web lleva a la última página; aquí se avisa.
            raise _pagina_inexistente(filtros["pagina"], pagina.paginator.num_pages)
        contexto = {"request": request}
        return Response(PaginaTareasSerializer(self.enlaces(pagina), context=contexto).data)

"""API del personal para el conmutador telefónico: buscar llamante y crear caso."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response

from casos import codigos, selectors, services
from casos.models import AvisoPrivacidad, TipoCaso
from casos.telefonos import normalizar_telefono

from .permisos import TienePermisos
from .serializers import CasoResumenSerializer, NuevoCasoSerializer


@api_view(["GET"])
@permission_classes([TienePermisos])
def llamante(request):
    """Casos del número que llama, abiertos primero."""
    texto = request.query_params.get("telefono", "")
    try:
        telefono = normalizar_telefono(texto)
    except ValidationError as error:
        return Response({"telefono": error.messages}, status=status.HTTP_400_BAD_REQUEST)
    if not telefono:
        return Response(
            {"telefono": [_("Indique el parámetro telefono.")]}, status=status.HTTP_400_BAD_REQUEST
        )
    casos = selectors.casos_por_telefono(telefono)[:50]
    return Response({"telefono": telefono, "casos": CasoResumenSerializer(casos, many=True).data})


llamante.cls.permisos = ("casos.view_caso",)


@api_view(["POST"])
@permission_classes([TienePermisos])
def crear_caso(request):
    """Crea un caso por el mismo servicio de recepción que el formulario del operador."""
    entrada = NuevoCasoSerializer(data=request.data)
    entrada.is_valid(raise_exception=True)
    datos = entrada.validated_data
    otra = datos.get("otra_parte")
    try:
        recibida = services.recibir_solicitud(
            tipo=datos["tipo"],
            canal=datos["canal"],
            categoria=datos["categoria"],
            localidad=datos["localidad"],
            resumen=datos["resumen"],
            solicitante=entrada.fields["solicitante"].a_datos(datos["solicitante"]),
            otra_parte=(
                entrada.fields["solicitante"].a_datos(otra)
                if otra and datos["tipo"] == TipoCaso.MEDIACION
                else None
            ),
            aviso=AvisoPrivacidad.vigente(),
            actor=request.user,
            caso_anterior=datos.get("caso_anterior"),
        )
    except ValidationError as error:
        return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
    caso = recibida.caso
    return Response(
        {
            "folio": caso.folio,
            "codigo_consulta": codigos.mostrar_codigo(recibida.codigo),
            "estado": caso.estado,
            "url": request.build_absolute_uri(reverse("casos:detalle", args=[caso.folio])),
            "url_consulta": request.build_absolute_uri(reverse("portal:consulta"))
            + f"?folio={caso.folio}",
        },
        status=status.HTTP_201_CREATED,
    )


crear_caso.cls.permisos = ("casos.view_caso", "casos.capturar_solicitud")

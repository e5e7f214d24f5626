"""La página pública para ejercer los derechos ARCO (`/arco/`), sin cuenta, y su acuse en
pantalla. El estado de una solicitud se consulta en `/consulta/` (portal) con su folio."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casos import limites, plazos
from casos.models import AvisoPrivacidad, Canal
from casos.services import privacidad as servicios

from .. import codigo_en_sesion, selectors
from ..forms import SolicitudARCOPublicaForm

SESION_ENVIADA = "arco_enviada"
AMBITO_LIMITE = "arco"


def pagina_solicitud(request, form, status=200):
    return render(
        request,
        "privacidad/publica/solicitud.html",
        {
            "form": form,
            "aviso": AvisoPrivacidad.vigente(),
            "dias_respuesta": selectors.dias_de_respuesta(),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def solicitud(request):
    """Formulario ciudadano sin cuenta: trampa para robots y límite por conexión (el mismo
    de las solicitudes de mediación y asesoría, en su propia cuenta)."""
    if request.method != "POST":
        return pagina_solicitud(request, SolicitudARCOPublicaForm())

    form = SolicitudARCOPublicaForm(request.POST)
    ip = limites.ip_cliente(request)
    ventana = settings.SOLICITUD_PUBLICA_VENTANA
    if not limites.reservar(AMBITO_LIMITE, ip, settings.SOLICITUD_PUBLICA_LIMITE, ventana):
        form.is_valid()
        form.add_error(
            None,
            _(
                "Se han enviado demasiadas solicitudes desde esta conexión. Espere una hora o "
                "acuda a la Unidad de Transparencia para presentar su solicitud."
            ),
        )
        return pagina_solicitud(request, form, status=429)
    if form.es_robot():
        form.add_error(None, _("No pudimos procesar la solicitud. Intente de nuevo."))
        return pagina_solicitud(request, form, status=400)
    if form.is_valid():
        try:
            recibida = servicios.recibir_solicitud_arco(
                **form.solicitud(canal=Canal.WEB, aviso=AvisoPrivacidad.vigente(), actor=None)
            )
        except ValidationError as error:
            form.agregar_errores_servicio(error)
        else:
            codigo_en_sesion.recordar(request, SESION_ENVIADA, recibida.solicitud)
            return redirect("arco:enviada")
    # Un formulario con errores no cuenta contra el límite: la persona solo corrige.
    limites.devolver(AMBITO_LIMITE, ip, ventana)
    return pagina_solicitud(request, form, status=400)


@never_cache
def enviada(request):
    """Folio y código de la solicitud que este navegador acaba de enviar, con lo que sigue:
    acreditar la identidad antes de recibir cualquier dato, y el plazo de respuesta."""
    folios = codigo_en_sesion.folios(request, SESION_ENVIADA)
    solicitud = selectors.solicitud_por_folio(folios[-1]) if folios else None
    codigo = (
        codigo_en_sesion.codigo_visible(request, SESION_ENVIADA, solicitud) if solicitud else None
    )
    if codigo is None:
        return redirect("arco:solicitud")
    return render(
        request,
        "privacidad/publica/enviada.html",
        {
            "solicitud": solicitud,
            "codigo": codigo,
            "dias_respuesta": selectors.dias_de_respuesta(
                timezone.localdate(solicitud.recibida_en)
            ),
            "vence": plazos.arco_respuesta_vence_el(solicitud),
        },
    )

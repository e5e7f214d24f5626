"""Pantallas de avisos: la lista del personal (con los fallidos y la bandeja de la
demostración), reintentar, la baja por enlace, las respuestas que llegan por SMS o WhatsApp
y la pregunta de satisfacción."""

import hashlib
import json
from datetime import timedelta
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import (
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    get_signature_algorithm,
)

from casos.models import Estado
from casos.permisos import requiere_permiso
from casos.services.asesoria import registrar_encuesta
from casos.telefonos import intentar_normalizar

from . import confirmaciones, selectors, services
from .enlaces import destino_de_baja
from .models import Canal, EstadoMensaje, OrigenBaja

POR_PAGINA = 50
# «CANCELAR» no: quien contesta eso a un recordatorio quiere cancelar la sesión, no los avisos.
PALABRAS_DE_BAJA = {"BAJA", "ALTO", "STOP", "NO MAS", "NO MÁS"}


@requiere_permiso("notificaciones.ver_avisos")
def lista(request):
    estado = request.GET.get("estado", "")
    canal = request.GET.get("canal", "")
    folio = (request.GET.get("folio") or "").strip()[:30]
    bandeja = bool(request.GET.get("bandeja"))
    avisos = selectors.avisos_para_personal(
        usuario=request.user, estado=estado, canal=canal, folio=folio, bandeja=bandeja
    )
    pagina = Paginator(avisos, POR_PAGINA).get_page(request.GET.get("pagina"))
    return render(
        request,
        "notificaciones/lista.html",
        {
            "pagina": pagina,
            "estado": estado,
            "canal": canal,
            "folio": folio,
            "bandeja": bandeja,
            "estados": EstadoMensaje.choices,
            "canales": Canal.choices,
            "fallidos": selectors.cuantos_fallidos(usuario=request.user),
        },
    )


@requiere_permiso("notificaciones.reintentar_aviso")
@require_POST
def reintentar(request, pk: int):
    mensaje = selectors.aviso_para_reintentar(usuario=request.user, pk=pk)
    try:
        services.reintentar(mensaje=mensaje, actor=request.user)
        messages.success(request, _("El aviso se volvió a poner en la cola de envío."))
    except ValidationError as error:
        for texto in error.messages:
            messages.error(request, texto)
    siguiente = request.POST.get("siguiente", "")
    if not url_has_allowed_host_and_scheme(siguiente, {request.get_host()}):
        siguiente = ""
    if siguiente:
        return redirect(siguiente)
    if mensaje.caso is not None:
        return redirect("casos:detalle", mensaje.caso.folio)
    return redirect("notificaciones:lista")


def baja(request, token: str):
    """Enlace de los avisos por correo. GET solo pregunta (los revisores de correo abren
    enlaces solos); el botón confirma."""
    firmado = destino_de_baja(token)
    if firmado is None:
        return render(request, "notificaciones/baja.html", {"invalido": True}, status=400)
    canal, destino = firmado
    if canal not in Canal.values:
        return render(request, "notificaciones/baja.html", {"invalido": True}, status=400)
    hecho = False
    if request.method == "POST":
        services.dar_de_baja(canal=canal, destino=destino, origen=OrigenBaja.ENLACE)
        hecho = True
    return render(
        request,
        "notificaciones/baja.html",
        {"canal": Canal(canal).label, "destino": _enmascarar(destino), "hecho": hecho},
    )


def _enmascarar(destino: str) -> str:
    if "@" in destino:
        usuario, _arroba, dominio = destino.partition("@")
        return f"{usuario[:2]}•••@{dominio}"
    return f"•••{destino[-4:]}"


def _firma_de_twilio_valida(request) -> bool:
    """La firma con el validador oficial de Twilio (URL con y sin puerto por omisión,
    parámetros repetidos, cuerpo JSON con `bodySHA256`). Si Twilio anuncia una clave
    compartida (`X-Twilio-Webhooks-Signature-Settings`, p. ej. HMAC-SHA256), se valida con
    ella y con ese algoritmo; si no, con el token de la cuenta y HMAC-SHA1."""
    firma = request.headers.get(SIGNATURE_HEADER, "")
    ajustes = request.headers.get(SIGNATURE_SETTINGS_HEADER)
    if ajustes is None:
        secreto, algoritmo = settings.TWILIO_AUTH_TOKEN, None
    else:
        secreto, algoritmo = settings.TWILIO_CLAVE_COMPARTIDA, get_signature_algorithm(ajustes)
    if not (firma and secreto):
        return False
    if request.content_type == "application/json":
        # Sin el hash del cuerpo en la URL, la firma no cubre el cuerpo.
        if "bodySHA256" not in request.GET:
            return False
        parametros = request.body.decode("utf-8", "replace")
    else:
        parametros = request.POST
    url = settings.URL_PUBLICA + request.get_full_path()
    return RequestValidator(secreto).validate(url, parametros, firma, algoritmo)


def _campos_entrantes(request) -> dict[str, str]:
    if request.content_type != "application/json":
        return {k: request.POST.get(k) for k in request.POST}
    try:
        datos = json.loads(request.body)
    except ValueError:
        return {}
    if not isinstance(datos, dict):
        return {}
    return {k: v for k, v in datos.items() if isinstance(v, str)}


def _clave_de_repeticion(campos: dict[str, str], firma: str) -> str:
    # El MessageSid va dentro de lo firmado: el mismo mensaje reenviado a otra URL (la de
    # respaldo) es una repetición aunque cambie la firma. Sin él, la misma firma lo es.
    sid = campos.get("MessageSid") or campos.get("SmsMessageSid") or campos.get("SmsSid")
    origen = f"sid:{sid}" if sid else f"firma:{firma}"
    return hashlib.sha256(origen.encode("utf-8", "replace")).hexdigest()


def _twiml(respuesta: str = "") -> HttpResponse:
    cuerpo = f"<Message>{escape(respuesta)}</Message>" if respuesta else ""
    return HttpResponse(
        f'<?xml version="1.0" encoding="UTF-8"?><Response>{cuerpo}</Response>',
        content_type="text/xml",
    )


@csrf_exempt
@require_POST
def entrante_twilio(request):
    """Respuestas de la gente a los SMS y WhatsApp: «BAJA» (o STOP, ALTO…) da de baja ese
    número en ese canal; SI, NO o CAMBIO responden al recordatorio de su sesión
    (`confirmaciones`). Un WhatsApp abre la ventana de 24 h de ese número. Solo se acepta lo
    que viene firmado por Twilio, y la misma petición repetida (reintento o copia) se
    contesta sin volver a actuar."""
    if not settings.TWILIO_AUTH_TOKEN:
        raise Http404
    if not _firma_de_twilio_valida(request):
        return HttpResponseForbidden("Firma inválida.")
    campos = _campos_entrantes(request)
    clave = _clave_de_repeticion(campos, request.headers.get(SIGNATURE_HEADER, ""))
    ventana = timedelta(minutes=settings.TWILIO_REPETICION_MINUTOS)
    with transaction.atomic():
        if not services.registrar_entrante(clave=clave, ventana=ventana):
            return _twiml()
        remitente = campos.get("From", "")
        canal = Canal.WHATSAPP if remitente.startswith("whatsapp:") else Canal.SMS
        # Como se guardan los teléfonos (E.164, sin el «1» de celular tras +52).
        numero = intentar_normalizar(remitente.removeprefix("whatsapp:"))
        if not numero:
            return _twiml()
        if canal == Canal.WHATSAPP:
            services.registrar_conversacion_whatsapp(numero=numero)
        texto = " ".join((campos.get("Body") or "").upper().split())
        if texto.strip(".!¡ ") not in PALABRAS_DE_BAJA:
            respuesta = confirmaciones.registrar_respuesta(
                numero=numero, canal=canal, texto=campos.get("Body") or ""
            )
            return _twiml(respuesta.contestacion)
        services.dar_de_baja(canal=canal, destino=numero, origen=OrigenBaja.RESPUESTA)
    return _twiml(
        _(
            "Listo: ya no le enviaremos avisos por este medio. Si cambia de opinión, llame a la "
            "oficina."
        )
    )


@csrf_exempt
@require_POST
def estado_twilio(request):
    """Recibos de entrega de Twilio (StatusCallback de cada envío): el estado del mensaje en
    el proveedor (en cola, salió, entregado, leído, no entregado, falló) con su código de
    error. Firmados como las respuestas; un recibo repetido o fuera de orden no actúa."""
    if not settings.TWILIO_AUTH_TOKEN:
        raise Http404
    if not _firma_de_twilio_valida(request):
        return HttpResponseForbidden("Firma inválida.")
    campos = _campos_entrantes(request)
    sid = campos.get("MessageSid") or campos.get("SmsSid") or ""
    estado = campos.get("MessageStatus") or campos.get("SmsStatus") or ""
    clave = hashlib.sha256(f"recibo:{sid}:{estado}".encode("utf-8", "replace")).hexdigest()
    ventana = timedelta(minutes=settings.TWILIO_REPETICION_MINUTOS)
    if not selectors.aviso_del_proveedor_existe(sid=sid):
        # Aún no se guarda el identificador (el recibo llegó antes que la respuesta de la
        # API) o no es nuestro: no se anota como atendido.
        return HttpResponse(status=404)
    with transaction.atomic():
        if services.registrar_entrante(clave=clave, ventana=ventana):
            services.registrar_recibo(
                sid=sid, estado=estado, codigo_error=(campos.get("ErrorCode") or "").strip()
            )
    return HttpResponse(status=204)


def encuesta(request, token: str):
    """La pregunta de satisfacción tras una asesoría: un clic, sin cuenta."""
    caso = selectors.caso_de_encuesta(token=token)
    if caso is None:
        return render(request, "notificaciones/encuesta.html", {"invalido": True}, status=404)
    error = ""
    if request.method == "POST" and caso.satisfaccion is None:
        valor = request.POST.get("satisfaccion", "")
        if valor not in {"1", "2", "3", "4", "5"}:
            error = _("Elija una calificación del 1 al 5.")
        elif caso.estado != Estado.RESUELTA:
            error = _("Esta encuesta ya se cerró. Gracias de todos modos.")
        else:
            try:
                registrar_encuesta(
                    caso=caso,
                    actor=None,
                    satisfaccion=int(valor),
                    comentario=request.POST.get("comentario", ""),
                )
                caso.refresh_from_db()
            except ValidationError as e:
                error = " ".join(e.messages)
    return render(
        request,
        "notificaciones/encuesta.html",
        {
            "caso": caso,
            "respondida": caso.satisfaccion is not None,
            "error": error,
            "comentario": request.POST.get("comentario", "")[:500],
            "opciones": range(1, 6),
        },
    )

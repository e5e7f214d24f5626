"""Las agendas (oficina, persona mediadora, sala) en día y semana, y el calendario suscribible."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from casos.permisos import requiere_permiso
from casos.texto import nombre_de

from . import ics, selectors, services
from .forms import DIA, SEMANA, FechaForm

PERSONAL = "casos.view_caso"


@requiere_permiso(PERSONAL)
def inicio(request):
    """Cada quien llega a su agenda; quien no tiene propia, a la de la oficina o de salas."""
    if selectors.tiene_agenda_propia(request.user):
        return redirect("agenda:mediador", pk=request.user.pk)
    if selectors.ve_oficina(request.user):
        return redirect("agenda:oficina")
    return redirect("agenda:salas")


def _rango(request):
    """La fecha pedida (hoy si no se pidió) y los días a mostrar; con una fecha mal escrita,
    hoy y el error."""
    form = FechaForm(request.GET or None)
    hoy = timezone.localdate()
    fecha, vista = hoy, DIA
    if form.is_bound and form.is_valid():
        fecha = form.cleaned_data["fecha"] or hoy
        vista = form.cleaned_data["vista"] or DIA
    elif form.is_bound:
        vista = request.GET.get("vista") if request.GET.get("vista") in (DIA, SEMANA) else DIA
    if vista == SEMANA:
        desde = fecha - timedelta(days=fecha.weekday())
        hasta = desde + timedelta(days=6)
        paso = timedelta(days=7)
    else:
        desde = hasta = fecha
        paso = timedelta(days=1)
    return form, fecha, vista, desde, hasta, paso


def _mostrar(request, *, titulo: str, objeto: str, mediador=None, sala=None, membrete=""):
    form, fecha, vista, desde, hasta, paso = _rango(request)
    dias = selectors.agenda(
        usuario=request.user, desde=desde, hasta=hasta, mediador=mediador, sala=sala
    )
    if vista == SEMANA:
        # Sábado y domingo solo si hay sesiones: la oficina atiende en días hábiles.
        dias = [d for d in dias if d.fecha.weekday() < 5 or d.renglones]
    services.registrar_vista_agenda(
        usuario=request.user,
        casos=selectors.casos_con_nombres(dias),
        request=request,
        objeto=f"{objeto}:{desde:%Y-%m-%d}",
    )
    contexto = {
        "titulo": titulo,
        "membrete": membrete or titulo,
        "form": form,
        "fecha": fecha,
        "vista": vista,
        "dias": dias,
        "hoy": timezone.localdate(),
        "anterior": fecha - paso,
        "siguiente": fecha + paso,
        "con_mediador": mediador is None,
        "ve_oficina": selectors.ve_oficina(request.user),
        "mediadores": selectors.mediadores_visibles(request.user),
        "salas": selectors.salas(),
        "mediador": mediador,
        "sala": sala,
        # Al cambiar de agenda se conserva la fecha y la vista.
        "consulta": f"?fecha={fecha:%Y-%m-%d}&vista={vista}",
    }
    estado = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "agenda/agenda.html", contexto, status=estado)


@require_GET
@requiere_permiso(PERSONAL)
def oficina(request):
    if not selectors.ve_oficina(request.user):
        raise PermissionDenied
    return _mostrar(
        request,
        titulo=_("Agenda de la oficina"),
        objeto="oficina",
    )


@require_GET
@requiere_permiso(PERSONAL)
def mediador(request, pk: int):
    persona = selectors.mediador_por_pk(pk)
    if not selectors.ve_mediador(request.user, persona):
        raise PermissionDenied
    de_quien = _("Agenda de %(nombre)s") % {"nombre": nombre_de(persona)}
    return _mostrar(
        request,
        titulo=_("Mi agenda") if persona.pk == request.user.pk else de_quien,
        membrete=de_quien,
        objeto=f"mediador:{persona.pk}",
        mediador=persona,
    )


@require_GET
@requiere_permiso(PERSONAL)
def salas(request):
    """Las salas, para elegir la agenda de una (quien no tiene agenda propia ni de oficina)."""
    if not selectors.ve_salas(request.user):
        raise PermissionDenied
    contexto = {
        "salas": selectors.salas(),
        "ve_oficina": selectors.ve_oficina(request.user),
        "mediadores": selectors.mediadores_visibles(request.user),
    }
    return render(request, "agenda/salas.html", contexto)


@require_GET
@requiere_permiso(PERSONAL)
def sala(request, pk: int):
    if not selectors.ve_salas(request.user):
        raise PermissionDenied
    lugar = selectors.sala_por_pk(pk)
    return _mostrar(
        request,
        titulo=_("Agenda de la sala %(sala)s") % {"sala": lugar.nombre},
        objeto=f"sala:{lugar.pk}",
        sala=lugar,
    )


def _contexto_suscripcion(request, token: str | None = None) -> dict:
    enlace = None
    if token:
        enlace = request.build_absolute_uri(reverse("agenda:ical", args=[token]))
    return {"suscripcion": selectors.suscripcion_de(request.user), "enlace": enlace}


@never_cache
@require_GET
@requiere_permiso(PERSONAL)
def suscripcion(request):
    """La página para crear, volver a generar o quitar el enlace del calendario."""
    return render(request, "agenda/suscripcion.html", _contexto_suscripcion(request))


@never_cache
@require_POST
@requiere_permiso(PERSONAL)
def crear_suscripcion(request):
    """Crea el enlace (o uno nuevo, que anula el anterior) y lo muestra esta única vez."""
    token = services.crear_suscripcion(usuario=request.user)
    return render(request, "agenda/suscripcion.html", _contexto_suscripcion(request, token))


@require_POST
@requiere_permiso(PERSONAL)
def revocar_suscripcion(request):
    if services.revocar_suscripcion(usuario=request.user):
        messages.success(
            request, _("Se quitó el enlace: los calendarios que lo usaban dejarán de actualizarse.")
        )
    else:
        messages.info(request, _("No había un enlace de calendario que quitar."))
    return redirect("agenda:suscripcion")


@never_cache
@require_GET
def calendario(request, token: str):
    """El calendario del teléfono, sin sesión: el token es la llave. Inválido o quitado: 404."""
    suscripcion = selectors.suscripcion_por_token(token)
    sesiones = selectors.sesiones_del_calendario(suscripcion.usuario)
    services.registrar_consulta(suscripcion=suscripcion, sesiones=len(sesiones), request=request)
    cuerpo = ics.calendario(
        sesiones=sesiones,
        nombre=_("Agenda de %(nombre)s") % {"nombre": nombre_de(suscripcion.usuario)},
    )
    respuesta = HttpResponse(cuerpo, content_type="text/calendar; charset=utf-8")
    respuesta["Content-Disposition"] = 'inline; filename="agenda.ics"'
    respuesta["X-Robots-Tag"] = "noindex"
    return respuesta

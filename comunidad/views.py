"""Páginas de los avisos comunitarios (coordinación; la Dirección ve los avisos y sus cifras).

Los contactos comunitarios no son partes de un caso: no abren ningún expediente y no van a la
bitácora de accesos a expedientes; cada cambio a un contacto, a una lista o a quién está en
ella queda en su historia (quién, cuándo, antes y después)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casos.permisos import requiere_permiso
from casos.telefonos import mostrar_telefono

from . import longitud, selectors, services
from .forms import AvisoForm, ContactoForm, ListaForm

VER = "comunidad.ver_avisos_comunitarios"
ENVIAR = "comunidad.enviar_aviso_comunitario"
ADMINISTRAR = "comunidad.administrar_contactos_comunitarios"


def _errores_a_formulario(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for campo, lista in error.message_dict.items():
            form.add_error(campo if campo in form.fields else None, lista)
    else:
        form.add_error(None, error.messages)


@require_GET
@requiere_permiso(VER)
def inicio(request):
    return render(
        request,
        "comunidad/inicio.html",
        {
            "listas": selectors.listas(),
            "avisos": selectors.avisos()[:20],
            "administra": request.user.has_perm(ADMINISTRAR),
            "envia": request.user.has_perm(ENVIAR),
        },
    )


@requiere_permiso(ADMINISTRAR)
def lista_nueva(request):
    form = ListaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nueva = services.crear_lista(**form.cleaned_data)
        except ValidationError as error:
            _errores_a_formulario(form, error)
        else:
            messages.success(request, _("Se creó la lista «%(n)s».") % {"n": nueva.nombre})
            return redirect("comunidad:lista", pk=nueva.pk)
    estado = 400 if form.is_bound and form.errors else 200
    return render(request, "comunidad/lista_nueva.html", {"form": form}, status=estado)


def _renglones(contactos):
    return [(c, mostrar_telefono(c.telefono)) for c in contactos]


@require_GET
@requiere_permiso(ADMINISTRAR)
def lista(request, pk: int):
    una = selectors.lista(pk)
    return render(
        request,
        "comunidad/lista.html",
        {"lista": una, "renglones": _renglones(selectors.contactos_de(una))},
    )


@require_GET
@requiere_permiso(ADMINISTRAR)
def contactos(request):
    return render(
        request, "comunidad/contactos.html", {"renglones": _renglones(selectors.contactos())}
    )


def _guardar_contacto(request, form, contacto=None):
    datos = form.cleaned_data
    comunes = {
        "nombre": datos["nombre"],
        "telefono": datos["telefono"],
        "canal": datos["canal"],
        "cargo": datos["cargo"],
        "localidad": datos["localidad"],
        "listas": list(datos["listas"]),
        "consentimiento": form.consentimiento(),
        "actor": request.user,
    }
    if contacto is None:
        return services.registrar_contacto(**comunes)
    return services.actualizar_contacto(contacto=contacto, **comunes)


@requiere_permiso(ADMINISTRAR)
def contacto_nuevo(request):
    inicial = {}
    if request.GET.get("lista", "").isascii() and request.GET.get("lista", "").isdigit():
        inicial["listas"] = [int(request.GET["lista"])]
    form = ContactoForm(request.POST or None, initial=inicial)
    if request.method == "POST" and form.is_valid():
        try:
            nuevo = _guardar_contacto(request, form)
        except ValidationError as error:
            _errores_a_formulario(form, error)
        else:
            messages.success(request, _("Se registró a %(n)s.") % {"n": nuevo.nombre})
            return redirect("comunidad:contacto", pk=nuevo.pk)
    estado = 400 if form.is_bound and form.errors else 200
    return render(
        request, "comunidad/contacto.html", {"form": form, "contacto": None}, status=estado
    )


@requiere_permiso(ADMINISTRAR)
def contacto(request, pk: int):
    uno = selectors.contacto(pk)
    inicial = {
        "nombre": uno.nombre,
        "telefono": mostrar_telefono(uno.telefono),
        "canal": uno.canal,
        "cargo": uno.cargo,
        "localidad": uno.localidad_id,
        "listas": [m.lista_id for m in uno.membresias.all()],
        "consentimiento_fecha": uno.consentimiento_fecha,
        "consentimiento_forma": uno.consentimiento_forma,
        "consentimiento_ante": uno.consentimiento_ante,
        "consentimiento_aviso": uno.consentimiento_aviso_id,
    }
    form = ContactoForm(request.POST or None, initial=inicial)
    if request.method == "POST" and form.is_valid():
        try:
            _guardar_contacto(request, form, uno)
        except ValidationError as error:
            _errores_a_formulario(form, error)
        else:
            messages.success(request, _("Se guardaron los datos de %(n)s.") % {"n": uno.nombre})
            return redirect("comunidad:contacto", pk=uno.pk)
    estado = 400 if form.is_bound and form.errors else 200
    historia = uno.history.select_related("history_user").order_by("-history_date")[:10]
    return render(
        request,
        "comunidad/contacto.html",
        {"form": form, "contacto": uno, "historia": historia},
        status=estado,
    )


@require_POST
@requiere_permiso(ADMINISTRAR)
def contacto_baja(request, pk: int):
    uno = selectors.contacto(pk)
    services.dar_de_baja(contacto=uno, actor=request.user)
    messages.success(
        request,
        _("%(n)s quedó dado de baja: no recibirá más avisos por %(canal)s.")
        % {"n": uno.nombre, "canal": uno.get_canal_display()},
    )
    return redirect("comunidad:contacto", pk=uno.pk)


@require_POST
@requiere_permiso(ADMINISTRAR)
def contacto_alta(request, pk: int):
    uno = selectors.contacto(pk)
    services.dar_de_alta(contacto=uno, actor=request.user)
    messages.success(
        request, _("%(n)s volverá a recibir los avisos comunitarios.") % {"n": uno.nombre}
    )
    return redirect("comunidad:contacto", pk=uno.pk)


@requiere_permiso(ENVIAR)
def aviso_nuevo(request):
    """Escribir el aviso (con el contador de SMS), confirmar cuántos lo recibirán y enviar."""
    form = AvisoForm(request.POST or None)
    contexto = {"form": form, "piezas": longitud.piezas_para_la_pagina()}
    if request.method == "POST" and form.is_valid():
        listas = list(form.cleaned_data["listas"])
        if request.POST.get("confirmar") == "1":
            try:
                aviso = services.enviar_aviso(
                    texto=form.cleaned_data["texto"], listas=listas, actor=request.user
                )
            except ValidationError as error:
                _errores_a_formulario(form, error)
            else:
                messages.success(
                    request,
                    _("El aviso se está enviando a %(n)s contactos.") % {"n": aviso.destinatarios},
                )
                return redirect("comunidad:aviso", pk=aviso.pk)
        else:
            texto = form.cleaned_data["texto"]
            return render(
                request,
                "comunidad/aviso_confirmar.html",
                {
                    **contexto,
                    "texto": texto,
                    "listas": listas,
                    "destinatarios": selectors.destinatarios(listas).count(),
                    "medida": longitud.medir(texto),
                    "whatsapp": longitud.whatsapp_final(texto),
                },
            )
    contexto["medida"] = form.medida() if form.is_bound else None
    estado = 400 if form.is_bound and form.errors else 200
    return render(request, "comunidad/aviso_nuevo.html", contexto, status=estado)


@require_GET
@requiere_permiso(VER)
def aviso(request, pk: int):
    uno = selectors.aviso(pk)
    por_lista, total = selectors.cifras(uno)
    return render(
        request,
        "comunidad/aviso.html",
        {"aviso": uno, "por_lista": por_lista, "total": total},
    )

"""Vistas del personal: recepción por teléfono y módulo, búsqueda y expediente."""

import csv

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nucleo.entradas import entero_ascii

from . import acceso, codigo_en_sesion, codigos, selectors, services
from .forms import (
    AccesoExcepcionalForm,
    BitacoraForm,
    BusquedaForm,
    DatosParteForm,
    RevelarBloqueadosForm,
    SolicitudPersonalForm,
)
from .models import AvisoPrivacidad, Canal, Caso, Estado
from .permisos import requiere_permiso
from .telefonos import intentar_normalizar, mostrar_telefono
from .texto import nombre_de

RECIENTES = "recepciones_recientes"


@requiere_permiso("casos.capturar_solicitud")
def nueva_solicitud(request, canal: str = Canal.TELEFONO):
    """Captura de una llamada (o de una persona en módulo) en menos de un minuto."""
    con_modulo = canal == Canal.MODULO
    aviso = AvisoPrivacidad.vigente()
    duplicados: tuple[Caso, ...] = ()
    telefono = ""
    form = SolicitudPersonalForm(request.POST or None, con_modulo=con_modulo)
    if request.method == "POST" and form.is_valid():
        datos = form.cleaned_data
        # La decisión sobre los duplicados solo vale para el teléfono que se revisó.
        revisado = datos["telefono_revisado"] == datos["telefono"]
        try:
            recepcion = services.recibir_con_revision(
                decision=(datos.get("accion") or None) if revisado else None,
                folio_existente=datos.get("caso_existente") or "",
                **form.solicitud(canal=canal, aviso=aviso, actor=request.user),
            )
        except ValidationError as error:
            form.agregar_errores_servicio(error)
        else:
            if recepcion.contacto_en is not None:
                messages.success(
                    request,
                    _("Se registró el contacto en el caso %(folio)s; no se creó otro caso.")
                    % {"folio": recepcion.contacto_en.folio},
                )
                return redirect("casos:detalle", folio=recepcion.contacto_en.folio)
            if recepcion.recibida is not None:
                codigo_en_sesion.recordar(request, RECIENTES, recepcion.recibida.caso, maximo=20)
                return redirect("casos:recibida", folio=recepcion.recibida.caso.folio)
            duplicados, telefono = recepcion.duplicados, datos["telefono"]
            if revisado:
                form.add_error("accion", _("Elija qué hacer con esta llamada."))
            else:
                # Teléfono con casos abiertos (o cambiado tras revisar): mostrarlos antes de
                # guardar y pedir qué hacer.
                form = SolicitudPersonalForm(
                    {**request.POST.dict(), "telefono_revisado": datos["telefono"]},
                    con_modulo=con_modulo,
                )
                form.is_valid()
    if duplicados:
        acceso.registrar_acceso(
            usuario=request.user, casos=duplicados, vista="posible_duplicado", request=request
        )
    return render(
        request,
        "casos/nueva_solicitud.html",
        {
            "form": form,
            "canal": canal,
            "con_modulo": con_modulo,
            "aviso": aviso,
            "duplicados": selectors.posibles_duplicados(duplicados, telefono=telefono),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@requiere_permiso("casos.capturar_solicitud")
def solicitud_recibida(request, folio: str):
    """Folio y código en grande, para dictarlos a la persona."""
    caso = selectors.caso_para_personal(usuario=request.user, folio=folio)
    codigo = codigo_en_sesion.codigo_visible(request, RECIENTES, caso)
    if codigo is None:
        raise Http404
    return render(request, "casos/recibida.html", {"caso": caso, "codigo": codigo})


@requiere_permiso("casos.capturar_solicitud")
@require_GET
def casos_de_telefono(request):
    """Casos abiertos de un teléfono, para avisar de posible duplicado mientras se captura."""
    telefono = intentar_normalizar(request.GET.get("telefono", ""))
    casos = list(selectors.casos_por_telefono(telefono, solo_abiertos=True)[:10])
    # Lo que se muestra de cada caso es poco, pero es del expediente: queda en la bitácora.
    acceso.registrar_acceso(
        usuario=request.user, casos=casos, vista="posible_duplicado", request=request
    )
    return JsonResponse(
        {
            "telefono": telefono,
            "casos": [
                {
                    "folio": d.folio,
                    "estado": d.estado_texto,
                    "recibido_en": d.recibido_en.isoformat(),
                    "categoria": d.categoria,
                    "otra_parte": d.otra_parte,
                    "url": reverse("casos:detalle", args=[d.folio]),
                }
                for d in selectors.posibles_duplicados(casos, telefono=telefono)
            ],
        }
    )


@requiere_permiso("casos.view_caso")
def buscar(request):
    form = BusquedaForm(request.GET or None)
    texto = form.cleaned_data["q"] if form.is_valid() else ""
    casos = selectors.buscar_casos(usuario=request.user, texto=texto)
    pagina = Paginator(casos, 25).get_page(entero_ascii(request.GET.get("pagina")) or 1)
    folio = codigos.normalizar_folio(texto) if texto else None
    if folio and pagina.paginator.count <= 1:
        # El folio exacto: su página (o, si es ajeno, la de pedir acceso excepcional).
        return redirect("casos:detalle", folio=folio)
    acceso.registrar_acceso(
        usuario=request.user, casos=pagina.object_list, vista="busqueda", request=request
    )
    return render(request, "casos/buscar.html", {"form": form, "pagina": pagina, "texto": texto})


@requiere_permiso("casos.view_caso")
def detalle(request, folio: str):
    caso = selectors.caso_para_personal(usuario=request.user, folio=folio)
    return _detalle(request, caso)


def _detalle(request, caso: Caso, form_revelar: RevelarBloqueadosForm | None = None):
    """La página del caso. Los datos bloqueados se ven solo tras revelarlos con motivo
    (`acceso.revelar_bloqueados`); si no, en su lugar va la leyenda de por qué lo están."""
    revelacion = acceso.revelacion_vigente(request.user, caso)
    acceso.registrar_acceso(
        usuario=request.user,
        casos=caso,
        vista="detalle",
        request=request,
        objeto="datos bloqueados a la vista" if revelacion else "",
    )
    filas, ocultas = [], set()
    for p in caso.partes.all():
        bloqueo = acceso.razon_de_bloqueo(p)
        oculta = bool(bloqueo) and revelacion is None
        if oculta:
            ocultas.add(p.pk)
        filas.append(
            {
                "parte": p,
                "telefono": "" if oculta else mostrar_telefono(p.telefono),
                "bloqueo": bloqueo,
                "oculta": oculta,
            }
        )
    puede_revelar = bool(ocultas or caso.bloqueado_en) and revelacion is None
    puede_revelar = puede_revelar and acceso.puede_ver_bloqueados(request.user)
    if puede_revelar and form_revelar is None:
        form_revelar = RevelarBloqueadosForm()
    return render(
        request,
        "casos/detalle.html",
        {
            "caso": caso,
            "partes": filas,
            "partes_ocultas": ocultas,
            # El relato de un caso bloqueado por conservación también es dato personal.
            "relato_oculto": caso.bloqueado_en is not None and revelacion is None,
            "leyenda_caso": acceso.leyenda_de_bloqueo(
                parte_bloqueada_en=None, caso_bloqueado_en=caso.bloqueado_en
            ),
            "revelacion": revelacion,
            "minutos_revelacion": acceso.minutos_de_revelacion(),
            "form_revelar": form_revelar if puede_revelar else None,
            "eventos": caso.eventos.all(),
            "puede_reexpedir": request.user.has_perm("casos.reexpedir_codigo"),
            "puede_corregir": caso.abierto and selectors.puede_actuar_en(request.user, caso),
            "accesos": selectors.accesos_del_caso(usuario=request.user, caso=caso),
            "excepcional": acceso.excepcional_vigente(request.user, caso),
            "Estado": Estado,
        },
        status=400 if form_revelar is not None and form_revelar.errors else 200,
    )


@requiere_permiso("casos.view_caso", "casos.ver_datos_bloqueados")
@require_POST
def revelar_bloqueados(request, folio: str):
    """Muestra por un rato los datos bloqueados del caso a quien atiende la privacidad, con el
    motivo en la bitácora."""
    caso = selectors.caso_para_personal(usuario=request.user, folio=folio)
    form = RevelarBloqueadosForm(request.POST)
    if form.is_valid():
        try:
            acceso.revelar_bloqueados(
                usuario=request.user, caso=caso, motivo=form.cleaned_data["motivo"], request=request
            )
        except ValidationError as error:
            form.add_error("motivo", error.message_dict.get("motivo", error.messages))
        else:
            messages.success(
                request,
                _(
                    "Los datos bloqueados quedan a su vista por %(minutos)d minutos; el motivo "
                    "quedó en la bitácora."
                )
                % {"minutos": acceso.minutos_de_revelacion()},
            )
            return redirect("casos:detalle", folio=caso.folio)
    return _detalle(request, caso, form_revelar=form)


@requiere_permiso("casos.view_caso")
@require_POST
def acceso_excepcional(request, folio: str):
    """Pide acceso a un expediente fuera del propio alcance, con su motivo (queda en la
    bitácora y la coordinación lo revisa)."""
    caso = selectors.caso_por_folio(folio=folio)
    form = AccesoExcepcionalForm(request.POST)
    if form.is_valid():
        try:
            acceso.conceder_excepcional(
                usuario=request.user, caso=caso, motivo=form.cleaned_data["motivo"], request=request
            )
        except ValidationError as error:
            form.add_error("motivo", error.message_dict.get("motivo", error.messages))
        else:
            messages.success(
                request,
                _("Acceso excepcional concedido por %(horas)d horas; quedó en la bitácora.")
                % {"horas": settings.ACCESO_EXCEPCIONAL_HORAS},
            )
            siguiente = form.cleaned_data["siguiente"]
            if siguiente and url_has_allowed_host_and_scheme(siguiente, allowed_hosts=None):
                return redirect(siguiente)
            return redirect("casos:detalle", folio=caso.folio)
    contexto = {"caso": caso, "form": form, "horas": settings.ACCESO_EXCEPCIONAL_HORAS}
    return render(request, "casos/sin_acceso.html", contexto, status=400)


@requiere_permiso("casos.view_caso", "casos.ver_bitacora_accesos")
def bitacora(request):
    """Quién consultó qué expediente: filtros por persona, folio y fechas; CSV."""
    form = BitacoraForm(request.GET or None)
    filtros = form.cleaned_data if form.is_valid() else {}
    accesos = selectors.bitacora_de_accesos(usuario=request.user, **filtros)
    if request.GET.get("formato") == "csv" and form.is_valid():
        return _bitacora_csv(accesos)
    return render(
        request,
        "casos/bitacora.html",
        {
            "form": form,
            "pagina": Paginator(accesos, 50).get_page(entero_ascii(request.GET.get("pagina")) or 1),
            "por_revisar": selectors.excepcionales_por_revisar(usuario=request.user)[:50],
            "consulta": request.GET.urlencode(),
        },
        status=400 if form.errors else 200,
    )


def _bitacora_csv(accesos) -> StreamingHttpResponse:
    encabezado = [
        "fecha y hora",
        "usuario",
        "nombre",
        "folio",
        "qué",
        "código",
        "objeto",
        "desde",
        "motivo",
    ]

    def renglones():
        escritor = csv.writer(_Eco())
        yield "\ufeff" + escritor.writerow(encabezado)
        for a in accesos.iterator(chunk_size=500):
            yield escritor.writerow(
                [
                    timezone.localtime(a.creado_en).strftime("%Y-%m-%d %H:%M:%S"),
                    a.usuario.get_username(),
                    nombre_de(a.usuario),
                    a.caso.folio,
                    a.que,
                    a.vista,
                    a.objeto,
                    a.ip or "",
                    a.motivo,
                ]
            )

    respuesta = StreamingHttpResponse(renglones(), content_type="text/csv; charset=utf-8")
    respuesta["Content-Disposition"] = 'attachment; filename="bitacora-de-accesos.csv"'
    return respuesta


class _Eco:
    """Archivo de mentira para csv.writer: devuelve el renglón en vez de guardarlo."""

    def write(self, valor):
        return valor


@requiere_permiso("casos.view_caso", "casos.ver_bitacora_accesos")
@require_POST
def revisar_excepcional(request, pk: int):
    excepcional = selectors.excepcional_por_revisar(usuario=request.user, pk=pk)
    acceso.marcar_revisado(excepcional=excepcional, revisor=request.user)
    messages.success(request, _("Acceso excepcional marcado como revisado."))
    return redirect("casos:bitacora")


@requiere_permiso("casos.view_caso", "casos.reexpedir_codigo")
@require_http_methods(["GET", "POST"])
def reexpedir_codigo(request, folio: str):
    """Primero pregunta (el código que la persona tiene dejará de servir); el código nuevo
    sale solo con la confirmación enviada por POST."""
    caso = selectors.caso_para_personal(usuario=request.user, folio=folio)
    if request.method != "POST" or request.POST.get("confirmar") != "si":
        return render(request, "casos/confirmar_reexpedicion.html", {"caso": caso})
    codigo = services.reexpedir_codigo(caso=caso, actor=request.user)
    return render(
        request,
        "casos/codigo_reexpedido.html",
        {"caso": caso, "codigo": codigos.mostrar_codigo(codigo)},
    )


@requiere_permiso("casos.view_caso")
def datos_parte(request, folio: str, pk: int):
    """Corregir teléfono, correo o domicilio de una parte; lo anterior queda en el caso."""
    caso, parte = selectors.parte_para_corregir(usuario=request.user, folio=folio, pk=pk)
    acceso.registrar_acceso(
        usuario=request.user,
        casos=caso,
        vista="datos_parte",
        request=request,
        objeto=parte.get_rol_display(),
    )
    inicial = {
        "telefono": mostrar_telefono(parte.telefono),
        "correo": parte.correo,
        "domicilio": parte.domicilio,
    }
    form = DatosParteForm(request.POST or None, initial=inicial)
    if request.method == "POST" and form.is_valid():
        try:
            services.corregir_contacto_parte(parte=parte, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for campo, mensajes in error.message_dict.items():
                for mensaje in mensajes:
                    form.add_error(campo if campo in form.fields else None, mensaje)
        else:
            messages.success(
                request,
                _("Se guardaron los datos de %(nombre)s.") % {"nombre": parte.nombre},
            )
            return redirect("casos:detalle", folio=caso.folio)
    return render(
        request,
        "casos/datos_parte.html",
        {"caso": caso, "parte": parte, "form": form},
        status=400 if request.method == "POST" and form.errors else 200,
    )

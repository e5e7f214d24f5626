"""Entrada en dos pasos, «Mi cuenta», contraseñas y la página de accesos de la coordinación."""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from casos import limites
from casos.permisos import requiere_permiso
from casos.texto import nombre_de

from . import selectors, services, sesion
from .bloqueos import ip_valida
from .forms import (
    CambiarContrasenaForm,
    CodigoForm,
    ConfirmarContrasenaForm,
    EntrarForm,
    NuevaContrasenaForm,
    PrimerCodigoForm,
    RecuperarForm,
)
from .models import OrigenEventoCuenta

# --- Entrar y el segundo paso ---


def _siguiente(request) -> str:
    """El `next` de la petición si es de este sitio; si no, la página con la que empieza el
    rol de quien entra (también tras el segundo paso)."""
    destino = request.POST.get("next") or request.GET.get("next") or ""
    seguro = url_has_allowed_host_and_scheme(
        destino, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if seguro and destino:
        return destino
    if request.user.is_authenticated:
        return selectors.inicio_de(request.user)
    return reverse(settings.LOGIN_REDIRECT_URL)


def _con_siguiente(nombre: str, destino: str) -> str:
    return reverse(nombre) + "?" + urlencode({"next": destino})


class Entrar(auth_views.LoginView):
    """Primer paso: usuario y contraseña (con bloqueo por intentos). Si falta el segundo
    paso, lleva a escribir el código o a dar de alta la app."""

    authentication_form = EntrarForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(limite_de_intentos=settings.AXES_FAILURE_LIMIT, **kwargs)

    def get_success_url(self):
        # Sin `next`, cada rol llega a su trabajo (la operadora a capturar, la coordinación
        # a su cola...); el destino viaja por el segundo paso.
        destino = self.get_redirect_url() or selectors.inicio_de(self.request.user)
        if sesion.falta_segundo_paso(self.request):
            return _con_siguiente("cuentas:verificar", destino)
        return destino


def _entrar_verificado(request, dispositivo) -> None:
    otp_login(request, dispositivo)
    # Sube el nivel de la sesión: una llave nueva, como al entrar con la contraseña.
    request.session.cycle_key()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verificar(request):
    """Segundo paso: el código de la app o uno de recuperación."""
    destino = _siguiente(request)
    if not sesion.falta_segundo_paso(request):
        return redirect(destino)
    if not selectors.tiene_segundo_factor(request.user):
        if selectors.requiere_dos_pasos(request.user):
            return redirect(_con_siguiente("cuentas:inscribir", destino))
        sesion.liberar(request)
        return redirect(destino)
    form = CodigoForm(request.POST or None)
    estado = 200
    if form.is_valid():
        resultado = services.verificar_codigo(
            usuario=request.user, codigo=form.cleaned_data["codigo"]
        )
        if resultado.dispositivo is not None:
            _entrar_verificado(request, resultado.dispositivo)
            if resultado.de_recuperacion:
                restantes = selectors.codigos_restantes(request.user)
                messages.warning(
                    request,
                    _(
                        "Usó un código de recuperación; le quedan %(n)d. Si perdió su teléfono, "
                        "pida a la coordinación que reinicie su verificación en dos pasos."
                    )
                    % {"n": restantes},
                )
            return redirect(destino)
        estado = 429 if resultado.espera_segundos else 400
        form.add_error("codigo", _error_de_codigo(resultado.espera_segundos))
    elif request.method == "POST":
        estado = 400
    return render(request, "cuentas/verificar.html", {"form": form, "next": destino}, status=estado)


def _error_de_codigo(espera: int) -> str:
    if not espera:
        return _("El código no es correcto o ya venció. Escriba el que muestra su app ahora.")
    return ngettext(
        "Demasiados códigos equivocados. Espere %(s)d segundo y escriba el código que muestre "
        "su app en ese momento.",
        "Demasiados códigos equivocados. Espere %(s)d segundos y escriba el código que muestre "
        "su app en ese momento.",
        espera,
    ) % {"s": espera}


def _qr_svg(texto: str) -> str:
    imagen = qrcode.make(texto, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = imagen.to_string(encoding="unicode")
    return mark_safe(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


def _agrupar(texto: str, cada: int = 4) -> str:
    return " ".join(texto[i : i + cada] for i in range(0, len(texto), cada))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def inscribir(request):
    """Dar de alta la app de autenticación: QR (o clave para escribirla a mano) y el primer
    código. Al confirmar, muestra una sola vez los códigos de recuperación."""
    destino = _siguiente(request)
    if selectors.tiene_segundo_factor(request.user):
        if sesion.verificado(request.user):
            messages.info(request, _("Su verificación en dos pasos ya está activa."))
            return redirect("cuentas:mi_cuenta")
        return redirect(_con_siguiente("cuentas:verificar", destino))
    dispositivo = services.preparar_inscripcion(usuario=request.user)
    form = PrimerCodigoForm(request.POST or None)
    estado = 400 if request.method == "POST" else 200
    if form.is_valid():
        try:
            dispositivo, codigos = services.confirmar_inscripcion(
                usuario=request.user, codigo=form.cleaned_data["codigo"]
            )
        except ValidationError as error:
            form.add_error("codigo", error)
        else:
            _entrar_verificado(request, dispositivo)
            return _mostrar_codigos(request, codigos, destino, nueva=True)
    url = selectors.url_de_configuracion(dispositivo)
    contexto = {
        "form": form,
        "next": destino,
        "qr": _qr_svg(url),
        "clave": _agrupar(b32encode(dispositivo.bin_key).decode()),
        "obligatoria": selectors.requiere_dos_pasos(request.user),
    }
    return render(request, "cuentas/inscribir.html", contexto, status=estado)


def _mostrar_codigos(request, codigos, destino, *, nueva: bool):
    return render(
        request,
        "cuentas/codigos.html",
        {"codigos": [f"{c[:4]}-{c[4:]}" for c in codigos], "next": destino, "nueva": nueva},
    )


@never_cache
@login_required
@require_POST
def codigos(request):
    """Genera códigos de recuperación nuevos (los anteriores dejan de servir)."""
    try:
        nuevos = services.regenerar_codigos(usuario=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("cuentas:mi_cuenta")
    return _mostrar_codigos(request, nuevos, reverse("cuentas:mi_cuenta"), nueva=False)


@never_cache
@login_required
@require_POST
def quitar(request):
    """La persona quita su propia verificación en dos pasos (si su rol no la exige)."""
    form = ConfirmarContrasenaForm(request.user, request.POST)
    if not selectors.tiene_segundo_factor(request.user):
        messages.info(request, _("La verificación en dos pasos no estaba activa."))
        return redirect("cuentas:mi_cuenta")
    if not form.is_valid():
        return _pagina_mi_cuenta(request, quitar_form=form, status=400)
    try:
        services.quitar_segundo_factor(usuario=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        sesion.liberar(request)
        messages.success(request, _("Quitó la verificación en dos pasos de su cuenta."))
    return redirect("cuentas:mi_cuenta")


def _pagina_mi_cuenta(request, *, quitar_form=None, status=200):
    usuario = request.user
    activa = selectors.tiene_segundo_factor(usuario)
    return render(
        request,
        "cuentas/mi_cuenta.html",
        {
            "activa": activa,
            "dispositivo": selectors.dispositivo_totp(usuario) if activa else None,
            "restantes": selectors.codigos_restantes(usuario) if activa else 0,
            "obligatoria": selectors.requiere_dos_pasos(usuario),
            "quitar_form": quitar_form or ConfirmarContrasenaForm(usuario),
            "inactividad": settings.SESION_INACTIVIDAD_MINUTOS,
        },
        status=status,
    )


@never_cache
@login_required
def mi_cuenta(request):
    """Contraseña y verificación en dos pasos de la propia persona."""
    return _pagina_mi_cuenta(request)


# --- Contraseñas ---


class CambiarContrasena(auth_views.PasswordChangeView):
    form_class = CambiarContrasenaForm
    template_name = "cuentas/contrasena.html"
    success_url = reverse_lazy("cuentas:contrasena_cambiada")

    def form_valid(self, form):
        respuesta = super().form_valid(form)
        services.contrasena_cambiada(usuario=self.request.user)
        return respuesta


class ContrasenaCambiada(auth_views.PasswordChangeDoneView):
    template_name = "cuentas/contrasena_cambiada.html"


class Recuperar(auth_views.PasswordResetView):
    """Pide el enlace por correo. Misma respuesta exista o no la cuenta; con límite por
    conexión (a la vista) y por correo (en silencio: decirlo revelaría que la cuenta existe)."""

    form_class = RecuperarForm
    template_name = "cuentas/recuperar.html"
    success_url = reverse_lazy("cuentas:recuperar_enviado")

    def form_valid(self, form):
        ventana = settings.RECUPERACION_VENTANA
        ip = limites.ip_cliente(self.request)
        if not limites.reservar("recuperar-ip", ip, settings.RECUPERACION_LIMITE_IP, ventana):
            form.add_error(
                None,
                _(
                    "Se han pedido demasiados enlaces desde esta conexión. Intente en una hora o "
                    "pida ayuda a la coordinación."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        correo = form.cleaned_data["email"].strip().lower()
        if limites.reservar(
            "recuperar-correo", correo, settings.RECUPERACION_LIMITE_CORREO, ventana
        ):
            form.save()
        return HttpResponseRedirect(self.get_success_url())


class RecuperarEnviado(auth_views.PasswordResetDoneView):
    template_name = "cuentas/recuperar_enviado.html"


class Restablecer(auth_views.PasswordResetConfirmView):
    form_class = NuevaContrasenaForm
    template_name = "cuentas/restablecer.html"
    success_url = reverse_lazy("cuentas:restablecida")

    def form_valid(self, form):
        respuesta = super().form_valid(form)
        services.contrasena_restablecida(usuario=form.user)
        return respuesta


class Restablecida(auth_views.PasswordResetCompleteView):
    template_name = "cuentas/restablecida.html"


# --- Accesos (coordinación) ---


@never_cache
@requiere_permiso("cuentas.desbloquear_cuentas")
def accesos(request):
    """Cuentas y conexiones bloqueadas, el segundo factor del personal y la bitácora."""
    personal = list(selectors.personal_con_segundo_factor())
    for persona in personal:
        persona.exige = selectors.exige_por_rol(persona)
    return render(
        request,
        "cuentas/accesos.html",
        {
            **selectors.bloqueos_vigentes(),
            "personal": personal,
            "bitacora": selectors.bitacora_reciente(),
            "limite": settings.AXES_FAILURE_LIMIT,
            "limite_ip": settings.CUENTAS_FALLOS_LIMITE_IP,
            "puede_reiniciar": request.user.has_perm("cuentas.reiniciar_segundo_factor"),
        },
    )


@requiere_permiso("cuentas.desbloquear_cuentas")
@require_POST
def desbloquear(request):
    """Levanta el bloqueo de una cuenta (`usuario`) o de una conexión (`ip`)."""
    usuario = request.POST.get("usuario", "").strip()
    ip = request.POST.get("ip", "").strip()
    if usuario:
        services.desbloquear_cuenta(actor=request.user, usuario=usuario)
        messages.success(request, _("La cuenta «%(u)s» puede volver a entrar.") % {"u": usuario})
    elif ip := ip_valida(ip):
        services.desbloquear_conexion(actor=request.user, ip=ip)
        messages.success(
            request, _("La conexión %(ip)s puede volver a intentar entrar.") % {"ip": ip}
        )
    else:
        messages.error(request, _("Elija la cuenta o la conexión que quiere desbloquear."))
    return redirect("cuentas:accesos")


@requiere_permiso("cuentas.reiniciar_segundo_factor")
@require_POST
def reiniciar_factor(request):
    """Quita la app y los códigos de recuperación de otra persona (perdió su teléfono)."""
    cuenta = selectors.cuenta_por_id(pk=request.POST.get("usuario", ""))
    if cuenta is None:
        messages.error(request, _("Elija a la persona cuya verificación quiere reiniciar."))
    else:
        services.reiniciar_segundo_factor(
            actor=request.user, cuenta=cuenta, origen=OrigenEventoCuenta.WEB
        )
        messages.success(
            request,
            _(
                "Se reinició la verificación en dos pasos de %(nombre)s: al entrar dará de alta "
                "su app otra vez."
            )
            % {"nombre": nombre_de(cuenta)},
        )
    return redirect("cuentas:accesos")

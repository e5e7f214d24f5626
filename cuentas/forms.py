from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from . import services


class SinDosPuntos:
    """Etiquetas sin «:» al final, como en el resto del sistema."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class EntrarForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _("Usuario o contraseña incorrectos. Revise mayúsculas y minúsculas."),
        "inactive": _("Esta cuenta está desactivada. Pida a la coordinación que la revise."),
    }


class CodigoForm(SinDosPuntos, forms.Form):
    codigo = forms.CharField(
        label=_("Código"),
        max_length=20,
        help_text=_(
            "Los 6 dígitos que muestra su app de autenticación, o uno de sus códigos de "
            "recuperación."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
        error_messages={"required": _("Escriba el código.")},
    )


class PrimerCodigoForm(CodigoForm):
    """Al dar de alta la app: solo el código de 6 dígitos."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        campo = self.fields["codigo"]
        campo.label = _("Código de 6 dígitos que muestra su app")
        campo.help_text = _("Cambia cada 30 segundos; escriba el que aparece ahora.")
        campo.widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})
        # Primero hay que leer los pasos y escanear: el foco no salta al campo.
        campo.widget.attrs.pop("autofocus", None)


class ConfirmarContrasenaForm(SinDosPuntos, forms.Form):
    """Pide la contraseña actual antes de un cambio delicado (quitar el segundo paso)."""

    password = forms.CharField(
        label=_("Su contraseña actual"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Escriba su contraseña.")},
    )

    def __init__(self, usuario, *args, **kwargs):
        self.usuario = usuario
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.usuario.check_password(password):
            raise forms.ValidationError(_("La contraseña no es correcta."))
        return password


class _Contrasenas:
    """Etiquetas y mensajes en el español de la oficina para los formularios de Django."""

    def _ajustar(self):
        nueva = self.fields["new_password1"]
        nueva.label = _("Contraseña nueva")
        nueva.help_text = password_validation.password_validators_help_text_html()
        otra_vez = self.fields["new_password2"]
        otra_vez.label = _("Escriba otra vez la contraseña nueva")
        otra_vez.help_text = _("Para confirmar, escríbala igual que arriba.")
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": _("Las dos contraseñas nuevas no coinciden."),
        }

    def validate_password_for_user(self, user, password_field_name="new_password2"):
        # Lo que falla (corta, común, parecida) se dice junto a donde se escribió primero.
        return super().validate_password_for_user(user, "new_password1")


class CambiarContrasenaForm(SinDosPuntos, _Contrasenas, auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": _("Su contraseña actual no es correcta. Escríbala de nuevo."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Contraseña actual")
        self._ajustar()


class NuevaContrasenaForm(SinDosPuntos, _Contrasenas, auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._ajustar()


class RecuperarForm(SinDosPuntos, auth_forms.PasswordResetForm):
    """Pide el enlace por correo. El correo lo arma y envía el worker (ver
    `services.pedir_recuperacion`): aquí solo se encola, exista o no la cuenta."""

    email = forms.EmailField(
        label=_("Correo electrónico de su cuenta"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": _("Escriba su correo electrónico."),
            "invalid": _("Escriba un correo válido, por ejemplo nombre@municipio.gob.mx."),
        },
    )

    def save(self, **kwargs):
        for usuario in self.get_users(self.cleaned_data["email"]):
            services.pedir_recuperacion(usuario=usuario)

"""Formularios de la administración de la oficina."""

from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from casos.catalogos import ROLES
from casos.models import (
    HorarioSala,
    PerfilMediador,
    PlazoConservacion,
    traslapes_de_horario,
    validar_logo,
)
from cuentas.models import Personal
from cuentas.services import roles_de, validar_personal

from .services import revisar_constancia

NOMBRES_DE_ROL = {
    "operador": _("Operación (línea y módulos)"),
    "coordinador": _("Coordinación"),
    "mediador": _("Mediación (persona facilitadora)"),
    "asesor": _("Asesoría"),
    "direccion": _("Dirección"),
}


class CampoRoles(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return NOMBRES_DE_ROL.get(obj.name, obj.name)


class PersonalForm(forms.ModelForm):
    """Solo los datos de la persona y los roles del proyecto: ni superusuario, ni personal
    del sistema, ni permisos sueltos (esos campos no existen en este formulario)."""

    roles = CampoRoles(
        label=_("Roles"),
        queryset=Group.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Qué hace la persona en la oficina. Sin ningún rol no ve nada del personal."),
    )

    class Meta:
        model = Personal
        fields = ["username", "first_name", "last_name", "email", "is_active"]
        labels = {"is_active": _("cuenta activa")}
        help_texts = {
            "username": _("Con el que entra al sistema: letras, números y @ . + - _"),
            "email": _("Ahí le llega el enlace para poner su contraseña."),
            "is_active": _("Desactive la cuenta en vez de borrarla: su historia se conserva."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = Group.objects.filter(name__in=ROLES).order_by("name")
        self.fields["email"].required = True
        self.fields["first_name"].required = True
        if self.instance.pk:
            self.initial["roles"] = list(
                Group.objects.filter(name__in=roles_de(self.instance)).values_list("pk", flat=True)
            )

    actor = None  # quien edita; lo pone la administración (PersonalAdmin.get_form)

    def roles_elegidos(self) -> list[str]:
        return [grupo.name for grupo in self.cleaned_data.get("roles", [])]

    def clean(self):
        datos = super().clean()
        if self.actor is not None and not self.errors:
            self.instance.is_active = datos.get("is_active", self.instance.is_active)
            try:
                validar_personal(
                    actor=self.actor, cuenta=self.instance, roles=self.roles_elegidos()
                )
            except ValidationError as error:
                campo = error.code if error.code in ("roles", "is_active") else None
                self.add_error(campo, error)
        return datos


class ArchivoConstancia(forms.FileField):
    widget = forms.FileInput  # sin el enlace «actualmente» a una URL que no se sirve

    def to_python(self, data):
        archivo = super().to_python(data)
        if archivo is not None:
            revisar_constancia(archivo)
        return archivo


class PerfilMediadorForm(forms.ModelForm):
    certificado = ArchivoConstancia(
        label=_("Escaneo de la constancia"),
        required=False,
        help_text=_("PDF, JPG o PNG. Se guarda fuera de la parte pública del sistema."),
    )

    class Meta:
        model = PerfilMediador
        fields = ["usuario", "numero_certificacion", "autoridad_emisora", "fecha_expedicion"]
        widgets = {"fecha_expedicion": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "fecha_expedicion": _(
                "«Vigente hasta» se calcula con esta fecha y los años de vigencia (LGMASC art. 55)."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "usuario" in self.fields:
            self.fields["usuario"].queryset = Personal.objects.filter(
                groups__name="mediador", is_superuser=False, is_staff=False
            ).distinct()
        if not (self.instance.pk and self.instance.certificado_hasta):
            self.fields["fecha_expedicion"].required = True


class HorarioSalaForm(forms.ModelForm):
    """En la tabla del inline la etiqueta es el encabezado de la columna: cada campo lleva
    la suya para los lectores de pantalla."""

    class Meta:
        model = HorarioSala
        fields = ["dia_semana", "abre", "cierra"]
        widgets = {
            "dia_semana": forms.Select(attrs={"aria-label": _("Día")}),
            "abre": forms.TimeInput(
                attrs={"type": "time", "aria-label": _("Abre")}, format="%H:%M"
            ),
            "cierra": forms.TimeInput(
                attrs={"type": "time", "aria-label": _("Cierra")}, format="%H:%M"
            ),
        }


class HorariosFormSet(BaseInlineFormSet):
    """Los horarios de una sala: cada uno abre antes de cerrar (lo revisa el modelo) y, el
    mismo día, ninguno se encima con otro."""

    def clean(self):
        super().clean()
        intervalos = [
            (f.cleaned_data["dia_semana"], f.cleaned_data["abre"], f.cleaned_data["cierra"])
            for f in self.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and all(f.cleaned_data.get(c) is not None for c in ("dia_semana", "abre", "cierra"))
        ]
        errores = traslapes_de_horario(intervalos)
        if errores:
            raise ValidationError(errores)


class CampoLogotipo(forms.ImageField):
    """Revisa los píxeles por la cabecera antes de que Pillow abra la imagen completa: a la
    que pasa de su propio tope la rechaza con un mensaje genérico, y hay que decir cuánto
    mide y cuánto se admite."""

    def to_python(self, data):
        if data:
            validar_logo(data)
        return super().to_python(data)


class ProponerInhabilesForm(forms.Form):
    anio = forms.IntegerField(label=_("año"), min_value=2000, max_value=2100)


class ConfirmarInhabilesForm(forms.Form):
    anio = forms.IntegerField(widget=forms.HiddenInput, min_value=2000, max_value=2100)
    fechas = forms.MultipleChoiceField(
        label=_("días que se agregan"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, propuestas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fechas"].choices = [
            (p.fecha.isoformat(), f"{p.fecha:%d/%m/%Y} — {p.motivo}") for p in propuestas
        ]


class PlazoConservacionForm(forms.ModelForm):
    """Los años de un plazo de conservación, con mensajes en palabras de la oficina."""

    class Meta:
        model = PlazoConservacion
        fields = ["tipo", "resultado", "bloquear_anios", "suprimir_anios", "fundamento"]
        error_messages = {
            NON_FIELD_ERRORS: {
                "unique_together": _(
                    "Ya hay un plazo para ese tipo de expediente y resultado: cambie ese renglón."
                )
            },
            "fundamento": {"required": _("Escriba la serie o el acuerdo que fija el plazo.")},
        }

    def clean(self):
        datos = super().clean()
        bloquear, suprimir = datos.get("bloquear_anios"), datos.get("suprimir_anios")
        if bloquear is not None and bloquear < 1:
            self.add_error(
                "bloquear_anios",
                _("El bloqueo debe llegar al menos un año después de la conclusión."),
            )
        if bloquear is not None and suprimir is not None and suprimir < bloquear:
            self.add_error(
                "suprimir_anios",
                _("La supresión no puede llegar antes que el bloqueo: ponga al menos %(n)s.")
                % {"n": bloquear},
            )
        return datos

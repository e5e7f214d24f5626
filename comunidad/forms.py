"""Formularios de los avisos comunitarios. Las reglas las valida el servicio; aquí, la forma."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casos.forms import CatalogoChoiceField, FormularioBase, TelefonoField
from casos.models import AvisoPrivacidad, Localidad

from . import longitud
from .models import CanalContacto, FormaConsentimiento, Lista
from .services import validar_texto


class ListasField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": _("Una de las listas elegidas ya no existe."),
                "invalid_pk_value": _("Elija las listas de la lista."),
            },
        )
        super().__init__(Lista.objects.select_related("localidad"), **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.nombre} ({obj.localidad})"


class ContactoForm(FormularioBase):
    nombre = forms.CharField(label=_("Nombre"), max_length=150)
    telefono = TelefonoField(label=_("Teléfono celular"))
    canal = forms.ChoiceField(
        label=_("Recibe los avisos por"),
        choices=CanalContacto.choices,
        widget=forms.RadioSelect,
        initial=CanalContacto.SMS,
    )
    cargo = forms.CharField(
        label=_("Cargo en la comunidad"),
        max_length=120,
        required=False,
        help_text=_("Por ejemplo: delegada municipal, comité de agua potable, líder."),
    )
    localidad = CatalogoChoiceField(Localidad.objects.none(), label=_("Localidad"))
    listas = ListasField(label=_("Listas"), required=False)
    consentimiento_fecha = forms.DateField(
        label=_("Fecha en que dio su consentimiento"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Déjela vacía si aún no lo da: no se le enviará ningún aviso."),
        error_messages={"invalid": _("Escriba una fecha válida, por ejemplo 24/11/2026.")},
    )
    consentimiento_forma = forms.ChoiceField(
        label=_("Cómo lo dio"),
        choices=[("", _("— Elija —")), *FormaConsentimiento.choices],
        required=False,
    )
    consentimiento_ante = forms.CharField(
        label=_("Ante quién o en qué documento"),
        max_length=150,
        required=False,
        help_text=_("De palabra: ante quién. Por escrito o en formulario: cuál (folio, nombre)."),
    )
    consentimiento_aviso = CatalogoChoiceField(
        AvisoPrivacidad.objects.none(),
        label=_("Versión del aviso de privacidad que se le dio a conocer"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["localidad"].queryset = Localidad.objects.activos()
        self.fields["consentimiento_aviso"].queryset = AvisoPrivacidad.objects.all()
        if not self.is_bound and "consentimiento_aviso" not in self.initial:
            self.initial["consentimiento_aviso"] = AvisoPrivacidad.vigente()

    def consentimiento(self) -> dict:
        datos = self.cleaned_data
        return {
            "fecha": datos.get("consentimiento_fecha"),
            "forma": datos.get("consentimiento_forma"),
            "ante": datos.get("consentimiento_ante", ""),
            "aviso": datos.get("consentimiento_aviso"),
        }


class ListaForm(FormularioBase):
    nombre = forms.CharField(
        label=_("Nombre de la lista"),
        max_length=150,
        help_text=_("Por ejemplo: «Milpillas: comité y delegados»."),
    )
    localidad = CatalogoChoiceField(Localidad.objects.none(), label=_("Localidad"))
    descripcion = forms.CharField(label=_("Para qué es"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["localidad"].queryset = Localidad.objects.activos()


class AvisoForm(FormularioBase):
    texto = forms.CharField(
        label=_("Texto del aviso"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Corto y claro: qué, dónde y cuándo. Por ejemplo: «Módulo itinerante en Milpillas el "
            "sábado 12, 9 a 13 h, en la plaza». La firma y el pie para darse de baja se agregan "
            "solos."
        ),
        error_messages={"required": _("Escriba el texto del aviso.")},
    )
    listas = ListasField(
        label=_("A qué listas"),
        error_messages={"required": _("Elija al menos una lista.")},
    )

    def clean_texto(self):
        try:
            return validar_texto(self.cleaned_data["texto"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None

    def medida(self) -> longitud.Longitud:
        return longitud.medir(self.data.get("texto", "") if self.is_bound else "")

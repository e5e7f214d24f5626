"""Formularios de documentos: subir el ejemplar firmado y armar una remisión al registro."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casos.forms import limpiar_textos, preparar_textos

from .archivos import revisar_escaneo
from .selectors import convenios_remitibles


class FormularioFirmado(forms.Form):
    archivo = forms.FileField(
        label=_("Ejemplar firmado (PDF, JPG o PNG)"),
        error_messages={
            "required": _("Elija el archivo escaneado."),
            "empty": _("El archivo está vacío."),
            "invalid": _("No se recibió un archivo; vuelva a elegirlo."),
        },
    )

    def clean_archivo(self):
        archivo = self.cleaned_data["archivo"]
        revisar_escaneo(archivo)
        return archivo


class ConvenioElegible(forms.ModelMultipleChoiceField):
    def label_from_instance(self, convenio):
        firmado = timezone.localtime(convenio.firmado_en).strftime("%d/%m/%Y")
        return _("%(folio)s · firmado el %(fecha)s · %(tipo)s%(prevenido)s") % {
            "folio": convenio.caso.folio,
            "fecha": firmado,
            "tipo": convenio.get_tipo_display().lower(),
            "prevenido": _(" · corregido tras prevención")
            if convenio.estado_registro == "prevenido"
            else "",
        }


class FormularioTextos(forms.Form):
    """Textos con el mensaje de largo máximo del proyecto y limpios al validarse."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        preparar_textos(self)

    def clean(self):
        return limpiar_textos(self, super().clean())


class FormularioRemision(FormularioTextos):
    convenios = ConvenioElegible(
        label=_("Convenios firmados por remitir"),
        queryset=convenios_remitibles(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Elija al menos un convenio para remitir."),
            "invalid_choice": _("Uno de los convenios elegidos ya no está por remitir."),
            "invalid_pk_value": _("Uno de los convenios elegidos no existe."),
        },
    )
    destinatario = forms.CharField(
        label=_("Dirigido a"),
        max_length=300,
        error_messages={"required": _("Indique a quién va dirigido el oficio.")},
    )

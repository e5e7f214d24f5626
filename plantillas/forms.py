"""Formularios de documentos: subir el ejemplar firmado y armar una remisión al registro."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .services import remitibles


class FormularioFirmado(forms.Form):
    archivo = forms.FileField(
        label=_("Ejemplar firmado (PDF, JPG o PNG)"),
        error_messages={
            "required": _("Elija el archivo escaneado."),
            "empty": _("El archivo está vacío."),
            "invalid": _("No se recibió un archivo; vuelva a elegirlo."),
        },
    )


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


class FormularioRemision(forms.Form):
    convenios = ConvenioElegible(
        label=_("Convenios firmados por remitir"),
        queryset=remitibles(),
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

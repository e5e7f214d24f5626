"""Formulario de la decisión sobre un posible duplicado capturado en campo."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casos.forms import FormularioBase
from casos.services import DecisionDuplicado


class DecisionForm(FormularioBase):
    accion = forms.ChoiceField(
        label=_("¿Qué hacemos con esta solicitud?"),
        choices=DecisionDuplicado.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Elija qué hacer con esta solicitud.")},
    )
    caso_existente = forms.CharField(label=_("Caso existente"), required=False, max_length=20)

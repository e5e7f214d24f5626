from django import forms
from django.utils.translation import gettext_lazy as _

DIA = "dia"
SEMANA = "semana"


class FechaForm(forms.Form):
    """El día que se quiere ver y si es el día solo o su semana."""

    fecha = forms.DateField(
        label=_("Ir a la fecha"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Escriba una fecha válida, por ejemplo 24/11/2026.")},
    )
    vista = forms.ChoiceField(
        label=_("Ver"),
        required=False,
        choices=[(DIA, _("Día")), (SEMANA, _("Semana"))],
    )

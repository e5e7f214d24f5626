"""Formularios de las tareas de una solicitud ARCO. Validan la forma de lo escrito; las
reglas (una sola ampliación, identidad antes de tocar datos…) las dicen los servicios."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casos.forms import FormularioBase, TelefonoField
from casos.models import (
    DATOS_DE_PARTE,
    CausaImprocedencia,
    EstadoCivil,
    MedioIdentidad,
    Parte,
    Sentido,
    UsoOpuesto,
)

ELIJA = [("", _("— Elija —"))]


class PartesField(forms.ModelMultipleChoiceField):
    """Renglones de parte elegidos con casillas: «Nombre (rol) · folio del caso»."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Elija al menos un renglón de datos."),
                "invalid_choice": _("Elija datos de la lista."),
                "invalid_pk_value": _("Elija datos de la lista."),
            },
        )
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, parte):
        return f"{parte.nombre} ({parte.get_rol_display().lower()}) · {parte.caso.folio}"


class AcreditarForm(FormularioBase):
    identidad_medio = forms.ChoiceField(
        label=_("Cómo se acreditó la identidad"), choices=ELIJA + list(MedioIdentidad.choices)
    )
    identidad_detalle = forms.CharField(
        label=_("Documento revisado"),
        max_length=200,
        help_text=_("Tipo de documento y lo mínimo para identificarlo; nunca una copia."),
    )


class RequerirForm(FormularioBase):
    requerimiento = forms.CharField(
        label=_("Qué información o documento necesita de la persona"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Se pide una sola vez. Mientras la persona no lo entregue, el plazo de respuesta "
            "se detiene."
        ),
    )


class SinIdentidadForm(FormularioBase):
    """La identidad no se acreditó (y ya no se puede pedir más): se responde que no procede
    por esa causa."""

    fundamento = forms.CharField(
        label=_("Fundamento"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    respuesta = forms.CharField(
        label=_("Respuesta para la persona"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class DesahogoForm(FormularioBase):
    desahogo = forms.CharField(
        label=_("Qué entregó la persona"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class NoPresentadaForm(FormularioBase):
    """Sin datos: el botón confirma; el servicio revisa que ya venció el término."""


class IdentificarForm(FormularioBase):
    def __init__(self, *args, partes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partes"] = PartesField(
            Parte.objects.filter(pk__in=[p.pk for p in partes]).select_related("caso"),
            label=_("Renglones que son de la persona titular"),
            required=False,
        )


class RectificarForm(FormularioBase):
    """Los datos rectificables de un renglón de parte, con sus valores de hoy."""

    parte = forms.IntegerField(widget=forms.HiddenInput)
    nombre = forms.CharField(label=_("Nombre completo"), max_length=200)
    telefono = TelefonoField(label=_("Teléfono"), required=False)
    correo = forms.EmailField(
        label=_("Correo electrónico"),
        required=False,
        error_messages={"invalid": _("Escriba un correo válido, por ejemplo nombre@correo.com.")},
    )
    domicilio = forms.CharField(label=_("Domicilio"), max_length=300, required=False)
    edad = forms.IntegerField(
        label=_("Edad"),
        required=False,
        min_value=0,
        max_value=130,
        error_messages={"invalid": _("Escriba la edad en años, solo con números.")},
    )
    nacionalidad = forms.CharField(label=_("Nacionalidad"), max_length=60, required=False)
    estado_civil = forms.ChoiceField(
        label=_("Estado civil"), choices=ELIJA + list(EstadoCivil.choices), required=False
    )
    ocupacion = forms.CharField(label=_("Ocupación"), max_length=120, required=False)
    representante = forms.CharField(
        label=_("Representante o apoderado"), max_length=200, required=False
    )

    CAMPOS = DATOS_DE_PARTE

    @classmethod
    def de_parte(cls, parte: Parte) -> "RectificarForm":
        inicial = {c: getattr(parte, c) for c in cls.CAMPOS}
        form = cls(initial={"parte": parte.pk, **inicial}, auto_id=f"id_r{parte.pk}_%s")
        form.parte_obj = parte
        return form

    def datos(self) -> dict:
        return {c: self.cleaned_data[c] for c in self.CAMPOS}


class BloquearForm(FormularioBase):
    def __init__(self, *args, partes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partes"] = PartesField(
            Parte.objects.filter(pk__in=[p.pk for p in partes]).select_related("caso"),
            label=_("Datos que se bloquean"),
        )
        self.fields["motivo"] = forms.CharField(
            label=_("Motivo del bloqueo"), max_length=250, required=False
        )


class OposicionForm(FormularioBase):
    def __init__(self, *args, partes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partes"] = PartesField(
            Parte.objects.filter(pk__in=[p.pk for p in partes]).select_related("caso"),
            label=_("Datos a los que se aplica"),
        )
        self.fields["usos"] = forms.MultipleChoiceField(
            label=_("Usos a los que se opone"),
            choices=UsoOpuesto.choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Elija a qué uso de sus datos se opone la persona.")},
        )


class AmpliarForm(FormularioBase):
    motivo = forms.CharField(
        label=_("Por qué se necesita más tiempo"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("La persona recibe este motivo. El plazo se amplía una sola vez."),
    )


class ResponderForm(FormularioBase):
    sentido = forms.ChoiceField(label=_("Sentido"), choices=ELIJA + list(Sentido.choices))
    causa_improcedencia = forms.ChoiceField(
        label=_("Causa por la que no procede"),
        choices=ELIJA + list(CausaImprocedencia.choices),
        required=False,
        help_text=_("Solo si no procede, en todo o en parte."),
    )
    fundamento = forms.CharField(
        label=_("Fundamento"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    respuesta = forms.CharField(
        label=_("Respuesta para la persona"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

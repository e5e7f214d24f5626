"""Formularios de las solicitudes de derechos ARCO: el público (`/arco/`) y la captura del
personal por teléfono o en persona. Las reglas de dominio (contacto según el medio de
respuesta, largos) las valida el servicio; aquí, la forma de cada dato."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from casos.forms import MENSAJE_OBLIGATORIO, FormularioBase, TelefonoField
from casos.models import Canal, Derecho, EstadoARCO, MedioRespuesta

CANALES_DEL_PERSONAL = (Canal.TELEFONO, Canal.PRESENCIAL, Canal.MODULO)


# Qué dato exige cada medio de respuesta (los mismos mensajes que el servicio).
CONTACTO_DEL_MEDIO = {
    MedioRespuesta.CORREO: ("correo", _("Escriba el correo donde quiere la respuesta.")),
    MedioRespuesta.SMS: ("telefono", _("Escriba el teléfono para el mensaje.")),
    MedioRespuesta.WHATSAPP: ("telefono", _("Escriba el teléfono de WhatsApp.")),
    MedioRespuesta.DOMICILIO: (
        "domicilio",
        _("Escriba el domicilio donde quiere recibir la respuesta."),
    ),
}


class SolicitudARCOBaseForm(FormularioBase):
    """Quién es la persona, qué derecho ejerce, sobre qué datos y cómo quiere la respuesta."""

    nombre = forms.CharField(
        label=_("Nombre completo de la persona titular de los datos"), max_length=200
    )
    representante = forms.CharField(
        label=_("Nombre de quien la representa (si es el caso)"),
        max_length=200,
        required=False,
        help_text=_("Déjelo vacío si la solicitud es por usted misma o usted mismo."),
    )
    derecho = forms.ChoiceField(
        label=_("¿Qué derecho quiere ejercer?"),
        choices=Derecho.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Elija uno de los derechos de la lista.")},
    )
    descripcion = forms.CharField(
        label=_("¿De qué datos se trata y qué pide?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_(
            "Describa los datos y lo que pide: en rectificación, la corrección; en cancelación "
            "u oposición, las causas o el uso al que se opone."
        ),
    )
    folios_referidos = forms.CharField(
        label=_("Folios de sus casos (si los conoce)"),
        max_length=300,
        required=False,
        help_text=_("Por ejemplo MED-2026-00042; ayudan a localizar sus datos."),
    )
    medio_respuesta = forms.ChoiceField(
        label=_("¿Cómo quiere recibir la respuesta?"),
        choices=MedioRespuesta.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Elija uno de los medios de la lista.")},
    )
    telefono = TelefonoField(label=_("Teléfono"), required=False)
    correo = forms.EmailField(
        label=_("Correo electrónico"),
        required=False,
        error_messages={"invalid": _("Escriba un correo válido, por ejemplo nombre@correo.com.")},
    )
    domicilio = forms.CharField(
        label=_("Domicilio para recibir notificaciones"), max_length=300, required=False
    )
    aviso = forms.BooleanField(
        label=_("He leído y acepto el aviso de privacidad simplificado"), required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nombre, campo in self.fields.items():
            if campo.required and nombre != "aviso":
                campo.error_messages["required"] = MENSAJE_OBLIGATORIO
        self.fields["derecho"].error_messages["required"] = _("Elija qué derecho quiere ejercer.")
        self.fields["medio_respuesta"].error_messages["required"] = _(
            "Elija cómo quiere recibir la respuesta."
        )
        self.fields["aviso"].error_messages["required"] = _(
            "Para registrar la solicitud es necesario aceptar el aviso de privacidad."
        )
        self.fields["nombre"].widget.attrs["autocomplete"] = "name"
        self.fields["correo"].widget.attrs["autocomplete"] = "email"
        self.fields["domicilio"].widget.attrs["autocomplete"] = "street-address"

    def clean(self):
        """El dato de contacto que pide el medio de respuesta elegido (el servicio lo vuelve a
        revisar; aquí se dice junto con los demás errores, de una vez)."""
        datos = super().clean()
        campo, mensaje = CONTACTO_DEL_MEDIO.get(datos.get("medio_respuesta"), (None, None))
        if campo and not datos.get(campo) and campo not in self.errors:
            self.add_error(campo, mensaje)
        return datos

    def solicitud(self, *, canal: str, aviso, actor) -> dict:
        """Los argumentos de `recibir_solicitud_arco` con lo capturado."""
        d = self.cleaned_data
        return {
            "derecho": d["derecho"],
            "canal": canal,
            "nombre": d["nombre"],
            "representante": d.get("representante", ""),
            "descripcion": d["descripcion"],
            "folios_referidos": d.get("folios_referidos", ""),
            "medio_respuesta": d["medio_respuesta"],
            "telefono": d.get("telefono", ""),
            "correo": d.get("correo", ""),
            "domicilio": d.get("domicilio", ""),
            "aviso_version": aviso.version if aviso else "",
            "actor": actor,
        }

    def agregar_errores_servicio(self, error: ValidationError) -> None:
        """Pega los errores de dominio del servicio junto al campo que corresponde."""
        for campo, mensajes in error.message_dict.items():
            destino = campo if campo in self.fields and campo != NON_FIELD_ERRORS else None
            for mensaje in mensajes:
                self.add_error(destino, mensaje)


class SolicitudARCOPublicaForm(SolicitudARCOBaseForm):
    """Formulario ciudadano en /arco/. 'sitio_web' es una trampa para robots."""

    sitio_web = forms.CharField(required=False, label=_("No llene este campo"))

    def es_robot(self) -> bool:
        return bool(self.data.get("sitio_web"))


class SolicitudARCOPersonalForm(SolicitudARCOBaseForm):
    """Captura del personal: la persona llama o se presenta en la oficina o en un módulo."""

    canal = forms.ChoiceField(
        label=_("¿Cómo llegó la solicitud?"),
        choices=[(c.value, c.label) for c in CANALES_DEL_PERSONAL],
        widget=forms.RadioSelect,
        initial=Canal.TELEFONO,
        error_messages={"invalid_choice": _("Elija uno de los canales de la lista.")},
    )
    aviso = forms.BooleanField(
        label=_("Leí el aviso de privacidad simplificado y la persona lo aceptó"), required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["canal"].error_messages["required"] = _("Elija cómo llegó la solicitud.")
        self.order_fields(["canal"])


PLAZOS_FILTRO = (
    ("", _("Todas")),
    ("vencidas", _("Vencidas")),
    ("por_vencer", _("Por vencer")),
)


class FiltroSolicitudesForm(forms.Form):
    """Filtros de la lista del personal (todos opcionales)."""

    q = forms.CharField(label=_("Folio o nombre"), required=False, max_length=100)
    estado = forms.ChoiceField(
        label=_("Estado"),
        required=False,
        choices=[("", _("Abiertas")), ("todas", _("Todas")), *EstadoARCO.choices],
    )
    derecho = forms.ChoiceField(
        label=_("Derecho"), required=False, choices=[("", _("Todos")), *Derecho.choices]
    )
    plazo = forms.ChoiceField(label=_("Plazo"), required=False, choices=PLAZOS_FILTRO)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

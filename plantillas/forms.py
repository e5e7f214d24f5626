"""Formularios de documentos: los datos de la invitación, subir el ejemplar firmado y armar
una remisión al registro."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casos.forms import limpiar_textos, preparar_textos
from casos.models import Caso, Centro, EstadoSesion
from casos.services.comun import calendario

from .archivos import revisar_escaneo
from .models import TipoDocumento
from .selectors import convenios_remitibles, ultima_version


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


class FormularioInvitacion(FormularioTextos):
    """Art. 72: la invitación dice fecha y lugar de la sesión a la que se invita."""

    inicio = forms.DateTimeField(
        label=_("Fecha y hora de la sesión a la que se invita"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        error_messages={
            "required": _("Indique la fecha y la hora de la sesión."),
            "invalid": _("Escriba la fecha y la hora como 26/11/2026 10:00."),
        },
    )
    lugar = forms.CharField(
        label=_("Lugar de la sesión"),
        max_length=250,
        error_messages={"required": _("Indique el lugar de la sesión.")},
    )

    def clean_inicio(self):
        inicio = self.cleaned_data["inicio"]
        if inicio <= timezone.now():
            raise forms.ValidationError(gettext("La sesión debe ser en una fecha futura."))
        motivo = calendario().motivo_inhabil(timezone.localdate(inicio))
        if motivo:
            raise forms.ValidationError(
                gettext("El %(fecha)s no es día hábil (%(motivo)s).")
                % {"fecha": timezone.localtime(inicio).strftime("%d/%m/%Y"), "motivo": motivo}
            )
        return inicio

    def datos(self) -> dict:
        return {
            "inicio": self.cleaned_data["inicio"].isoformat(),
            "lugar": self.cleaned_data["lugar"].strip(),
        }


def inicial_invitacion(caso: Caso, referencia: str) -> dict:
    """Lo que se capturó en la versión anterior de esa invitación; si no hay, la sesión ya
    programada o el domicilio del centro."""
    anterior = ultima_version(caso=caso, tipo=TipoDocumento.INVITACION, referencia=referencia)
    if anterior is not None and anterior.datos.get("inicio"):
        return {
            "inicio": timezone.localtime(datetime.fromisoformat(anterior.datos["inicio"])),
            "lugar": anterior.datos.get("lugar", ""),
        }
    sesion = caso.sesiones.filter(estado=EstadoSesion.PROGRAMADA).order_by("inicio").first()
    if sesion is not None:
        return {"inicio": timezone.localtime(sesion.inicio), "lugar": sesion.donde}
    return {"lugar": Centro.actual().domicilio}

"""Formularios de la importación: el archivo y la relación de columnas."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .campos import CAMPOS

SIN_COLUMNA = ""


class FormularioArchivo(forms.Form):
    archivo = forms.FileField(
        label=_("Archivo del registro anterior (CSV o XLSX)"),
        error_messages={
            "required": _("Elija el archivo que quiere importar."),
            "empty": _("El archivo está vacío."),
            "invalid": _("No se recibió un archivo; vuelva a elegirlo."),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["archivo"].help_text = gettext(
            "Hasta %(mb)d MB y %(renglones)s renglones. La primera fila lleva los nombres de "
            "las columnas; de un libro de Excel se lee la primera hoja."
        ) % {
            "mb": settings.IMPORTACION_MAX_MB,
            "renglones": f"{settings.IMPORTACION_MAX_RENGLONES:,}",
        }
        self.fields["archivo"].widget.attrs["accept"] = (
            ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )


class FormularioColumnas(forms.Form):
    """Un campo por dato del sistema; cada uno elige una columna del archivo (o ninguna)."""

    def __init__(self, *args, encabezados: list[str], ejemplos: list[list[str]], **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        opciones = [(SIN_COLUMNA, gettext("— no está en el archivo —"))]
        for indice, encabezado in enumerate(encabezados):
            muestra = ", ".join(ejemplos[indice]) if indice < len(ejemplos) else ""
            texto = f"{encabezado} (p. ej. {muestra})" if muestra else encabezado
            opciones.append((str(indice), texto[:120]))
        for campo in CAMPOS:
            etiqueta = f"{campo.etiqueta} *" if campo.obligatorio else str(campo.etiqueta)
            self.fields[campo.clave] = forms.ChoiceField(
                label=etiqueta,
                choices=opciones,
                required=False,
                help_text=campo.ayuda,
            )

    def columnas(self) -> dict[str, int | None]:
        return {
            clave: (int(valor) if valor != SIN_COLUMNA else None)
            for clave, valor in self.cleaned_data.items()
        }

    def agregar_errores(self, error) -> None:
        for campo, mensajes in error.message_dict.items():
            self.add_error(campo if campo in self.fields else None, mensajes)

"""Formularios de recepción (personal y público), búsqueda y consulta."""

from datetime import timedelta

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nucleo.entradas import entero_ascii

from . import codigos
from .models import AvisosPor, Categoria, Localidad, Modulo, TipoCaso
from .services import DatosPersona, DecisionDuplicado
from .telefonos import normalizar_telefono
from .texto import limpiar_texto

# Mismo mensaje para todo texto que pasa de su largo; el formulario vuelve con lo escrito.
MENSAJE_LARGO = _("No debe pasar de %(limit_value)d caracteres (lleva %(show_value)d).")
# Una sola forma de decir «obligatorio»: la marca (*) que anuncia la página y este mensaje.
MENSAJE_OBLIGATORIO = _("Este dato es obligatorio.")
# Margen para el reloj de un equipo de campo adelantado unos minutos respecto al servidor.
TOLERANCIA_RELOJ = timedelta(minutes=10)
_CLASES_DE_DJANGO = (forms.Field, forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField)


def _obligatorio_de_django() -> set[str]:
    """El mensaje de Django para un dato que falta, en el idioma activo (calcularlo al
    importar lo dejaría en el idioma de ese momento, y no se reconocería después)."""
    return {str(c.default_error_messages.get("required", "")) for c in _CLASES_DE_DJANGO}


def preparar_textos(form: forms.BaseForm) -> None:
    """Mensaje de largo máximo en español y, en los cuadros de texto largos, sin el
    `maxlength` del navegador: al pegar un texto más largo lo recortaría sin avisar; así se
    rechaza con el mensaje y lo escrito se conserva para recortarlo. El dato obligatorio que
    falta se dice igual en todas partes (`MENSAJE_OBLIGATORIO`)."""
    de_django = _obligatorio_de_django()
    for campo in form.fields.values():
        if str(campo.error_messages.get("required", "")) in de_django:
            campo.error_messages["required"] = MENSAJE_OBLIGATORIO
        if isinstance(campo, forms.CharField) and campo.max_length is not None:
            campo.error_messages["max_length"] = MENSAJE_LARGO
            if isinstance(campo.widget, forms.Textarea):
                campo.widget.attrs.pop("maxlength", None)


def limpiar_textos(form: forms.BaseForm, datos: dict) -> dict:
    """Los textos ya validados, sin controles de dirección ni otros invisibles; los de
    una sola línea, sin saltos."""
    for nombre, valor in datos.items():
        campo = form.fields.get(nombre)
        if isinstance(valor, str) and isinstance(campo, forms.CharField):
            datos[nombre] = limpiar_texto(
                valor, una_linea=not isinstance(campo.widget, forms.Textarea)
            )
    return datos


class TelefonoField(forms.CharField):
    """Acepta '391 123 4567', '+52 391…'; limpia a E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"type": "tel", "inputmode": "tel", "autocomplete": "tel"})
        return attrs

    def clean(self, value):
        return normalizar_telefono(super().clean(value))


class CatalogoChoiceField(forms.ModelChoiceField):
    """Un renglón del catálogo por su id, escrito solo con dígitos ASCII: `int()` también
    aceptaría «١» o «１» como el id 1."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("empty_label", _("— Elija —"))
        kwargs.setdefault("error_messages", {"invalid_choice": _("Elija una opción de la lista.")})
        super().__init__(queryset, **kwargs)

    def to_python(self, value):
        if value in self.empty_values or isinstance(value, self.queryset.model):
            return super().to_python(value)
        if entero_ascii(value if isinstance(value, int) else str(value)) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class FormularioBase(forms.Form):
    """Etiquetas sin dos puntos finales, al estilo de los formularios en español; textos con
    largo máximo y limpios (`preparar_textos`, `limpiar_textos`). La etiqueta de cada dato
    obligatorio lleva la clase `obligatorio` (la hoja de estilos le pone el *), y la página
    lo anuncia (`errores_formulario.html`)."""

    required_css_class = "obligatorio"

    @property
    def tiene_obligatorios(self) -> bool:
        return any(c.required and not c.widget.is_hidden for c in self.fields.values())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        preparar_textos(self)

    def clean(self):
        return limpiar_textos(self, super().clean())


class SolicitudBaseForm(FormularioBase):
    """Campos comunes a toda recepción. Las reglas de dominio las valida el servicio."""

    tipo = forms.ChoiceField(
        label=_("Tipo de solicitud"),
        choices=TipoCaso.choices,
        widget=forms.RadioSelect,
        initial=TipoCaso.MEDIACION,
    )
    categoria = CatalogoChoiceField(Categoria.objects.none(), label=_("Categoría"))
    localidad = CatalogoChoiceField(Localidad.objects.none(), label=_("Localidad"))
    nombre = forms.CharField(label=_("Nombre de quien solicita"), max_length=200)
    telefono = TelefonoField(label=_("Teléfono"), required=False)
    correo = forms.EmailField(
        label=_("Correo electrónico"),
        required=False,
        error_messages={"invalid": _("Escriba un correo válido, por ejemplo nombre@correo.com.")},
    )
    avisos_por = forms.ChoiceField(
        label=_("¿Cómo prefiere recibir avisos de su caso?"),
        choices=AvisosPor.choices,
        required=False,
        initial=AvisosPor.AUTOMATICO,
    )
    resumen = forms.CharField(
        label=_("¿Qué problema quiere resolver?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    otra_nombre = forms.CharField(
        label=_("Nombre de la otra parte"), max_length=200, required=False
    )
    otra_telefono = TelefonoField(label=_("Teléfono de la otra parte"), required=False)
    otra_domicilio = forms.CharField(
        label=_("Domicilio de la otra parte"), max_length=300, required=False
    )
    aviso = forms.BooleanField(label=_("Aviso de privacidad"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categoria"].queryset = Categoria.objects.activos()
        self.fields["localidad"].queryset = Localidad.objects.activos()
        self.fields["aviso"].error_messages["required"] = _(
            "Para registrar la solicitud es necesario aceptar el aviso de privacidad."
        )
        for nombre, campo in self.fields.items():
            if nombre != "aviso":
                campo.error_messages["required"] = MENSAJE_OBLIGATORIO

    def solicitante(self) -> DatosPersona:
        d = self.cleaned_data
        return DatosPersona(
            nombre=d["nombre"],
            telefono=d.get("telefono", ""),
            correo=d.get("correo", ""),
            domicilio=d.get("domicilio", ""),
            avisos_por=d.get("avisos_por", ""),
        )

    def otra_parte(self) -> DatosPersona | None:
        d = self.cleaned_data
        if d["tipo"] != TipoCaso.MEDIACION:
            return None
        return DatosPersona(
            nombre=d.get("otra_nombre", ""),
            telefono=d.get("otra_telefono", ""),
            domicilio=d.get("otra_domicilio", ""),
        )

    def solicitud(self, *, canal: str, aviso, actor) -> dict:
        """Los argumentos de `recibir_solicitud` con lo capturado."""
        d = self.cleaned_data
        return {
            "tipo": d["tipo"],
            "canal": canal,
            "categoria": d["categoria"],
            "localidad": d["localidad"],
            "resumen": d["resumen"],
            "solicitante": self.solicitante(),
            "otra_parte": self.otra_parte(),
            "modulo": d.get("modulo"),
            "recibido_en": d.get("recibido_en") or None,
            "aviso": aviso,
            "actor": actor,
        }

    def agregar_errores_servicio(self, error: ValidationError) -> None:
        """Pega los errores de dominio del servicio junto al campo que corresponde."""
        for campo, mensajes in error.message_dict.items():
            destino = campo if campo in self.fields else None
            if campo == NON_FIELD_ERRORS:
                destino = None
            for mensaje in mensajes:
                self.add_error(destino, mensaje)


class SolicitudPersonalForm(SolicitudBaseForm):
    """Captura del operador (teléfono/oficina) o del módulo itinerante."""

    aviso = forms.BooleanField(
        label=_("Leí el aviso de privacidad simplificado y la persona lo aceptó"), required=True
    )
    domicilio = forms.CharField(
        label=_("Domicilio de quien solicita"), max_length=300, required=False
    )
    # Segundo paso cuando el teléfono ya tiene casos abiertos: qué teléfono se revisó.
    telefono_revisado = forms.CharField(required=False, widget=forms.HiddenInput)
    accion = forms.ChoiceField(
        required=False, choices=DecisionDuplicado.choices, widget=forms.RadioSelect
    )
    caso_existente = forms.CharField(required=False, max_length=20)

    def __init__(self, *args, con_modulo: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["telefono"].required = True
        self.fields["telefono"].error_messages["required"] = _(
            "Anote el teléfono de quien llama: sirve para devolver la llamada."
        )
        if con_modulo:
            hoy = timezone.localdate()
            modulos = Modulo.objects.activos().filter(fecha__lte=hoy).select_related("localidad")
            self.fields["modulo"] = CatalogoChoiceField(
                modulos,
                label=_("Módulo itinerante"),
                # Se empieza por el módulo; al volver con errores o duplicados, no.
                widget=forms.Select(attrs={} if self.is_bound else {"autofocus": True}),
            )
            self.fields["telefono"].required = False
            self.order_fields(["modulo"])
            # La jornada de hoy y su localidad ya elegidas, si hoy hay una sola: con dos o
            # más, elegir por la persona sería adivinar dónde está.
            de_hoy = [m for m in modulos if m.fecha == hoy]
            if len(de_hoy) == 1:
                self.fields["modulo"].initial = de_hoy[0].pk
                self.fields["localidad"].initial = de_hoy[0].localidad_id
            self.localidad_de_modulo = {str(m.pk): str(m.localidad_id) for m in modulos}
            # Lo recibido sin conexión (en papel o en un equipo) se captura después con la
            # hora en que la persona hizo la solicitud.
            self.fields["recibido_en"] = forms.DateTimeField(
                label=_("Fecha y hora real de recepción"),
                required=False,
                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"],
                widget=forms.DateTimeInput(
                    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
                ),
                help_text=_(
                    "Solo si la solicitud se recibió antes (formato en papel): la fecha y hora "
                    "en que la persona la hizo. Vacío: ahora."
                ),
                error_messages={
                    "invalid": _("Escriba la fecha y la hora, p. ej. 02/12/2026 10:30.")
                },
            )

    def clean(self):
        datos = super().clean()
        recibido_en = datos.get("recibido_en")
        modulo = datos.get("modulo")
        if recibido_en is not None:
            if recibido_en > timezone.now() + TOLERANCIA_RELOJ:
                self.add_error(
                    "recibido_en", _("La fecha y hora de recepción no puede ser futura.")
                )
            elif modulo is not None and timezone.localdate(recibido_en) < modulo.fecha:
                self.add_error(
                    "recibido_en",
                    _("La recepción no puede ser anterior a la jornada del módulo (%(fecha)s).")
                    % {"fecha": modulo.fecha.strftime("%d/%m/%Y")},
                )
        return datos


class DatosParteForm(FormularioBase):
    """Datos de contacto de una parte, corregidos desde el expediente."""

    telefono = TelefonoField(label=_("Teléfono"), required=False)
    correo = forms.EmailField(
        label=_("Correo electrónico"),
        required=False,
        error_messages={"invalid": _("Escriba un correo válido, por ejemplo nombre@correo.com.")},
    )
    domicilio = forms.CharField(
        label=_("Domicilio"),
        max_length=300,
        required=False,
        help_text=_("Calle, número, colonia y localidad: donde se entregará la invitación."),
    )


class SolicitudPublicaForm(SolicitudBaseForm):
    """Formulario ciudadano en /solicitud/. 'sitio_web' es una trampa para robots."""

    aviso = forms.BooleanField(
        label=_("He leído y acepto el aviso de privacidad simplificado"), required=True
    )
    sitio_web = forms.CharField(required=False, label=_("No llene este campo"))

    def clean(self):
        datos = super().clean()
        if not datos.get("telefono") and not datos.get("correo"):
            self.add_error("telefono", _("Anote un teléfono o un correo para poder contactarle."))
        return datos

    def es_robot(self) -> bool:
        return bool(self.data.get("sitio_web"))


class BusquedaForm(FormularioBase):
    q = forms.CharField(
        label=_("Buscar por folio, nombre o teléfono"), required=False, max_length=100
    )


class ConsultaForm(FormularioBase):
    folio = forms.CharField(
        label=_("Folio"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "MED-2026-00042"}),
    )
    codigo = forms.CharField(
        label=_("Código de consulta"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "XXXXX-XXXXX"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folio"].error_messages["required"] = _("Escriba el folio de su solicitud.")
        self.fields["codigo"].error_messages["required"] = _("Escriba su código de consulta.")


class CodigoPerdidoForm(FormularioBase):
    folio = forms.CharField(
        label=_("Folio"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "MED-2026-00042"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folio"].error_messages["required"] = _("Escriba el folio de su solicitud.")

    def clean_folio(self):
        """El folio en su forma canónica (MED-2026-00042)."""
        folio = codigos.normalizar_folio(self.cleaned_data["folio"])
        if not folio:
            raise forms.ValidationError(
                _("Escriba el folio como aparece en su acuse, por ejemplo MED-2026-00042.")
            )
        return folio


class AccesoExcepcionalForm(forms.Form):
    """Por qué alguien necesita un expediente fuera de su alcance."""

    motivo = forms.CharField(
        label=_("¿Por qué necesita consultar este expediente?"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Escriba el motivo."),
            "min_length": _("Explique en al menos 10 caracteres por qué lo necesita."),
            "max_length": _("El motivo no debe pasar de 500 caracteres."),
        },
    )
    siguiente = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)


class RevelarBloqueadosForm(forms.Form):
    """Para qué necesita quien atiende la privacidad los datos bloqueados de un caso."""

    motivo = forms.CharField(
        label=_("Motivo para ver los datos bloqueados"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Escriba el motivo."),
            "min_length": _("Explique en al menos 10 caracteres para qué necesita estos datos."),
            "max_length": _("El motivo no debe pasar de 500 caracteres."),
        },
    )


class BitacoraForm(forms.Form):
    """Filtros de la bitácora de accesos."""

    persona = forms.CharField(label=_("Persona (usuario)"), required=False, max_length=150)
    folio = forms.CharField(label=_("Folio"), required=False, max_length=30)
    desde = forms.DateField(
        label=_("Desde"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    hasta = forms.DateField(
        label=_("Hasta"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        datos = super().clean()
        if datos.get("desde") and datos.get("hasta") and datos["hasta"] < datos["desde"]:
            self.add_error("hasta", _("Debe ser igual o posterior a «Desde»."))
        return datos

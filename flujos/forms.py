"""Formularios de las tareas. Validan forma; las reglas de la ley las valida el servicio."""

from datetime import datetime

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from casos import acceso, plazos
from casos.forms import FormularioBase, TelefonoField
from casos.models import (
    Asistencia,
    Canalizacion,
    Caso,
    Categoria,
    CausaConclusion,
    Clausula,
    Convenio,
    EsperaCiudadano,
    EstadoCivil,
    EstadoRegistro,
    FormaFirma,
    Localidad,
    MedioInvitacion,
    RespuestaInvitacion,
    ResultadoSesion,
    Sala,
    TipoCaso,
    TipoConvenio,
    TipoObligacion,
)
from casos.texto import nombre_de


def largo(modelo, campo: str) -> int:
    """El largo máximo del campo del modelo donde se guarda lo que se escribe."""
    return modelo._meta.get_field(campo).max_length


# Motivos que van a la constancia de conclusión (`Caso.motivo_conclusion`).
LARGO_MOTIVO = largo(Caso, "motivo_conclusion")


def exigir_largo(form, campo: str, maximo: int, mensaje) -> None:
    """Un texto que admite más en el formulario pero esta vez va a un campo más corto."""
    valor = form.cleaned_data.get(campo) or ""
    if len(valor) > maximo:
        form.add_error(campo, mensaje % {"limit_value": maximo, "show_value": len(valor)})


class FechaHora(forms.DateTimeInput):
    input_type = "datetime-local"
    format = "%Y-%m-%dT%H:%M"

    def __init__(self, **kwargs):
        super().__init__(format=self.format, **kwargs)


class Fecha(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def campo_fecha_hora(etiqueta, **kwargs):
    return forms.DateTimeField(
        label=etiqueta, widget=FechaHora(), input_formats=["%Y-%m-%dT%H:%M"], **kwargs
    )


def campo_fecha(etiqueta, **kwargs):
    return forms.DateField(
        label=etiqueta, widget=Fecha(), input_formats=["%Y-%m-%d", "%d/%m/%Y"], **kwargs
    )


class RevisarForm(FormularioBase):
    decision = forms.ChoiceField(
        label=_("Decisión"),
        widget=forms.RadioSelect,
        choices=[
            ("admitir", _("Admitir")),
            ("no_admitir", _("No admitir")),
            ("canalizar", _("Canalizar a otra instancia")),
        ],
    )
    motivo = forms.CharField(
        label=_("Motivo (para la constancia)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LARGO_MOTIVO,
    )
    dependencia = forms.CharField(
        label=_("Dependencia a la que se canaliza"), required=False, max_length=200
    )
    numero_oficio = forms.CharField(label=_("Número de oficio"), required=False, max_length=60)

    def clean(self):
        datos = super().clean()
        if datos.get("decision") == "canalizar":
            exigir_largo(
                self,
                "motivo",
                largo(Canalizacion, "motivo"),
                _(
                    "Para el oficio de canalización no debe pasar de %(limit_value)d "
                    "caracteres (lleva %(show_value)d)."
                ),
            )
        return datos


class AvisoNoAdmisionForm(FormularioBase):
    medio = forms.ChoiceField(
        label=_("¿Cómo se avisó?"),
        choices=[
            ("teléfono", _("Por teléfono")),
            ("correo electrónico", _("Por correo electrónico")),
            ("en persona", _("En persona")),
            ("notificador", _("Por notificador(a)")),
        ],
    )
    nota = forms.CharField(label=_("Nota"), required=False, max_length=500)


class AsignarForm(FormularioBase):
    """Elegir a quien lleva el caso. En mediación, junto al nombre de cada persona cuya
    certificación termina antes del plazo del procedimiento (LGMASC arts. 55 y 64) va la
    advertencia, y elegirla pide marcar la casilla de confirmación."""

    responsable = forms.ModelChoiceField(
        label=_("Persona responsable"), queryset=None, empty_label=_("— Elija —")
    )
    confirma_vigencia = forms.BooleanField(
        label=_("Entiendo que su certificación vence antes del plazo del procedimiento"),
        required=False,
        help_text=_(
            "Solo hace falta si junto al nombre elegido aparece la advertencia: al vencer su "
            "certificación no podrá seguir atendiendo el caso y habrá que reasignarlo."
        ),
    )

    def __init__(self, *args, elegibles=None, caso=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.caso = caso
        self.fields["responsable"].queryset = elegibles
        self.fields["responsable"].label_from_instance = self.etiqueta
        if caso is None or caso.tipo != TipoCaso.MEDIACION:
            del self.fields["confirma_vigencia"]

    def plazo_no_cubierto(self, usuario):
        """El día en que vence el procedimiento si la certificación termina antes (o None)."""
        if "confirma_vigencia" not in self.fields:
            return None
        perfil = getattr(usuario, "perfil_mediador", None)
        return plazos.certificacion_no_cubre_plazo(
            self.caso, perfil.certificado_hasta if perfil else None
        )

    def advertencia(self, usuario) -> str:
        vence = self.plazo_no_cubierto(usuario)
        if vence is None:
            return ""
        return _(
            "su certificación vence el %(cert)s, antes del plazo del procedimiento (%(plazo)s)"
        ) % {
            "cert": formats.date_format(usuario.perfil_mediador.certificado_hasta, "d/m/Y"),
            "plazo": formats.date_format(vence, "d/m/Y"),
        }

    def etiqueta(self, usuario) -> str:
        advertencia = self.advertencia(usuario)
        return f"{nombre_de(usuario)} — ⚠ {advertencia}" if advertencia else nombre_de(usuario)

    def clean(self):
        datos = super().clean()
        self.exigir_confirmacion(self, datos)
        return datos

    def exigir_confirmacion(self, formulario, datos) -> None:
        """Si la certificación de la persona elegida vence antes del plazo del procedimiento,
        `formulario` (este o el que lo contiene) pide marcar la casilla de confirmación."""
        responsable = datos.get("responsable")
        advertencia = self.advertencia(responsable) if responsable else ""
        if advertencia and not datos.get("confirma_vigencia"):
            formulario.add_error(
                "confirma_vigencia",
                _(
                    "%(nombre)s: %(advertencia)s. Para asignarle el caso de todos modos, marque "
                    "la casilla de confirmación; si no, elija a otra persona."
                )
                % {"nombre": nombre_de(responsable), "advertencia": advertencia},
            )


class RevisarYAsignarForm(RevisarForm):
    """Una sola pantalla para la coordinadora que admite y también asigna: la decisión y,
    si admite, la persona facilitadora (con la misma advertencia de vigencia)."""

    def __init__(self, *args, elegibles=None, caso=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.asignacion = AsignarForm(*args, elegibles=elegibles, caso=caso, **kwargs)
        for nombre, campo in self.asignacion.fields.items():
            self.fields[nombre] = campo
        self.fields["responsable"].required = False
        self.fields["responsable"].label = _("Persona facilitadora (si admite)")
        self.fields["responsable"].help_text = _(
            "Si la deja en blanco, la asignación queda en la cola de coordinación."
        )
        self.order_fields(["decision", "responsable", "confirma_vigencia"])

    def clean(self):
        datos = super().clean()
        if datos.get("decision") != "admitir":
            datos["responsable"] = None
            return datos
        self.asignacion.exigir_confirmacion(self, datos)
        return datos


class InvitacionForm(FormularioBase):
    fecha = campo_fecha_hora(_("Fecha y hora de la entrega o intento"))
    medio = forms.ChoiceField(label=_("Medio"), choices=MedioInvitacion.choices)
    recibio = forms.CharField(label=_("Quién la recibió"), required=False, max_length=200)
    respuesta = forms.ChoiceField(
        label=_("Resultado"), choices=RespuestaInvitacion.choices, widget=forms.RadioSelect
    )
    observaciones = forms.CharField(label=_("Observaciones"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fecha"].initial = timezone.localtime().replace(second=0, microsecond=0)


class LugarSesionForm(FormularioBase):
    duracion_min = forms.IntegerField(
        label=_("Duración (minutos)"), initial=60, min_value=15, max_value=480
    )
    sala = forms.ModelChoiceField(
        label=_("Sala"),
        queryset=Sala.objects.activos(),
        required=False,
        empty_label=_("— Otro lugar (sin sala) —"),
    )
    lugar = forms.CharField(label=_("Lugar (si no es una sala)"), required=False, max_length=250)


OTRA_HORA = "otra"


class ProgramarForm(LugarSesionForm):
    """Programar (o corregir) una sesión: uno de los horarios libres que se ofrecen o, con
    «Otra hora», una fecha y hora escritas. El servicio revisa las dos igual (horario de la
    sala, día hábil, plazo, choques): lo ofrecido es una ayuda, no la regla."""

    horario = forms.CharField(label=_("Horario"), required=False, max_length=40)
    otra_hora = campo_fecha_hora(
        _("Otra hora (dentro del horario de la sala, en día hábil)"), required=False
    )

    def clean(self):
        datos = super().clean()
        elegido = (datos.get("horario") or "").strip()
        if elegido == OTRA_HORA or (not elegido and datos.get("otra_hora")):
            if not datos.get("otra_hora"):
                if "otra_hora" not in self.errors:
                    self.add_error("otra_hora", _("Escriba la fecha y la hora de la sesión."))
                return datos
            datos["inicio"] = datos["otra_hora"]
            return datos
        if not elegido:
            self.add_error("horario", _("Elija uno de los horarios libres u «Otra hora»."))
            return datos
        try:
            inicio = datetime.fromisoformat(elegido)
        except ValueError:
            self.add_error("horario", _("Ese horario no es válido; elija uno de la lista."))
            return datos
        if timezone.is_naive(inicio):
            inicio = timezone.make_aware(inicio)
        datos["inicio"] = inicio
        return datos

    def datos_de_sesion(self) -> dict:
        """Lo que recibe el servicio: inicio, duración, sala y lugar."""
        d = self.cleaned_data
        return {
            "inicio": d["inicio"],
            "duracion_min": d["duracion_min"],
            "sala": d["sala"],
            "lugar": d["lugar"],
        }


class DiferirForm(ProgramarForm):
    """Diferir la sesión (LGMASC art. 76): la nueva hora se elige igual que al programar, de
    los horarios libres o con «Otra hora», y se anota el motivo."""

    motivo = forms.CharField(label=_("Motivo del diferimiento"), max_length=300)


class RegistrarSesionForm(FormularioBase):
    asistencia_solicitante = forms.ChoiceField(
        label=_("Asistencia de quien solicita"),
        choices=Asistencia.choices,
        widget=forms.RadioSelect,
    )
    asistencia_invitada = forms.ChoiceField(
        label=_("Asistencia de la otra parte"), choices=Asistencia.choices, widget=forms.RadioSelect
    )
    resultado = forms.ChoiceField(
        label=_("Resultado (si ambas partes asistieron)"),
        required=False,
        choices=[("", _("— Elija —")), *ResultadoSesion.choices],
    )


class ParteConvenioForm(FormularioBase):
    """Datos que el art. 94 exige de cada parte."""

    nombre = forms.CharField(label=_("Nombre completo"), max_length=200)
    edad = forms.IntegerField(label=_("Edad"), min_value=18, max_value=120, required=False)
    nacionalidad = forms.CharField(label=_("Nacionalidad"), max_length=60, required=False)
    estado_civil = forms.ChoiceField(
        label=_("Estado civil"), required=False, choices=[("", "—"), *EstadoCivil.choices]
    )
    ocupacion = forms.CharField(label=_("Ocupación"), max_length=120, required=False)
    domicilio = forms.CharField(label=_("Domicilio"), max_length=300, required=False)
    representante = forms.CharField(
        label=_("Representante (si lo hay)"), max_length=200, required=False
    )


class ConvenioForm(FormularioBase):
    tipo = forms.ChoiceField(
        label=_("Tipo de acuerdo"), choices=TipoConvenio.choices, widget=forms.RadioSelect
    )
    lugar = forms.CharField(label=_("Lugar de celebración"), max_length=200)
    antecedentes = forms.CharField(
        label=_("Antecedentes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=largo(Convenio, "antecedentes"),
    )
    consecuencias_incumplimiento = forms.CharField(
        label=_("Consecuencias del incumplimiento"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=largo(Convenio, "consecuencias_incumplimiento"),
    )


class ClausulaForm(FormularioBase):
    obligado = forms.ChoiceField(label=_("Parte obligada"), choices=())
    tipo = forms.ChoiceField(label=_("Obligación de"), choices=TipoObligacion.choices)
    descripcion = forms.CharField(
        label=_("Qué debe dar, hacer o no hacer"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=largo(Clausula, "descripcion"),
    )
    modo = forms.CharField(label=_("Modo"), max_length=300, required=False)
    lugar = forms.CharField(label=_("Lugar"), max_length=200, required=False)
    fecha_limite = campo_fecha(_("Fecha para cumplir"), required=False)

    def __init__(self, *args, partes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligado"].choices = [("", _("— Elija —"))] + [
            (str(p.pk), acceso.nombre_para_mostrar(p)) for p in partes
        ]


ClausulasFormSet = forms.formset_factory(
    ClausulaForm,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=30,
    validate_max=True,
    can_delete=True,
)


class FirmaForm(FormularioBase):
    forma_firma = forms.ChoiceField(
        label=_("Forma de firma"), choices=FormaFirma.choices, widget=forms.RadioSelect
    )
    firmado_en = campo_fecha_hora(_("Fecha y hora de firma"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["firmado_en"].initial = timezone.localtime().replace(second=0, microsecond=0)


class EnvioRegistroForm(FormularioBase):
    fecha = campo_fecha(_("Fecha de envío"), initial=timezone.localdate)


class RespuestaRegistroForm(FormularioBase):
    estado_registro = forms.ChoiceField(
        label=_("Respuesta"),
        widget=forms.RadioSelect,
        choices=[
            (c, label)
            for c, label in EstadoRegistro.choices
            if c
            in (EstadoRegistro.VALIDADO, EstadoRegistro.PREVENIDO, EstadoRegistro.NO_PRESENTADO)
        ],
    )
    fecha = campo_fecha(_("Fecha de la respuesta"), initial=timezone.localdate)
    numero_registro = forms.CharField(label=_("Número de registro"), required=False, max_length=80)
    observaciones = forms.CharField(
        label=_("Observaciones o prevención"), required=False, max_length=500
    )


class VerificarClausulaForm(FormularioBase):
    clausula = forms.IntegerField(widget=forms.HiddenInput)
    cumplida = forms.TypedChoiceField(
        label=_("¿Se cumplió?"),
        coerce=lambda v: v == "si",
        choices=[("si", _("Sí, se cumplió")), ("no", _("No se cumplió"))],
        widget=forms.RadioSelect,
    )
    nota = forms.CharField(label=_("Nota"), required=False, max_length=500)


class CerrarSeguimientoForm(FormularioBase):
    orientacion = forms.CharField(
        label=_("Orientación dada a las partes (si hubo incumplimiento)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LARGO_MOTIVO,
    )


class ClasificarForm(FormularioBase):
    categoria = forms.ModelChoiceField(
        label=_("Tema"),
        queryset=Categoria.objects.activos().exclude(tipo=TipoCaso.MEDIACION),
        empty_label=_("— Elija —"),
    )
    localidad = forms.ModelChoiceField(
        label=_("Localidad"), queryset=Localidad.objects.activos(), empty_label=_("— Elija —")
    )


class AtenderForm(FormularioBase):
    """El resultado de la atención y, según cuál se elija, solo sus datos: los de las demás
    opciones se ignoran (sin JavaScript se ven todas, cada una con su título)."""

    accion = forms.ChoiceField(
        label=_("Resultado de la atención"),
        widget=forms.RadioSelect,
        choices=[
            ("resolver", _("Resuelta")),
            ("canalizar", _("Canalizar a otra dependencia")),
            ("esperar", _("Esperar información de la persona")),
            ("convertir", _("Convertir en mediación")),
        ],
    )
    primer_contacto = forms.BooleanField(
        label=_("Se resolvió en el primer contacto"), required=False
    )
    resumen_atencion = forms.CharField(
        label=_("Orientación dada"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LARGO_MOTIVO,
    )
    dependencia = forms.CharField(label=_("Dependencia"), required=False, max_length=200)
    motivo = forms.CharField(
        label=_("Motivo de la canalización"),
        required=False,
        max_length=largo(Canalizacion, "motivo"),
    )
    numero_oficio = forms.CharField(label=_("Número de oficio"), required=False, max_length=60)
    que_se_espera = forms.CharField(
        label=_("Qué se espera de la persona"),
        required=False,
        max_length=largo(EsperaCiudadano, "motivo"),
        help_text=_(
            "Ella lo leerá al consultar su folio: escriba qué necesita, sin datos de terceros."
        ),
    )
    categoria_mediacion = forms.ModelChoiceField(
        label=_("Categoría de la mediación"),
        required=False,
        empty_label=_("— Elija —"),
        queryset=Categoria.objects.activos().filter(tipo=TipoCaso.MEDIACION, canalizar=False),
    )
    relato_conflicto = forms.CharField(
        label=_("Relato del conflicto"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_(
            "Lo que la persona facilitadora leerá primero; el relato original de la "
            "solicitud se conserva debajo."
        ),
    )
    otra_nombre = forms.CharField(
        label=_("Nombre de la otra parte"), required=False, max_length=200
    )
    otra_domicilio = forms.CharField(
        label=_("Domicilio de la otra parte"), required=False, max_length=300
    )
    otra_telefono = TelefonoField(label=_("Teléfono de la otra parte"), required=False)

    # Los datos de cada resultado, en el orden en que se muestran.
    OPCIONES = {
        "resolver": ("resumen_atencion", "primer_contacto"),
        "canalizar": ("dependencia", "motivo", "numero_oficio"),
        "esperar": ("que_se_espera",),
        "convertir": (
            "categoria_mediacion",
            "relato_conflicto",
            "otra_nombre",
            "otra_domicilio",
            "otra_telefono",
        ),
    }
    TITULOS = {
        "resolver": _("Si se resolvió"),
        "canalizar": _("Si se canaliza a otra dependencia"),
        "esperar": _("Si se espera información de la persona"),
        "convertir": _("Si se convierte en mediación"),
    }
    # Los datos que piden los servicios, con el nombre que tienen en este formulario.
    CAMPO_DEL_SERVICIO = {
        "esperar": {"motivo": "que_se_espera"},
        "convertir": {"categoria": "categoria_mediacion", "resumen": "relato_conflicto"},
    }

    def grupos(self):
        """Para la plantilla: (valor, título, campos) de cada resultado."""
        return [
            (valor, self.TITULOS[valor], [self[c] for c in campos])
            for valor, campos in self.OPCIONES.items()
        ]

    def full_clean(self):
        super().full_clean()
        # Un dato de otra opción (oculto o que la persona no quiso usar) no debe detener el
        # envío ni aparecer en los errores.
        elegida = getattr(self, "cleaned_data", {}).get("accion")
        if elegida and self._errors:
            ajenos = {c for v, cs in self.OPCIONES.items() if v != elegida for c in cs}
            for campo in ajenos & set(self._errors):
                del self._errors[campo]

    def clean(self):
        datos = super().clean()
        elegida = datos.get("accion")
        for valor, campos in self.OPCIONES.items():
            if valor != elegida:
                for campo in campos:
                    datos[campo] = self.fields[campo].to_python(None)
        return datos

    def campo_de(self, campo_servicio: str) -> str:
        """El campo del formulario que corresponde a un dato del servicio."""
        elegida = self.cleaned_data.get("accion", "")
        return self.CAMPO_DEL_SERVICIO.get(elegida, {}).get(campo_servicio, campo_servicio)


class RespuestaCanalizacionForm(FormularioBase):
    respuesta = forms.CharField(
        label=_("Respuesta de la dependencia"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=largo(Canalizacion, "respuesta"),
    )


class ReanudarForm(FormularioBase):
    confirmar = forms.BooleanField(
        label=_("La persona entregó lo que se le pidió; reanudar"), required=True
    )


class EncuestaForm(FormularioBase):
    satisfaccion = forms.TypedChoiceField(
        label=_("¿Qué tan satisfecha quedó la persona?"),
        coerce=lambda v: int(v) if v else None,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("5", _("5 · Muy satisfecha")),
            ("4", "4"),
            ("3", "3"),
            ("2", "2"),
            ("1", _("1 · Nada satisfecha")),
            ("", _("No respondió")),
        ],
    )
    comentario = forms.CharField(label=_("Comentario"), required=False, max_length=500)


class ProrrogaForm(FormularioBase):
    nueva_fecha_limite = campo_fecha(_("Nuevo fin del plazo"))
    consentimiento = forms.CharField(
        label=_("Cómo consta el consentimiento de ambas partes"), max_length=500
    )


class ConclusionForm(FormularioBase):
    causa = forms.ChoiceField(
        label=_("Causa"),
        choices=[
            (c, label)
            for c, label in CausaConclusion.choices
            if c
            in (
                CausaConclusion.DESISTIMIENTO,
                CausaConclusion.CONDUCTA,
                CausaConclusion.MUERTE,
                CausaConclusion.PLAZO,
                CausaConclusion.OTRA,
            )
        ],
    )
    motivo = forms.CharField(
        label=_("Motivo (para la constancia)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LARGO_MOTIVO,
    )


class ReaperturaForm(FormularioBase):
    motivo = forms.CharField(label=_("Por qué se reabre"), max_length=500)


class RecalculoForm(FormularioBase):
    """Qué casos pasan a las cifras de plazos de hoy, y por qué (queda en el evento)."""

    casos = forms.MultipleChoiceField(
        label=_("Casos"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Elija al menos un caso."),
            "invalid_choice": _(
                "Uno de los casos elegidos ya no tiene cifras distintas de las de hoy; "
                "revise la lista."
            ),
        },
    )
    motivo = forms.CharField(
        label=_("Motivo del recálculo"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Por ejemplo, la reforma o el acuerdo que cambió las cifras."),
    )

    def __init__(self, *args, filas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["casos"].choices = [(str(f.caso.pk), f.caso.folio) for f in filas]


class LlamarForm(FormularioBase):
    nota = forms.CharField(
        label=_("Nota de la llamada"),
        help_text=_("Qué dijo la parte y qué acordaron (p. ej. la fecha nueva que propone)."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LARGO_MOTIVO,
    )

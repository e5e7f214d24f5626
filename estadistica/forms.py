"""El periodo y los filtros del tablero (y de sus exportaciones, listas e informe)."""

import calendar
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casos.models import Canal, Categoria, Localidad, Modulo, TipoCaso

from .models import MetaPOA, ProgramaPOA

MES, TRIMESTRE, ANIO, RANGO = "mes", "trimestre", "anio", "rango"
MESES = [
    (1, _("enero")),
    (2, _("febrero")),
    (3, _("marzo")),
    (4, _("abril")),
    (5, _("mayo")),
    (6, _("junio")),
    (7, _("julio")),
    (8, _("agosto")),
    (9, _("septiembre")),
    (10, _("octubre")),
    (11, _("noviembre")),
    (12, _("diciembre")),
]
NOMBRE_DE_MES = dict(MESES)


def mes_y_anio(mes: date) -> str:
    """«noviembre 2026»: el renglón de un mes en las tablas."""
    return f"{NOMBRE_DE_MES[mes.month]} {mes.year}"


def mes_corto(mes: date) -> str:
    """«nov 2026»: la etiqueta de un mes en las gráficas."""
    return f"{str(NOMBRE_DE_MES[mes.month])[:3]} {mes.year}"


# Un rango de más de diez años no es un periodo de trabajo: casi siempre es un error.
MAXIMO_DIAS = 3660


@dataclass
class Filtros:
    desde: date
    hasta: date
    titulo: str
    programa: ProgramaPOA | None = None
    tipo: str = ""
    canal: str = ""
    modulo: Modulo | None = None
    localidad: Localidad | None = None
    categoria: Categoria | None = None
    persona: object = None
    # Los parámetros de la URL que reproducen estos filtros (para enlaces y exportaciones).
    parametros: dict = field(default_factory=dict)

    @cached_property
    def consulta(self) -> str:
        """Los parámetros como consulta de URL (la base de los enlaces de cada cifra)."""
        return urlencode(self.parametros)

    @property
    def tipos(self) -> list[str]:
        tipo = self.tipo or (self.programa.tipo if self.programa else "")
        return [tipo] if tipo else [TipoCaso.MEDIACION, TipoCaso.ASESORIA]

    @property
    def por_dimension(self) -> dict[str, object]:
        """Los filtros que el resumen diario no distingue (obligan a contar sobre los hechos)."""
        valores = {
            "canal": self.canal,
            "modulo": self.modulo.pk if self.modulo else None,
            "localidad": self.localidad.pk if self.localidad else None,
            "categoria": self.categoria.pk if self.categoria else None,
            "persona": self.persona.pk if self.persona else None,
        }
        return {k: v for k, v in valores.items() if v}

    def descripcion(self) -> list[tuple[str, str]]:
        """(etiqueta, valor) de cada filtro aplicado, para encabezados y el informe."""
        partes = []
        if self.programa:
            partes.append((str(_("Programa")), str(self.programa)))
        if self.tipo:
            partes.append((str(_("Tipo")), str(TipoCaso(self.tipo).label)))
        if self.canal:
            partes.append((str(_("Canal")), str(Canal(self.canal).label)))
        for etiqueta, objeto in (
            (_("Jornada de módulo"), self.modulo),
            (_("Localidad"), self.localidad),
            (_("Categoría"), self.categoria),
        ):
            if objeto is not None:
                partes.append((str(etiqueta), str(objeto)))
        if self.persona is not None:
            from casos.texto import nombre_de

            partes.append((str(_("Persona")), nombre_de(self.persona)))
        return partes


def _personas():
    return (
        get_user_model()
        .objects.filter(groups__name__in=["mediador", "asesor"], is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class PersonaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from casos.texto import nombre_de

        return nombre_de(obj)


class FiltrosForm(forms.Form):
    periodo = forms.ChoiceField(
        label=_("Periodo"),
        choices=[
            (MES, _("Un mes")),
            (TRIMESTRE, _("Un trimestre")),
            (ANIO, _("Un año")),
            (RANGO, _("De una fecha a otra")),
        ],
        required=False,
    )
    anio = forms.IntegerField(label=_("Año"), min_value=2000, max_value=2100, required=False)
    mes = forms.TypedChoiceField(label=_("Mes"), choices=MESES, coerce=int, required=False)
    trimestre = forms.TypedChoiceField(
        label=_("Trimestre"),
        choices=[(1, _("enero a marzo")), (2, _("abril a junio")), (3, _("julio a septiembre"))]
        + [(4, _("octubre a diciembre"))],
        coerce=int,
        required=False,
    )
    desde = forms.DateField(
        label=_("Desde"), required=False, widget=forms.DateInput({"type": "date"})
    )
    hasta = forms.DateField(
        label=_("Hasta"), required=False, widget=forms.DateInput({"type": "date"})
    )
    programa = forms.ModelChoiceField(
        label=_("Programa del POA"),
        queryset=ProgramaPOA.objects.all(),
        required=False,
        empty_label=_("Todos"),
    )
    tipo = forms.ChoiceField(
        label=_("Tipo"), choices=[("", _("Todos")), *TipoCaso.choices], required=False
    )
    canal = forms.ChoiceField(
        label=_("Canal"), choices=[("", _("Todos")), *Canal.choices], required=False
    )
    modulo = forms.ModelChoiceField(
        label=_("Jornada de módulo"),
        queryset=Modulo.objects.select_related("localidad"),
        required=False,
        empty_label=_("Todas"),
    )
    localidad = forms.ModelChoiceField(
        label=_("Localidad"),
        queryset=Localidad.objects.all(),
        required=False,
        empty_label=_("Todas"),
    )
    categoria = forms.ModelChoiceField(
        label=_("Categoría"),
        queryset=Categoria.objects.all(),
        required=False,
        empty_label=_("Todas"),
    )
    persona = PersonaChoiceField(
        label=_("Persona"), queryset=_personas(), required=False, empty_label=_("Todas")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = _personas()

    def clean(self):
        datos = super().clean()
        periodo = datos.get("periodo") or ANIO
        if periodo == RANGO:
            desde, hasta = datos.get("desde"), datos.get("hasta")
            if not desde or not hasta:
                raise forms.ValidationError(_("Para un rango escriba las dos fechas."))
            if hasta < desde:
                raise forms.ValidationError(_("La fecha final es anterior a la inicial."))
            if (hasta - desde).days > MAXIMO_DIAS:
                raise forms.ValidationError(_("El rango no puede pasar de diez años."))
        datos["periodo"] = periodo
        return datos

    def filtros(self) -> Filtros:
        """Los filtros del formulario válido, o los de omisión (el año en curso)."""
        hoy = timezone.localdate()
        datos = self.cleaned_data if self.is_bound and self.is_valid() else {}
        periodo = datos.get("periodo") or ANIO
        anio = datos.get("anio") or hoy.year
        if periodo == MES:
            mes = datos.get("mes") or hoy.month
            desde = date(anio, mes, 1)
            hasta = date(anio, mes, calendar.monthrange(anio, mes)[1])
            titulo = f"{NOMBRE_DE_MES[mes]} de {anio}"
        elif periodo == TRIMESTRE:
            trimestre = datos.get("trimestre") or (hoy.month - 1) // 3 + 1
            desde = date(anio, 3 * trimestre - 2, 1)
            fin = 3 * trimestre
            hasta = date(anio, fin, calendar.monthrange(anio, fin)[1])
            titulo = _("trimestre %(t)d de %(a)d") % {"t": trimestre, "a": anio}
        elif periodo == RANGO:
            desde, hasta = datos["desde"], datos["hasta"]
            titulo = _("del %(d)s al %(h)s") % {
                "d": desde.strftime("%d/%m/%Y"),
                "h": hasta.strftime("%d/%m/%Y"),
            }
        else:
            desde, hasta = date(anio, 1, 1), date(anio, 12, 31)
            titulo = str(anio)
        parametros = {
            k: (v.pk if hasattr(v, "pk") else v.isoformat() if isinstance(v, date) else v)
            for k, v in datos.items()
            if v not in (None, "")
        }
        return Filtros(
            desde=desde,
            hasta=hasta,
            titulo=str(titulo),
            programa=datos.get("programa"),
            tipo=datos.get("tipo") or "",
            canal=datos.get("canal") or "",
            modulo=datos.get("modulo"),
            localidad=datos.get("localidad"),
            categoria=datos.get("categoria"),
            persona=datos.get("persona"),
            parametros=parametros,
        )


class ProgramaForm(forms.ModelForm):
    class Meta:
        model = ProgramaPOA
        fields = ["clave", "nombre", "tipo", "orden"]


class MetaForm(forms.ModelForm):
    class Meta:
        model = MetaPOA
        fields = ["programa", "actividad", "indicador", "meta"]

    def __init__(self, *args, **kwargs):
        from .definiciones import INDICADORES

        super().__init__(*args, **kwargs)
        self.fields["indicador"] = forms.ChoiceField(
            label=_("Se mide con"),
            # Con una opción vacía: un renglón nuevo sin tocar no cuenta como cambiado.
            choices=[("", "---------"), *[(k, i.etiqueta) for k, i in INDICADORES.items()]],
        )

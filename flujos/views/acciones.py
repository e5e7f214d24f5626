"""Acciones sobre el caso fuera de una tarea: diferir la sesión, registrar una prórroga,
concluir anticipadamente, reabrir una asesoría. Cada vista lee su formulario, llama una
función de `flujos.services` y responde."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from casos import selectors as casos_selectors
from casos.models import ClavePlazo
from casos.permisos import requiere_permiso

from .. import forms, services
from .. import selectors as flujos_selectors
from .pasos import ConHorariosLibres, agregar_errores


class AccionDelCaso(View):
    """Formulario de una acción; al enviarlo, la función de servicio que la hace toda."""

    form_class = None
    titulo = ""
    ayuda = ""

    def dispatch(self, request, folio):
        self.caso = casos_selectors.caso_para_personal(usuario=request.user, folio=folio)
        # Actúan sobre el caso quien lo lleva o la coordinación.
        if not casos_selectors.puede_actuar_en(request.user, self.caso):
            raise PermissionDenied
        return super().dispatch(request)

    plantilla = "flujos/accion.html"

    def formulario(self, data=None):
        return self.form_class(data)

    def contexto(self) -> dict:
        return {}

    def get(self, request):
        return self.pagina(self.formulario())

    def post(self, request):
        form = self.formulario(request.POST)
        if form.is_valid():
            try:
                mensaje = self.ejecutar(form.cleaned_data)
            except ValidationError as error:
                agregar_errores(form, error)
            except services.TareaNoDisponible as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, mensaje)
                return redirect("casos:detalle", folio=self.caso.folio)
        return self.pagina(form, status=400)

    def pagina(self, form, status: int = 200):
        contexto = {
            "caso": self.caso,
            "form": form,
            "titulo": self.titulo,
            "ayuda": self.ayuda,
            **self.contexto(),
        }
        return render(self.request, self.plantilla, contexto, status=status)

    def ejecutar(self, datos: dict) -> str:  # pragma: no cover - cada acción la define
        raise TypeError(f"{type(self).__name__} debe definir ejecutar()")


class MueveLaSesion(ConHorariosLibres):
    """Acciones que mueven la sesión programada del caso a otro horario libre (diferir,
    corregir la hora): el de la propia sesión cuenta como libre."""

    @cached_property
    def sesion_que_se_mueve(self):
        return casos_selectors.proxima_sesion_programada(caso=self.caso)

    def contexto(self):
        return {"sesion": self.sesion_que_se_mueve, **self.contexto_de_horarios()}


class Diferir(MueveLaSesion, AccionDelCaso):
    """LGMASC art. 76: diferir la sesión programada (dos veces como máximo) a uno de los
    horarios libres de la sala (el de la propia sesión cuenta como libre)."""

    form_class = forms.DiferirForm
    titulo = gettext_lazy("Diferir la sesión")
    plantilla = "flujos/diferir.html"

    @property
    def ayuda(self):
        cifra = flujos_selectors.cifra_del_caso(self.caso, ClavePlazo.DIFERIMIENTOS_MAXIMOS)
        return _("Una sesión puede diferirse %(cifra)s como máximo (%(fundamento)s).") % {
            "cifra": cifra.texto,
            "fundamento": cifra.fundamento,
        }

    def ejecutar(self, datos):
        nueva = services.diferir_sesion(
            caso=self.caso,
            actor=self.request.user,
            motivo=datos["motivo"],
            inicio=datos["inicio"],
            duracion_min=datos["duracion_min"],
            sala=datos["sala"],
            lugar=datos["lugar"] or None,
        )
        return _("Sesión diferida al %(cuando)s.") % {
            "cuando": nueva.inicio.strftime("%d/%m/%Y %H:%M")
        }


class CorregirHora(MueveLaSesion, AccionDelCaso):
    """Corregir la hora de la sesión mal capturada antes de que las partes sepan de ella: no
    es un diferimiento (LGMASC art. 76). Avisadas las partes, la página lleva a diferir."""

    titulo = gettext_lazy("Corregir la hora de la sesión")
    plantilla = "flujos/corregir_hora.html"
    ayuda = gettext_lazy(
        "Mientras las partes no reciban el aviso de la sesión, una hora mal capturada se "
        "corrige sin usar uno de los diferimientos del art. 76: la sesión cambia, queda en la "
        "línea de tiempo y las partes reciben un solo aviso, con la hora correcta."
    )

    def ejecutar(self, datos):
        sesion = services.corregir_hora_de_sesion(
            caso=self.caso,
            actor=self.request.user,
            inicio=datos["inicio"],
            duracion_min=datos["duracion_min"],
            sala=datos["sala"],
            lugar=datos["lugar"],
        )
        return _("Hora corregida: la sesión queda el %(cuando)s; no cuenta como diferimiento.") % {
            "cuando": date_format(timezone.localtime(sesion.inicio), "d/m/Y H:i")
        }


class Prorrogar(AccionDelCaso):
    form_class = forms.ProrrogaForm
    titulo = gettext_lazy("Registrar prórroga")
    ayuda = gettext_lazy(
        "Las partes pueden ampliar el plazo (art. 64); deje constancia de su acuerdo."
    )

    def ejecutar(self, datos):
        services.prorrogar_plazo(caso=self.caso, actor=self.request.user, **datos)
        return _("Prórroga registrada.")


class Concluir(AccionDelCaso):
    form_class = forms.ConclusionForm
    titulo = gettext_lazy("Concluir anticipadamente")
    ayuda = gettext_lazy(
        "Art. 78: desistimiento, conducta agresiva o dilatoria, muerte de una parte…"
    )

    def ejecutar(self, datos):
        services.concluir_anticipadamente(caso=self.caso, actor=self.request.user, **datos)
        return _("El caso concluyó; se cancelaron sus tareas pendientes.")


class Reabrir(AccionDelCaso):
    """Una asesoría cerrada se reabre (su asesor o la coordinación) y vuelve a «atender»."""

    form_class = forms.ReaperturaForm
    titulo = gettext_lazy("Reabrir la asesoría")

    def ejecutar(self, datos):
        services.reabrir_asesoria(caso=self.caso, actor=self.request.user, motivo=datos["motivo"])
        return _("Asesoría reabierta.")


diferir = requiere_permiso("casos.view_caso")(Diferir.as_view())
corregir_hora = requiere_permiso("casos.view_caso")(CorregirHora.as_view())
prorrogar = requiere_permiso("casos.view_caso")(Prorrogar.as_view())
concluir = requiere_permiso("casos.view_caso")(Concluir.as_view())
reabrir = requiere_permiso("casos.view_caso")(Reabrir.as_view())

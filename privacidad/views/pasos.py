"""Vistas de las tareas del flujo de una solicitud ARCO: una clase por tarea. Cada página
tiene uno o más formularios (cada uno con su botón y su `accion`); el que completa la tarea
llama al servicio dentro de `flujos.services.completar_tarea`, los demás (rectificar,
bloquear, ampliar…) dentro de `flujos.services.trabajar_en_tarea`, sin completarla.
`flows.py` solo importa este módulo."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from casos import acceso, plazos
from casos.models import CausaImprocedencia, Derecho, Sentido
from casos.services import privacidad as arco
from flujos import services as flujos
from flujos.views.pasos import agregar_errores
from nucleo.entradas import entero_ascii

from .. import forms_tareas as forms
from .. import selectors, services


class PasoARCO(View):
    """Una tarea de la solicitud: `acciones` dice, por cada botón, su formulario, el método
    que llama al servicio y si completa la tarea."""

    plantilla = ""
    ayuda = ""
    # accion -> (nombre del formulario en la página, método, ¿completa la tarea?)
    acciones: dict[str, tuple[str, str, bool]] = {}

    def dispatch(self, request, *args, task=None, **kwargs):
        self.task = task
        self.solicitud = task.process.coerced.solicitud
        return super().dispatch(request, *args, **kwargs)

    # nombre del formulario en la página -> su clase (los pasos con formularios simples).
    clases: dict[str, type] = {}

    def formularios(self) -> dict:
        """Los formularios de la página, sin datos (el enviado se reemplaza al validar)."""
        return {nombre: clase(auto_id=f"{nombre}_%s") for nombre, clase in self.clases.items()}

    def formulario(self, nombre: str, data):
        """El formulario `nombre` con lo enviado."""
        return self.clases[nombre](data, auto_id=f"{nombre}_%s")

    def contexto(self) -> dict:
        return {}

    def casos_mostrados(self) -> list:
        """Los casos cuyos datos personales muestra la página (el resumen, los datos ya
        identificados de la persona)."""
        return arco.casos_de(self.solicitud)

    def pagina(self, formularios: dict, status=200):
        contexto = {
            "task": self.task,
            "solicitud": self.solicitud,
            "titulo": self.task.flow_task.task_title,
            "ayuda": self.ayuda,
            "plazos": selectors.plazos_de(self.solicitud),
            **formularios,
            **self.contexto(),
        }
        # Cada caso cuyos datos se muestran queda en la bitácora (vista «arco»).
        acceso.registrar_acceso(
            usuario=self.request.user,
            casos=self.casos_mostrados(),
            vista="arco",
            request=self.request,
            objeto=f"{self.solicitud.folio}:tarea:{self.task.pk}",
        )
        return render(self.request, self.plantilla, contexto, status=status)

    def get(self, request, *args, **kwargs):
        return self.pagina(self.formularios())

    def post(self, request, *args, **kwargs):
        accion = request.POST.get("accion", "")
        if accion not in self.acciones:
            messages.error(request, _("No se reconoció qué quiso hacer. Intente de nuevo."))
            return self.pagina(self.formularios(), status=400)
        nombre, metodo, completa = self.acciones[accion]
        form = self.formulario(nombre, request.POST)
        formularios = {**self.formularios(), nombre: form}
        if not form.is_valid():
            return self.pagina(formularios, status=400)
        ejecutar = getattr(self, metodo)
        try:
            if completa:
                mensaje = flujos.completar_tarea(
                    task=self.task, usuario=request.user, accion=lambda: ejecutar(form)
                )
            else:
                mensaje = ejecutar(form)
        except ValidationError as error:
            agregar_errores(form, error)
            return self.pagina(formularios, status=400)
        except flujos.TareaNoDisponible as error:
            messages.error(request, str(error))
            return redirect("privacidad:detalle", folio=self.solicitud.folio)
        messages.success(request, mensaje)
        if not completa:
            # Sigue en la misma tarea: la página se vuelve a pedir (y se ve lo cambiado).
            return redirect("flujos:tarea", pk=self.task.pk)
        siguiente = selectors.siguiente_tarea_propia(task=self.task, usuario=request.user)
        if siguiente is not None:
            return redirect("flujos:tarea", pk=siguiente.pk)
        return redirect("flujos:bandeja")

    def en_la_tarea(self, servicio, **argumentos):
        return services.en_la_tarea(
            task=self.task,
            actor=self.request.user,
            servicio=servicio,
            solicitud=self.solicitud,
            **argumentos,
        )


class Verificar(PasoARCO):
    plantilla = "privacidad/pasos/verificar.html"
    ayuda = gettext_lazy(
        "Antes de revelar o tocar cualquier dato, acredite la identidad de la persona titular "
        "(o de su representante). Si falta algo para identificarla o para localizar sus "
        "datos, pídalo una sola vez dentro del plazo."
    )
    acciones = {
        "acreditar": ("acreditar", "acreditar", True),
        "requerir": ("requerir", "requerir", True),
        "sin_identidad": ("sin_identidad", "sin_identidad", True),
    }
    clases = {
        "acreditar": forms.AcreditarForm,
        "requerir": forms.RequerirForm,
        "sin_identidad": forms.SinIdentidadForm,
    }

    def contexto(self):
        return {"puede_requerir": self.solicitud.requerida_en is None}

    def acreditar(self, form):
        arco.acreditar_identidad(
            solicitud=self.solicitud,
            actor=self.request.user,
            medio=form.cleaned_data["identidad_medio"],
            detalle=form.cleaned_data["identidad_detalle"],
        )
        return _("Identidad acreditada; resuelva la solicitud %(folio)s.") % {
            "folio": self.solicitud.folio
        }

    def sin_identidad(self, form):
        arco.responder(
            solicitud=self.solicitud,
            actor=self.request.user,
            sentido=Sentido.IMPROCEDENTE,
            causa_improcedencia=CausaImprocedencia.IDENTIDAD,
            fundamento=form.cleaned_data["fundamento"],
            respuesta=form.cleaned_data["respuesta"],
        )
        return _("Se respondió que no procede: no se acreditó la identidad.")

    def requerir(self, form):
        solicitud = arco.requerir_informacion(
            solicitud=self.solicitud,
            actor=self.request.user,
            requerimiento=form.cleaned_data["requerimiento"],
        )
        return _("Se pidió la información; la persona tiene hasta el %(fecha)s.") % {
            "fecha": f"{plazos.arco_desahogo_vence_el(solicitud):%d/%m/%Y}"
        }


class EsperarInformacion(PasoARCO):
    plantilla = "privacidad/pasos/esperar_informacion.html"
    ayuda = gettext_lazy(
        "El plazo de respuesta está detenido hasta que la persona entregue lo pedido. Cuando "
        "lo entregue, regístrelo: el plazo de respuesta se cuenta completo desde ese día. Si "
        "el término vence sin que lo entregue, la solicitud se tiene por no presentada."
    )
    acciones = {
        "desahogo": ("desahogo", "registrar_desahogo", True),
        "no_presentada": ("no_presentada", "tener_por_no_presentada", True),
    }

    clases = {"desahogo": forms.DesahogoForm, "no_presentada": forms.NoPresentadaForm}

    def contexto(self):
        vence = plazos.arco_desahogo_vence_el(self.solicitud)
        return {
            "vence_desahogo": vence,
            "termino_vencido": vence is not None and timezone.localdate() > vence,
        }

    def registrar_desahogo(self, form):
        arco.registrar_desahogo(
            solicitud=self.solicitud,
            actor=self.request.user,
            desahogo=form.cleaned_data["desahogo"],
        )
        return _("Se registró lo que entregó la persona; el plazo de respuesta corre de nuevo.")

    def tener_por_no_presentada(self, form):
        arco.tener_por_no_presentada(solicitud=self.solicitud, actor=self.request.user)
        return _("La solicitud %(folio)s se tuvo por no presentada.") % {
            "folio": self.solicitud.folio
        }


class Resolver(PasoARCO):
    plantilla = "privacidad/pasos/resolver.html"
    ayuda = gettext_lazy(
        "Identifique los datos de la persona en los casos, haga lo que pide (rectificar, "
        "bloquear, registrar la oposición) y responda. Nada de esto completa la tarea hasta "
        "que responda."
    )
    acciones = {
        "identificar": ("identificar", "identificar", False),
        "rectificar": ("rectificar", "rectificar", False),
        "bloquear": ("bloquear", "bloquear", False),
        "oponer": ("oponer", "oponer", False),
        "ampliar": ("ampliar", "ampliar", False),
        "responder": ("responder", "responder", True),
    }

    def _datos(self):
        if not hasattr(self, "_identificadas"):
            self._identificadas = selectors.partes_identificadas(self.solicitud)
            self._candidatos = selectors.candidatos(self.solicitud)
        return self._identificadas, self._candidatos

    def formularios(self):
        identificadas, candidatos = self._datos()
        elegibles = _unicas(identificadas + candidatos)
        return {
            "identificar": forms.IdentificarForm(
                partes=elegibles,
                initial={"partes": [p.pk for p in identificadas]},
                auto_id="identificar_%s",
            ),
            "rectificaciones": [forms.RectificarForm.de_parte(p) for p in identificadas],
            "bloquear": forms.BloquearForm(partes=identificadas, auto_id="bloquear_%s"),
            "oponer": forms.OposicionForm(partes=identificadas, auto_id="oponer_%s"),
            "ampliar": forms.AmpliarForm(auto_id="ampliar_%s"),
            "responder": forms.ResponderForm(auto_id="responder_%s"),
        }

    def formulario(self, nombre, data):
        identificadas, candidatos = self._datos()
        if nombre == "rectificar":
            parte = entero_ascii(str(data.get("parte", "")))
            return forms.RectificarForm(data, auto_id=f"id_r{parte}_%s")
        auto_id = f"{nombre}_%s"
        if nombre == "identificar":
            return forms.IdentificarForm(
                data, partes=_unicas(identificadas + candidatos), auto_id=auto_id
            )
        if nombre == "bloquear":
            return forms.BloquearForm(data, partes=identificadas, auto_id=auto_id)
        if nombre == "oponer":
            return forms.OposicionForm(data, partes=identificadas, auto_id=auto_id)
        clase = {"ampliar": forms.AmpliarForm, "responder": forms.ResponderForm}[nombre]
        return clase(data, auto_id=auto_id)

    def pagina(self, formularios, status=200):
        if "rectificar" in formularios:
            # El renglón que se rectificaba se muestra con lo que se envió (y sus errores).
            enviado = formularios.pop("rectificar")
            parte = str(enviado.data.get("parte"))
            otras = [
                f for f in formularios["rectificaciones"] if str(f.initial.get("parte")) != parte
            ]
            identificadas, _candidatos = self._datos()
            enviado.parte_obj = next((p for p in identificadas if str(p.pk) == parte), None)
            if enviado.parte_obj is not None:
                formularios["rectificaciones"] = [enviado, *otras]
            else:
                # Un renglón que no es de la persona no tiene formulario en la página.
                for error in enviado.non_field_errors() or [
                    _("Elija datos que se hayan identificado como de la persona titular.")
                ]:
                    messages.error(self.request, error)
        return super().pagina(formularios, status=status)

    def casos_mostrados(self):
        # Los datos de los candidatos y de los ya identificados: de todos esos casos.
        identificadas, candidatos = self._datos()
        return list({p.caso_id: p.caso for p in identificadas + candidatos}.values())

    def contexto(self):
        identificadas, candidatos = self._datos()
        ids = {p.pk for p in identificadas}
        return {
            "identificadas": identificadas,
            "candidatos": candidatos,
            "ids_identificadas": ids,
            "rectificable": self.solicitud.derecho == Derecho.RECTIFICACION,
            "puede_ampliar": self.solicitud.ampliada_en is None,
            "vence_sin_ampliar": plazos.arco_respuesta_sin_ampliar_vence_el(self.solicitud),
        }

    def identificar(self, form):
        partes = list(form.cleaned_data["partes"])
        self.en_la_tarea(arco.identificar_datos, partes=partes)
        return _("Datos identificados: %(n)d renglón(es).") % {"n": len(partes)}

    def rectificar(self, form):
        identificadas, _candidatos = self._datos()
        parte = next((p for p in identificadas if p.pk == form.cleaned_data["parte"]), None)
        if parte is None:
            raise ValidationError(
                _("Elija datos que se hayan identificado como de la persona titular.")
            )
        self.en_la_tarea(arco.rectificar, parte=parte, **form.datos())
        return _("Datos rectificados en %(folio)s.") % {"folio": parte.caso.folio}

    def bloquear(self, form):
        n = self.en_la_tarea(
            arco.bloquear_datos,
            partes=list(form.cleaned_data["partes"]),
            motivo=form.cleaned_data["motivo"],
        )
        return _("Datos bloqueados: %(n)d renglón(es).") % {"n": n}

    def oponer(self, form):
        n = self.en_la_tarea(
            arco.registrar_oposicion,
            partes=list(form.cleaned_data["partes"]),
            usos=form.cleaned_data["usos"],
        )
        return _("Oposición registrada en %(n)d renglón(es).") % {"n": n}

    def ampliar(self, form):
        solicitud = services.ampliar_plazo(
            task=self.task,
            solicitud=self.solicitud,
            actor=self.request.user,
            motivo=form.cleaned_data["motivo"],
        )
        return _("Plazo ampliado: la respuesta vence el %(fecha)s.") % {
            "fecha": f"{plazos.arco_respuesta_vence_el(solicitud):%d/%m/%Y}"
        }

    def responder(self, form):
        d = form.cleaned_data
        arco.responder(
            solicitud=self.solicitud,
            actor=self.request.user,
            sentido=d["sentido"],
            fundamento=d["fundamento"],
            respuesta=d["respuesta"],
            causa_improcedencia=d["causa_improcedencia"],
        )
        return _("Respuesta emitida para la solicitud %(folio)s.") % {"folio": self.solicitud.folio}


def _unicas(partes):
    vistas, lista = set(), []
    for parte in partes:
        if parte.pk not in vistas:
            vistas.add(parte.pk)
            lista.append(parte)
    return lista


verificar = Verificar.as_view()
esperar_informacion = EsperarInformacion.as_view()
resolver = Resolver.as_view()

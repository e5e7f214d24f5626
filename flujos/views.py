"""Vistas de las tareas: una clase por paso (formulario → servicio → completar la tarea),
las bandejas y las acciones de tomar, soltar y reasignar."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casos.models import Caso, Clausula, TipoCaso
from casos.permisos import requiere_permiso
from casos.selectors import mediadores_elegibles
from casos.services import DatosPersona
from casos.services import asesoria as ase
from casos.services import mediacion as med

from . import forms, selectors, tareas

User = get_user_model()


def agregar_errores(form, error: ValidationError) -> None:
    """Los errores de un servicio, junto al campo que corresponde (o arriba del formulario)."""
    if hasattr(error, "error_dict"):
        for campo, errores in error.message_dict.items():
            form.add_error(campo if campo in form.fields else None, errores)
    else:
        form.add_error(None, error.messages)


class PasoTarea(View):
    """Un paso del flujo: muestra el formulario y, al enviarlo, ejecuta el servicio y
    completa la tarea en la misma transacción."""

    form_class = None
    plantilla = "flujos/tarea.html"
    ayuda = ""
    exito = _("Listo: se completó «%(tarea)s».")

    def dispatch(self, request, *args, task=None, **kwargs):
        self.task = task
        self.caso = task.process.coerced.caso
        return super().dispatch(request, *args, **kwargs)

    def argumentos_form(self) -> dict:
        return {}

    def formulario(self, data=None):
        return self.form_class(data, **self.argumentos_form())

    def contexto(self) -> dict:
        return {}

    def pagina(self, form, status=200):
        contexto = {
            "task": self.task,
            "caso": self.caso,
            "form": form,
            "ayuda": self.ayuda,
            "titulo": self.task.flow_task.task_title,
            **self.contexto(),
        }
        return render(self.request, self.plantilla, contexto, status=status)

    def get(self, request, *args, **kwargs):
        return self.pagina(self.formulario())

    def post(self, request, *args, **kwargs):
        form = self.formulario(request.POST)
        if not form.is_valid():
            return self.pagina(form, status=400)
        try:
            mensaje = tareas.completar(
                task=self.task, usuario=request.user, accion=lambda: self.ejecutar(form)
            )
        except ValidationError as error:
            agregar_errores(form, error)
            return self.pagina(form, status=400)
        except tareas.TareaNoDisponible as error:
            messages.error(request, str(error))
            return redirect("casos:detalle", folio=self.caso.folio)
        messages.success(request, mensaje or self.exito % {"tarea": self.task.flow_task.task_title})
        return redirect("casos:detalle", folio=self.caso.folio)

    def ejecutar(self, form):  # pragma: no cover - cada paso lo define
        raise TypeError(f"{type(self).__name__} debe definir ejecutar()")


class Revisar(PasoTarea):
    form_class = forms.RevisarForm
    ayuda = _(
        "Admita si el asunto es mediable. La violencia contra las mujeres, la materia penal "
        "y lo que afecte a terceros o menores no se media: canalícelo (LGMASC art. 79)."
    )

    def ejecutar(self, form):
        d = form.cleaned_data
        actor = self.request.user
        if d["decision"] == "admitir":
            med.admitir(caso=self.caso, actor=actor, nota=d["motivo"])
            return _("Solicitud admitida; asigne a la persona facilitadora.")
        if d["decision"] == "no_admitir":
            med.no_admitir(caso=self.caso, actor=actor, motivo=d["motivo"])
            return _("Solicitud no admitida; avise a quien la presentó al día hábil siguiente.")
        med.canalizar(
            caso=self.caso,
            actor=actor,
            dependencia=d["dependencia"],
            motivo=d["motivo"],
            numero_oficio=d["numero_oficio"],
        )
        return _("Asunto canalizado.")


class AvisarNoAdmision(PasoTarea):
    form_class = forms.AvisoNoAdmisionForm
    ayuda = _("LGMASC art. 66: la no admisión se notifica al día hábil siguiente.")

    def ejecutar(self, form):
        med.registrar_aviso_no_admision(
            caso=self.caso, actor=self.request.user, **form.cleaned_data
        )


class Asignar(PasoTarea):
    form_class = forms.AsignarForm
    plantilla = "flujos/asignar.html"

    def elegibles(self):
        if self.caso.tipo == TipoCaso.MEDIACION:
            return mediadores_elegibles()
        return User.objects.filter(is_active=True, groups__name="asesor").distinct()

    def argumentos_form(self):
        return {"elegibles": self.elegibles()}

    def contexto(self):
        from django.utils import timezone

        grupo = "mediador" if self.caso.tipo == TipoCaso.MEDIACION else "asesor"
        return {"carga": selectors.carga_de_trabajo(grupo), "hoy": timezone.localdate()}

    def ejecutar(self, form):
        med.asignar_responsable(
            caso=self.caso, actor=self.request.user, responsable=form.cleaned_data["responsable"]
        )


class Invitar(PasoTarea):
    form_class = forms.InvitacionForm
    ayuda = _(
        "LGMASC art. 72: la invitación lleva nombres y domicilio de las partes, qué es la "
        "mediación, fecha y lugar de la sesión y firma del facilitador."
    )

    def contexto(self):
        return {"invitaciones": self.caso.invitaciones.all()}

    def ejecutar(self, form):
        paso = med.registrar_invitacion(
            caso=self.caso, actor=self.request.user, **form.cleaned_data
        )
        return {
            med.Siguiente.PROGRAMAR: _("Invitación aceptada: programe la sesión."),
            med.Siguiente.REINTENTAR: _("Invitación registrada; queda pendiente un nuevo intento."),
            med.Siguiente.CONCLUIDO: _("Invitación registrada; el caso concluyó."),
        }[paso.siguiente]


class Programar(PasoTarea):
    form_class = forms.ProgramarForm
    plantilla = "flujos/programar.html"

    def contexto(self):
        return {"sesiones": self.caso.sesiones.select_related("sala")}

    def ejecutar(self, form):
        med.programar_sesion(caso=self.caso, actor=self.request.user, **form.cleaned_data)
        return _("Sesión programada.")


class RegistrarSesion(PasoTarea):
    form_class = forms.RegistrarSesionForm
    ayuda = _(
        "Registre solo asistencia y resultado: lo dicho en la sesión es confidencial "
        "(LGMASC arts. 6 y 37)."
    )

    def contexto(self):
        return {"sesion": self.caso.sesiones.programadas().select_related("sala").first()}

    def ejecutar(self, form):
        sesion = self.caso.sesiones.programadas().order_by("inicio").first()
        if sesion is None:
            raise ValidationError(_("No hay una sesión programada para registrar."))
        paso = med.registrar_sesion(sesion=sesion, actor=self.request.user, **form.cleaned_data)
        return {
            med.Siguiente.CONVENIO: _("Sesión registrada con acuerdo: redacte el convenio."),
            med.Siguiente.PROGRAMAR: _("Sesión registrada: programe la siguiente."),
            med.Siguiente.CONCLUIDO: _("Sesión registrada; el caso concluyó."),
        }[paso.siguiente]


class RedactarConvenio(PasoTarea):
    """Convenio estructurado (art. 94): datos de las partes, antecedentes y cláusulas. Se
    puede guardar como borrador sin completar la tarea."""

    plantilla = "flujos/convenio.html"

    def partes(self):
        return list(self.caso.partes.order_by("id"))

    def formulario(self, data=None):
        convenio = getattr(self.caso, "convenio", None) if hasattr(self.caso, "convenio") else None
        inicial = {}
        clausulas = []
        if convenio is not None:
            inicial = {
                c: getattr(convenio, c)
                for c in ("tipo", "lugar", "antecedentes", "consecuencias_incumplimiento")
            }
            clausulas = [
                {
                    "obligado": str(c.obligado_id),
                    "tipo": c.tipo,
                    "descripcion": c.descripcion,
                    "modo": c.modo,
                    "lugar": c.lugar,
                    "fecha_limite": c.fecha_limite,
                }
                for c in convenio.clausulas.all()
            ]
        partes = self.partes()
        return {
            "convenio": forms.ConvenioForm(
                data, initial=inicial or {"lugar": self.lugar_por_omision()}
            ),
            "partes": [
                (
                    p,
                    forms.ParteConvenioForm(
                        data,
                        prefix=f"parte{p.pk}",
                        initial={c: getattr(p, c) for c in forms.ParteConvenioForm.base_fields},
                    ),
                )
                for p in partes
            ],
            "clausulas": forms.ClausulasFormSet(
                data, prefix="clausula", initial=clausulas or None, form_kwargs={"partes": partes}
            ),
        }

    def lugar_por_omision(self):
        from casos.models import Centro

        centro = Centro.actual()
        return ", ".join(x for x in (centro.municipio, centro.entidad) if x)

    def pagina(self, form, status=200):
        return render(
            self.request,
            self.plantilla,
            {
                "task": self.task,
                "caso": self.caso,
                "formularios": form,
                "titulo": self.task.flow_task.task_title,
                "faltan": med.faltantes_convenio(self.caso)
                if hasattr(self.caso, "convenio")
                else [],
            },
            status=status,
        )

    def validos(self, formularios):
        return all(
            [
                formularios["convenio"].is_valid(),
                formularios["clausulas"].is_valid(),
                *[f.is_valid() for _, f in formularios["partes"]],
            ]
        )

    def guardar(self, formularios):
        actor = self.request.user
        for parte, f in formularios["partes"]:
            datos = {k: v for k, v in f.cleaned_data.items()}
            med.actualizar_parte(parte=parte, actor=actor, **datos)
        partes = {str(p.pk): p for p in self.partes()}
        clausulas = [
            med.DatosClausula(
                obligado=partes[c["obligado"]],
                tipo=c["tipo"],
                descripcion=c["descripcion"],
                modo=c["modo"],
                lugar=c["lugar"],
                fecha_limite=c["fecha_limite"],
            )
            for c in formularios["clausulas"].cleaned_data
            if c and not c.get("DELETE")
        ]
        med.capturar_convenio(
            caso=self.caso, actor=actor, clausulas=clausulas, **formularios["convenio"].cleaned_data
        )

    def post(self, request, *args, **kwargs):
        if "agregar" in request.POST:
            # Sin JavaScript: se vuelve a mostrar lo escrito con una cláusula más, sin guardar.
            datos = request.POST.copy()
            datos["clausula-TOTAL_FORMS"] = str(int(datos.get("clausula-TOTAL_FORMS") or 0) + 1)
            return self.pagina(self.formulario(datos))
        formularios = self.formulario(request.POST)
        if not self.validos(formularios):
            return self.pagina(formularios, status=400)
        try:
            if "borrador" in request.POST:
                from django.db import transaction

                with transaction.atomic():
                    self.guardar(formularios)
                messages.success(request, _("Borrador del convenio guardado."))
                return redirect("flujos:tarea", pk=self.task.pk)
            tareas.completar(
                task=self.task, usuario=request.user, accion=lambda: self.guardar(formularios)
            )
        except ValidationError as error:
            agregar_errores(formularios["convenio"], error)
            return self.pagina(formularios, status=400)
        except tareas.TareaNoDisponible as error:
            messages.error(request, str(error))
            return redirect("casos:detalle", folio=self.caso.folio)
        messages.success(request, _("Convenio redactado: registre la firma."))
        return redirect("casos:detalle", folio=self.caso.folio)


class Firma(PasoTarea):
    form_class = forms.FirmaForm
    plantilla = "flujos/firma.html"

    def contexto(self):
        return {"faltan": med.faltantes_convenio(self.caso), "convenio": self.caso.convenio}

    def ejecutar(self, form):
        med.firmar_convenio(caso=self.caso, actor=self.request.user, **form.cleaned_data)
        return _("Convenio firmado: envíelo a registro dentro de 10 días hábiles.")


class EnviarRegistro(PasoTarea):
    form_class = forms.EnvioRegistroForm
    ayuda = _(
        "LGMASC art. 98: el convenio se envía a registro dentro de 10 días hábiles; una "
        "prevención se corrige en 10 días hábiles."
    )

    def ejecutar(self, form):
        med.enviar_a_registro(caso=self.caso, actor=self.request.user, **form.cleaned_data)


class RespuestaRegistro(PasoTarea):
    form_class = forms.RespuestaRegistroForm

    def ejecutar(self, form):
        med.registrar_respuesta_registro(
            caso=self.caso, actor=self.request.user, **form.cleaned_data
        )


class Seguimiento(PasoTarea):
    """Verificar cada cláusula (sin completar la tarea) y cerrar el seguimiento."""

    form_class = forms.CerrarSeguimientoForm
    plantilla = "flujos/seguimiento.html"

    def contexto(self):
        return {
            "clausulas": self.caso.convenio.clausulas.select_related("obligado"),
            "verificar": forms.VerificarClausulaForm(),
        }

    def post(self, request, *args, **kwargs):
        if "clausula" not in request.POST:
            return super().post(request, *args, **kwargs)
        form = forms.VerificarClausulaForm(request.POST)
        if form.is_valid():
            clausula = get_object_or_404(
                Clausula, pk=form.cleaned_data["clausula"], convenio__caso=self.caso
            )
            try:
                with tareas.candado_del_caso(self.caso):
                    med.verificar_clausula(
                        clausula=clausula,
                        actor=request.user,
                        cumplida=form.cleaned_data["cumplida"],
                        nota=form.cleaned_data["nota"],
                    )
                    # El seguimiento vence ahora con la siguiente cláusula pendiente.
                    tareas.recalcular_plazos(caso=self.caso)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            except tareas.TareaNoDisponible as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Cláusula %(n)d verificada.") % {"n": clausula.numero})
        else:
            messages.error(request, _("Indique si la cláusula se cumplió."))
        return redirect("flujos:tarea", pk=self.task.pk)

    def ejecutar(self, form):
        med.cerrar_seguimiento(caso=self.caso, actor=self.request.user, **form.cleaned_data)
        return _("Seguimiento concluido; el expediente quedó cerrado.")


class Clasificar(PasoTarea):
    form_class = forms.ClasificarForm

    def formulario(self, data=None):
        return self.form_class(
            data, initial={"categoria": self.caso.categoria_id, "localidad": self.caso.localidad_id}
        )

    def ejecutar(self, form):
        ase.clasificar(caso=self.caso, actor=self.request.user, **form.cleaned_data)


class Atender(PasoTarea):
    form_class = forms.AtenderForm
    plantilla = "flujos/atender.html"

    def ejecutar(self, form):
        d = form.cleaned_data
        actor = self.request.user
        ase.iniciar_atencion(caso=self.caso, actor=actor)
        if d["accion"] == "resolver":
            ase.resolver(
                caso=self.caso,
                actor=actor,
                resumen_atencion=d["resumen_atencion"],
                primer_contacto=d["primer_contacto"],
            )
            return _("Asesoría resuelta: haga la pregunta de satisfacción.")
        if d["accion"] == "canalizar":
            ase.canalizar(
                caso=self.caso,
                actor=actor,
                dependencia=d["dependencia"],
                motivo=d["motivo"],
                numero_oficio=d["numero_oficio"],
            )
            return _("Oficio registrado; queda en espera de la respuesta de la dependencia.")
        if d["accion"] == "esperar":
            ase.esperar_ciudadano(caso=self.caso, actor=actor, motivo=d["motivo"])
            return _("El reloj del caso queda en pausa hasta que la persona responda.")
        if not d["categoria_mediacion"]:
            raise ValidationError(
                {"categoria_mediacion": [_("Elija la categoría de la mediación.")]}
            )
        nueva = ase.convertir_en_mediacion(
            caso=self.caso,
            actor=actor,
            categoria=d["categoria_mediacion"],
            otra_parte=DatosPersona(nombre=d["otra_nombre"], domicilio=d["otra_domicilio"]),
        )
        return _("Se abrió la solicitud de mediación %(folio)s.") % {"folio": nueva.caso.folio}


class RespuestaCanalizacion(PasoTarea):
    form_class = forms.RespuestaCanalizacionForm

    def ejecutar(self, form):
        canalizacion = self.caso.canalizaciones.filter(respondida_en__isnull=True).last()
        if canalizacion is None:
            raise ValidationError(_("No hay un oficio en espera de respuesta."))
        ase.registrar_respuesta_canalizacion(
            canalizacion=canalizacion, actor=self.request.user, **form.cleaned_data
        )


class Reanudar(PasoTarea):
    form_class = forms.ReanudarForm

    def ejecutar(self, form):
        ase.reanudar(caso=self.caso, actor=self.request.user)


class Encuesta(PasoTarea):
    form_class = forms.EncuestaForm

    def ejecutar(self, form):
        ase.registrar_encuesta(caso=self.caso, actor=self.request.user, **form.cleaned_data)
        ase.cerrar(caso=self.caso, actor=self.request.user)
        return _("Encuesta registrada; expediente cerrado.")


# Referencias para flows.py: cada nodo humano apunta a su vista.
revisar = Revisar.as_view()
avisar_no_admision = AvisarNoAdmision.as_view()
asignar = Asignar.as_view()
invitar = Invitar.as_view()
programar = Programar.as_view()
registrar_sesion = RegistrarSesion.as_view()
convenio = RedactarConvenio.as_view()
firma = Firma.as_view()
enviar_registro = EnviarRegistro.as_view()
respuesta_registro = RespuestaRegistro.as_view()
seguimiento = Seguimiento.as_view()
clasificar = Clasificar.as_view()
atender = Atender.as_view()
respuesta_canalizacion = RespuestaCanalizacion.as_view()
reanudar = Reanudar.as_view()
encuesta = Encuesta.as_view()


# --- Despacho, tomar, soltar, reasignar -------------------------------------------------------


def _tarea(pk) -> Task:
    return get_object_or_404(
        Task.objects.select_related("process", "owner"), pk=pk, flow_task_type="HUMAN"
    )


@requiere_permiso("casos.view_caso")
def tarea(request, pk):
    """Abre la tarea: quien la tiene la trabaja; quien puede tomarla ve el botón para hacerlo."""
    task = _tarea(pk)
    flow_task = task.flow_task
    if task.status in (STATUS.ASSIGNED, STATUS.STARTED) and flow_task.can_execute(
        request.user, task
    ):
        return flow_task.view(request, task=task)
    caso = task.process.coerced.caso
    if task.status == STATUS.NEW and flow_task.can_assign(request.user, task):
        return render(request, "flujos/tomar.html", {"task": task, "caso": caso})
    if task.status in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED) and task.owner_id:
        messages.info(
            request,
            _("Esta tarea la tiene %(nombre)s.")
            % {"nombre": task.owner.get_full_name() or task.owner.username},
        )
        return redirect("casos:detalle", folio=caso.folio)
    raise PermissionDenied


@requiere_permiso("casos.view_caso")
@require_POST
def tomar(request, pk):
    task = _tarea(pk)
    try:
        tareas.tomar(task=task, usuario=request.user)
    except tareas.TareaNoDisponible as error:
        messages.error(request, str(error))
        return redirect("flujos:bandeja")
    if task.flow_task.name == "revisar":
        med.iniciar_revision(caso=task.process.coerced.caso, actor=request.user)
    return redirect("flujos:tarea", pk=task.pk)


@requiere_permiso("casos.view_caso")
@require_POST
def soltar(request, pk):
    task = _tarea(pk)
    try:
        tareas.soltar(task=task, usuario=request.user)
    except tareas.TareaNoDisponible as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("La tarea volvió a la cola."))
    return redirect("flujos:bandeja")


@requiere_permiso("casos.view_caso", "casos.asignar_responsable")
@require_POST
def reasignar(request, pk):
    task = _tarea(pk)
    nuevo = get_object_or_404(User, pk=request.POST.get("usuario") or 0, is_active=True)
    try:
        tareas.reasignar(task=task, usuario=request.user, nuevo=nuevo)
    except tareas.TareaNoDisponible as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Tarea reasignada."))
    return redirect("casos:detalle", folio=task.process.coerced.caso.folio)


# --- Bandejas -------------------------------------------------------------------------------


def _filtros(request):
    return selectors.FiltrosBandeja.desde(request.GET)


def _lista(request, vista, pagina, filtros):
    from casos.models import Categoria, Localidad

    return render(
        request,
        "flujos/bandeja.html",
        {
            "pagina": pagina,
            "filtros": filtros,
            "vista": vista,
            "localidades": Localidad.objects.activos(),
            "categorias": Categoria.objects.activos(),
        },
    )


@requiere_permiso("casos.view_caso")
def bandeja(request):
    """Mis tareas, por vencimiento (las vencidas primero)."""
    filtros = _filtros(request)
    pagina = selectors.bandeja(
        usuario=request.user, filtros=filtros, pagina=request.GET.get("pagina")
    )
    return render(
        request, "flujos/bandeja.html", {"pagina": pagina, "filtros": filtros, "vista": "bandeja"}
    )


@requiere_permiso("casos.view_caso")
def cola(request):
    """Tareas sin dueño que mi rol puede tomar."""
    filtros = _filtros(request)
    pagina = selectors.cola(usuario=request.user, filtros=filtros, pagina=request.GET.get("pagina"))
    return render(
        request, "flujos/bandeja.html", {"pagina": pagina, "filtros": filtros, "vista": "cola"}
    )


@requiere_permiso("casos.view_caso", "casos.asignar_responsable")
def plazos(request):
    """Para la coordinación: todas las tareas abiertas vencidas o por vencer."""
    filtros = _filtros(request)
    if not filtros.vencimiento:
        filtros.vencimiento = "por_vencer"
    pagina = selectors.todas(filtros=filtros, pagina=request.GET.get("pagina"))
    return render(
        request, "flujos/bandeja.html", {"pagina": pagina, "filtros": filtros, "vista": "plazos"}
    )


# --- Acciones sobre el caso fuera de una tarea ------------------------------------------------


def _caso_para_actuar(request, folio) -> Caso:
    from casos import selectors as casos_selectors

    caso = casos_selectors.caso_para_personal(usuario=request.user, folio=folio)
    if not casos_selectors.puede_actuar_en(request.user, caso):
        raise PermissionDenied
    return caso


def _accion(request, folio, form_class, titulo, ayuda, hacer, inicial=None):
    caso = _caso_para_actuar(request, folio)
    form = form_class(request.POST or None, initial=inicial(caso) if inicial else None)
    if request.method == "POST" and form.is_valid():
        try:
            with tareas.candado_del_caso(caso):
                mensaje = hacer(caso, form.cleaned_data)
        except ValidationError as error:
            agregar_errores(form, error)
        except tareas.TareaNoDisponible as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, mensaje)
            return redirect("casos:detalle", folio=caso.folio)
    return render(
        request,
        "flujos/accion.html",
        {"caso": caso, "form": form, "titulo": titulo, "ayuda": ayuda},
        status=400 if request.method == "POST" else 200,
    )


@requiere_permiso("casos.view_caso")
def diferir(request, folio):
    """LGMASC art. 76: diferir la sesión programada (dos veces como máximo)."""

    def hacer(caso, d):
        from django.db import transaction

        sesion = caso.sesiones.programadas().first()
        if sesion is None:
            raise ValidationError(_("El caso no tiene una sesión programada."))
        with transaction.atomic():
            nueva = med.diferir_sesion(
                sesion=sesion,
                actor=request.user,
                motivo=d["motivo"],
                nuevo_inicio=d["inicio"],
                duracion_min=d["duracion_min"],
                sala=d["sala"],
                lugar=d["lugar"] or None,
            )
            tareas.recalcular_plazos(caso=caso)
        return _("Sesión diferida al %(cuando)s.") % {
            "cuando": nueva.inicio.strftime("%d/%m/%Y %H:%M")
        }

    return _accion(
        request,
        folio,
        forms.DiferirForm,
        _("Diferir la sesión"),
        _("La ley permite diferir una sesión dos veces como máximo (art. 76)."),
        hacer,
    )


@requiere_permiso("casos.view_caso")
def prorrogar(request, folio):
    def hacer(caso, d):
        med.prorrogar(caso=caso, actor=request.user, **d)
        tareas.recalcular_plazos(caso=caso)  # los temporizadores del plazo se mueven
        return _("Prórroga registrada.")

    return _accion(
        request,
        folio,
        forms.ProrrogaForm,
        _("Registrar prórroga"),
        _("Las partes pueden ampliar el plazo (art. 64); deje constancia de su acuerdo."),
        hacer,
    )


@requiere_permiso("casos.view_caso")
def concluir(request, folio):
    def hacer(caso, d):
        from django.db import transaction

        with transaction.atomic():
            med.concluir_anticipadamente(caso=caso, actor=request.user, **d)
            tareas.cerrar_pendientes(caso=caso)
        return _("El caso concluyó; se cancelaron sus tareas pendientes.")

    return _accion(
        request,
        folio,
        forms.ConclusionForm,
        _("Concluir anticipadamente"),
        _("Art. 78: desistimiento, conducta agresiva o dilatoria, muerte de una parte…"),
        hacer,
    )


@requiere_permiso("casos.view_caso")
def reabrir(request, folio):
    """Una asesoría cerrada se reabre (su asesor o la coordinación) y vuelve a «atender»."""
    from .flows import AsesoriaFlow

    def hacer(caso, d):
        caso = ase.reabrir(caso=caso, actor=request.user, motivo=d["motivo"])
        AsesoriaFlow.reapertura.run(caso=caso)
        return _("Asesoría reabierta.")

    return _accion(request, folio, forms.ReaperturaForm, _("Reabrir la asesoría"), "", hacer)

"""Vistas de los pasos del flujo: una clase por tarea humana (formulario → servicio de
dominio → completar la tarea). `flows.py` solo importa este módulo."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from casos import acceso
from casos.models import Centro, ClavePlazo, TipoCaso
from casos.services import DatosPersona
from casos.services import asesoria as ase
from casos.services import mediacion as med
from casos.texto import nombre_de
from nucleo.entradas import entero_ascii

from .. import forms, selectors, services


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
    # El servicio de dominio del paso: se llama con el caso, quien actúa y lo del formulario.
    servicio = None
    mensaje = ""

    def dispatch(self, request, *args, task=None, **kwargs):
        self.task = task
        self.caso = task.process.coerced.caso
        # Quien trabaja la tarea la tiene: está en su alcance, pero la apertura se anota.
        acceso.registrar_acceso(
            usuario=request.user,
            casos=self.caso,
            vista="tarea",
            request=request,
            objeto=f"tarea:{task.pk}",
        )
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
            mensaje = services.completar_tarea(
                task=self.task, usuario=request.user, accion=lambda: self.ejecutar(form)
            )
        except ValidationError as error:
            agregar_errores(form, error)
            return self.pagina(form, status=400)
        except services.TareaNoDisponible as error:
            messages.error(request, str(error))
            return redirect("casos:detalle", folio=self.caso.folio)
        self.confirmar(mensaje or self.exito % {"tarea": self.task.flow_task.task_title})
        return self.a_lo_siguiente()

    def confirmar(self, mensaje: str) -> None:
        """La confirmación de una línea que se ve en la página siguiente."""
        messages.success(self.request, mensaje)

    def a_lo_siguiente(self):
        """Tras guardar: la siguiente tarea abierta del mismo caso si ya es de quien guardó;
        si no, su bandeja."""
        siguiente = selectors.siguiente_tarea_propia(caso=self.caso, usuario=self.request.user)
        if siguiente is not None:
            return redirect("flujos:tarea", pk=siguiente.pk)
        return redirect("flujos:bandeja")

    def ejecutar(self, form):
        if self.servicio is None:  # pragma: no cover - cada paso define uno u otro
            raise TypeError(f"{type(self).__name__} debe definir servicio o ejecutar()")
        self.servicio(caso=self.caso, actor=self.request.user, **form.cleaned_data)
        return self.mensaje


class Revisar(PasoTarea):
    form_class = forms.RevisarForm
    plantilla = "flujos/revisar.html"
    ayuda = _(
        "Admita si el asunto es mediable. La violencia contra las mujeres, la materia penal "
        "y lo que afecte a terceros o menores no se media: canalícelo (LGMASC art. 79)."
    )

    def asigna_aqui(self) -> bool:
        """Quien revisa y además asigna casos lo hace en la misma pantalla (mediación)."""
        return self.caso.tipo == TipoCaso.MEDIACION and self.request.user.has_perm(
            "casos.asignar_responsable"
        )

    def formulario(self, data=None):
        if self.asigna_aqui():
            return forms.RevisarYAsignarForm(
                data, elegibles=selectors.elegibles_para(self.caso), caso=self.caso
            )
        return forms.RevisarForm(data)

    def contexto(self):
        if not self.asigna_aqui():
            return {}
        return {"carga": selectors.carga_de_trabajo("mediador"), "hoy": timezone.localdate()}

    def confirmar(self, mensaje):
        # Si además asigna, la confirmación espera a saber si la asignación se hizo.
        self._confirmacion = mensaje
        if getattr(self, "_asignar_a", None) is None:
            super().confirmar(mensaje)

    def post(self, request, *args, **kwargs):
        respuesta = super().post(request, *args, **kwargs)
        responsable = getattr(self, "_asignar_a", None)
        if respuesta.status_code != 302 or responsable is None:
            return respuesta
        # Admitida: quien revisó toma la tarea «asignar» recién creada y la completa.
        asignar = selectors.tarea_abierta_del_caso(caso=self.caso, nombre="asignar")
        try:
            if asignar is None:
                raise services.TareaNoDisponible(_("Esta tarea ya no está disponible."))
            services.tomar_tarea(task=asignar, usuario=request.user)
            services.completar_tarea(
                task=asignar,
                usuario=request.user,
                accion=lambda: med.asignar_responsable(
                    caso=self.caso,
                    actor=request.user,
                    responsable=responsable,
                    confirma_vigencia=self._confirma_vigencia,
                ),
            )
        except (ValidationError, services.TareaNoDisponible) as error:
            texto = " ".join(getattr(error, "messages", None) or [str(error)])
            messages.warning(
                request,
                _("Solicitud admitida, pero no se pudo asignar: %(motivo)s") % {"motivo": texto},
            )
            return self.a_lo_siguiente()
        super().confirmar(self._confirmacion)
        return self.a_lo_siguiente()

    def ejecutar(self, form):
        d = form.cleaned_data
        actor = self.request.user
        if d["decision"] == "admitir":
            med.admitir(caso=self.caso, actor=actor, nota=d["motivo"])
            if d.get("responsable"):
                self._asignar_a = d["responsable"]
                self._confirma_vigencia = bool(d.get("confirma_vigencia"))
                return _("Solicitud admitida y asignada a %(nombre)s.") % {
                    "nombre": nombre_de(d["responsable"])
                }
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

    @property
    def ayuda(self):
        cifra = selectors.cifra_del_caso(self.caso, ClavePlazo.NO_ADMISION_AVISO_DIAS_HABILES)
        return _("%(fundamento)s: la no admisión se notifica dentro de %(cifra)s.") % {
            "fundamento": cifra.fundamento,
            "cifra": cifra.texto,
        }

    servicio = staticmethod(med.registrar_aviso_no_admision)


class Asignar(PasoTarea):
    form_class = forms.AsignarForm
    plantilla = "flujos/asignar.html"

    def argumentos_form(self):
        return {"elegibles": selectors.elegibles_para(self.caso), "caso": self.caso}

    def contexto(self):
        grupo = "mediador" if self.caso.tipo == TipoCaso.MEDIACION else "asesor"
        return {"carga": selectors.carga_de_trabajo(grupo), "hoy": timezone.localdate()}

    def ejecutar(self, form):
        med.asignar_responsable(
            caso=self.caso,
            actor=self.request.user,
            responsable=form.cleaned_data["responsable"],
            confirma_vigencia=bool(form.cleaned_data.get("confirma_vigencia")),
        )
        return ""


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


def sala_pedida(fuente) -> str | None:
    """La sala que se pidió en la búsqueda de horarios: None si no se pidió ninguna, «otro»
    si se eligió otro lugar (sin sala)."""
    if "sala" not in fuente:
        return None
    return fuente.get("sala") or "otro"


def fecha_pedida(fuente):
    """El día desde el que se buscan horarios libres (None si no viene o no es una fecha)."""
    try:
        return date.fromisoformat(fuente.get("desde", ""))
    except ValueError:
        return None


class ConHorariosLibres:
    """Pasos y acciones que eligen uno de los horarios libres de una sala (programar y
    corregir la hora): la búsqueda va por GET (sala y duración) y la elección por POST."""

    form_class = forms.ProgramarForm
    sesion_que_se_mueve = None

    def formulario(self, data=None):
        fuente = data if data is not None else self.request.GET
        self.programacion = selectors.programacion(
            caso=self.caso,
            sala_id=sala_pedida(fuente),
            duracion_min=fuente.get("duracion_min"),
            desde=fecha_pedida(fuente),
            excluir=self.sesion_que_se_mueve,
        )
        if data is not None:
            return self.form_class(data)
        inicial = {"sala": self.programacion.sala, "duracion_min": self.programacion.duracion_min}
        if self.sesion_que_se_mueve is not None and not self.programacion.sala:
            inicial["lugar"] = self.sesion_que_se_mueve.lugar
        return self.form_class(initial=inicial)

    def contexto_de_horarios(self) -> dict:
        return {"prog": self.programacion, "otra_hora": forms.OTRA_HORA}


class Programar(ConHorariosLibres, PasoTarea):
    plantilla = "flujos/programar.html"
    ayuda = _(
        "Elija la sala y uno de sus horarios libres (dentro de su horario de atención, en día "
        "hábil y dentro del plazo del procedimiento, LGMASC art. 64). Si escribe otra hora, "
        "debe caber en el horario de la sala."
    )

    def contexto(self):
        return {
            "sesiones": self.caso.sesiones.select_related("sala"),
            **self.contexto_de_horarios(),
        }

    def ejecutar(self, form):
        med.programar_sesion(caso=self.caso, actor=self.request.user, **form.datos_de_sesion())
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
            total = entero_ascii(datos.get("clausula-TOTAL_FORMS")) or 0
            datos["clausula-TOTAL_FORMS"] = str(min(total, forms.ClausulasFormSet.max_num) + 1)
            return self.pagina(self.formulario(datos))
        formularios = self.formulario(request.POST)
        if not self.validos(formularios):
            return self.pagina(formularios, status=400)
        try:
            if "borrador" in request.POST:
                with transaction.atomic():
                    self.guardar(formularios)
                messages.success(request, _("Borrador del convenio guardado."))
                return redirect("flujos:tarea", pk=self.task.pk)
            services.completar_tarea(
                task=self.task, usuario=request.user, accion=lambda: self.guardar(formularios)
            )
        except ValidationError as error:
            agregar_errores(formularios["convenio"], error)
            return self.pagina(formularios, status=400)
        except services.TareaNoDisponible as error:
            messages.error(request, str(error))
            return redirect("casos:detalle", folio=self.caso.folio)
        messages.success(request, _("Convenio redactado: registre la firma."))
        return self.a_lo_siguiente()


class Firma(PasoTarea):
    form_class = forms.FirmaForm
    plantilla = "flujos/firma.html"

    def contexto(self):
        return {"faltan": med.faltantes_convenio(self.caso), "convenio": self.caso.convenio}

    servicio = staticmethod(med.firmar_convenio)

    @property
    def mensaje(self):
        cifra = selectors.cifra_del_caso(self.caso, ClavePlazo.REGISTRO_ENVIO_DIAS_HABILES)
        return _("Convenio firmado: envíelo a registro dentro de %(cifra)s (%(fundamento)s).") % {
            "cifra": cifra.texto,
            "fundamento": cifra.fundamento,
        }


class EnviarRegistro(PasoTarea):
    form_class = forms.EnvioRegistroForm

    @property
    def ayuda(self):
        envio = selectors.cifra_del_caso(self.caso, ClavePlazo.REGISTRO_ENVIO_DIAS_HABILES)
        prevencion = selectors.cifra_del_caso(self.caso, ClavePlazo.PREVENCION_DIAS_HABILES)
        return _(
            "%(fundamento)s: el convenio se envía a registro dentro de %(envio)s; una "
            "prevención se corrige en %(prevencion)s (%(fundamento_prevencion)s)."
        ) % {
            "fundamento": envio.fundamento,
            "envio": envio.texto,
            "prevencion": prevencion.texto,
            "fundamento_prevencion": prevencion.fundamento,
        }

    servicio = staticmethod(med.enviar_a_registro)


class RespuestaRegistro(PasoTarea):
    form_class = forms.RespuestaRegistroForm

    servicio = staticmethod(med.registrar_respuesta_registro)


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
            clausula = selectors.clausula_del_caso(caso=self.caso, pk=form.cleaned_data["clausula"])
            try:
                services.verificar_clausula(
                    clausula=clausula,
                    actor=request.user,
                    cumplida=form.cleaned_data["cumplida"],
                    nota=form.cleaned_data["nota"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            except services.TareaNoDisponible as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Cláusula %(n)d verificada.") % {"n": clausula.numero})
        else:
            messages.error(request, _("Indique si la cláusula se cumplió."))
        return redirect("flujos:tarea", pk=self.task.pk)

    servicio = staticmethod(med.cerrar_seguimiento)
    mensaje = _("Seguimiento concluido; el expediente quedó cerrado.")


class Clasificar(PasoTarea):
    form_class = forms.ClasificarForm

    def formulario(self, data=None):
        return self.form_class(
            data, initial={"categoria": self.caso.categoria_id, "localidad": self.caso.localidad_id}
        )

    servicio = staticmethod(ase.clasificar)


class Atender(PasoTarea):
    form_class = forms.AtenderForm
    plantilla = "flujos/atender.html"

    def ejecutar(self, form):
        try:
            return self._ejecutar(form.cleaned_data)
        except ValidationError as error:
            # Cada error junto al campo de este formulario que lo causó.
            if not hasattr(error, "error_dict"):
                raise
            raise ValidationError(
                {form.campo_de(c): m for c, m in error.message_dict.items()}
            ) from error

    def _ejecutar(self, d):
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
            ase.esperar_ciudadano(caso=self.caso, actor=actor, motivo=d["que_se_espera"])
            return _("El reloj del caso queda en pausa hasta que la persona responda.")
        if not d["categoria_mediacion"]:
            raise ValidationError(
                {"categoria_mediacion": [_("Elija la categoría de la mediación.")]}
            )
        nueva = ase.convertir_en_mediacion(
            caso=self.caso,
            actor=actor,
            categoria=d["categoria_mediacion"],
            resumen=d["relato_conflicto"],
            otra_parte=DatosPersona(
                nombre=d["otra_nombre"],
                domicilio=d["otra_domicilio"],
                telefono=d["otra_telefono"],
            ),
        )
        return _("Se abrió la solicitud de mediación %(folio)s.") % {"folio": nueva.caso.folio}


class RespuestaCanalizacion(PasoTarea):
    form_class = forms.RespuestaCanalizacionForm

    def ejecutar(self, form):
        canalizacion = selectors.canalizacion_en_espera(caso=self.caso)
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


class Llamar(PasoTarea):
    """La parte respondió NO o CAMBIO al recordatorio: quien lleva el caso le llama."""

    form_class = forms.LlamarForm
    plantilla = "flujos/llamar.html"
    ayuda = _(
        "La parte respondió al recordatorio de su sesión. Llámele, acuerden qué sigue (si "
        "pide otra fecha, difiera la sesión desde el expediente) y deje aquí una nota."
    )
    exito = _("Listo: quedó la nota de la llamada.")

    def contexto(self):
        return {"llamada": selectors.llamada_de(self.task.process)}

    def ejecutar(self, form):
        services.registrar_llamada(
            caso=self.caso,
            actor=self.request.user,
            llamada=selectors.llamada_de(self.task.process),
            nota=form.cleaned_data["nota"],
        )


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
llamar = Llamar.as_view()

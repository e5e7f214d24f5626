"""Lo que la coordinación administra en /oficina/: personal, certificaciones, salas y sus
horarios, módulos itinerantes, catálogos, aviso de privacidad, datos del centro y días
inhábiles, plazos de conservación de los datos (y la bitácora del trabajo que los aplica).
Cada cambio queda en su historia (django-simple-history: quién, cuándo, valor
anterior y nuevo); los de las cuentas, además, en la bitácora de cuentas. Nada de los flujos
(procesos y tareas de viewflow), tokens ni sesiones."""

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from casos import cifras
from casos.models import (
    AvisoPrivacidad,
    Categoria,
    Centro,
    Depuracion,
    DiaInhabil,
    HorarioSala,
    Localidad,
    Modulo,
    PerfilMediador,
    PerfilPersonal,
    PlazoConservacion,
    Sala,
    ValorDePlazo,
)
from casos.texto import nombre_de
from cuentas import services as cuentas
from cuentas.models import Personal
from nucleo.legible import legible

from . import selectors, services
from .forms import (
    CampoLogotipo,
    HorarioSalaForm,
    HorariosFormSet,
    PerfilMediadorForm,
    PersonalForm,
    PlazoConservacionForm,
)
from .sitio import sitio


def _ip(request):
    return request.META.get("REMOTE_ADDR")


def _enlace_constancia(perfil) -> str:
    if not perfil or not perfil.certificado:
        return _("Sin escaneo")
    return format_html(
        '<a href="{}">{}</a>',
        reverse("oficina:constancia", args=[perfil.pk]),
        _("Ver la constancia escaneada"),
    )


class ValoresLegibles(HistoricalRecordContextHelper):
    """Antes y después de cada cambio como se leen: «Sí»/«No», la opción elegida («lunes»,
    no «0»), fechas dd/mm/aaaa y «(vacío)»."""

    def prepare_delta_change_value(self, change, value):
        valor = super().prepare_delta_change_value(change, value)
        campo = self.model._meta.get_field(change.field)
        if getattr(campo, "choices", None) and not isinstance(valor, list):
            valor = dict(campo.flatchoices).get(valor, valor)
        return legible(valor, _("(vacío)")) if not isinstance(valor, list) else valor


class ConHistoria(SimpleHistoryAdmin):
    """La historia de cada registro; una dirección con un identificador que no es de este
    modelo (p. ej. /sala/abc/history/) es 404, no un error."""

    def history_view(self, request, object_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError as error:
            raise Http404 from error
        return super().history_view(request, object_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ValoresLegibles(self.model, historical_record)

    def history_view_title(self, request, obj):
        return _("Historia de cambios: %(registro)s") % {"registro": obj}


class OficinaAdmin(ConHistoria):
    """Base de los catálogos de la oficina: nada se borra desde aquí (se desactiva)."""

    history_list_display = []

    def has_delete_permission(self, request, obj=None):
        return False


# --- Personal -------------------------------------------------------------------------------


class PerfilMediadorInline(admin.StackedInline):
    model = PerfilMediador
    form = PerfilMediadorForm
    fk_name = "usuario"
    extra = 1
    max_num = 1
    can_delete = False
    verbose_name = _("certificación como persona facilitadora")
    verbose_name_plural = _("certificación como persona facilitadora")
    readonly_fields = ["certificado_hasta", "constancia"]
    fields = [
        "numero_certificacion",
        "autoridad_emisora",
        "fecha_expedicion",
        "certificado_hasta",
        "certificado",
        "constancia",
    ]

    @admin.display(description=_("constancia guardada"))
    def constancia(self, perfil):
        return _enlace_constancia(perfil)

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("casos.add_perfilmediador")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("casos.change_perfilmediador")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("casos.view_perfilmediador")


class PerfilPersonalInline(admin.StackedInline):
    """El cargo que va bajo la firma de la persona en los oficios."""

    model = PerfilPersonal
    fk_name = "usuario"
    extra = 1
    max_num = 1
    can_delete = False
    fields = ["cargo"]
    verbose_name = _("cargo en los documentos")
    verbose_name_plural = _("cargo en los documentos")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("casos.add_perfilpersonal")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("casos.change_perfilpersonal")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("casos.view_perfilpersonal")


class FiltroRol(admin.SimpleListFilter):
    title = _("rol")
    parameter_name = "rol"

    def lookups(self, request, model_admin):
        from .forms import NOMBRES_DE_ROL

        return list(NOMBRES_DE_ROL.items())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(groups__name=self.value())
        return queryset


@admin.register(Personal, site=sitio)
class PersonalAdmin(OficinaAdmin):
    form = PersonalForm
    inlines = [PerfilPersonalInline, PerfilMediadorInline]
    list_display = ["username", "nombre", "email", "roles", "is_active", "vigencia", "ultimo"]
    list_filter = [FiltroRol, "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["first_name", "last_name", "username"]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["enviar_enlace", "reiniciar_segundo_factor", "desactivar"]
    history_list_display = ["is_active"]

    def get_fieldsets(self, request, obj=None):
        datos = (None, {"fields": ["username", "first_name", "last_name", "email", "roles"]})
        if obj is None:
            return [datos]
        return [datos, (_("Acceso"), {"fields": ["is_active", "last_login", "date_joined"]})]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(is_superuser=False, is_staff=False)
            .select_related("perfil_mediador")
            .prefetch_related("groups")
        )

    def _puede(self, request):
        return request.user.has_perm("cuentas.administrar_personal")

    def has_view_permission(self, request, obj=None):
        return self._puede(request)

    def has_add_permission(self, request):
        return self._puede(request)

    def has_change_permission(self, request, obj=None):
        return self._puede(request)

    @admin.display(description=_("nombre"), ordering="first_name")
    def nombre(self, cuenta):
        return nombre_de(cuenta)

    @admin.display(description=_("roles"))
    def roles(self, cuenta):
        return ", ".join(g.name for g in cuenta.groups.all()) or "—"

    @admin.display(description=_("certificación vigente hasta"))
    def vigencia(self, cuenta):
        perfil = getattr(cuenta, "perfil_mediador", None)
        if perfil is None:
            return "—"
        if not perfil.vigente():
            return format_html(
                '<span class="vencida">{} ({})</span>',
                f"{perfil.certificado_hasta:%d/%m/%Y}",
                _("vencida"),
            )
        return f"{perfil.certificado_hasta:%d/%m/%Y}"

    @admin.display(description=_("última entrada"), ordering="last_login")
    def ultimo(self, cuenta):
        return (
            f"{timezone.localtime(cuenta.last_login):%d/%m/%Y %H:%M}" if cuenta.last_login else "—"
        )

    def save_model(self, request, obj, form, change):
        cuentas.guardar_personal(
            actor=request.user, cuenta=obj, roles=form.roles_elegidos(), ip=_ip(request)
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not PerfilMediador:
            return super().save_formset(request, form, formset, change)
        guardados = formset.save(commit=False)
        for formulario in formset.forms:
            if formulario.instance not in guardados:
                continue
            perfil = formulario.instance
            perfil.usuario = form.instance
            services.guardar_certificacion(
                perfil=perfil, escaneo=formulario.cleaned_data.get("certificado")
            )
        return None

    def get_form(self, request, obj=None, change=False, **kwargs):
        formulario = super().get_form(request, obj, change, **kwargs)

        class ConActor(formulario):
            actor = request.user

        return ConActor

    @admin.action(description=_("Enviar el enlace para restablecer la contraseña"))
    def enviar_enlace(self, request, queryset):
        self._por_cuenta(
            request, queryset, cuentas.enviar_enlace_de_contrasena, _("enlaces enviados")
        )

    @admin.action(description=_("Reiniciar la verificación en dos pasos"))
    def reiniciar_segundo_factor(self, request, queryset):
        if not request.user.has_perm("cuentas.reiniciar_segundo_factor"):
            self.message_user(request, _("No tiene permiso para reiniciar."), messages.ERROR)
            return

        def reiniciar(*, actor, cuenta, ip):
            cuentas.reiniciar_segundo_factor(actor=actor, cuenta=cuenta)

        self._por_cuenta(request, queryset, reiniciar, _("verificaciones reiniciadas"))

    @admin.action(description=_("Desactivar las cuentas elegidas"))
    def desactivar(self, request, queryset):
        self._por_cuenta(request, queryset, cuentas.desactivar_cuenta, _("cuentas desactivadas"))

    def _por_cuenta(self, request, queryset, accion, que):
        hechas = 0
        for cuenta in queryset:
            try:
                accion(actor=request.user, cuenta=cuenta, ip=_ip(request))
                hechas += 1
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        if hechas:
            self.message_user(request, f"{que}: {hechas}", messages.SUCCESS)


@admin.register(PerfilMediador, site=sitio)
class PerfilMediadorAdmin(OficinaAdmin):
    form = PerfilMediadorForm
    list_display = [
        "persona",
        "numero_certificacion",
        "autoridad_emisora",
        "fecha_expedicion",
        "certificado_hasta",
        "esta_vigente",
    ]
    search_fields = ["numero_certificacion", "usuario__first_name", "usuario__last_name"]
    readonly_fields = ["certificado_hasta", "constancia"]
    fields = [
        "usuario",
        "numero_certificacion",
        "autoridad_emisora",
        "fecha_expedicion",
        "certificado_hasta",
        "certificado",
        "constancia",
    ]
    history_list_display = ["numero_certificacion", "certificado_hasta"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("usuario")

    @admin.display(description=_("persona facilitadora"), ordering="usuario__first_name")
    def persona(self, perfil):
        return nombre_de(perfil.usuario)

    @admin.display(description=_("¿vigente hoy?"), boolean=True)
    def esta_vigente(self, perfil):
        return perfil.vigente()

    @admin.display(description=_("constancia guardada"))
    def constancia(self, perfil):
        return _enlace_constancia(perfil)

    def save_model(self, request, obj, form, change):
        services.guardar_certificacion(perfil=obj, escaneo=form.cleaned_data.get("certificado"))


# --- Salas ----------------------------------------------------------------------------------


class HorarioSalaInline(admin.TabularInline):
    model = HorarioSala
    formset = HorariosFormSet
    extra = 1
    verbose_name = _("horario de atención")
    verbose_name_plural = _("horarios de atención (por día de la semana)")
    form = HorarioSalaForm


@admin.register(Sala, site=sitio)
class SalaAdmin(OficinaAdmin):
    list_display = ["nombre", "ubicacion", "capacidad", "activo", "horario"]
    list_filter = ["activo"]
    search_fields = ["nombre", "ubicacion"]
    fields = ["nombre", "ubicacion", "capacidad", "activo"]
    inlines = [HorarioSalaInline]
    history_list_display = ["nombre", "capacidad", "activo"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("horarios")

    def history_view(self, request, object_id, extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        relacionadas = {
            "historia_relacionada": {
                "titulo": _("Cambios del horario de atención"),
                "cambios": selectors.historia_de_horarios(sala_id=int(object_id)),
            }
        }
        return super().history_view(request, object_id, {**(extra_context or {}), **relacionadas})

    @admin.display(description=_("horario"))
    def horario(self, sala):
        return "; ".join(str(h) for h in sala.horarios.all()) or "—"


# --- Catálogos y centro ---------------------------------------------------------------------


@admin.register(Modulo, site=sitio)
class ModuloAdmin(OficinaAdmin):
    list_display = ["nombre", "lugar", "localidad", "fecha", "activo"]
    list_filter = ["activo", "localidad"]
    search_fields = ["nombre", "lugar"]
    date_hierarchy = "fecha"
    history_list_display = ["lugar", "fecha", "activo"]


@admin.register(Localidad, site=sitio)
class LocalidadAdmin(OficinaAdmin):
    list_display = ["nombre", "activo", "orden"]
    list_editable = ["activo", "orden"]
    search_fields = ["nombre"]


@admin.register(Categoria, site=sitio)
class CategoriaAdmin(OficinaAdmin):
    list_display = ["nombre", "tipo", "se_canaliza", "activo", "orden"]
    list_editable = ["activo", "orden"]
    list_filter = ["tipo", "canalizar", "activo"]
    search_fields = ["nombre"]
    history_list_display = ["canalizar", "activo"]

    @admin.display(description=_("se canaliza a otra dependencia (no se media)"), boolean=True)
    def se_canaliza(self, categoria):
        return categoria.canalizar


@admin.register(AvisoPrivacidad, site=sitio)
class AvisoPrivacidadAdmin(OficinaAdmin):
    list_display = ["version", "vigente_desde"]
    history_list_display = ["vigente_desde"]


@admin.register(Centro, site=sitio)
class CentroAdmin(OficinaAdmin):
    list_display = ["nombre", "municipio", "entidad", "telefono", "horario"]
    formfield_overrides = {models.ImageField: {"form_class": CampoLogotipo}}

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Centro.objects.exists()


@admin.register(DiaInhabil, site=sitio)
class DiaInhabilAdmin(ConHistoria):
    list_display = ["fecha_inicio", "fecha_fin", "motivo"]
    date_hierarchy = "fecha_inicio"
    search_fields = ["motivo"]
    change_list_template = "oficina/diainhabil_lista.html"
    history_list_display = ["fecha_inicio", "fecha_fin", "motivo"]


# --- Plazos legales e internos -------------------------------------------------------------


@admin.register(ValorDePlazo, site=sitio)
class ValorDePlazoAdmin(admin.ModelAdmin):
    """Cifras de los plazos con su fecha de vigencia. Una cifra nueva rige para los casos que
    se reciban desde su fecha; la que ya rige no se edita ni se borra (se registra otra)."""

    list_display = [
        "clave",
        "valor",
        "unidad",
        "fundamento",
        "vigente_desde",
        "rige_hoy",
        "creado_por",
        "creado_en",
    ]
    list_filter = ["clave"]
    fields = [
        "clave",
        "valor",
        "unidad",
        "vigente_desde",
        "etiqueta",
        "fundamento",
        "motivo",
        "creado_por",
        "creado_en",
    ]
    readonly_fields = ["unidad", "creado_por", "creado_en"]

    @admin.display(boolean=True, description=_("rige hoy"))
    def rige_hoy(self, obj):
        return cifras.vigente(obj.clave, timezone.localdate()).renglon == obj.pk

    def get_changeform_initial_data(self, request):
        inicial = super().get_changeform_initial_data(request)
        inicial.setdefault("vigente_desde", timezone.localdate() + timedelta(days=1))
        return inicial

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or not obj.ya_rige())

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.ya_rige())

    def get_actions(self, request):
        # El borrado en lote no pregunta renglón por renglón si la cifra ya rige.
        acciones = super().get_actions(request)
        acciones.pop("delete_selected", None)
        return acciones

    def save_model(self, request, obj, form, change):
        if not change:
            obj.creado_por = request.user
        super().save_model(request, obj, form, change)


# --- Conservación de los datos personales ---------------------------------------------------

PERMISO_CONSERVACION = "casos.fijar_conservacion"


@admin.register(PlazoConservacion, site=sitio)
class PlazoConservacionAdmin(ConHistoria):
    """Cuántos años se conservan los datos de un expediente concluido antes de bloquearse y
    de suprimirse, por tipo y resultado. Un renglón de un resultado preciso («con convenio»)
    rige sobre el de «cualquiera». Los cambia quien tiene `casos.fijar_conservacion`; el
    trabajo de conservación los lee cada día. No se borran (se cambian sus años)."""

    form = PlazoConservacionForm
    list_display = ["tipo", "resultado", "bloquear_anios", "suprimir_anios", "fundamento"]
    list_filter = ["tipo"]
    fields = ["tipo", "resultado", "bloquear_anios", "suprimir_anios", "fundamento"]
    history_list_display = ["bloquear_anios", "suprimir_anios", "fundamento"]

    def _puede(self, request) -> bool:
        return request.user.has_perm(PERMISO_CONSERVACION)

    def has_module_permission(self, request):
        return self._puede(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._puede(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._puede(request)

    def has_change_permission(self, request, obj=None):
        return self._puede(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Depuracion, site=sitio)
class DepuracionAdmin(admin.ModelAdmin):
    """Cada corrida del trabajo de conservación (o su simulacro): qué folios bloqueó y cuáles
    suprimió, y qué archivos borró. Solo se consulta."""

    list_display = [
        "iniciada_en",
        "al_dia",
        "simulacro",
        "bloqueados",
        "suprimidos",
        "archivos",
        "pedida_por",
        "terminada_en",
    ]
    list_filter = ["simulacro"]
    fields = list_display + ["detalle"]
    readonly_fields = fields

    def _puede(self, request) -> bool:
        return request.user.has_perm(PERMISO_CONSERVACION)

    def has_module_permission(self, request):
        return self._puede(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._puede(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

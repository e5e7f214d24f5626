from datetime import timedelta

from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import acceso, cifras
from .models import (
    AccesoExpediente,
    AvisoPrivacidad,
    Caso,
    Categoria,
    Centro,
    DiaInhabil,
    Evento,
    Localidad,
    Modulo,
    Parte,
    ValorDePlazo,
    validar_logo,
)


class CampoLogotipo(forms.ImageField):
    """Revisa los píxeles por la cabecera antes de que Pillow abra la imagen completa: a la
    que pasa de su propio tope la rechaza con un mensaje genérico, y hay que decir cuánto
    mide y cuánto se admite."""

    def to_python(self, data):
        if data:
            validar_logo(data)
        return super().to_python(data)


@admin.register(Centro)
class CentroAdmin(admin.ModelAdmin):
    list_display = ["nombre", "municipio", "entidad", "telefono"]
    formfield_overrides = {models.ImageField: {"form_class": CampoLogotipo}}

    def has_add_permission(self, request):
        return not Centro.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AvisoPrivacidad)
class AvisoPrivacidadAdmin(admin.ModelAdmin):
    list_display = ["version", "vigente_desde"]


@admin.register(Localidad)
class LocalidadAdmin(admin.ModelAdmin):
    list_display = ["nombre", "activo", "orden"]
    list_editable = ["activo", "orden"]
    search_fields = ["nombre"]


@admin.register(Categoria)
class CategoriaAdmin(admin.ModelAdmin):
    list_display = ["nombre", "tipo", "canalizar", "activo", "orden"]
    list_editable = ["activo", "orden"]
    list_filter = ["tipo", "canalizar", "activo"]
    search_fields = ["nombre"]


@admin.register(DiaInhabil)
class DiaInhabilAdmin(admin.ModelAdmin):
    list_display = ["fecha_inicio", "fecha_fin", "motivo"]
    date_hierarchy = "fecha_inicio"


@admin.register(Modulo)
class ModuloAdmin(admin.ModelAdmin):
    list_display = ["nombre", "lugar", "localidad", "fecha", "activo"]
    list_filter = ["activo", "localidad"]
    date_hierarchy = "fecha"


@admin.register(ValorDePlazo)
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


class SoloLectura:
    """El expediente solo se escribe por servicios: en el admin se consulta."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ParteInline(SoloLectura, admin.TabularInline):
    model = Parte
    extra = 0
    fields = ["rol", "nombre", "telefono", "correo", "domicilio"]


class ConPoliticaDeAcceso:
    """En la administración también manda `casos.acceso`: cada quien ve solo los expedientes
    de su alcance, y abrir uno deja su renglón en la bitácora."""

    campo_caso = "pk"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        visibles = acceso.casos_visibles(request.user).values("pk")
        return qs.filter(**{f"{self.campo_caso}__in": visibles})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        respuesta = super().change_view(request, object_id, form_url, extra_context)
        objeto = getattr(respuesta, "context_data", {}).get("original")
        if objeto is not None:
            caso = objeto if isinstance(objeto, Caso) else objeto.caso
            acceso.registrar_acceso(
                usuario=request.user,
                casos=caso,
                vista="admin",
                request=request,
                objeto=f"{objeto._meta.model_name}:{objeto.pk}",
            )
        return respuesta


@admin.register(Caso)
class CasoAdmin(ConPoliticaDeAcceso, SoloLectura, admin.ModelAdmin):
    list_display = ["folio", "tipo", "estado", "canal", "localidad", "recibido_en"]
    list_filter = ["tipo", "estado", "canal"]
    search_fields = ["folio"]
    inlines = [ParteInline]
    exclude = ["codigo_sal"]


@admin.register(Evento)
class EventoAdmin(ConPoliticaDeAcceso, SoloLectura, admin.ModelAdmin):
    campo_caso = "caso"
    list_display = ["caso", "tipo", "descripcion", "actor", "creado_en"]
    list_filter = ["tipo"]


@admin.register(AccesoExpediente)
class AccesoExpedienteAdmin(SoloLectura, admin.ModelAdmin):
    list_display = ["caso", "usuario", "vista", "objeto", "ip", "motivo", "creado_en"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("casos.ver_bitacora_accesos")

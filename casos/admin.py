from django import forms
from django.contrib import admin
from django.db import models

from . import acceso
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

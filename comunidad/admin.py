"""Los avisos comunitarios en el /admin/ de Django (de quien administra el sistema). La
coordinación los lleva en sus propias páginas (/comunidad/); aquí se consultan, con su
historia, y las entregas y los avisos ya enviados no se editan."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AvisoComunitario, Contacto, Entrega, Lista, Membresia


class MembresiaInline(admin.TabularInline):
    model = Membresia
    extra = 0
    autocomplete_fields = ("contacto",)


@admin.register(Lista)
class ListaAdmin(SimpleHistoryAdmin):
    list_display = ("nombre", "localidad", "creada_en")
    list_filter = ("localidad",)
    search_fields = ("nombre",)
    inlines = [MembresiaInline]


@admin.register(Contacto)
class ContactoAdmin(SimpleHistoryAdmin):
    list_display = ("nombre", "cargo", "localidad", "telefono", "canal", "consentimiento_fecha")
    list_filter = ("localidad", "canal", "consentimiento_forma")
    search_fields = ("nombre", "telefono", "cargo")
    readonly_fields = ("consentimiento_registrado_por", "creado_en")


@admin.register(AvisoComunitario)
class AvisoComunitarioAdmin(SimpleHistoryAdmin):
    list_display = ("creado_en", "texto", "enviado_por", "destinatarios", "repartido_en")
    date_hierarchy = "creado_en"

    def has_add_permission(self, request):
        return False  # se envía desde /comunidad/ (con confirmación y reparto)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Entrega)
class EntregaAdmin(admin.ModelAdmin):
    list_display = ("aviso", "contacto", "mensaje")
    list_select_related = ("aviso", "contacto", "mensaje")
    raw_id_fields = ("aviso", "contacto", "mensaje")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

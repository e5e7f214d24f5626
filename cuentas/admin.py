from django.contrib import admin

from .models import EventoCuenta


@admin.register(EventoCuenta)
class EventoCuentaAdmin(admin.ModelAdmin):
    """La bitácora se lee; nadie la edita ni la borra."""

    list_display = ("creado_en", "tipo", "usuario", "ip", "actor", "origen", "detalle")
    list_filter = ("tipo", "origen")
    search_fields = ("usuario", "ip", "actor__username")
    date_hierarchy = "creado_en"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

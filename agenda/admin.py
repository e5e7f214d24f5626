from django.contrib import admin

from .models import ConsultaCalendario


@admin.register(ConsultaCalendario)
class ConsultaCalendarioAdmin(admin.ModelAdmin):
    """Las lecturas de los calendarios suscritos: se leen; nadie las edita ni las borra."""

    list_display = ("creada_en", "usuario", "ip", "cliente", "sesiones")
    search_fields = ("usuario__username", "ip")
    date_hierarchy = "creada_en"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

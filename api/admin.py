from django.contrib import admin

from .models import TokenAPI


@admin.register(TokenAPI)
class TokenAPIAdmin(admin.ModelAdmin):
    list_display = [
        "nombre",
        "usuario",
        "alcance",
        "prefijo",
        "activo",
        "creado_en",
        "ultimo_uso",
    ]
    list_filter = ["alcance", "activo"]
    readonly_fields = ["alcance", "prefijo", "creado_en", "ultimo_uso"]

    def has_add_permission(self, request):
        # Los tokens se emiten con `manage.py emitir_token`, que muestra el valor una sola vez.
        return False

from django.contrib import admin

from . import acceso
from .models import AccesoExpediente, Caso, Evento, Parte

# Centro, aviso de privacidad, localidades, categorías, módulos, días inhábiles, salas y
# certificaciones se administran en /oficina/ (oficina/admin.py), con su historia de cambios:
# ahí entra la coordinación sin ser superusuaria, y también quien administra el sistema.


class SoloLectura:
    """El expediente solo se escribe por servicios: en el admin se consulta."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ParteInline(SoloLectura, admin.TabularInline):
    """Las partes del caso, sin las de datos bloqueados (la administración no los revela:
    eso se hace en la página del caso, con motivo)."""

    model = Parte
    extra = 0
    fields = ["rol", "nombre", "telefono", "correo", "domicilio"]

    def get_queryset(self, request):
        return acceso.partes_visibles(super().get_queryset(request))


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

    def get_exclude(self, request, obj=None):
        # El relato de un caso bloqueado por conservación también es dato personal.
        if obj is not None and obj.bloqueado_en is not None:
            return [*self.exclude, "resumen"]
        return self.exclude


@admin.register(Evento)
class EventoAdmin(ConPoliticaDeAcceso, SoloLectura, admin.ModelAdmin):
    campo_caso = "caso"
    list_display = ["caso", "tipo", "descripcion", "actor", "creado_en"]
    list_filter = ["tipo"]

    def get_exclude(self, request, obj=None):
        # Los datos de un evento sobre una parte bloqueada guardan sus valores anteriores.
        if obj is not None and _de_parte_bloqueada(obj):
            return ["datos"]
        return super().get_exclude(request, obj)


def _de_parte_bloqueada(evento: Evento) -> bool:
    if evento.caso.bloqueado_en is not None:
        return True
    datos = evento.datos if isinstance(evento.datos, dict) else {}
    parte = datos.get("parte")
    if not isinstance(parte, int):
        return False
    return Parte.objects.filter(pk=parte, bloqueada_en__isnull=False).exists()


@admin.register(AccesoExpediente)
class AccesoExpedienteAdmin(SoloLectura, admin.ModelAdmin):
    list_display = ["caso", "usuario", "vista", "objeto", "ip", "motivo", "creado_en"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("casos.ver_bitacora_accesos")

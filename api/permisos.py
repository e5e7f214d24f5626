from rest_framework.permissions import BasePermission


class TienePermisos(BasePermission):
    """Los mismos permisos de rol que la interfaz web: `permisos = ("casos.view_caso",)`."""

    def has_permission(self, request, view):
        usuario = request.user
        return bool(usuario and usuario.is_authenticated and usuario.has_perms(view.permisos))

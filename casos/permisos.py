"""Acceso a vistas del personal por permiso de rol."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def requiere_permiso(*permisos: str):
    """Anónimo: a la página de entrada. Con sesión pero sin el permiso: 403."""

    def decorador(vista):
        @wraps(vista)
        def envoltura(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perms(permisos):
                raise PermissionDenied
            return vista(request, *args, **kwargs)

        return envoltura

    return decorador

from rest_framework.permissions import BasePermission


def permisos_de_la_vista(view, metodo: str) -> tuple[str, ...]:
    """`permisos_por_metodo = {"POST": (...)}` si el método pide más; si no, `permisos`."""
    return getattr(view, "permisos_por_metodo", {}).get(metodo, view.permisos)


class TienePermisos(BasePermission):
    """Los mismos permisos de rol que la interfaz web: `permisos = ("casos.view_caso",)`."""

    def has_permission(self, request, view):
        usuario = request.user
        return bool(
            usuario
            and usuario.is_authenticated
            and usuario.has_perms(permisos_de_la_vista(view, request.method))
        )

"""El sitio de administración de la oficina (/oficina/): la coordinación lo usa sin ser
superusuaria ni `is_staff`. Basta un permiso del proyecto, `casos.administrar_oficina`, que
el rol de coordinación trae (casos.catalogos.ROLES). El /admin/ de Django sigue siendo de
quien administra el sistema."""

from dataclasses import dataclass
from functools import wraps

from django.contrib.admin import AdminSite
from django.contrib.auth.views import LogoutView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

PERMISO = "casos.administrar_oficina"


@dataclass(frozen=True)
class PaginaPropia:
    """Una página que otra app agrega al sitio (p. ej. la lista de puesta en marcha de
    `operacion`, que está sobre esta capa): su ruta, su vista y cómo se anuncia en el índice.
    `resumen(request)` da una línea para el índice (o vacío)."""

    ruta: str
    vista: object
    nombre: str
    titulo: str
    liga: str
    resumen: object = None


class SitioOficina(AdminSite):
    site_header = _("Administración de la oficina")
    site_title = _("Administración de la oficina")
    index_title = _("Personal, certificaciones, salas y catálogos")
    site_url = "/tareas/"
    enable_nav_sidebar = False
    index_template = "oficina/index.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.paginas: list[PaginaPropia] = []

    def agregar_pagina(self, pagina: PaginaPropia) -> None:
        if all(p.nombre != pagina.nombre for p in self.paginas):
            self.paginas.append(pagina)

    def index(self, request, extra_context=None):
        propias = [
            {
                "titulo": p.titulo,
                "liga": p.liga,
                "url": reverse(f"{self.name}:{p.nombre}"),
                "resumen": p.resumen(request) if p.resumen else "",
            }
            for p in self.paginas
        ]
        return super().index(request, {**(extra_context or {}), "paginas_propias": propias})

    def has_permission(self, request):
        usuario = request.user
        return usuario.is_active and usuario.has_perm(PERMISO)

    def admin_view(self, view, cacheable=False):
        """Como las demás páginas del personal: sin sesión, a la entrada del sistema; con
        sesión pero sin el permiso, 403 (no la entrada propia del admin de Django)."""
        protegida = super().admin_view(view, cacheable)

        @wraps(view)
        def vista(request, *args, **kwargs):
            if not self.has_permission(request):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return protegida(request, *args, **kwargs)

        return vista

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            if not self.has_permission(request):
                raise PermissionDenied
            return redirect(reverse("oficina:index"))
        return redirect_to_login(request.GET.get("next") or reverse("oficina:index"))

    def logout(self, request, extra_context=None):
        return LogoutView.as_view(next_page=reverse("login"))(request)

    def password_change(self, request, extra_context=None):
        return redirect("cuentas:contrasena")

    def get_urls(self):
        from . import views

        propias = [
            path(
                "dias-inhabiles/proponer/",
                self.admin_view(views.proponer_inhabiles),
                name="proponer_inhabiles",
            ),
            path(
                "certificaciones/<int:pk>/constancia/",
                self.admin_view(views.constancia),
                name="constancia",
            ),
        ]
        agregadas = [path(p.ruta, self.admin_view(p.vista), name=p.nombre) for p in self.paginas]
        return propias + agregadas + super().get_urls()


sitio = SitioOficina(name="oficina")

from django.urls import path

from . import views

app_name = "cuentas"

urlpatterns = [
    path("", views.mi_cuenta, name="mi_cuenta"),
    path("verificar/", views.verificar, name="verificar"),
    path("dos-pasos/activar/", views.inscribir, name="inscribir"),
    path("dos-pasos/codigos/", views.codigos, name="codigos"),
    path("dos-pasos/quitar/", views.quitar, name="quitar"),
    path("contrasena/", views.CambiarContrasena.as_view(), name="contrasena"),
    path("contrasena/cambiada/", views.ContrasenaCambiada.as_view(), name="contrasena_cambiada"),
    path("recuperar/", views.Recuperar.as_view(), name="recuperar"),
    path("recuperar/enviado/", views.RecuperarEnviado.as_view(), name="recuperar_enviado"),
    path("recuperar/<uidb64>/<token>/", views.Restablecer.as_view(), name="restablecer"),
    path("recuperar/listo/", views.Restablecida.as_view(), name="restablecida"),
    path("accesos/", views.accesos, name="accesos"),
    path("accesos/desbloquear/", views.desbloquear, name="desbloquear"),
    path("accesos/reiniciar/", views.reiniciar_factor, name="reiniciar_factor"),
]

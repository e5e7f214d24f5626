"""Cuentas del personal: entrada con bloqueo por intentos, verificación en dos pasos,
contraseñas (cambio y restablecimiento por correo), sesiones que vencen y la página de
accesos de la coordinación."""

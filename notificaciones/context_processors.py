from django.core.cache import cache

from .selectors import VER_AVISOS, trabajo_detenido

# Segundos que cada proceso web recuerda el estado de los workers entre peticiones.
CACHE_SEGUNDOS = 10
CLAVE = "notificaciones:trabajo-detenido"


def trabajo_en_segundo_plano(request):
    """`trabajo_detenido` para el aviso de la plantilla base: solo para quienes ven todos los
    avisos (coordinación, dirección y administración), que son quienes pueden actuar."""
    usuario = getattr(request, "user", None)
    if usuario is None or not usuario.is_authenticated or not usuario.has_perm(VER_AVISOS):
        return {}
    (detenido,) = cache.get_or_set(CLAVE, lambda: (trabajo_detenido(),), CACHE_SEGUNDOS)
    return {"trabajo_detenido": detenido}

from functools import partial

from . import selectors


def certificaciones(request):
    """`certificaciones_en_aviso` para el aviso de la plantilla base y de /oficina/: la
    certificación propia de la persona facilitadora y, para la coordinación, las de todo el
    personal, si vencen dentro de 30 días o ya vencieron."""
    usuario = getattr(request, "user", None)
    if usuario is None or not usuario.is_authenticated:
        return {}
    # Perezoso: la consulta corre solo si la plantilla lo muestra (la base, una vez).
    return {
        "certificaciones_en_aviso": partial(selectors.certificaciones_en_aviso, usuario=usuario)
    }

import re
import unicodedata


def normalizar_busqueda(texto: str) -> str:
    """'José  Íñiguez' -> 'jose iniguez': sin acentos ni mayúsculas, para buscar como se teclea."""
    descompuesto = unicodedata.normalize("NFKD", texto or "")
    sin_marcas = "".join(c for c in descompuesto if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", sin_marcas).strip().lower()


def nombre_de(usuario) -> str:
    """Cómo se muestra a una persona del personal: su nombre completo o, si no lo tiene, su
    usuario. Vacío si no hay nadie (p. ej. un hecho que registró el sistema)."""
    if usuario is None:
        return ""
    return usuario.get_full_name() or usuario.get_username()

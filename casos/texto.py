import re
import unicodedata


def normalizar_busqueda(texto: str) -> str:
    """'José  Íñiguez' -> 'jose iniguez': sin acentos ni mayúsculas, para buscar como se teclea."""
    descompuesto = unicodedata.normalize("NFKD", texto or "")
    sin_marcas = "".join(c for c in descompuesto if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", sin_marcas).strip().lower()

import re
import unicodedata

# Controles de dirección de Unicode (UAX #9): incrustaciones y anulaciones (U+202A-U+202E),
# aislamientos (U+2066-U+2069) y marcas LRM, RLM y ALM. Voltean en la pantalla y en el PDF lo
# que sigue: «Juana \u202eazeréP» se ve como «Juana Pérez…» escrito al revés.
CONTROLES_DE_DIRECCION = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_SALTOS = re.compile(r"\r\n|[\r\x85\u2028\u2029]")
# Además de los de dirección: los controles C0 y C1 salvo el tabulador y el salto de línea.
_INVISIBLES = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{CONTROLES_DE_DIRECCION}]")


def limpiar_texto(valor: str | None, *, una_linea: bool = False) -> str:
    """Texto capturado listo para guardarse: sin controles de dirección ni otros caracteres
    de control, con los saltos de línea como LF (o como espacios con `una_linea`) y sin
    espacios a los lados. Se aplica al entrar (servicios y formularios), una sola vez."""
    texto = _INVISIBLES.sub("", _SALTOS.sub("\n", valor or ""))
    if una_linea:
        texto = texto.replace("\n", " ")
    return texto.strip()


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

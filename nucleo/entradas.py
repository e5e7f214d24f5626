"""Lectura estricta de lo que llega de fuera: ids numéricos escritos solo con dígitos ASCII.

`str.isdigit()` e `int()` aceptan dígitos de otras escrituras («١٢٣», «１２３») y `isdigit()`
también superíndices («²») que luego `int()` rechaza; un id así nunca es legítimo.
"""

# Cabe en un entero de 64 bits con signo (las llaves BigAutoField) sin desbordar la base.
MAX_DIGITOS = 18


def entero_ascii(valor) -> int | None:
    """El entero no negativo de `valor` si es un `int` o un texto de 1 a 18 dígitos ASCII
    (`"42"`, `"007"`); None para todo lo demás: vacío, signo, espacios, dígitos de otras
    escrituras, superíndices, más de 18 cifras, booleanos u otros tipos."""
    if isinstance(valor, bool):
        return None
    if isinstance(valor, int):
        return valor if 0 <= valor < 10**MAX_DIGITOS else None
    if not isinstance(valor, str) or not 0 < len(valor) <= MAX_DIGITOS:
        return None
    if not (valor.isascii() and valor.isdigit()):
        return None
    return int(valor)

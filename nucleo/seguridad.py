"""Ayudantes de la política de contenido (CSP) que se leen al cargar la configuración."""

import base64
import hashlib
import re
from pathlib import Path

ESTILO = re.compile(r"<style>(.*?)</style>", re.S)


def hashes_de_estilos(plantilla: Path) -> list[str]:
    """Las fuentes `'sha256-…'` de cada `<style>` en línea de una plantilla fija (sin
    variables): la política los permite a ellos y a ningún otro."""
    texto = plantilla.read_text(encoding="utf-8")
    resumenes = (hashlib.sha256(bloque.encode()).digest() for bloque in ESTILO.findall(texto))
    return [f"'sha256-{base64.b64encode(r).decode()}'" for r in resumenes]

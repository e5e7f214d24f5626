"""Ayudantes de la política de contenido (CSP) que se leen al cargar la configuración."""

import base64
import hashlib
import re
from pathlib import Path

ESTILO = re.compile(r"<style>(.*?)</style>", re.S)


def hashes_de_estilos(*plantillas: Path) -> list[str]:
    """Las fuentes `'sha256-…'` de cada `<style>` en línea de unas plantillas (el `<style>`,
    sin variables), sin repetir: la política los permite a ellos y a ningún otro."""
    bloques = [
        bloque
        for plantilla in plantillas
        for bloque in ESTILO.findall(plantilla.read_text(encoding="utf-8"))
    ]
    resumenes = (hashlib.sha256(bloque.encode()).digest() for bloque in dict.fromkeys(bloques))
    return [f"'sha256-{base64.b64encode(r).decode()}'" for r in resumenes]

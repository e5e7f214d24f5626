"""Qué versión del código está corriendo."""

import subprocess
import tomllib

from django.conf import settings


def version_del_proyecto() -> str:
    """La versión declarada en pyproject.toml."""
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as archivo:
        return tomllib.load(archivo)["project"]["version"]


def version_de_la_app() -> str:
    """`git describe` del código en marcha (etiqueta, commits desde ella y si hay cambios sin
    confirmar); sin Git a la mano (la imagen de Docker no copia .git), la de pyproject.toml."""
    try:
        hecho = subprocess.run(
            ["git", "describe", "--tags", "--always", "--dirty"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return version_del_proyecto()
    if hecho.returncode == 0 and hecho.stdout.strip():
        return hecho.stdout.strip()
    return version_del_proyecto()

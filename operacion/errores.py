"""La falla que el comando explica a quien opera la instalación."""

from django.core.management.base import CommandError


class Error(CommandError):
    """Falla con su explicación en español. Django la imprime como «Error: …» y el comando
    sale con código 1."""

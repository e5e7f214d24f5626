"""Documentos PDF del procedimiento: plantillas HTML/CSS, render con WeasyPrint en el worker,
versiones con SHA-256."""

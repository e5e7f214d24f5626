"""Configuración del benchmark: la de producción más una vista trivial (`/_piso/`), el piso
contra el que se miden las páginas. Solo la usa `make bench`; nunca se despliega."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "piso.urls"

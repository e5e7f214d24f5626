"""Aplicación Celery del proyecto (worker, beat)."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("expedientes")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Broker embebido en archivos (demo sin Redis): sus carpetas deben existir.
_CARPETAS = (
    "data_folder_in",
    "data_folder_out",
    "processed_folder",
    "control_folder",
    "apartados_folder",
)
for opcion in _CARPETAS:
    carpeta = (app.conf.broker_transport_options or {}).get(opcion)
    if carpeta:
        Path(carpeta).mkdir(parents=True, exist_ok=True)

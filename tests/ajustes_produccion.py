"""Los ajustes de producción (con DEBUG=False en el entorno) para un gunicorn de prueba, salvo
los estáticos: con DEBUG=False `{% static %}` pide el manifiesto de `collectstatic`, que tarda
un minuto en armarse; aquí se sirven sin él. Todo lo demás es config/settings.py tal cual."""

from config.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

"""WSGI del benchmark: una aplicación WSGI desnuda en `/_piso/wsgi` (el piso de gunicorn y la
red, sin Django) y Django con `piso.ajustes` para todo lo demás, en el mismo proceso."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piso.ajustes")

from django.core.wsgi import get_wsgi_application  # noqa: E402

_django = get_wsgi_application()
_OK = b"ok"
_ENCABEZADOS = [("Content-Type", "text/plain"), ("Content-Length", str(len(_OK)))]


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/_piso/wsgi":
        start_response("200 OK", _ENCABEZADOS)
        return [_OK]
    return _django(environ, start_response)

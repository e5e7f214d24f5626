import pytest
from django.urls import reverse


@pytest.fixture(autouse=True)
def _sesiones_como_en_produccion(settings):
    """30 minutos de inactividad y 12 horas de máximo, los valores por omisión."""
    settings.SESION_INACTIVIDAD_MINUTOS = 30
    settings.SESSION_COOKIE_AGE = 12 * 3600


@pytest.fixture
def dos_pasos_obligatorio(settings):
    """Como en producción: coordinación, dirección y superusuarios deben usar dos pasos."""
    settings.DOS_PASOS_OBLIGATORIO_ROLES = ["coordinador", "direccion", "superusuario"]


@pytest.fixture
def pedir_enlace(monkeypatch, django_capture_on_commit_callbacks):
    """Pide el enlace de restablecimiento; el correo que el worker enviaría sale al confirmar
    la transacción de la petición."""
    monkeypatch.setattr("cuentas.services.encolar", lambda tarea, *args: tarea(*args) or True)

    def pedir(client, correo: str, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("cuentas:recuperar"), {"email": correo}, **extra)

    return pedir

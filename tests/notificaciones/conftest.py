import pytest
from django.utils import timezone

from casos.services import DatosPersona
from notificaciones.models import EstadoMensaje, Mensaje
from notificaciones.services import enviar
from scripts.simuladores import ProveedorTwilio
from tests.flujos.conftest import Conductor


@pytest.fixture
def proveedor(settings):
    """Proveedor de SMS/WhatsApp en 127.0.0.1, y el sistema configurado para usarlo."""
    # Los recibos de estado quedan en `simulado.recibos`: la prueba los entrega al cliente.
    simulado = ProveedorTwilio(mandar_recibos=False).iniciar()
    for nombre, valor in simulado.entorno().items():
        if nombre.startswith("TWILIO_"):
            setattr(settings, nombre, valor)
    settings.AVISOS_CANALES = {"correo": "bandeja", "sms": "twilio", "whatsapp": "twilio"}
    yield simulado
    simulado.detener()


@pytest.fixture
def con_contacto(nuevo_caso):
    """Caso de mediación con teléfono de ambas partes y correo de quien solicita."""

    def crear(**extra):
        return nuevo_caso(
            solicitante=DatosPersona(
                nombre="Juana Pérez", telefono="+523312345678", correo="juana@correo.mx"
            ),
            otra_parte=DatosPersona(
                nombre="Pedro López", telefono="+523398765432", domicilio="Calle Hidalgo 12"
            ),
            **extra,
        ).caso

    return crear


def entregar() -> dict[int, str]:
    """Lo que el worker haría ahora: enviar cada aviso pendiente cuya hora llegó."""
    ids = Mensaje.objects.filter(
        estado=EstadoMensaje.PENDIENTE, programado_para__lte=timezone.now()
    ).values_list("pk", flat=True)
    return {pk: enviar(pk) for pk in list(ids)}


@pytest.fixture
def conductor(client):
    return Conductor(client)

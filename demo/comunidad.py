"""Las listas comunitarias de la demostración (programa 9 del POA): Margaritas, Milpillas y San
Gaspar, con sus delegados, comités y líderes que dieron su consentimiento (uno aún no lo da y
otro respondió BAJA), y un aviso del módulo itinerante ya enviado, como lo haría la
coordinación: confirmar, repartir y enviar por la bandeja de salida."""

from datetime import timedelta

import time_machine
from django.db import transaction
from django.utils import timezone

from casos.models import AvisoPrivacidad, Localidad
from comunidad import services
from comunidad.models import Entrega, Lista
from notificaciones.models import OrigenBaja
from notificaciones.services import dar_de_baja, enviar

# (nombre, teléfono, canal, cargo, cómo dio su consentimiento, ante quién o en qué formato)
CONTACTOS = {
    "Margaritas": [
        (
            "Rosa Martínez Gómez",
            "391 100 1001",
            "sms",
            "Delegada municipal",
            "escrito",
            "Formato de consentimiento firmado en la delegación",
        ),
        (
            "Juan Pérez Loza",
            "391 100 1002",
            "whatsapp",
            "Comité de agua potable",
            "palabra",
            "Lic. Claudia Ramírez, en la asamblea ejidal",
        ),
        (
            "Lucía Hernández Ruiz",
            "391 100 1003",
            "sms",
            "Comité de vecinos",
            "formulario",
            "Formulario del módulo itinerante",
        ),
        ("Tomás Aceves Prado", "391 100 1004", "sms", "Líder de colonia", "", ""),
    ],
    "Milpillas": [
        (
            "Guadalupe Navarro Íñiguez",
            "391 100 2001",
            "sms",
            "Delegada municipal",
            "escrito",
            "Formato de consentimiento firmado en la delegación",
        ),
        (
            "Pedro Ramos Téllez",
            "391 100 2002",
            "sms",
            "Comité de la escuela",
            "palabra",
            "Lic. Claudia Ramírez, en la reunión del comité",
        ),
        (
            "Ana Lozano Mejía",
            "391 100 2003",
            "whatsapp",
            "Comité de salud",
            "formulario",
            "Formulario en línea",
        ),
        (
            "Jorge Vázquez Ortiz",
            "391 100 2004",
            "sms",
            "Líder de colonia",
            "escrito",
            "Formato de consentimiento firmado en la oficina",
        ),
    ],
    "San Gaspar": [
        (
            "Martha Gutiérrez Luna",
            "391 100 3001",
            "sms",
            "Comisariada ejidal",
            "escrito",
            "Formato de consentimiento firmado en el salón ejidal",
        ),
        (
            "Francisco Ibarra Cruz",
            "391 100 3002",
            "whatsapp",
            "Delegado municipal",
            "palabra",
            "Lic. Claudia Ramírez, en el módulo itinerante",
        ),
        (
            "Elena Soto Romero",
            "391 100 3003",
            "sms",
            "Comité de vecinos",
            "formulario",
            "Formulario del módulo itinerante",
        ),
    ],
}
TEXTO = (
    "Módulo itinerante de mediación y asesoría gratuitas en Milpillas el sábado, de 9 a 13 h, "
    "en la plaza principal"
)


def sembrar_comunidad(usuarios: dict) -> int:
    """Crea las listas y envía el aviso si aún no existen (se puede correr otra vez sin
    duplicar nada). Devuelve cuántos mensajes salieron."""
    if Lista.objects.exists():
        return 0
    coordinadora = usuarios["coordinadora"]
    aviso = AvisoPrivacidad.vigente()
    hace_un_mes = timezone.localdate() - timedelta(days=30)
    listas = []
    registrados = {}
    with transaction.atomic():
        for nombre_localidad, contactos in CONTACTOS.items():
            localidad = Localidad.objects.get(nombre=nombre_localidad)
            lista = services.crear_lista(
                nombre=f"{nombre_localidad}: delegados, comités y líderes",
                localidad=localidad,
                descripcion="Avisos de los módulos itinerantes y de las jornadas en la localidad",
            )
            listas.append(lista)
            for nombre, telefono, canal, cargo, forma, ante in contactos:
                registrados[nombre] = services.registrar_contacto(
                    nombre=nombre,
                    telefono=telefono,
                    canal=canal,
                    cargo=cargo,
                    localidad=localidad,
                    actor=coordinadora,
                    listas=[lista],
                    consentimiento={
                        "fecha": hace_un_mes,
                        "forma": forma,
                        "ante": ante,
                        "aviso": aviso,
                    }
                    if forma
                    else None,
                )
        # La delegada de Milpillas también está en la lista de Margaritas (se coordina con ella).
        services.agregar_a_lista(lista=listas[0], contacto=registrados["Guadalupe Navarro Íñiguez"])
        # Respondió BAJA a un aviso anterior: sigue en su lista, dada de baja.
        baja = registrados["Jorge Vázquez Ortiz"]
        dar_de_baja(canal=baja.canal, destino=baja.telefono, origen=OrigenBaja.RESPUESTA)
    enviado_en = timezone.now() - timedelta(days=2)
    with time_machine.travel(enviado_en, tick=False):
        with transaction.atomic():
            comunitario = services.enviar_aviso(texto=TEXTO, listas=listas[:2], actor=coordinadora)
        services.repartir(comunitario.pk)
    enviados = 0
    with time_machine.travel(enviado_en + timedelta(minutes=1), tick=False):
        for entrega in Entrega.objects.filter(aviso=comunitario, mensaje__isnull=False):
            enviar(entrega.mensaje_id)
            enviados += 1
    return enviados

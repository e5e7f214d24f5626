import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casos import codigos
from casos.models import Caso, Derecho, Estado, EstadoSesion, SolicitudARCO
from demo.historia import sembrar


def ejemplos_de_consulta() -> list[tuple[str, str, str]]:
    """Folio, código y qué muestra: para probar /consulta/ como lo haría la ciudadanía."""
    candidatos = [
        (
            Caso.objects.filter(
                sesiones__estado=EstadoSesion.PROGRAMADA, sesiones__inicio__gt=timezone.now()
            ),
            "sesión programada",
        ),
        (Caso.objects.filter(estado=Estado.ESPERA_CIUDADANO), "la oficina espera algo"),
        (Caso.objects.filter(estado=Estado.SEGUIMIENTO), "convenio en seguimiento"),
    ]
    ejemplos = []
    for consulta, descripcion in candidatos:
        caso = consulta.order_by("-recibido_en").first()
        if caso is not None:
            codigo = codigos.mostrar_codigo(codigos.derivar_codigo(caso.folio, caso.codigo_sal))
            ejemplos.append((caso.folio, codigo, descripcion))
    arco = SolicitudARCO.objects.filter(derecho=Derecho.ACCESO, respondida_en__isnull=False).first()
    if arco is not None:
        codigo = codigos.mostrar_codigo(codigos.derivar_codigo(arco.folio, arco.codigo_sal))
        ejemplos.append((arco.folio, codigo, "solicitud ARCO respondida, con su PDF"))
    return ejemplos


class Command(BaseCommand):
    help = (
        "Crea el personal de demostración (uno por rol) y unas 200 solicitudes con historia: "
        "cada una avanza por su flujo hasta una etapa, así hay casos en todos los estados."
    )

    def add_arguments(self, parser):
        parser.add_argument("--casos", type=int, default=200)

    def handle(self, *args, casos, **options):
        password = os.getenv("DEMO_PASSWORD", "demo")
        resultado = sembrar(password=password, cantidad=casos)
        self.stdout.write(
            f"Usuarios de demostración: {', '.join(resultado['usuarios'])} "
            f"(contraseña: {password}). Casos nuevos: {resultado['casos_nuevos']}; "
            f"en total: {resultado['casos_total']}."
        )
        campo = resultado["capturas_de_campo"]
        if campo.get("rechazadas"):
            raise CommandError(
                f"La jornada sin conexión tuvo capturas rechazadas: {campo['rechazadas']}"
            )
        if campo["capturas"]:
            self.stdout.write(
                f"Módulo sin conexión: {campo['capturas']} capturas de una jornada sincronizadas "
                f"({campo['recibidas']} casos, {campo['por_decidir']} por decidir)."
            )
        for folio, codigo, descripcion in ejemplos_de_consulta():
            self.stdout.write(f"Consulta ciudadana: folio {folio}, código {codigo} ({descripcion})")
